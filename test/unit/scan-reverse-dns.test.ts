import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { acceptablePtrName, ReverseNames, type ReverseLookup } from '../../app/scan/reverse-dns.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { hostnameMethodLabel } from '../../app/contract/vocabulary.js';
import type { Clock } from '../../app/scan/clock.js';
import { VirtualClock } from './support/sim-network.js';

/**
 * A resolver the test answers by hand (the limiter's bounds are what is tested here; the real
 * resolver against a real dnsmasq is test/integration/scan-ptr-lab.test.ts): each question waits
 * until the test settles it.
 */
function handResolver() {
  const asked: { address: string; signal: AbortSignal; settle(r: string[] | Error): void }[] = [];
  const lookup: ReverseLookup = (address, signal) =>
    new Promise((resolve, reject) => {
      asked.push({
        address,
        signal,
        settle: (r) => (r instanceof Error ? reject(r) : resolve(r)),
      });
    });
  return { asked, lookup };
}

/**
 * A clock moved by hand that lets promise callbacks run after each timer it fires (the limiter
 * starts the next lookup, with its own timer, in such a callback).
 */
class StepClock implements Clock {
  private time = 0;
  private timers: { at: number; fn: () => void; off: boolean }[] = [];
  now = () => this.time;
  date = () => new Date(Date.UTC(2026, 11, 1) + this.time);
  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + ms, fn, off: false };
    this.timers.push(timer);
    return () => {
      timer.off = true;
    };
  }
  soon(fn: () => void): void {
    this.after(0, fn);
  }
  /** Fires the due timers one by one, in time order, until `done()` or none is left. */
  async runUntil(done: () => boolean): Promise<void> {
    for (;;) {
      for (let i = 0; i < 5; i++) await turn();
      if (done()) return;
      this.timers = this.timers.filter((t) => !t.off).sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) throw new Error(`stalled at ${this.time} ms`);
      this.time = next.at;
      next.fn();
    }
  }
}

const coded = (code: string) => Object.assign(new Error(code), { code });
const turn = () => new Promise(setImmediate);

describe('acceptablePtrName', () => {
  it('keeps a DNS name without its final dot and refuses what a hostile server could send', () => {
    expect(acceptablePtrName('raspberrypi.lab.test.')).toBe('raspberrypi.lab.test');
    expect(acceptablePtrName('host_1.example')).toBe('host_1.example');
    expect(acceptablePtrName('a'.repeat(63) + '.x')).toBe('a'.repeat(63) + '.x');
    expect(acceptablePtrName('a'.repeat(64) + '.x')).toBeNull();
    expect(acceptablePtrName(Array(64).fill('abc').join('.'))).toBeNull(); // 255 characters
    expect(acceptablePtrName('evil\u001b[31m.test')).toBeNull();
    expect(acceptablePtrName('two words.test')).toBeNull();
    expect(acceptablePtrName('-lead.test')).toBeNull();
    expect(acceptablePtrName('a..b')).toBeNull();
    expect(acceptablePtrName('')).toBeNull();
  });
});

describe('ReverseNames: bounded, cached, never more than 8 at once', () => {
  it('asks at most 8 at once whatever it is told, and each address once', async () => {
    const { asked, lookup } = handResolver();
    const names = new ReverseNames(lookup, new VirtualClock(), { concurrency: 50 });
    const addresses = Array.from({ length: 20 }, (_, i) => `10.0.0.${i + 1}`);
    const answers = addresses.map((a) => names.name(a));
    const again = names.name('10.0.0.1');
    await turn();
    expect(asked).toHaveLength(8);
    asked[0]!.settle(['one.lab.test.']);
    await turn();
    expect(asked).toHaveLength(9);
    await expect(answers[0]).resolves.toBe('one.lab.test');
    await expect(again).resolves.toBe('one.lab.test');
    for (let i = 1; i < asked.length; i++) asked[i]!.settle(coded('ENOTFOUND'));
    while (asked.length < 20) {
      await turn();
      for (const q of asked) q.settle(coded('ENOTFOUND'));
    }
    await expect(Promise.all(answers.slice(1))).resolves.toEqual(Array(19).fill(null));
    expect(new Set(asked.map((q) => q.address)).size).toBe(20);
    names.close();
  });

  it('gives up a lookup at its timeout, and every lookup once no server answers at all', async () => {
    const { asked, lookup } = handResolver();
    const clock = new StepClock();
    const names = new ReverseNames(lookup, clock, {
      concurrency: 1,
      lookupTimeoutMs: 1000,
      giveUpAfterTimeouts: 2,
    });
    const answers = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((a) => names.name(a));
    let settled = 0;
    for (const a of answers) void a.then(() => settled++);
    await clock.runUntil(() => settled === 4);
    await expect(Promise.all(answers)).resolves.toEqual([null, null, null, null]);
    // Two timeouts in a row: the other two were never asked, and the aborts reached the resolver.
    expect(asked.map((q) => q.address)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(asked.every((q) => q.signal.aborted)).toBe(true);
    expect(clock.now()).toBe(2000);
  });

  it('starts none past the total time, and ends the pending ones then', async () => {
    const { asked, lookup } = handResolver();
    const clock = new StepClock();
    const names = new ReverseNames(lookup, clock, {
      concurrency: 1,
      lookupTimeoutMs: 10_000,
      totalMs: 3000,
    });
    const first = names.name('10.0.0.1');
    const second = names.name('10.0.0.2');
    let settled = 0;
    for (const a of [first, second]) void a.then(() => settled++);
    await clock.runUntil(() => settled === 2);
    expect(clock.now()).toBe(3000);
    expect(asked.map((q) => q.address)).toEqual(['10.0.0.1']);
    await expect(names.name('10.0.0.3')).resolves.toBeNull();
    expect(asked).toHaveLength(1);
  });
});

describe('host names in nmap XML', () => {
  const scan: ScanResult = {
    scanId: 'ptr',
    request: {
      targets: '10.78.0.0/24 printer.lab.test',
      ports: '22',
      skipDiscovery: false,
      confirmed: false,
    },
    addresses: 2,
    portCount: 1,
    notes: [],
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:01.000Z',
    cancelled: false,
    hosts: [
      {
        address: '10.78.0.2',
        family: 'ipv4',
        hostname: 'raspberrypi.lab.test',
        hostnameMethod: 'ptr',
        isLocal: false,
        status: 'up',
        reason: 'syn-ack',
        ports: [{ port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
        hidden: { open: 0, closed: 0, filtered: 0 },
      },
      {
        address: '10.78.0.3',
        family: 'ipv4',
        hostname: 'printer.lab.test',
        hostnameMethod: 'user',
        isLocal: false,
        status: 'up',
        reason: 'syn-ack',
        ports: [{ port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
        hidden: { open: 0, closed: 0, filtered: 0 },
      },
    ],
  };

  it('writes how each name was found, and an import keeps it as the file’s', () => {
    const xml = renderNmapXml(scan);
    expect(xml).toContain(
      '<hostnames>\n<hostname name="raspberrypi.lab.test" type="PTR"/>\n</hostnames>',
    );
    expect(xml).toContain(
      '<hostnames>\n<hostname name="printer.lab.test" type="user"/>\n</hostnames>',
    );
    const back = importNmapXml(xml).scan.hosts;
    const byAddress = new Map(back.map((h) => [h.address, h]));
    expect(byAddress.get('10.78.0.2')).toMatchObject({
      hostname: 'raspberrypi.lab.test',
      hostnameMethod: 'nmap-ptr',
    });
    expect(byAddress.get('10.78.0.3')).toMatchObject({
      hostname: 'printer.lab.test',
      hostnameMethod: 'nmap-user',
    });
    // Exported again, the file's PTR name is still a PTR name.
    const again = renderNmapXml({ ...scan, hosts: back });
    expect(again).toContain('<hostname name="raspberrypi.lab.test" type="PTR"/>');
  });

  it('labels the method in both languages, the file’s names as the file’s', () => {
    expect(hostnameMethodLabel('ptr', 'fr')).toBe('nom DNS (PTR)');
    expect(hostnameMethodLabel('ptr', 'en')).toBe('DNS name (PTR)');
    expect(hostnameMethodLabel('nmap-ptr', 'fr')).toBe('nom DNS (PTR) selon le fichier nmap');
    expect(hostnameMethodLabel('nmap-ptr', 'en')).toBe('DNS name (PTR) per the nmap file');
  });
});
