import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../app/errors.js';
import {
  MAX_HELPER_OPS,
  opsToArgv,
  parseHelperArgv,
  READ_ONLY_FLAG,
  type HelperOp,
} from '../../app/firewall/helper-argv.js';
import { nextState } from '../../app/firewall/helper-protocol.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';

const ID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const ID2 = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const rule = (input: Record<string, unknown>, id = ID) => planRule(validateBlockRequest(input), id);

function refusal(argv: string[]): string {
  try {
    parseHelperArgv(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    return (error as AppFailure).appError.code;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('the helper’s command line: what the user approves is what runs', () => {
  it('reads as the change it makes, and parses back to the same operations', () => {
    const ops: HelperOp[] = [
      { op: 'block', rule: rule({ protocol: 'tcp', port: 8080 }) },
      {
        op: 'unblock',
        rule: rule(
          { protocol: 'udp', port: '5000-5010', direction: 'out', remote: '10.0.0.7,10.0.1.0/24' },
          ID2,
        ),
      },
      { op: 'reapply', rule: rule({ protocol: 'tcp', port: 443, direction: 'out' }, ID2) },
      { op: 'list' },
    ];
    const argv = opsToArgv(ops);
    expect(argv).toEqual([
      'block',
      '--id',
      ID,
      '--proto',
      'tcp',
      '--port',
      '8080',
      '--dir',
      'in',
      'unblock',
      '--id',
      ID2,
      '--proto',
      'udp',
      '--port',
      '5000-5010',
      '--dir',
      'out',
      '--remote',
      '10.0.0.7,10.0.1.0/24',
      'reapply',
      '--id',
      ID2,
      '--proto',
      'tcp',
      '--port',
      '443',
      '--dir',
      'out',
      'list',
    ]);
    expect(parseHelperArgv(argv)).toEqual({ readOnly: false, ops });
  });

  it('refuses anything else, naming what is wrong', () => {
    const ok = ['block', '--id', ID, '--proto', 'tcp', '--port', '8080', '--dir', 'in'];
    const cases: [string[], string][] = [
      [[], 'firewall.helper-bad-request'],
      [['flush'], 'firewall.helper-bad-request'],
      [[...ok, '--proto', 'udp'], 'firewall.helper-bad-request'],
      [[...ok, '--table', 'x'], 'firewall.helper-bad-request'],
      [['block', '--id', ID, '--proto', 'tcp', '--port', '8080'], 'firewall.helper-bad-request'],
      [
        ['block', '--id', ID, '--proto', '--port', '8080', '--dir', 'in'],
        'firewall.helper-bad-request',
      ],
      [
        ['block', '--id', 'all', '--proto', 'tcp', '--port', '8080', '--dir', 'in'],
        'firewall.invalid-name',
      ],
      [
        ['block', '--id', ID, '--proto', 'tcp', '--port', '1-65536', '--dir', 'in'],
        'firewall.invalid-port',
      ],
      [
        ['block', '--id', ID, '--proto', 'tcp', '--port', '0080', '--dir', 'in'],
        'firewall.helper-bad-request',
      ],
      [
        ['block', '--id', ID, '--proto', 'tcp', '--port', '80; flush ruleset', '--dir', 'in'],
        'firewall.invalid-port',
      ],
      [
        ['block', '--id', ID, '--proto', 'icmp', '--port', '80', '--dir', 'in'],
        'firewall.invalid-protocol',
      ],
      [[...ok, '--remote', '10.0.0.5/24'], 'firewall.helper-bad-request'],
      [[...ok, '--remote', '65536'], 'firewall.invalid-remote'],
      [[READ_ONLY_FLAG, ...ok], 'firewall.helper-bad-request'],
      [[READ_ONLY_FLAG, 'list', 'unblock', '--id', ID], 'firewall.helper-bad-request'],
    ];
    for (const [argv, code] of cases) expect(refusal(argv), argv.join(' ')).toBe(code);
  });

  it('read-only mode lists and nothing more; batches are bounded', () => {
    expect(parseHelperArgv([READ_ONLY_FLAG, 'list'])).toEqual({
      readOnly: true,
      ops: [{ op: 'list' }],
    });
    const many = Array.from({ length: MAX_HELPER_OPS + 1 }, () => 'list');
    expect(refusal(many)).toBe('firewall.helper-bad-request');
    expect(parseHelperArgv(many.slice(1)).ops).toHaveLength(MAX_HELPER_OPS);
  });
});

describe('root’s record of the rules it applied (rules.json)', () => {
  const a = rule({ protocol: 'tcp', port: 8080 });
  const b = rule({ protocol: 'udp', port: 5353 }, ID2);
  const live = (r: typeof a, details = true) => ({
    name: r.name,
    ref: '1',
    enabled: true,
    details: details
      ? {
          protocol: r.protocol,
          portFrom: r.portFrom,
          portTo: r.portTo,
          direction: r.direction,
          remote: r.remote,
        }
      : null,
  });

  it('changes only by what root did: a lost rule stays, an unblock removes, a block adds', () => {
    // The firewall lost `a` (a reboot), nothing was read back: `a` stays recorded.
    expect(nextState([a], { added: [], removed: new Set() }, null)).toEqual([a]);
    expect(nextState([a], { added: [], removed: new Set() }, [])).toEqual([a]);
    // An approved unblock of `a`, even unread back, removes it; a block of `b` adds it.
    expect(nextState([a], { added: [b], removed: new Set([a.name]) }, null)).toEqual([b]);
    // A rule of ours the firewall holds is recorded with the firewall's content.
    const wider = { ...a, portTo: 8090 };
    expect(nextState([a], { added: [], removed: new Set() }, [live(wider), live(b)])).toEqual([
      wider,
      b,
    ]);
    // Content unreadable: the record is kept as it was.
    expect(nextState([a], { added: [], removed: new Set() }, [live(a, false)])).toEqual([a]);
  });
});
