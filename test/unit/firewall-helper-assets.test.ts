import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { READ_ONLY_FLAG } from '../../app/firewall/helper-argv.js';
import { LINUX_HELPER, POLKIT_ACTIONS } from '../../app/firewall/helper-install.js';

const require = createRequire(import.meta.url);
const { XMLParser } = require('fast-xml-parser') as typeof import('fast-xml-parser');

describe('the Linux helper as installed: wrappers and polkit actions name the paths the app checks', () => {
  it('each wrapper execs the installed runtime on the installed bundle, the reader in read-only mode', () => {
    const exec = (file: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('exec '));
    expect(exec('assets/linux/firewall-helper')).toEqual([
      `exec ${LINUX_HELPER.runtime} ${LINUX_HELPER.bundle} "$@"`,
    ]);
    expect(exec('assets/linux/firewall-read')).toEqual([
      `exec ${LINUX_HELPER.runtime} ${LINUX_HELPER.bundle} ${READ_ONLY_FLAG} "$@"`,
    ]);
    for (const file of ['assets/linux/firewall-helper', 'assets/linux/firewall-read']) {
      expect(readFileSync(file, 'utf8').startsWith('#!/bin/sh\n')).toBe(true);
      expect(statSync(file).mode & 0o111).not.toBe(0);
    }
  });

  it('one action per program: changes need an administrator (kept a while), reads only an active session', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync('assets/linux/org.portauditor.firewall.policy', 'utf8'),
    ) as {
      policyconfig: {
        action: {
          id: string;
          message: (string | { '#text': string; 'xml:lang': string })[];
          defaults: Record<string, string>;
          annotate: { key: string; '#text': string };
        }[];
      };
    };
    const actions = Object.fromEntries(doc.policyconfig.action.map((a) => [a.id, a]));
    expect(Object.keys(actions)).toEqual([POLKIT_ACTIONS.change, POLKIT_ACTIONS.read]);
    const change = actions[POLKIT_ACTIONS.change]!;
    expect(change.annotate).toEqual({
      key: 'org.freedesktop.policykit.exec.path',
      '#text': LINUX_HELPER.change,
    });
    expect(change.defaults).toEqual({
      allow_any: 'auth_admin',
      allow_inactive: 'auth_admin',
      allow_active: 'auth_admin_keep',
    });
    // The prompt names the change: pkexec's command line is the operations themselves.
    expect(change.message.map((m) => (typeof m === 'string' ? m : m['#text']))).toEqual([
      expect.stringContaining('$(command_line)'),
      expect.stringContaining('$(command_line)'),
    ]);
    const read = actions[POLKIT_ACTIONS.read]!;
    expect(read.annotate['#text']).toBe(LINUX_HELPER.read);
    expect(read.defaults).toEqual({ allow_any: 'no', allow_inactive: 'no', allow_active: 'yes' });
  });

  it('every npm script that runs the installer as tsx does so without tsx’s disk cache', () => {
    // The cache lives in a shared temporary folder any user could prepare; root (sudo npm run …)
    // would then run what it holds.
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    const runs = Object.entries(scripts).flatMap(([name, line]) =>
      line
        .split('&&')
        .map((step) => step.trim())
        .filter((step) => /\btsx scripts\/install-helper\.ts/.test(step))
        .map((step) => [name, step.split(' tsx ')[0]]),
    );
    expect(runs).toEqual([
      ['install-helper', 'TSX_DISABLE_CACHE=1'],
      ['dist', 'TSX_DISABLE_CACHE=1'],
    ]);
  });

  it('the boot unit restores with the installed helper and never holds the network back long', () => {
    const unit = readFileSync(`assets/linux/${LINUX_HELPER.unit}`, 'utf8');
    const lines = unit.split('\n').filter((l) => !l.startsWith('#'));
    expect(lines).toContain(`ExecStart=${LINUX_HELPER.change} restore`);
    expect(lines).toContain('Before=network-pre.target');
    expect(lines).toContain('TimeoutStartSec=60s');
  });

  it('the boot unit follows nftables: a reload, a restart or a start after a stop puts the rules back', () => {
    const unit = readFileSync(`assets/linux/${LINUX_HELPER.unit}`, 'utf8');
    const lines = unit.split('\n').filter((l) => !l.startsWith('#'));
    // `systemctl restart nftables` restarts the unit (after nftables: After=); a reload reloads it.
    expect(lines).toContain('PartOf=nftables.service');
    expect(lines).toContain('ReloadPropagatedFrom=nftables.service');
    expect(lines).toContain(`ExecReload=${LINUX_HELPER.change} restore`);
    expect(lines.find((l) => l.startsWith('After='))?.split(/[= ]/)).toContain('nftables.service');
    // Enabled, it is wanted by nftables too: the second link `systemctl enable` makes (and the .deb ships).
    const wantedBy = lines.find((l) => l.startsWith('WantedBy='))?.slice('WantedBy='.length);
    expect(wantedBy?.split(' ').sort()).toEqual(['multi-user.target', 'nftables.service']);
    expect(LINUX_HELPER.unitWantsNftables).toBe(
      `/etc/systemd/system/nftables.service.wants/${LINUX_HELPER.unit}`,
    );
  });
});
