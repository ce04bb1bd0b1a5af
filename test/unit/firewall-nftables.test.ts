import { describe, expect, it } from 'vitest';
import {
  baseObjects,
  liveRules,
  parseEchoedHandles,
  parseNftRules,
  ruleObjects,
} from '../../app/firewall/nftables.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';

const ID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const NAME = `PortAuditor-${ID}`;
const rule = (input: Record<string, unknown>) => planRule(validateBlockRequest(input), ID);
/** The rule object inside one `add` command, as nft lists it back. */
const listed = (o: Record<string, unknown>, handle: number) => ({
  rule: { ...(o.add as { rule: Record<string, unknown> }).rule, handle },
});

describe('nft JSON', () => {
  it('inbound: the local port, optional source scope, drop, tagged with the generated comment', () => {
    expect(ruleObjects(rule({ protocol: 'tcp', port: 22, remote: '10.77.0.9/16' }))).toEqual([
      {
        add: {
          rule: {
            family: 'inet',
            table: 'port_auditor',
            chain: 'input',
            comment: NAME,
            expr: [
              {
                match: {
                  op: '==',
                  left: { payload: { protocol: 'tcp', field: 'dport' } },
                  right: 22,
                },
              },
              {
                match: {
                  op: '==',
                  left: { payload: { protocol: 'ip', field: 'saddr' } },
                  right: { prefix: { addr: '10.77.0.0', len: 16 } },
                },
              },
              { drop: null },
            ],
          },
        },
      },
    ]);
  });

  it('outbound range to two devices: one rule per address, destination matched', () => {
    const objects = ruleObjects(
      rule({ protocol: 'udp', port: '5000-5010', direction: 'out', remote: '10.77.1.2,fd77::2' }),
    ) as { add: { rule: { chain: string; expr: unknown[] } } }[];
    expect(objects).toHaveLength(2);
    expect(objects.every((o) => o.add.rule.chain === 'output')).toBe(true);
    expect(objects[0]?.add.rule.expr[0]).toEqual({
      match: {
        op: '==',
        left: { payload: { protocol: 'udp', field: 'dport' } },
        right: { range: [5000, 5010] },
      },
    });
    expect(objects[1]?.add.rule.expr[1]).toEqual({
      match: { op: '==', left: { payload: { protocol: 'ip6', field: 'daddr' } }, right: 'fd77::2' },
    });
  });

  it('the input chain lets loopback through first', () => {
    const objects = baseObjects(true);
    expect(JSON.stringify(objects.at(-1))).toContain('"iifname"');
    expect(objects.at(-1)).toHaveProperty('insert');
    expect(baseObjects(false)).toHaveLength(3);
  });

  it('reads back what a rule blocks from its listing, merging one rule per remote address', () => {
    const planned = planRule(
      validateBlockRequest({
        protocol: 'udp',
        port: '5000-5010',
        direction: 'out',
        remote: '10.77.0.0/16,fd77::2',
      }),
      '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b',
    );
    // nft lists what it was given, plus the handle: the same objects as ruleObjects() wrote.
    const listing = JSON.stringify({
      nftables: ruleObjects(planned).map((o, i) => listed(o, 10 + i)),
    });
    expect(liveRules(parseNftRules(listing))).toEqual([
      {
        name: planned.name,
        ref: '10,11',
        enabled: true,
        details: {
          protocol: 'udp',
          portFrom: 5000,
          portTo: 5010,
          direction: 'out',
          remote: ['10.77.0.0/16', 'fd77::2'],
        },
      },
    ]);
    const inbound = planRule(validateBlockRequest({ protocol: 'tcp', port: 8080 }), planned.id);
    const one = JSON.stringify({
      nftables: [listed(ruleObjects(inbound)[0]!, 4)],
    });
    expect(liveRules(parseNftRules(one))[0]?.details).toEqual({
      protocol: 'tcp',
      portFrom: 8080,
      portTo: 8080,
      direction: 'in',
      remote: [],
    });
    // Anything else under our name (an accept, an unknown match) is listed without a request.
    const odd = JSON.stringify({
      nftables: [
        {
          rule: {
            ...listed(ruleObjects(inbound)[0]!, 5).rule,
            expr: [
              { match: { left: { meta: { key: 'iifname' } }, right: 'eth0' } },
              { accept: null },
            ],
          },
        },
      ],
    });
    expect(liveRules(parseNftRules(odd))).toEqual([
      { name: inbound.name, ref: '5', enabled: true, details: null },
    ]);
  });

  it('parses listings and echoed handles, ignoring other tables', () => {
    const listing = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        {
          rule: {
            family: 'inet',
            table: 'port_auditor',
            chain: 'input',
            handle: 3,
            comment: NAME,
            expr: [],
          },
        },
        {
          rule: {
            family: 'inet',
            table: 'other',
            chain: 'input',
            handle: 4,
            comment: NAME,
            expr: [],
          },
        },
      ],
    });
    expect(parseNftRules(listing)).toEqual([
      { chain: 'input', handle: 3, comment: NAME, match: null },
    ]);
    const echo = JSON.stringify({
      nftables: [
        { add: { table: { handle: 1 } } },
        { add: { rule: { handle: 7 } } },
        { insert: { rule: { handle: 2 } } },
      ],
    });
    expect(parseEchoedHandles(echo)).toEqual([7, 2]);
    expect(parseEchoedHandles('')).toEqual([]);
  });
});
