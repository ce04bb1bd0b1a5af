import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostResult, ScanResult } from '../../app/contract/index.js';
import { macMaker } from '../../app/report/mac-vendor.js';
import { serviceName } from '../../app/risk/knowledge-base.js';
import { formatScanResult } from '../../main/cli/format.js';
import {
  addAddresses,
  canCreateNamespaces,
  createVeth,
  ip,
  NetnsLab,
  uniqueName,
} from '../lab/netns.js';
import { scannerIn } from '../lab/scan-lab.js';

// Reverse DNS as the engine does it (ScanManager, its worker thread, node:dns), asked of a real
// dnsmasq on a host namespace the test makes, with a set MAC address (Raspberry Pi Foundation's
// OUI): the device's name, the method that found it, its MAC and maker; and dnsmasq's own query
// log shows that only the scan's up addresses were looked up. Needs root and dnsmasq.

const SCANNER = '10.79.0.1';
const NAMED = '10.79.0.2';
const UNNAMED = '10.79.0.3';
/** Targeted, but no device has it: never up, so never looked up. */
const ABSENT = '10.79.0.9';
const NAME = 'raspberrypi.lab.test';
const PI_MAC = 'b8:27:eb:16:00:02';

describe.runIf(canCreateNamespaces())(
  'reverse DNS of the scan’s devices, from a real dnsmasq',
  () => {
    const lab = new NetnsLab();
    let dir: string;
    let result: ScanResult;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), `pa-ptr-lab-${process.pid}-`));
      lab.onTeardown(() => rm(dir, { recursive: true, force: true }));
      const scanner = await lab.namespace(uniqueName('ptr', 'sc'));
      const host = await lab.namespace(uniqueName('ptr', 'h'));
      await createVeth({ ns: scanner, ifName: 'eth0', peerNs: host, peerIfName: 'eth0' });
      await ip(host, ['link', 'set', 'eth0', 'address', PI_MAC]);
      await addAddresses(scanner, 'eth0', [`${SCANNER}/24`]);
      await addAddresses(host, 'eth0', [`${NAMED}/24`, `${UNNAMED}/24`]);
      const log = join(dir, 'dnsmasq.log');
      lab.spawn(
        host,
        '/usr/sbin/dnsmasq',
        [
          '--keep-in-foreground',
          '--no-resolv',
          '--no-hosts',
          '--conf-file=/dev/null',
          `--listen-address=${NAMED}`,
          '--bind-interfaces',
          '--user=root',
          `--pid-file=${join(dir, 'dnsmasq.pid')}`,
          // A name and its PTR record (dnsmasq makes the in-addr.arpa record from a host-record).
          `--host-record=${NAME},${NAMED}`,
          // No upstream: other private addresses' PTR questions get NXDOMAIN, as a home router's.
          '--bogus-priv',
          '--log-queries',
          `--log-facility=${log}`,
        ],
        { stdio: 'ignore' },
      );
      // dnsmasq logs "started" once it listens.
      for (let i = 0; i < 200; i++) {
        const text = await readFile(log, 'utf8').catch(() => '');
        if (text.includes('started')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const run = await scannerIn(lab, scanner).scan(
        { targets: `${NAMED},${UNNAMED},${ABSENT}`, ports: '22' },
        { dnsServers: [NAMED] },
      );
      result = run.result;
    }, 120_000);

    afterAll(async () => {
      await lab.teardown();
    });

    const host = (address: string): HostResult | undefined =>
      result.hosts.find((h) => h.address === address);

    it('names the device by its PTR record, says how, and gives its MAC and maker', () => {
      expect(host(NAMED)).toMatchObject({
        status: 'up',
        hostname: NAME,
        hostnameMethod: 'ptr',
        mac: PI_MAC,
      });
      expect(macMaker(host(NAMED)!.mac!)).toEqual({
        kind: 'vendor',
        name: 'Raspberry Pi Foundation',
      });
      // An address the server has no name for: up, and no name invented.
      expect(host(UNNAMED)?.status).toBe('up');
      expect(host(UNNAMED)?.hostname).toBeUndefined();
      expect(host(UNNAMED)?.hostnameMethod).toBeUndefined();
    });

    it('asks only for the scan’s up addresses, each once', async () => {
      const log = await readFile(join(dir, 'dnsmasq.log'), 'utf8');
      const asked = [...log.matchAll(/query\[PTR\] (\S+) from/g)].map((m) => m[1]);
      expect(asked.sort()).toEqual(['2.0.79.10.in-addr.arpa', '3.0.79.10.in-addr.arpa']);
      expect(host(ABSENT)?.status ?? 'down').toBe('down');
    });

    it('prints the name and the MAC line in the CLI', () => {
      const en = formatScanResult(result, 'en', serviceName);
      expect(en).toContain(`${NAMED} (${NAME})`);
      expect(en).toContain('  MAC address: B8:27:EB:16:00:02 · Raspberry Pi Foundation\n');
    });
  },
);
