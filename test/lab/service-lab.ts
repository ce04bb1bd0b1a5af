import { mkdir, mkdtemp, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAddresses, createVeth, execIn, NetnsLab, run, uniqueName } from './netns.js';
import { scannerIn, type ScanLab } from './scan-lab.js';

/**
 * The service-detection lab (issue 16): a scanner namespace and a host namespace joined by one
 * veth, the host running Debian's real daemons: sshd (openssh-server) on 22, nginx (nginx-light)
 * on 80 (`/` redirects to LAB_REDIRECT) and on 443 with a self-signed certificate the lab makes
 * with openssl (subject CN LAB_CERT_CN). Needs root and the packages of .ci/run.
 */

export const SERVICE_SCANNER = '10.81.0.1';
export const SERVICE_HOST = '10.81.0.2';
export const SERVICE_PORTS = { ssh: 22, http: 80, https: 443 };
export const LAB_CERT_CN = 'selfsigned.lab.test';
export const LAB_REDIRECT = 'http://lab.test/start';

export interface ServiceLab {
  scanner: string;
  /** The lab certificate's notAfter, as openssl prints it ("Jan  1 00:00:00 2027 GMT"). */
  certNotAfter: string;
  /** A whole scan through the ScanManager from the scanner namespace. */
  engine: Pick<ScanLab, 'scan'>;
  teardown(): Promise<void>;
}

/** sshd's privilege separation directory (Debian's unit makes it as RuntimeDirectory). */
const SSHD_RUN = '/run/sshd';

export async function createServiceLab(area = 'svc'): Promise<ServiceLab> {
  const lab = new NetnsLab();
  try {
    const scanner = await lab.namespace(uniqueName(area, 'sc'));
    const host = await lab.namespace(uniqueName(area, 'h'));
    await createVeth({ ns: scanner, ifName: 'eth0', peerNs: host, peerIfName: 'eth0' });
    await addAddresses(scanner, 'eth0', [`${SERVICE_SCANNER}/24`]);
    await addAddresses(host, 'eth0', [`${SERVICE_HOST}/24`]);
    await execIn(host, 'ip', ['link', 'set', 'lo', 'up']);

    const dir = await mkdtemp(join(tmpdir(), `pa-svc-lab-${process.pid}-`));
    lab.onTeardown(() => rm(dir, { recursive: true, force: true }));

    // sshd refuses to start without its privilege separation directory: made when missing (as
    // systemd would), removed again by the teardown if this lab made it and it is empty.
    const hadRun = await stat(SSHD_RUN).then(
      () => true,
      () => false,
    );
    if (!hadRun) {
      await mkdir(SSHD_RUN, { mode: 0o755, recursive: true });
      lab.onTeardown(() => rmdir(SSHD_RUN).catch(() => undefined));
    }
    const hostKey = join(dir, 'ssh_host_ed25519_key');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    lab.spawn(
      host,
      '/usr/sbin/sshd',
      [
        '-D',
        '-e',
        '-f',
        '/dev/null',
        '-h',
        hostKey,
        '-o',
        `ListenAddress=${SERVICE_HOST}:${SERVICE_PORTS.ssh}`,
        '-o',
        'PidFile=none',
      ],
      { stdio: 'ignore' },
    );
    const cert = join(dir, 'lab.crt');
    const key = join(dir, 'lab.key');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      `/CN=${LAB_CERT_CN}`,
    ]);
    const notAfter = (await run('openssl', ['x509', '-in', cert, '-noout', '-enddate'])).stdout
      .trim()
      .replace(/^notAfter=/, '');
    const conf = join(dir, 'nginx.conf');
    await writeFile(
      conf,
      [
        'daemon off;',
        'master_process off;',
        'user root;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'nginx-error.log')};`,
        'events {}',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `  ${kind}_temp_path ${join(dir, `${kind}-temp`)};`,
        ),
        `  server { listen ${SERVICE_HOST}:${SERVICE_PORTS.http}; location = / { return 301 ${LAB_REDIRECT}; } }`,
        `  server { listen ${SERVICE_HOST}:${SERVICE_PORTS.https} ssl; ssl_certificate ${cert};` +
          ` ssl_certificate_key ${key}; location / { return 200; } }`,
        '}',
        '',
      ].join('\n'),
    );
    lab.spawn(host, '/usr/sbin/nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
    await waitForListeners(host, Object.values(SERVICE_PORTS));
    return {
      scanner,
      certNotAfter: notAfter,
      engine: scannerIn(lab, scanner),
      teardown: () => lab.teardown(),
    };
  } catch (error) {
    await lab.teardown();
    throw error;
  }
}

/** Waits until every port of `ports` has a TCP socket listening in `ns` (ss -tln), up to 20 s. */
async function waitForListeners(ns: string, ports: readonly number[]): Promise<void> {
  let missing: number[] = [...ports];
  for (let i = 0; i < 200 && missing.length > 0; i++) {
    const { stdout } = await execIn(ns, 'ss', ['-H', '-t', '-l', '-n']);
    const bound = new Set([...stdout.matchAll(/:(\d+)\s/g)].map((m) => Number(m[1])));
    missing = ports.filter((port) => !bound.has(port));
    if (missing.length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (missing.length > 0) throw new Error(`service lab: nothing listens on ${missing.join(', ')}`);
}

/**
 * The version of an installed Debian package as dpkg knows it, split as deb-version(7) writes it
 * (`[epoch:]upstream[-revision]`): "1:9.2p1-2+deb12u10" → {upstream: "9.2p1", revision:
 * "2+deb12u10"}.
 */
export async function debianPackageVersion(
  pkg: string,
): Promise<{ upstream: string; revision: string }> {
  const { stdout } = await run('dpkg-query', ['-W', '-f', '${Version}', pkg]);
  const match = /^(?:\d+:)?(.+)-([^-]+)$/.exec(stdout.trim());
  if (!match) throw new Error(`unexpected version of ${pkg}: ${stdout}`);
  return { upstream: match[1]!, revision: match[2]! };
}
