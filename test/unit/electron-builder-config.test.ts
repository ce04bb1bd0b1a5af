import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { LINUX_HELPER } from '../../app/firewall/helper-install.js';
import { WINDOWS_APP_EXE, WINDOWS_APP_GUID } from '../../app/firewall/windows-install.js';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util/out/DebugLogger.js') as {
  DebugLogger: new (enabled: boolean) => unknown;
};

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  asar: boolean;
  electronFuses: Record<string, boolean>;
  win: { icon: string; target: { target: string }[] };
  nsis: {
    perMachine: boolean;
    allowElevation: boolean;
    oneClick: boolean;
    guid: string;
    allowToChangeInstallationDirectory: boolean;
  };
  linux: { icon: string; target: string[] };
  deb: { depends: string[]; fpm: string[] };
}

const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

function pngSize(file: string): [number, number] {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it('is accepted by electron-builder’s own schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('installs per machine in Program Files, where the app UAC elevates cannot be replaced', () => {
    expect(config.productName).toBe('Port Auditor');
    expect(`${config.productName}.exe`).toBe(WINDOWS_APP_EXE);
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z-]+)+$/);
    expect(config.directories).toEqual({ output: 'release', buildResources: 'assets' });
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis', 'portable']);
    expect(config.nsis).toMatchObject({
      perMachine: true,
      allowElevation: true,
      allowToChangeInstallationDirectory: false,
      guid: WINDOWS_APP_GUID,
    });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('locks the Electron runtime down: asar with integrity, no run-as-node, no NODE_OPTIONS or inspector', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('the .deb ships the root-owned helper and its polkit actions where the app looks for them', () => {
    expect(config.deb.fpm).toEqual([
      `build/linux-root${LINUX_HELPER.dir}/=${LINUX_HELPER.dir}/`,
      `build/linux-root${LINUX_HELPER.policy}=${LINUX_HELPER.policy}`,
      `build/linux-root${LINUX_HELPER.packagedUnitFile}=${LINUX_HELPER.packagedUnitFile}`,
      `build/linux-root${LINUX_HELPER.unitWants}=${LINUX_HELPER.unitWants}`,
      `build/linux-root${LINUX_HELPER.unitWantsNftables}=${LINUX_HELPER.unitWantsNftables}`,
    ]);
    expect(config.deb.depends).toEqual(
      expect.arrayContaining(['nodejs (>= 18)', 'pkexec | policykit-1']),
    );
  });

  it('points at real icons: a 512×512 PNG set and a multi-size .ico', () => {
    expect(pngSize(`${config.linux.icon}/512x512.png`)).toEqual([512, 512]);
    expect(pngSize(`${config.linux.icon}/256x256.png`)).toEqual([256, 256]);
    const ico = readFileSync(config.win.icon);
    expect(ico.readUInt16LE(2)).toBe(1); // icon type
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });
});
