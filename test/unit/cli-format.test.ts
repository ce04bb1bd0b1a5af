import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { formatProgress, formatScanResult } from '../../main/cli/format.js';
import { serviceName } from '../../main/cli/services.js';

const result: ScanResult = {
  scanId: 's1',
  request: {
    targets: '127.0.0.1,10.77.0.9',
    ports: '1-1024',
    skipDiscovery: false,
    confirmed: false,
  },
  addresses: 2,
  portCount: 1024,
  notes: [],
  startedAt: '2025-01-01T10:00:00.000Z',
  finishedAt: '2025-01-01T10:00:01.500Z',
  cancelled: false,
  hosts: [
    {
      address: '127.0.0.1',
      family: 'ipv4',
      hostname: 'localhost',
      isLocal: true,
      status: 'up',
      reason: 'localhost',
      ports: [
        { port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
        { port: 80, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
      ],
      hidden: { open: 0, closed: 1022, filtered: 0 },
    },
    {
      address: '10.77.0.9',
      family: 'ipv4',
      isLocal: false,
      status: 'down',
      reason: 'no-response',
      ports: [],
      hidden: { open: 0, closed: 0, filtered: 0 },
    },
  ],
};

describe('formatScanResult', () => {
  it('lists each up host with a port table, service names and a summary (English)', () => {
    const text = formatScanResult(result, 'en', serviceName);
    const lines = text.split('\n');
    expect(lines[0]).toBe('127.0.0.1 (localhost)  up (localhost)');
    expect(lines[1]).toMatch(/^ {2}PORT\s+STATE\s+REASON\s+SERVICE$/);
    expect(lines[2]).toMatch(/^ {2}22\/tcp\s+open\s+syn-ack\s+ssh$/);
    expect(lines[3]).toMatch(/^ {2}80\/tcp\s+open\s+syn-ack\s+http$/);
    expect(text).toContain('Not shown: 1022 closed ports');
    expect(text).not.toContain('10.77.0.9');
    expect(text).toContain('2 addresses scanned, 1 up, 2 open ports in 1.5 s.');
  });
  it('speaks French to a French user', () => {
    const text = formatScanResult(result, 'fr', serviceName);
    expect(text).toMatch(/PORT\s+ÉTAT\s+RAISON\s+SERVICE/);
    expect(text).toMatch(/22\/tcp\s+ouvert\s+syn-ack\s+ssh/);
    expect(text).toContain('Non affichés : 1022 ports fermés');
    expect(text).toContain('2 adresses analysées, 1 active, 2 ports ouverts en 1,5 s.');
  });
  it('says when a scan was cancelled', () => {
    expect(formatScanResult({ ...result, cancelled: true }, 'en')).toContain('partial results');
  });
});

describe('formatProgress', () => {
  it('shows percent, probes, open ports and time left', () => {
    const event = {
      type: 'progress',
      scanId: 's1',
      done: 512,
      total: 1024,
      etaMs: 2100,
      openFound: 1,
    } as const;
    expect(formatProgress(event, 'en')).toBe('Scanning: 50% (512/1024), 1 open port — ~3 s left');
    expect(formatProgress(event, 'fr')).toBe(
      'Analyse : 50 % (512/1024), 1 port ouvert — reste ~3 s',
    );
  });
});
