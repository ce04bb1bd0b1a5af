import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../app/errors.js';
import { NetshBackend } from '../../app/firewall/netsh.js';
import { ownScopeEntries, thisPcAddressSet } from '../../app/firewall/own-scope.js';
import { FirewallService } from '../../app/firewall/service.js';
import { SYSTEM32 } from './support/powershell.js';
import { WindowsStandIn } from './support/windows-stand-in.js';

/**
 * A remote scope naming this PC itself blocks nothing (its traffic with itself is loopback, never
 * filtered): the service refuses it, for the CLI and the wizard alike, before any preview.
 */
const OWN = new Set(['10.68.214.1', 'fd68::1']);
const dirs: string[] = [];
const services: FirewallService[] = [];

function service(): { service: FirewallService; windows: WindowsStandIn } {
  const windows = new WindowsStandIn();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pa-fw-own-'));
  dirs.push(dataDir);
  const s = new FirewallService({
    dataDir,
    platform: 'win32',
    backend: new NetshBackend(windows.run, { system32: SYSTEM32 }),
    run: async (argv, o) =>
      argv[0]?.endsWith('reg.exe') ? { code: 1, stdout: '', stderr: '' } : windows.run(argv, o),
    ownAddresses: () => OWN,
  });
  services.push(s);
  return { service: s, windows };
}

async function refusal(promise: Promise<unknown>): Promise<AppFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppFailure);
  return error as AppFailure;
}

afterEach(() => {
  for (const s of services.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a remote scope that is this PC', () => {
  it('loopback and this PC’s single addresses are found; networks and other devices are not', () => {
    expect(
      ownScopeEntries(
        [
          '127.0.0.1',
          '127.8.9.10',
          '::1',
          '10.68.214.1',
          'fd68::1',
          '10.68.214.0/24',
          '10.68.214.7',
        ],
        OWN,
      ),
    ).toEqual(['127.0.0.1', '127.8.9.10', '::1', '10.68.214.1', 'fd68::1']);
    expect(ownScopeEntries([], OWN)).toEqual([]);
    // A network wholly inside loopback is this PC too; one that only starts there is not.
    expect(ownScopeEntries(['127.0.0.0/8', '127.1.0.0/16', '64.0.0.0/2'], OWN)).toEqual([
      '127.0.0.0/8',
      '127.1.0.0/16',
    ]);
    // This machine's own list holds its loopback address, canonical, without zones.
    const here = thisPcAddressSet();
    expect(here.has('127.0.0.1')).toBe(true);
    expect([...here].some((a) => a.includes('%'))).toBe(false);
  });

  it('preview and block refuse it with the addresses and the way out, in both languages; nothing runs', async () => {
    const { service: s, windows } = service();
    const one = await refusal(s.preview({ protocol: 'tcp', port: 23, remote: '10.68.214.1' }));
    expect(one.appError.code).toBe('firewall.own-address');
    expect(one.appError.message.fr).toBe(
      '10.68.214.1 est une adresse de ce PC, pas d’un autre appareil : le trafic de ce PC avec lui-même n’est jamais filtré, une règle limitée à cette adresse ne changerait rien. Rien n’a été modifié. Pour bloquer les autres appareils, n’indiquez pas d’adresse, ou indiquez les leurs.',
    );
    expect(one.appError.message.en).toContain(
      '10.68.214.1 is an address of this PC, not of another device',
    );
    // Mapped and compatible forms are the same address (one canonicaliser), and a mix is refused
    // whole: the sentence "devices at … can no longer connect" would be false for part of it.
    const two = await refusal(
      s.block({ protocol: 'tcp', port: 23, remote: '10.77.0.9,::ffff:127.0.0.1,::10.68.214.1' }),
    );
    expect(two.appError.message.fr).toMatch(
      /^127\.0\.0\.1 et 10\.68\.214\.1 sont des adresses de ce PC, pas d’autres appareils/,
    );
    expect(two.appError.message.en).toMatch(/^127\.0\.0\.1 and 10\.68\.214\.1 are addresses/);
    expect(windows.helperArgv).toEqual([]);
    expect(s.knownRules()).toEqual([]);
    // Another device, or a network that holds this PC's address, is a scope like any other.
    await expect(
      s.preview({ protocol: 'tcp', port: 23, remote: '10.68.214.0/24' }),
    ).resolves.toMatchObject({ request: { remote: ['10.68.214.0/24'] } });
  });
});
