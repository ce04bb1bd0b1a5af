import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain } from '../../scripts/build-main.mjs';
import { startMountSandbox, type MountSandbox } from '../lab/mount-sandbox.js';
import { run } from '../lab/netns.js';

/**
 * `sudo npm run install-helper` from a checkout, for real, as root: the checkout is a copy of this
 * one in a folder only root can write (/opt/pa-checkout-<pid>, a tmpfs of a private mount
 * namespace), installing into /usr/lib/port-auditor and polkit's folder, tmpfs there too. Then a
 * user's hand in the checkout (a folder of the user's, a link out of it, a package of node_modules
 * of the user's, a file others can write) makes the install refuse, naming the path, and nothing is
 * installed from it.
 */
const ROOT = path.resolve(__dirname, '../..');
const outdir = path.join(ROOT, 'dist', `test-install-${process.pid}`, 'main');
const CHECKOUT = `/opt/pa-checkout-${process.pid}`;
const NOBODY = '65534:65534';
let mounts: MountSandbox;

async function asRoot(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, ...args] = mounts.enter(['/bin/sh', '-c', script]);
  return run(file as string, args).then(
    (r) => ({ code: 0, ...r }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }),
  );
}

const install = () =>
  asRoot(
    `cd ${CHECKOUT} && env LC_ALL= LC_MESSAGES= LANG=en_US.UTF-8 ${process.execPath} --import tsx scripts/install-helper.ts`,
  );

beforeAll(async () => {
  await buildMain({ only: ['firewall-helper.mjs'], outdir });
  mounts = await startMountSandbox(
    ['/usr/lib/port-auditor', '/usr/share/polkit-1/actions', '/var/lib/port-auditor', CHECKOUT],
    new Set(['/usr/share/polkit-1/actions']),
  );
  // Filled from inside the sandbox, where the tmpfs is: what running the install needs, and a
  // node_modules of root's (one link per package into this checkout's own).
  const copy = await asRoot(
    [
      `cd ${ROOT}`,
      `cp -a package.json tsconfig.json tsconfig.base.json tsconfig.node.json scripts app assets ${CHECKOUT}/`,
      `mkdir -p ${CHECKOUT}/dist/main ${CHECKOUT}/node_modules`,
      `cp ${outdir}/firewall-helper.mjs ${CHECKOUT}/dist/main/`,
      `for p in ${ROOT}/node_modules/* ${ROOT}/node_modules/.bin; do ln -s "$p" ${CHECKOUT}/node_modules/; done`,
    ].join(' && '),
  );
  expect(copy).toMatchObject({ code: 0, stderr: '' });
});

afterAll(async () => {
  await mounts?.close();
  rmSync(path.dirname(outdir), { recursive: true, force: true });
});

describe('install-helper refuses a checkout another user could have changed', () => {
  it('installs from a checkout that is root’s alone', async () => {
    const done = await install();
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('Firewall administration helper installed');
    const installed = await asRoot('cat /usr/lib/port-auditor/firewall-helper');
    expect(installed.stdout).toBe(
      readFileSync(path.join(ROOT, 'assets/linux/firewall-helper'), 'utf8'),
    );
  });

  const evil = '#!/bin/sh\nid > /tmp/owned\n';
  const cases: [string, string, string, string][] = [
    [
      'a folder of the copied files owned by a user',
      `chown -R ${NOBODY} ${CHECKOUT}/assets && printf '${evil}' > ${CHECKOUT}/assets/linux/firewall-helper`,
      `${CHECKOUT}/assets/linux/firewall-helper is not owned by root`,
      `chown -R 0:0 ${CHECKOUT}/assets && cp ${ROOT}/assets/linux/firewall-helper ${CHECKOUT}/assets/linux/firewall-helper`,
    ],
    [
      'a copied file that is a link out of the checkout',
      `printf '${evil}' > /tmp/pa-evil-${process.pid} && ln -sf /tmp/pa-evil-${process.pid} ${CHECKOUT}/assets/linux/firewall-helper`,
      `${CHECKOUT}/assets/linux/firewall-helper is a link that leads out of the folder`,
      `rm -f /tmp/pa-evil-${process.pid} ${CHECKOUT}/assets/linux/firewall-helper && cp ${ROOT}/assets/linux/firewall-helper ${CHECKOUT}/assets/linux/firewall-helper`,
    ],
    [
      'a package of node_modules that is a user’s',
      `rm ${CHECKOUT}/node_modules/ipaddr.js && cp -r ${ROOT}/node_modules/ipaddr.js ${CHECKOUT}/node_modules/ && chown -R ${NOBODY} ${CHECKOUT}/node_modules/ipaddr.js`,
      `${CHECKOUT}/node_modules/ipaddr.js is not owned by root`,
      `rm -rf ${CHECKOUT}/node_modules/ipaddr.js && ln -s ${ROOT}/node_modules/ipaddr.js ${CHECKOUT}/node_modules/ipaddr.js`,
    ],
    [
      'a source root runs that others can write',
      `chmod o+w ${CHECKOUT}/app/firewall/helper-install.ts`,
      `${CHECKOUT}/app/firewall/helper-install.ts is writable by users other than root`,
      `chmod o-w ${CHECKOUT}/app/firewall/helper-install.ts`,
    ],
  ];

  it.each(cases)(
    'refuses %s, naming it, and installs nothing from it',
    async (_, spoil, why, mend) => {
      expect((await asRoot(spoil)).code).toBe(0);
      try {
        const refused = await install();
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(`Installation refused: ${why}.`);
        expect(refused.stderr).toContain('node_modules included');
        const installed = await asRoot('cat /usr/lib/port-auditor/firewall-helper');
        expect(installed.stdout).not.toContain('/tmp/owned');
      } finally {
        expect((await asRoot(mend)).code).toBe(0);
      }
    },
  );

  it('installs again once the checkout is root’s alone again', async () => {
    expect((await install()).code).toBe(0);
  });
});
