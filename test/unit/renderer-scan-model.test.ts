import { describe, expect, test } from 'vitest';
import type { ScanUpdate as ScanEvent } from '../../app/contract/history.js';
import type { HostResult } from '../../app/contract/scan.js';
import {
  applyScanEvent,
  buildRequest,
  formOfRequest,
  compareHosts,
  hostView,
  isBusy,
  openServicesSoFar,
  type HostView,
  type ScanSnapshot,
} from '../../renderer/features/scan/model.js';

const idle: ScanSnapshot = {
  phase: 'running',
  progress: null,
  hosts: {},
  error: null,
};

function run(events: ScanEvent[], from: ScanSnapshot = idle): ScanSnapshot {
  return events.reduce(applyScanEvent, from);
}

function host(address: string, isLocal: boolean): HostView {
  return {
    address,
    family: address.includes(':') ? 'ipv6' : 'ipv4',
    isLocal,
    status: 'up',
    reason: 'syn-ack',
    ports: [],
  };
}

describe('scan request from the form', () => {
  test('named choices go to the app as its named targets and port sets', () => {
    expect(
      buildRequest({
        targetMode: 'this-pc',
        customTargets: 'x',
        portMode: 'top1000',
        customPorts: '1',
        udp: false,
      }),
    ).toEqual({ targets: 'this-pc', ports: 'top1000' });
    expect(
      buildRequest({
        targetMode: 'local-network',
        customTargets: '',
        portMode: 'all',
        customPorts: '',
        udp: false,
      }),
    ).toEqual({ targets: 'local-network', ports: '1-65535' });
  });

  test('"common UDP services" adds the named set to the TCP choice', () => {
    const form = { targetMode: 'this-pc', customTargets: '', customPorts: '', udp: true } as const;
    expect(buildRequest({ ...form, portMode: 'top1000' }).ports).toBe('top1000,common-udp');
    expect(buildRequest({ ...form, portMode: 'all' }).ports).toBe('1-65535,common-udp');
    expect(buildRequest({ ...form, portMode: 'custom', customPorts: ' 22, 80 ' }).ports).toBe(
      '22,80,common-udp',
    );
  });

  test('custom text is sent trimmed, unparsed: the app parses it and owns the errors', () => {
    expect(
      buildRequest({
        targetMode: 'custom',
        customTargets: '  192.168.1.0/24, nas.local ',
        portMode: 'custom',
        customPorts: ' 22,80-90 ',
        udp: false,
      }),
    ).toEqual({ targets: '192.168.1.0/24, nas.local', ports: '22,80-90' });
  });
});

describe('engine events to screen state', () => {
  test('ports appear live under their address, open ones first, and progress follows', () => {
    const state = run([
      { type: 'started', scanId: 's', addresses: 1, portCount: 3, totalProbes: 3, notes: [] },
      {
        type: 'host',
        scanId: 's',
        address: '127.0.0.1',
        isLocal: true,
        status: 'up',
        reason: 'localhost',
      },
      {
        type: 'port',
        scanId: 's',
        address: '127.0.0.1',
        result: { port: 80, protocol: 'tcp', state: 'closed', reason: 'conn-refused' },
      },
      {
        type: 'port',
        scanId: 's',
        address: '127.0.0.1',
        result: { port: 8080, protocol: 'tcp', state: 'open', reason: 'syn-ack', rttMs: 0.2 },
      },
      { type: 'progress', scanId: 's', done: 2, total: 3, etaMs: 500, openFound: 1 },
    ]);
    expect(state.phase).toBe('running');
    expect(state.progress).toEqual({ done: 2, total: 3, etaMs: 500, openFound: 1 });
    const h = state.hosts['127.0.0.1'];
    expect(h?.isLocal).toBe(true);
    expect(h?.reason).toBe('localhost');
    expect(h?.ports.map((p) => [p.port, p.state])).toEqual([
      [8080, 'open'],
      [80, 'closed'],
    ]);
  });

  test('a link-local address keeps the zone it was scanned through, live and kept', () => {
    const state = run([
      {
        type: 'port',
        scanId: 's',
        address: 'fe80::1',
        result: { port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
      },
      {
        type: 'host',
        scanId: 's',
        address: 'fe80::1',
        zone: 'veth-a',
        isLocal: false,
        status: 'up',
        reason: 'syn-ack',
      },
    ]);
    expect(state.hosts['fe80::1']).toMatchObject({ address: 'fe80::1', zone: 'veth-a' });
    expect(state.hosts['fe80::1']!.ports).toHaveLength(1);
    const kept: HostResult = {
      address: 'fe80::1',
      zone: '12',
      family: 'ipv6',
      isLocal: false,
      status: 'up',
      reason: 'syn-ack',
      ports: [],
      hidden: { open: 0, closed: 1, filtered: 0 },
    };
    expect(hostView(kept)).toMatchObject({ address: 'fe80::1', zone: '12' });
    expect('zone' in hostView({ ...kept, zone: undefined })).toBe(false);
  });

  test('the live open-port count is per device and service, as the summary at the end', () => {
    const open = (address: string, port: number): ScanEvent => ({
      type: 'port',
      scanId: 's',
      address,
      result: { port, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
    });
    const local = (address: string): ScanEvent => ({
      type: 'host',
      scanId: 's',
      address,
      isLocal: true,
      status: 'up',
      reason: 'localhost',
    });
    const state = run([
      local('10.77.250.1'),
      local('127.0.0.1'),
      local('::1'),
      // This PC's 8080 on three addresses is one service; 23 on two is another; 631 a third.
      open('10.77.250.1', 8080),
      open('127.0.0.1', 8080),
      open('::1', 8080),
      open('10.77.250.1', 23),
      open('127.0.0.1', 23),
      open('127.0.0.1', 631),
      // Another device's 8080 is a service of its own.
      open('10.77.250.9', 8080),
      { type: 'progress', scanId: 's', done: 7, total: 9, openFound: 7 },
    ]);
    expect(openServicesSoFar(state.hosts)).toBe(4);
  });

  test('a port event for an address not announced yet creates it, and a repeat replaces the port', () => {
    const state = run([
      {
        type: 'port',
        scanId: 's',
        address: '10.77.0.5',
        result: { port: 22, protocol: 'tcp', state: 'filtered', reason: 'no-response' },
      },
      {
        type: 'port',
        scanId: 's',
        address: '10.77.0.5',
        result: { port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
      },
    ]);
    expect(state.hosts['10.77.0.5']?.ports).toEqual([
      { port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
    ]);
  });

  test('the end of the scan ends progress; a kept host is shown sorted, with its hidden ports', () => {
    const state = run([
      { type: 'progress', scanId: 's', done: 5, total: 10, openFound: 0 },
      {
        type: 'finished',
        scanId: 's',
        cancelled: true,
        counts: { addresses: 2, hosts: 1, hostsUp: 1, devicesUp: 1, openPorts: 1 },
        kept: true,
      },
    ]);
    expect(state.phase).toBe('finished');
    expect(state.progress).toBeNull();
    expect(isBusy(state.phase)).toBe(false);
    const kept: HostResult = {
      address: '::1',
      family: 'ipv6',
      isLocal: true,
      status: 'up',
      reason: 'localhost',
      ports: [
        { port: 631, protocol: 'tcp', state: 'closed', reason: 'conn-refused' },
        { port: 8080, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
      ],
      hidden: { open: 0, closed: 100, filtered: 0 },
    };
    expect(hostView(kept)).toMatchObject({
      address: '::1',
      hidden: { open: 0, closed: 100, filtered: 0 },
      ports: [{ port: 8080 }, { port: 631 }],
    });
  });

  test('a host that answers on every port, or that this PC could not probe, says so live', () => {
    const localError = {
      code: 'ENETUNREACH',
      message: { fr: 'Ce PC n’a aucune route', en: 'This PC has no route' },
    };
    const hostEvent = (address: string, extra: Partial<ScanEvent & { type: 'host' }> = {}) =>
      ({
        type: 'host',
        scanId: 's',
        address,
        isLocal: false,
        status: 'up',
        reason: 'syn-ack',
        ...extra,
      }) as ScanEvent;
    const state = run([
      hostEvent('10.0.0.66'),
      hostEvent('10.0.0.66', { answersEveryPort: { open: 100, probed: 100 } }),
      hostEvent('10.9.9.9', { status: 'unknown', reason: 'local-error', localError }),
    ]);
    expect(state.hosts['10.0.0.66']?.answersEveryPort).toEqual({ open: 100, probed: 100 });
    expect(state.hosts['10.9.9.9']).toMatchObject({ status: 'unknown', localError });
  });

  test('a failure event ends the scan with the app error', () => {
    const error = { code: 'scan.failed', message: { fr: 'Échec', en: 'Failed' } };
    const state = run([{ type: 'failed', scanId: 's', error }]);
    expect(state.phase).toBe('failed');
    expect(state.error).toEqual(error);
  });

  test('a cancel asked before the engine started is not undone by its "started" event', () => {
    const state = run(
      [{ type: 'started', scanId: 's', addresses: 1, portCount: 1, totalProbes: 1, notes: [] }],
      { ...idle, phase: 'cancelling' },
    );
    expect(state.phase).toBe('cancelling');
  });
});

test('this PC first, then IPv4 in numeric order, then IPv6', () => {
  const hosts = [
    host('192.168.1.20', false),
    host('fe80::1', true),
    host('192.168.1.3', false),
    host('127.0.0.1', true),
    host('2001:db8::1', false),
    host('10.77.250.1', true),
  ];
  expect(hosts.sort(compareHosts).map((h) => h.address)).toEqual([
    '10.77.250.1',
    '127.0.0.1',
    'fe80::1',
    '192.168.1.3',
    '192.168.1.20',
    '2001:db8::1',
  ]);
});

describe('the form of a kept scan', () => {
  test('asks again for what the scan covered (buildRequest’s inverse)', () => {
    const forms = [
      {
        targetMode: 'this-pc',
        customTargets: '',
        portMode: 'top1000',
        customPorts: '',
        udp: false,
      },
      {
        targetMode: 'this-pc',
        customTargets: '',
        portMode: 'top1000',
        customPorts: '',
        udp: true,
      },
      {
        targetMode: 'local-network',
        customTargets: '',
        portMode: 'all',
        customPorts: '',
        udp: true,
      },
      {
        targetMode: 'custom',
        customTargets: '10.0.0.0/24 fe80::1%eth0',
        portMode: 'custom',
        customPorts: '1-1024,3389,5900,8080,5353',
        udp: false,
      },
      {
        targetMode: 'custom',
        customTargets: '10.0.0.5',
        portMode: 'custom',
        customPorts: 'T:22,U:53',
        udp: true,
      },
    ] as const;
    for (const form of forms) expect(formOfRequest(buildRequest(form))).toEqual(form);
  });
});
