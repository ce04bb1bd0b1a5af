import { chmodSync, chownSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../app/store/database.js';
import { StoreFailure } from '../../app/store/failure.js';
import { dataFolderRefusal, isPrivateGroup, openToOthers } from '../../app/store/private-files.js';

/**
 * Review F12: Debian and Ubuntu give each user a private group and umask 002, so a folder the user
 * makes for PORT_AUDITOR_DATA_DIR is 0775. Write for the group is accepted when that group is this
 * user's own and no one else's; write for others never. /etc/passwd and /etc/group are given as
 * texts (passwd(5), group(5)), the folder is a real one.
 */
const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  '# a comment line',
  'alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash',
  'bob:x:1001:1001:Bob,,,:/home/bob:/bin/bash',
  'carol:x:1002:100:Carol:/home/carol:/bin/bash',
  '',
].join('\n');
const GROUP = [
  'root:x:0:',
  'users:x:100:',
  'alice:x:1000:',
  'bob:x:1001:',
  'staff:x:50:alice,bob',
  '',
].join('\n');

describe('isPrivateGroup (pure)', () => {
  it('takes a user’s own group with no other member as private', () => {
    expect(isPrivateGroup(1000, 1000, PASSWD, GROUP)).toBe(true);
    // Listing the user in their own group changes nothing.
    expect(
      isPrivateGroup(1000, 1000, PASSWD, GROUP.replace('alice:x:1000:', 'alice:x:1000:alice')),
    ).toBe(true);
  });

  it('refuses a group another account has as primary group, or lists as member', () => {
    expect(
      isPrivateGroup(100, 1002, PASSWD.replace('bob:x:1001:1001', 'bob:x:1001:100'), GROUP),
    ).toBe(false);
    expect(
      isPrivateGroup(1000, 1000, PASSWD, GROUP.replace('alice:x:1000:', 'alice:x:1000:bob')),
    ).toBe(false);
    expect(isPrivateGroup(50, 1000, PASSWD, GROUP)).toBe(false);
  });

  it('refuses a group /etc/group does not list: its members are not known', () => {
    expect(isPrivateGroup(1000, 1000, PASSWD, 'root:x:0:\n')).toBe(false);
  });
});

describe('openToOthers: a real folder, the system’s files given', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pa-private-group-'));
    process.env.PORT_AUDITOR_DATA_DIR = dir;
    // Group 1000 (root runs the suite and may give it): the group the given files call alice's.
    chownSync(dir, statSync(dir).uid, 1000);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  /** Alice (uid 1000, primary gid 1000) as this process, the folder's group being hers. */
  const asAlice = (passwd = PASSWD, group = GROUP) => ({
    gid: 1000,
    uid: 1000,
    readPasswd: () => passwd,
    readGroup: () => group,
  });

  it('accepts 0775 under the user’s private group (umask 002)', () => {
    chmodSync(dir, 0o775);
    expect(openToOthers(dir, 'linux', asAlice())).toBeNull();
  });

  it('refuses 0775 when the group has another member, or is not this process’s primary gid', () => {
    chmodSync(dir, 0o775);
    expect(
      openToOthers(
        dir,
        'linux',
        asAlice(PASSWD, GROUP.replace('alice:x:1000:', 'alice:x:1000:bob')),
      ),
    ).toBe('0775');
    expect(openToOthers(dir, 'linux', { ...asAlice(), gid: 1001 })).toBe('0775');
  });

  it('refuses 0775 when /etc/group cannot be read', () => {
    chmodSync(dir, 0o775);
    const unreadable = () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    expect(openToOthers(dir, 'linux', { ...asAlice(), readGroup: unreadable })).toBe('0775');
  });

  it.each(['0777', '0757', '01777'])(
    'always refuses write for others (%s), private group or not',
    (mode) => {
      chmodSync(dir, Number.parseInt(mode, 8));
      expect(openToOthers(dir, 'linux', asAlice())).toBe(mode);
    },
  );

  it('accepts 0755 and 0700 without reading either file', () => {
    const never = () => {
      throw new Error('not read');
    };
    for (const mode of [0o755, 0o700]) {
      chmodSync(dir, mode);
      expect(openToOthers(dir, 'linux', { readPasswd: never, readGroup: never })).toBeNull();
    }
  });

  it('dataFolderRefusal names the file openDatabase names (review F8)', () => {
    chmodSync(dir, 0o777);
    const refused = dataFolderRefusal(dir);
    expect(refused?.appError.code).toBe('store.open-folder');
    expect(refused?.file).toBe(databasePath(dir));
    let opened: unknown = null;
    try {
      openDatabase(dir).close();
    } catch (error) {
      opened = error;
    }
    expect(opened).toBeInstanceOf(StoreFailure);
    expect((opened as StoreFailure).file).toBe(refused?.file);
  });
});
