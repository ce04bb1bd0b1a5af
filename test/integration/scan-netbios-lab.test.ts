import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostResult, ScanResult } from '../../app/contract/index.js';
import {
  addAddresses,
  canCreateNamespaces,
  createVeth,
  execIn,
  NetnsLab,
  uniqueName,
} from '../lab/netns.js';
import { scannerIn } from '../lab/scan-lab.js';

// NetBIOS node status as the engine asks it (ScanManager, its worker thread, UDP 137), of a real
// nmbd (Debian's samba package) on a host namespace the test makes, its name set in the test's
// smb.conf; the name the scan gives the device is compared with what `nmblookup -A` (Samba's own
// client) reads from the same nmbd. A second address of the same host also has a PTR name from
// a real dnsmasq: the DNS name wins over the NetBIOS one. Needs root, nmbd, nmblookup, dnsmasq.

const SCANNER = '10.80.0.1';
const NETBIOS_ONLY = '10.80.0.2';
const BOTH = '10.80.0.3';
const NETBIOS_NAME = 'LABPC16';
const WORKGROUP = 'LABGROUP16';
const DNS_NAME = 'fileserver.lab.test';

describe.runIf(canCreateNamespaces())(
  'NetBIOS names of the scan’s devices, from a real nmbd',
  () => {
    const lab = new NetnsLab();
    let dir: string;
    let scanner: string;
    let result: ScanResult;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), `pa-nb-lab-${process.pid}-`));
      lab.onTeardown(() => rm(dir, { recursive: true, force: true }));
      scanner = await lab.namespace(uniqueName('nb', 'sc'));
      const host = await lab.namespace(uniqueName('nb', 'h'));
      await createVeth({ ns: scanner, ifName: 'eth0', peerNs: host, peerIfName: 'eth0' });
      await addAddresses(scanner, 'eth0', [`${SCANNER}/24`]);
      await addAddresses(host, 'eth0', [`${NETBIOS_ONLY}/24`, `${BOTH}/24`]);
      // nmbd with every state in the test's folder, so nothing of this machine's Samba is used.
      const state = ['lock', 'state', 'cache', 'pid', 'private', 'ncalrpc'];
      for (const d of state) await mkdir(join(dir, d));
      await writeFile(
        join(dir, 'smb.conf'),
        [
          '[global]',
          `netbios name = ${NETBIOS_NAME}`,
          `workgroup = ${WORKGROUP}`,
          `interfaces = ${NETBIOS_ONLY}/24`,
          'bind interfaces only = yes',
          `lock directory = ${join(dir, 'lock')}`,
          `state directory = ${join(dir, 'state')}`,
          `cache directory = ${join(dir, 'cache')}`,
          `pid directory = ${join(dir, 'pid')}`,
          `private dir = ${join(dir, 'private')}`,
          `ncalrpc dir = ${join(dir, 'ncalrpc')}`,
          `log file = ${join(dir, 'log.%m')}`,
          '',
        ].join('\n'),
      );
      // nmblookup reads a configuration too: an empty one, not this machine's.
      await writeFile(join(dir, 'client.conf'), '[global]\n');
      const nmbdOut = join(dir, 'nmbd.out');
      const out = openSync(nmbdOut, 'w');
      lab.spawn(
        host,
        '/usr/sbin/nmbd',
        ['--foreground', '--no-process-group', '--debug-stdout', '-s', join(dir, 'smb.conf')],
        { stdio: ['ignore', out, out] },
      );
      closeSync(out); // the child has its own copy
      const dnsLog = join(dir, 'dnsmasq.log');
      lab.spawn(
        host,
        '/usr/sbin/dnsmasq',
        [
          '--keep-in-foreground',
          '--no-resolv',
          '--no-hosts',
          '--conf-file=/dev/null',
          `--listen-address=${NETBIOS_ONLY}`,
          '--bind-interfaces',
          '--user=root',
          `--pid-file=${join(dir, 'dnsmasq.pid')}`,
          `--host-record=${DNS_NAME},${BOTH}`,
          '--bogus-priv',
          `--log-facility=${dnsLog}`,
        ],
        { stdio: 'ignore' },
      );
      // Both log "started" once they listen.
      for (let i = 0; i < 200; i++) {
        const nmbd = await readFile(nmbdOut, 'utf8').catch(() => '');
        const dns = await readFile(dnsLog, 'utf8').catch(() => '');
        if (nmbd.includes('started') && dns.includes('started')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const run = await scannerIn(lab, scanner).scan(
        { targets: `${NETBIOS_ONLY},${BOTH}`, ports: '22' },
        { dnsServers: [NETBIOS_ONLY] },
      );
      result = run.result;
    }, 120_000);

    afterAll(async () => {
      await lab.teardown();
    });

    const host = (address: string): HostResult | undefined =>
      result.hosts.find((h) => h.address === address);

    /** The unique <00> name `nmblookup -A` lists for `address`, asked from the scanner's side. */
    async function nmblookupName(address: string): Promise<string | undefined> {
      const { stdout } = await execIn(scanner, 'nmblookup', [
        '-s',
        join(dir, 'client.conf'),
        '-A',
        address,
      ]);
      const line = stdout.split('\n').find((l) => /<00>\s+-\s+[BHMP]\s/.test(l));
      return line?.trim().split(/\s+/)[0];
    }

    it('names a device that only NetBIOS knows by its workstation name, as nmblookup reads it', async () => {
      expect(await nmblookupName(NETBIOS_ONLY)).toBe(NETBIOS_NAME);
      expect(host(NETBIOS_ONLY)).toMatchObject({
        status: 'up',
        hostname: NETBIOS_NAME,
        hostnameMethod: 'netbios',
      });
    });

    it('prefers the DNS name when both find one', async () => {
      // nmbd answers node status on the other address too: only the DNS name is chosen.
      expect(await nmblookupName(BOTH)).toBe(NETBIOS_NAME);
      expect(host(BOTH)).toMatchObject({ status: 'up', hostname: DNS_NAME, hostnameMethod: 'ptr' });
    });
  },
);
