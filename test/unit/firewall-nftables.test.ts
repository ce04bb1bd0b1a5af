import { describe, expect, it } from 'vitest';
import {
  baseObjects,
  liveRules,
  LOOPBACK_COMMENT,
  REPLIES_COMMENT,
  parseEchoedHandles,
  parseInspection,
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
  it('inbound: packets to the port, before and after any port forward, from the scope', () => {
    const objects = ruleObjects(rule({ protocol: 'tcp', port: 22, remote: '10.77.0.9/16' })) as {
      add: { rule: { chain: string; comment: string; expr: unknown[] } };
    }[];
    // prerouting sees the port a device asked for (before DNAT), input the port it lands on;
    // input and forward also drop by the original port of a DNAT-ed or redirected connection;
    // prerouting drops packets forged "from this PC's port"; output holds the guard against
    // mid-stream pick-ups (see the last objects' check).
    expect(objects.map((o) => o.add.rule.chain)).toEqual([
      'prerouting',
      'input',
      'input',
      'forward',
      'prerouting',
      'output',
    ]);
    const body = [
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
    ];
    expect(objects.map((o) => o.add.rule.comment)).toEqual(Array(6).fill(NAME));
    // In prerouting, only what is addressed to this PC: what it routes for others passes.
    expect(objects[0]?.add.rule.expr).toEqual([
      { match: { op: '==', left: { fib: { result: 'type', flags: ['daddr'] } }, right: 'local' } },
      ...body,
    ]);
    expect(objects[1]?.add.rule.expr).toEqual(body);
    // Whatever address a DNAT or redirect took the connection from: the port the device asked
    // for, read from conntrack, and the device that opened it.
    const forwarded = [
      { match: { op: 'in', left: { ct: { key: 'status' } }, right: 'dnat' } },
      { match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'tcp' } },
      { match: { op: '==', left: { ct: { key: 'proto-dst', dir: 'original' } }, right: 22 } },
      {
        match: {
          op: '==',
          left: { ct: { key: 'ip saddr', dir: 'original' } },
          right: { prefix: { addr: '10.77.0.0', len: 16 } },
        },
      },
      { drop: null },
    ];
    expect(objects[2]?.add.rule.expr).toEqual(forwarded);
    expect(objects[3]?.add.rule.expr).toEqual(forwarded);
    // A packet from outside with this PC's address and port as its source is forged; so is one
    // from an address it answers for (broadcast, IPv6 subnet-router anycast, multicast), toward a
    // unicast device (a DHCP client's 0.0.0.0 broadcast request is no reply to anything).
    expect(objects[4]?.add.rule.expr).toEqual([
      {
        match: {
          op: '==',
          left: { fib: { result: 'type', flags: ['saddr'] } },
          right: { set: ['local', 'broadcast', 'anycast', 'multicast'] },
        },
      },
      {
        match: {
          op: '!=',
          left: { fib: { result: 'type', flags: ['daddr'] } },
          right: { set: ['broadcast', 'multicast'] },
        },
      },
      { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'sport' } }, right: 22 } },
      {
        match: {
          op: '==',
          left: { payload: { protocol: 'ip', field: 'daddr' } },
          right: { prefix: { addr: '10.77.0.0', len: 16 } },
        },
      },
      { drop: null },
    ]);
    // A packet leaving from port 22 toward the scope that would open a conntrack entry without
    // being a SYN (a connection picked up mid-stream, the wrong way round) is dropped.
    expect(objects[5]?.add.rule.expr).toEqual([
      { match: { op: 'in', left: { ct: { key: 'state' } }, right: 'new' } },
      { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'sport' } }, right: 22 } },
      {
        match: {
          op: '==',
          left: { payload: { protocol: 'ip', field: 'daddr' } },
          right: { prefix: { addr: '10.77.0.0', len: 16 } },
        },
      },
      {
        match: {
          op: '!=',
          left: { '&': [{ payload: { protocol: 'tcp', field: 'flags' } }, ['syn', 'ack']] },
          right: 'syn',
        },
      },
      { drop: null },
    ]);
  });

  it('outbound TCP: the guard sits in input, on packets from the device’s port', () => {
    const objects = ruleObjects(
      rule({ protocol: 'tcp', port: 23, direction: 'out', remote: '10.77.1.2' }),
    ) as { add: { rule: { chain: string; expr: unknown[] } } }[];
    expect(objects.map((o) => o.add.rule.chain)).toEqual(['output', 'input']);
    expect(objects[1]?.add.rule.expr.slice(1, 3)).toEqual([
      { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'sport' } }, right: 23 } },
      {
        match: {
          op: '==',
          left: { payload: { protocol: 'ip', field: 'saddr' } },
          right: '10.77.1.2',
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

  it('four filter chains (prerouting before DNAT), each letting loopback and replies through first', () => {
    const objects = baseObjects() as Record<
      string,
      { chain?: Record<string, unknown>; rule?: Record<string, unknown> }
    >[];
    const chains = objects.flatMap((o) => (o.add?.chain ? [o.add.chain] : []));
    expect(chains.map((c) => [c.name, c.hook, c.prio, c.type])).toEqual([
      ['prerouting', 'prerouting', -150, 'filter'],
      ['input', 'input', -10, 'filter'],
      ['forward', 'forward', -10, 'filter'],
      ['output', 'output', -10, 'filter'],
    ]);
    const exceptions = objects.flatMap((o) => (o.insert?.rule ? [o.insert.rule] : []));
    expect(exceptions.map((r) => [r.chain, r.comment, JSON.stringify(r.expr)])).toEqual([
      ['prerouting', LOOPBACK_COMMENT, expect.stringContaining('"iifname"')],
      ['prerouting', REPLIES_COMMENT, expect.stringContaining('"direction"}},"right":"reply"')],
      ['input', LOOPBACK_COMMENT, expect.stringContaining('"iifname"')],
      ['input', REPLIES_COMMENT, expect.stringContaining('"reply"')],
      ['forward', LOOPBACK_COMMENT, expect.stringContaining('"iifname"')],
      ['forward', REPLIES_COMMENT, expect.stringContaining('"reply"')],
      ['output', LOOPBACK_COMMENT, expect.stringContaining('"oifname"')],
      ['output', REPLIES_COMMENT, expect.stringContaining('"reply"')],
    ]);
    expect(exceptions.every((r) => JSON.stringify(r.expr).endsWith('{"return":null}]'))).toBe(true);
    expect(baseObjects([])).toHaveLength(5);
    expect(baseObjects([{ chain: 'output', kind: 'loopback' }])).toHaveLength(6);
  });

  it('finds port forwards and ingress bypasses in a whole ruleset', () => {
    const ruleset = JSON.stringify({
      nftables: [
        { chain: { family: 'netdev', table: 'edge', name: 'in', hook: 'ingress' } },
        {
          rule: {
            family: 'netdev',
            table: 'edge',
            chain: 'in',
            expr: [{ fwd: { dev: 'eth9' } }],
          },
        },
        {
          rule: {
            family: 'ip',
            table: 'nat',
            chain: 'pre',
            expr: [
              {
                match: {
                  op: '==',
                  left: { payload: { protocol: 'tcp', field: 'dport' } },
                  right: 8080,
                },
              },
              { dnat: { addr: '10.1.1.1', port: 80 } },
            ],
          },
        },
        {
          rule: {
            family: 'ip6',
            table: 'nat',
            chain: 'pre',
            expr: [
              {
                match: {
                  op: '==',
                  left: { payload: { protocol: 'tcp', field: 'dport' } },
                  right: { range: [9000, 9010] },
                },
              },
              { dnat: { addr: 'fd00::2' } },
            ],
          },
        },
        {
          rule: {
            family: 'ip',
            table: 'nat',
            chain: 'pre',
            expr: [
              {
                match: {
                  op: '==',
                  left: { payload: { protocol: 'udp', field: 'dport' } },
                  right: 2222,
                },
              },
              { redirect: { port: 22 } },
            ],
          },
        },
      ],
    });
    expect(parseInspection(ruleset)).toEqual({
      forwards: [
        { protocol: 'tcp', port: '8080', kind: 'dnat', to: '10.1.1.1:80' },
        { protocol: 'tcp', port: '9000-9010', kind: 'dnat', to: '[fd00::2]' },
        { protocol: 'udp', port: '2222', kind: 'redirect', to: ':22' },
      ],
      bypasses: ['edge/in'],
    });
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
      nftables: ruleObjects(inbound).map((o, i) => listed(o, 4 + i)),
    });
    expect(liveRules(parseNftRules(one))[0]).toMatchObject({
      // The guard and the forwarded and forged-source drops are part of the rule: removed with it.
      ref: '4,5,6,7,8,9',
      details: { protocol: 'tcp', portFrom: 8080, portTo: 8080, direction: 'in', remote: [] },
      forwards: true,
    });
    // Without them (a rule of an earlier version), the request reads the same, and the rule is
    // known not to drop by the original port of a forward.
    const unguarded = JSON.stringify({
      nftables: ruleObjects(inbound)
        .slice(0, 2)
        .map((o, i) => listed(o, 4 + i)),
    });
    expect(liveRules(parseNftRules(unguarded))[0]?.details).toEqual(
      liveRules(parseNftRules(one))[0]?.details,
    );
    expect(liveRules(parseNftRules(unguarded))[0]?.forwards).toBe(false);
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
    // A rule of an earlier version (a connection-state match, no fib) still reads back.
    const older = JSON.stringify({
      nftables: [
        {
          rule: {
            family: 'inet',
            table: 'port_auditor',
            chain: 'input',
            handle: 9,
            comment: inbound.name,
            expr: [
              {
                match: {
                  op: '==',
                  left: { payload: { protocol: 'tcp', field: 'dport' } },
                  right: 8080,
                },
              },
              {
                match: {
                  op: '==',
                  left: { ct: { key: 'state' } },
                  right: { set: ['new', 'untracked'] },
                },
              },
              { drop: null },
            ],
          },
        },
      ],
    });
    expect(liveRules(parseNftRules(older))[0]?.details).toMatchObject({
      portFrom: 8080,
      direction: 'in',
    });
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
