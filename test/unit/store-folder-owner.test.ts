import { chownSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountWords, passwdName } from '../../app/store/account-name.js';
import { openDatabase } from '../../app/store/database.js';
import { StoreFailure } from '../../app/store/failure.js';
import { dataFolderOwner } from '../../app/store/private-files.js';
import {
  ownerCommand,
  restrictCommand,
  whoamiCommand,
  windowsForeignOwner,
  type FolderCommand,
} from '../../app/store/windows-folder.js';
import { useDataDirPerTest } from './support/own-data-dir.js';
import { thrownBy } from './support/thrown.js';

const SYSTEM32 = 'C:\\Windows\\System32';
const FOLDER = 'C:\\Users\\René\\AppData\\Roaming\\Port Auditor';

const dataDir = useDataDirPerTest('owner');

describe('the account owning another user’s data folder is named (review 13 A8, POSIX)', () => {
  const PASSWD = [
    'root:x:0:0:root:/root:/bin/bash',
    '# a comment line:x:1001:',
    'broken:x:1001',
    'bob:x:1001:1001:Bob,,,:/home/bob:/bin/bash',
    'bob2:x:1001:1001::/home/bob2:/bin/sh',
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  ].join('\n');

  it('reads the login name of a uid from passwd(5) lines, the first account of that uid', () => {
    expect(passwdName(PASSWD, 1001)).toBe('bob');
    expect(passwdName(PASSWD, 65534)).toBe('nobody');
    expect(passwdName(PASSWD, 4242)).toBeNull();
    expect(passwdName('', 0)).toBeNull();
  });

  it('names the account with its uid, or the uid alone when no line or no file names it', () => {
    expect(accountWords(1001, () => PASSWD)).toBe('bob, uid 1001');
    expect(accountWords(4242, () => PASSWD)).toBe('uid 4242');
    expect(
      accountWords(1001, () => {
        throw new Error('EACCES');
      }),
    ).toBe('uid 1001');
  });

  it('a folder of an account this machine lists (nobody) is refused with its name, fr and en', () => {
    const nobody = passwdName(readFileSync('/etc/passwd', 'utf8'), 65_534);
    expect(nobody).toBe('nobody');
    chownSync(dataDir(), 65_534, 65_534);
    const error = thrownBy(() => openDatabase(dataDir()).close());
    expect(error).toBeInstanceOf(StoreFailure);
    const failure = error as StoreFailure;
    expect(failure.code).toBe('store.foreign-owner');
    expect(failure.written?.en).toContain(
      `Port Auditor’s data folder belongs to another user account (nobody, uid 65534), which could replace the database in it: ${dataDir()}.`,
    );
    expect(failure.written?.fr).toContain(
      `Le dossier de données de Port Auditor appartient à un autre compte (nobody, uid 65534), qui pourrait remplacer la base de données qu’il contient\u00a0: ${dataDir()}.`,
    );
  });

  it('the passwd reader given decides the name; this user’s folder is nobody else’s', () => {
    chownSync(dataDir(), 1001, 1001);
    expect(
      dataFolderOwner(dataDir(), false, { platform: 'linux', uid: 0, readPasswd: () => PASSWD }),
    ).toBe('bob, uid 1001');
    expect(dataFolderOwner(dataDir(), false, { platform: 'linux', uid: 1001 })).toBeNull();
  });
});

/** Outputs of the recorded Windows corpus (synthetic, see each file's `synthetic`). */
function recorded(name: string): { stdout: string; exitCode: number } {
  const r = JSON.parse(
    readFileSync(path.resolve(__dirname, '../fixtures/windows-recorded', name), 'utf8'),
  ) as { stdoutBase64: string; exitCode: number };
  return { stdout: Buffer.from(r.stdoutBase64, 'base64').toString('utf8'), exitCode: r.exitCode };
}

/** Answers each program from the corpus by its file name, noting every argv run. */
function corpus(owner = 'synthetic-en-US-folder-owner.json') {
  const ran: FolderCommand[] = [];
  const run = (command: FolderCommand) => {
    ran.push(command);
    const program = path.win32.basename(command.argv[0] ?? '').toLowerCase();
    const out = recorded(
      program === 'whoami.exe'
        ? 'synthetic-fr-FR-whoami-user.json'
        : program === 'icacls.exe'
          ? 'synthetic-fr-FR-icacls-restrict.json'
          : owner,
    );
    if (out.exitCode !== 0) throw new Error(`exit ${out.exitCode}`);
    return out.stdout;
  };
  return { ran, run };
}

const ME = 'S-1-5-21-3623811015-3361044348-30300820-1013';

describe('Windows: the data folder is this user’s alone (review 13 A8)', () => {
  it('argv: whoami, icacls and PowerShell by absolute path, the folder as one argument, no shell', () => {
    expect(whoamiCommand(SYSTEM32).argv).toEqual([
      'C:\\Windows\\System32\\whoami.exe',
      '/user',
      '/fo',
      'csv',
      '/nh',
    ]);
    expect(restrictCommand(FOLDER, ME, SYSTEM32).argv).toEqual([
      'C:\\Windows\\System32\\icacls.exe',
      FOLDER,
      '/inheritance:r',
      '/grant:r',
      `*${ME}:(OI)(CI)F`,
    ]);
    const owner = ownerCommand(FOLDER, SYSTEM32);
    expect(owner.argv[0]).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    // The folder reaches the script through the environment, never spliced into it.
    expect(owner.argv.join(' ')).not.toContain(FOLDER);
    expect(owner.argv.at(-1)).toContain('Get-Acl -LiteralPath $env:PA_FOLDER');
    expect(owner.env?.PA_FOLDER).toBe(FOLDER);
    // The user's environment never reaches them (minimalWindowsEnv).
    expect(owner.env?.PATH).toBe('C:\\Windows\\System32;C:\\Windows;C:\\Windows\\System32\\Wbem');
  });

  it('a folder made now is restricted to this user’s SID read from whoami; its owner is not read', () => {
    const { ran, run } = corpus();
    expect(windowsForeignOwner(FOLDER, true, run)).toBeNull();
    expect(ran.map((c) => path.win32.basename(c.argv[0] ?? ''))).toEqual([
      'whoami.exe',
      'icacls.exe',
    ]);
    expect(ran[1]?.argv.at(-1)).toBe(`*${ME}:(OI)(CI)F`);
  });

  it('a folder another account owns is refused with that account’s name', () => {
    const { ran, run } = corpus();
    expect(windowsForeignOwner(FOLDER, false, run)).toBe('DESKTOP-7Q2\\Invité');
    expect(ran.map((c) => path.win32.basename(c.argv[0] ?? ''))).toEqual([
      'whoami.exe',
      'powershell.exe',
    ]);
    // Through the store opener's check, as openDatabase calls it on Windows.
    expect(dataFolderOwner(FOLDER, false, { platform: 'win32', run: corpus().run })).toBe(
      'DESKTOP-7Q2\\Invité',
    );
  });

  it('this user’s folder, SYSTEM’s or Administrators’, or an unreadable answer, is not refused', () => {
    const answer = (stdout: string) => (command: FolderCommand) =>
      command.argv[0]?.endsWith('whoami.exe')
        ? recorded('synthetic-fr-FR-whoami-user.json').stdout
        : stdout;
    expect(windowsForeignOwner(FOLDER, false, answer(`${ME}\r\nPC-DE-RENE\\rené\r\n`))).toBeNull();
    expect(
      windowsForeignOwner(FOLDER, false, answer('S-1-5-18\r\nNT AUTHORITY\\SYSTEM\r\n')),
    ).toBeNull();
    expect(
      windowsForeignOwner(FOLDER, false, answer('S-1-5-32-544\r\nBUILTIN\\Administrators\r\n')),
    ).toBeNull();
    expect(windowsForeignOwner(FOLDER, false, answer('Get-Acl : accès refusé\r\n'))).toBeNull();
    const failing = () => {
      throw new Error('ENOENT');
    };
    expect(windowsForeignOwner(FOLDER, true, failing)).toBeNull();
  });
});
