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
  NetnsLab,
  uniqueName,
} from '../lab/netns.js';
import { afterMountSetup } from '../lab/private-mounts.js';
import { scannerIn } from '../lab/scan-lab.js';

// mDNS names as the engine asks them (ScanManager, its worker thread, a unicast query to the
// device's UDP 5353), of a real avahi-daemon publishing a host name set in the test's
// avahi-daemon.conf, on a host namespace the test makes. The same host runs a real nmbd and, for
// one of its addresses, a real dnsmasq has a PTR name: the order of names is PTR > mDNS >
// NetBIOS. avahi runs without D-Bus (enable-dbus=no) and in its own mount namespace, where its
// fixed pid file (/run/avahi-daemon/pid) is on a tmpfs of its own: it never meets this machine's.
// Needs root, avahi-daemon, nmbd, dnsmasq.

const SCANNER = '10.82.0.1';
/** avahi and nmbd answer for it: the mDNS name wins. */
const MDNS_AND_NETBIOS = '10.82.0.2';
/** avahi and nmbd answer for it, and dnsmasq has its PTR name: the DNS name wins. */
const ALL_THREE = '10.82.0.3';
const MDNS_HOST = 'labprinter16';
const NETBIOS_NAME = 'LABNAS16';
const DNS_NAME = 'printer.lab.test';

describe.runIf(canCreateNamespaces())(
  'mDNS names of the scan’s devices, from a real avahi-daemon',
  () => {
    const lab = new NetnsLab();
    let dir: string;
    let result: ScanResult;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), `pa-mdns-lab-${process.pid}-`));
      lab.onTeardown(() => rm(dir, { recursive: true, force: true }));
      const scanner = await lab.namespace(uniqueName('md', 'sc'));
      const host = await lab.namespace(uniqueName('md', 'h'));
      await createVeth({ ns: scanner, ifName: 'eth0', peerNs: host, peerIfName: 'eth0' });
      await addAddresses(scanner, 'eth0', [`${SCANNER}/24`]);
      await addAddresses(host, 'eth0', [`${MDNS_AND_NETBIOS}/24`, `${ALL_THREE}/24`]);

      await writeFile(
        join(dir, 'avahi-daemon.conf'),
        [
          '[server]',
          `host-name=${MDNS_HOST}`,
          'domain-name=local',
          'use-ipv4=yes',
          'use-ipv6=no',
          'allow-interfaces=eth0',
          'enable-dbus=no',
          '[wide-area]',
          'enable-wide-area=no',
          '[publish]',
          'publish-addresses=yes',
          'publish-hinfo=no',
          'publish-workstation=no',
          '',
        ].join('\n'),
      );
      const avahiOut = join(dir, 'avahi.out');
      const avahiFd = openSync(avahiOut, 'w');
      // avahi-daemon's runtime folder a tmpfs of its own, never the machine's.
      const [unshare, ...avahiArgs] = afterMountSetup(
        'mkdir -p /run/avahi-daemon; mount -t tmpfs none /run/avahi-daemon',
        [
          '/usr/sbin/avahi-daemon',
          '-f',
          join(dir, 'avahi-daemon.conf'),
          '--no-drop-root',
          '--no-chroot',
          '--no-rlimits',
          '--no-proc-title',
        ],
      );
      lab.spawn(host, unshare!, avahiArgs, { stdio: ['ignore', avahiFd, avahiFd] });
      closeSync(avahiFd); // the child has its own copy

      for (const d of ['lock', 'state', 'cache', 'pid', 'private', 'ncalrpc']) {
        await mkdir(join(dir, d));
      }
      await writeFile(
        join(dir, 'smb.conf'),
        [
          '[global]',
          `netbios name = ${NETBIOS_NAME}`,
          'workgroup = LABGROUP16',
          `interfaces = ${MDNS_AND_NETBIOS}/24`,
          'bind interfaces only = yes',
          ...['lock', 'state', 'cache', 'pid'].map((d) => `${d} directory = ${join(dir, d)}`),
          `private dir = ${join(dir, 'private')}`,
          `ncalrpc dir = ${join(dir, 'ncalrpc')}`,
          `log file = ${join(dir, 'log.%m')}`,
          '',
        ].join('\n'),
      );
      const nmbdOut = join(dir, 'nmbd.out');
      const nmbdFd = openSync(nmbdOut, 'w');
      lab.spawn(
        host,
        '/usr/sbin/nmbd',
        ['--foreground', '--no-process-group', '--debug-stdout', '-s', join(dir, 'smb.conf')],
        { stdio: ['ignore', nmbdFd, nmbdFd] },
      );
      closeSync(nmbdFd);

      const dnsLog = join(dir, 'dnsmasq.log');
      lab.spawn(
        host,
        '/usr/sbin/dnsmasq',
        [
          '--keep-in-foreground',
          '--no-resolv',
          '--no-hosts',
          '--conf-file=/dev/null',
          `--listen-address=${MDNS_AND_NETBIOS}`,
          '--bind-interfaces',
          '--user=root',
          `--pid-file=${join(dir, 'dnsmasq.pid')}`,
          `--host-record=${DNS_NAME},${ALL_THREE}`,
          '--bogus-priv',
          `--log-facility=${dnsLog}`,
        ],
        { stdio: 'ignore' },
      );
      // avahi says "Server startup complete" once its name is published; the others "started".
      for (let i = 0; i < 300; i++) {
        const avahi = await readFile(avahiOut, 'utf8').catch(() => '');
        const nmbd = await readFile(nmbdOut, 'utf8').catch(() => '');
        const dns = await readFile(dnsLog, 'utf8').catch(() => '');
        if (
          avahi.includes('Server startup complete') &&
          nmbd.includes('started') &&
          dns.includes('started')
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const run = await scannerIn(lab, scanner).scan(
        { targets: `${MDNS_AND_NETBIOS},${ALL_THREE}`, ports: '22' },
        { dnsServers: [MDNS_AND_NETBIOS] },
      );
      result = run.result;
    }, 120_000);

    afterAll(async () => {
      await lab.teardown();
    });

    const host = (address: string): HostResult | undefined =>
      result.hosts.find((h) => h.address === address);

    it('names the device by the host name avahi publishes, before its NetBIOS name', async () => {
      const published = await readFile(join(dir, 'avahi.out'), 'utf8');
      expect(published).toContain(`Host name is ${MDNS_HOST}.local.`);
      expect(host(MDNS_AND_NETBIOS)).toMatchObject({
        status: 'up',
        hostname: `${MDNS_HOST}.local`,
        hostnameMethod: 'mdns',
      });
    });

    it('prefers the DNS name to both', () => {
      expect(host(ALL_THREE)).toMatchObject({
        status: 'up',
        hostname: DNS_NAME,
        hostnameMethod: 'ptr',
      });
    });
  },
);
