import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleList, parseStatus } from '../../app/firewall/netsh.js';
import { parseInstallLocation } from '../../app/firewall/windows-install.js';
import { parseNetNeighbor } from '../../app/scan/neighbours.js';
import { parseWindowsAdapters } from '../../app/system/adapters.js';
import { parseWindowsListeners } from '../../app/system/windows.js';
import { parseOwner, parseWhoamiUser } from '../../app/store/windows-folder.js';
import type { CorpusMetadata } from '../../scripts/windows/corpus-metadata.js';

/**
 * Replays the Windows corpus: outputs recorded on real Windows PCs by
 * scripts/windows/record-corpus.ps1 (with where and how they were captured), and hand-written
 * ones that say `synthetic` and why. Every file must parse the way the app parses that command.
 */
const DIR = path.resolve(__dirname, '../fixtures/windows-recorded');

interface Recorded {
  case: string;
  capture?: CorpusMetadata & { recordedAt: string };
  synthetic?: string;
  argv: string[];
  /** Data the command received through its environment (LIST_NAMED_SCRIPT's rule names). */
  env?: Record<string, string>;
  exitCode: number;
  stdoutBase64: string;
  stderrBase64: string;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

/** What the app does with each command's output. */
const PARSERS: Record<string, (r: Recorded, stdout: Buffer) => void> = {
  status: (_r, out) => {
    const status = parseStatus(out.toString('utf8'));
    expect(status.profiles.length).toBeGreaterThan(0);
    // ActiveCategories read (one network is an array of one): the active profile is known.
    const active = status.profiles.map((p) => p.active);
    if (!active.every((a) => a === null)) expect(active).toContain(true);
  },
  // Only the names asked for come back (the recorder asks for one no PC has: an empty list).
  'list-named': (r, out) => {
    const asked = (r.env?.PORT_AUDITOR_RULE_NAMES ?? '').split(',');
    expect(r.exitCode).toBe(0);
    for (const rule of parseRuleList(out.toString('utf8'))) expect(asked).toContain(rule.Name);
  },
  'list-all': (_r, out) => {
    for (const rule of parseRuleList(out.toString('utf8')))
      expect(rule.Name).toMatch(/^PortAuditor-/);
  },
  listeners: (_r, out) => {
    expect(parseWindowsListeners(out.toString('utf8')).platform).toBe('win32');
  },
  // Decided by the exit code alone, whatever the language: 1 when no rule matches.
  'netsh-show-none': (r) => expect(r.exitCode).toBe(1),
  'reg-install-location': (r, out) => {
    if (r.exitCode === 0) expect(parseInstallLocation(out.toString('latin1'))).toMatch(/^[A-Z]:\\/);
  },
  'reg-program-files': (_r, out) =>
    expect(parseInstallLocation(out.toString('latin1'), 'ProgramFilesDir')).toMatch(/^[A-Z]:\\/),
  'arp-a': (r) => expect(r.exitCode).toBe(0),
  neighbours: (_r, out) => {
    for (const [address, entry] of parseNetNeighbor(out.toString('utf8'))) {
      // Broadcast and multicast entries are Permanent in the cache but are no device.
      if (/^(ff|22[4-9]|23\d|255\.)/.test(address)) expect(entry.state, address).toBe('absent');
      if (entry.state !== 'absent')
        expect(entry.mac, address).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    }
  },
  // The data folder check (review 13 A8): this user's SID, whatever the code page of the name.
  'whoami-user': (_r, out) =>
    expect(parseWhoamiUser(out.toString('utf8'))?.sid).toMatch(/^S-1-5-21(-\d+){4}$/),
  // Only the exit code is read.
  'icacls-restrict': (r) => expect(r.exitCode).toBe(0),
  'folder-owner': (_r, out) => {
    const owner = parseOwner(out.toString('utf8'));
    expect(owner?.sid).toMatch(/^S-1-5-21(-\d+){4}$/);
    expect(owner?.name).not.toMatch(/^\uFEFF|\r/);
  },
  adapters: (_r, out) => {
    const adapters = parseWindowsAdapters(out.toString('utf8'));
    expect(adapters.length).toBeGreaterThan(0);
    for (const a of adapters) expect(a.name).not.toBe('');
  },
};

describe('the recorded Windows corpus', () => {
  it('has files, each saying where it comes from: a capture, or synthetic with the reason', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const r = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Recorded;
      if (r.capture) {
        expect(r.capture.PSVersion, file).toMatch(/^5\.1\./);
        expect(r.capture.PSVersionTable.PSEdition, file).toBe('Desktop');
        expect(typeof r.capture.CodePage, file).toBe('number');
        expect(file.startsWith(`${r.capture.Build}-${r.capture.UICulture}-`), file).toBe(true);
      } else {
        expect(
          r.synthetic,
          `${file}: no capture metadata, so it must say synthetic and why`,
        ).toMatch(/\w{10,}/);
      }
      expect(Object.keys(PARSERS), file).toContain(r.case);
    }
  });

  it.each(files)('%s parses as the app parses it', (file) => {
    const r = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Recorded;
    PARSERS[r.case]?.(r, Buffer.from(r.stdoutBase64, 'base64'));
  });
});
