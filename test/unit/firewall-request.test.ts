import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../app/errors.js';
import { canonicalNetwork } from '../../app/net/address.js';
import { planRule, validateBlockRequest, validatePlannedRule } from '../../app/firewall/request.js';

function refusal(input: Record<string, unknown>): AppFailure {
  try {
    validateBlockRequest(input);
  } catch (error) {
    if (error instanceof AppFailure) return error;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('validateBlockRequest', () => {
  it('accepts a port, a range, both directions and normalises the remote scope', () => {
    expect(validateBlockRequest({ protocol: 'TCP', port: 3389 })).toEqual({
      protocol: 'tcp',
      portFrom: 3389,
      portTo: 3389,
      direction: 'in',
      remote: [],
    });
    expect(
      validateBlockRequest({
        protocol: 'udp',
        port: '5000-5010',
        direction: 'out',
        remote: '192.168.1.77/24, 10.77.0.5,fd00::1',
      }),
    ).toEqual({
      protocol: 'udp',
      portFrom: 5000,
      portTo: 5010,
      direction: 'out',
      remote: ['192.168.1.0/24', '10.77.0.5', 'fd00::1'],
    });
  });

  const badPorts: unknown[] = [
    '80; flush ruleset',
    'x" dir=out',
    'all',
    '-1',
    -1,
    0,
    65536,
    '65536',
    '1e3',
    '٨٠',
    '８０',
    '80.5',
    80.5,
    '',
    ' ',
    '80-',
    '0x50',
    '80,443',
    '80\n',
  ];
  it.each(badPorts.map((p) => [p]))('refuses port %j with a bilingual message', (port) => {
    const error = refusal({ protocol: 'tcp', port });
    expect(error.appError.code).toBe('firewall.invalid-port');
    expect(error.appError.message.fr).toMatch(/^Port refusé/);
    expect(error.appError.message.en).toMatch(/^Port refused/);
  });

  it('refuses a reversed range', () => {
    expect(refusal({ protocol: 'tcp', port: '90-80' }).appError.message.en).toMatch(/range/);
  });

  it.each([['all'], ['icmp'], ['tcp; flush ruleset'], ['tcp" dir=out'], ['']])(
    'refuses protocol %j',
    (protocol) => {
      expect(refusal({ protocol, port: 80 }).appError.code).toBe('firewall.invalid-protocol');
    },
  );

  it.each([['both'], ['in" dir=out'], ['inbound'], ['all']])(
    'refuses direction %j',
    (direction) => {
      expect(refusal({ protocol: 'tcp', port: 80, direction }).appError.code).toBe(
        'firewall.invalid-direction',
      );
    },
  );

  it('takes a link-local address as the results name it, zone dropped (a rule takes none)', () => {
    for (const remote of ['fe80::1%lan0', 'FE80::0:1%12', 'fe80::1%br-lan.100']) {
      expect(validateBlockRequest({ protocol: 'tcp', port: 23, direction: 'out', remote })).toEqual(
        { protocol: 'tcp', portFrom: 23, portTo: 23, direction: 'out', remote: ['fe80::1'] },
      );
    }
  });

  it.each([
    ['any'],
    ['all'],
    ['10.0.0.1; flush ruleset'],
    ['x" dir=out'],
    ['10.0.0.256'],
    ['10.1'],
    ['10.0.0.0/33'],
    ['example.com'],
    ['10.0.0.1/'],
    ['١٠.٠.٠.١'],
    ['65536'],
    ['80'],
    ['65536/8'],
    // A zone means something on a link-local address only, and never on a network.
    ['fd00::1%lan0'],
    ['10.0.0.1%lan0'],
    ['fe80::/64%lan0'],
    ['fe80::1%'],
    ['fe80::1%lan0;x'],
  ])('refuses remote %j', (remote) => {
    const error = refusal({ protocol: 'tcp', port: 80, remote });
    expect(error.appError.code).toBe('firewall.invalid-remote');
    expect(error.appError.message.fr).toContain('Adresse distante refusée');
  });

  // The list, in every field of the request: each refused with that field's own error.
  const PAYLOADS = ['80; flush ruleset', 'x" dir=out', 'all', '-1', '65536', '1e3', '٨٠'];
  const FIELDS = {
    port: (v: string) => ({ protocol: 'tcp', port: v }),
    protocol: (v: string) => ({ protocol: v, port: 80 }),
    direction: (v: string) => ({ protocol: 'tcp', port: 80, direction: v }),
    remote: (v: string) => ({ protocol: 'tcp', port: 80, remote: v }),
  };
  const matrix = Object.entries(FIELDS).flatMap(([field, make]) =>
    PAYLOADS.map((payload) => [field, payload, make(payload)] as const),
  );
  it.each(matrix)('refuses %s = %j', (field, payload, input) => {
    const error = refusal(input);
    expect(error.appError.code).toBe(`firewall.invalid-${field}`);
    expect(error.appError.params).toMatchObject({ field, value: payload });
    expect(error.appError.message.fr).toContain('refusé');
    expect(error.appError.message.en).toContain('refused');
  });

  it('keeps control characters out of the message', () => {
    const error = refusal({ protocol: 'tcp', port: '80\u001b[2J' });
    expect(error.appError.message.en).not.toContain('\u001b');
  });

  it('re-validates a planned rule read from a file, name included', () => {
    const rule = planRule(validateBlockRequest({ protocol: 'tcp', port: '22' }));
    expect(validatePlannedRule(JSON.parse(JSON.stringify(rule)))).toEqual(rule);
    expect(() => validatePlannedRule({ ...rule, name: 'all' })).toThrow(AppFailure);
    expect(() => validatePlannedRule({ ...rule, portFrom: '22; flush ruleset' })).toThrow(
      AppFailure,
    );
    expect(() => validatePlannedRule({ ...rule, remote: ['x" dir=out'] })).toThrow(AppFailure);
  });

  it('canonicalises addresses', () => {
    expect(canonicalNetwork('10.77.3.9/16')).toBe('10.77.0.0/16');
    expect(canonicalNetwork('10.0.0.1/32')).toBe('10.0.0.1');
    expect(canonicalNetwork('FD00:0::1/64')).toBe('fd00::/64');
    expect(canonicalNetwork('010.0.0.1')).toBe(null);
  });
});
