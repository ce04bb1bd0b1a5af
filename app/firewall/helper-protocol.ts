import { link, lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BlockRequest } from '../contract/firewall.js';
import { AppError } from '../contract/errors.js';
import { Code } from '../contract/error-codes.js';
import { AppFailure, toAppError } from '../errors.js';
import type { FirewallBackend, FirewallInspection, LiveRule } from './backend.js';
import type { HelperOp } from './helper-argv.js';
import { BACKUP_FILE, LINUX_HELPER, rootOnlyProblem } from './helper-install.js';
import { RULE_PREFIX, validatePlannedRule, type PlannedRule } from './request.js';

/**
 * The helper's exit codes. They avoid 1 (any crash), 126/127 (pkexec: dismissed / not authorised,
 * and sh: cannot run) and 1223 (UAC declined), so the app can tell "the helper said" from "the
 * helper never ran". On Windows the exit code is all that comes back; the app then reads the
 * firewall itself to know what changed.
 */
export const HELPER_EXIT = {
  ok: 0,
  badRequest: 20,
  opFailed: 21,
  backupFailed: 22,
  unsupported: 23,
} as const;

const LiveRuleSchema = z.object({
  name: z.string(),
  ref: z.string(),
  enabled: z.boolean(),
  details: BlockRequest.nullable().optional(),
});

/** What the helper prints on standard output (one JSON line) after a run. */
export const HelperResult = z.object({
  version: z.literal(2),
  /** One entry per operation, in order (`list` is always ok). */
  results: z.array(
    z.union([
      z.object({ ok: z.literal(true), ref: z.string().optional() }),
      z.object({ ok: z.literal(false), error: AppError }),
    ]),
  ),
  /** The policy backup (taken once, before the first change ever); null for a read. */
  backup: z
    .union([
      z.object({ ok: z.literal(true), path: z.string(), created: z.boolean() }),
      z.object({ ok: z.literal(false), error: AppError }),
    ])
    .nullable(),
  /** The app's rules read back after the batch, with root's rights; null when the read failed. */
  rules: z.array(LiveRuleSchema).nullable(),
  /** Port forwards and bypasses elsewhere in the firewall (Linux); null when not read. */
  inspection: z
    .object({
      forwards: z.array(
        z.object({
          protocol: z.enum(['tcp', 'udp']),
          port: z.string(),
          to: z.string(),
          kind: z.enum(['dnat', 'redirect']),
        }),
      ),
      bypasses: z.array(z.string()),
    })
    .nullable()
    .default(null),
  /** Rules `restore` put back into the firewall (names). */
  restored: z.array(z.string()).default([]),
});
export type HelperResult = z.infer<typeof HelperResult>;

/** Where the elevated side writes: folders only root / Administrators can write. */
export interface HelperPlaces {
  backupDir: string;
  backupFile: string;
  /**
   * The rules Port Auditor has in the firewall, kept by root so the boot unit can put them back
   * after a reboot (nftables forgets its rules); null where the firewall keeps them (Windows).
   */
  stateFile: string | null;
}

/**
 * Linux: /var/lib/port-auditor (backups/ and rules.json). Windows: `backups` beside the installed
 * program in Program Files (a per-machine install: writable by Administrators only).
 */
export function helperPlaces(
  platform: NodeJS.Platform,
  execPath: string = process.execPath,
): HelperPlaces {
  if (platform === 'win32') {
    const dir = path.win32.join(path.win32.dirname(execPath), 'backups');
    return { backupDir: dir, backupFile: path.win32.join(dir, BACKUP_FILE.win32), stateFile: null };
  }
  return {
    backupDir: LINUX_HELPER.backups,
    backupFile: path.posix.join(LINUX_HELPER.backups, BACKUP_FILE.linux),
    stateFile: LINUX_HELPER.state,
  };
}

function backupFailure(detail: string): AppError {
  return {
    code: Code['firewall.backup-failed'],
    message: {
      fr: `La sauvegarde du pare-feu a échoué, donc rien n’a été modifié : ${detail}`,
      en: `The firewall backup failed, so nothing was changed: ${detail}`,
    },
  };
}

/**
 * Takes the backup of the policy as it was before Port Auditor's first change, once: the file is
 * created exclusively (O_CREAT|O_EXCL never follows a link), in a folder this process made or
 * checked to be root's alone, and an existing backup is kept, never overwritten.
 */
export async function ensureBackup(
  backend: FirewallBackend,
  places: HelperPlaces,
  platform: NodeJS.Platform,
): Promise<NonNullable<HelperResult['backup']>> {
  const file = places.backupFile;
  try {
    await mkdir(places.backupDir, { recursive: true, mode: 0o700 });
    if (platform !== 'win32') {
      const problem = rootOnlyProblem(places.backupDir);
      if (problem) return { ok: false, error: backupFailure(problem.detail) };
    }
    const existing = await lstat(file).catch(() => null);
    if (existing) {
      if (!existing.isFile()) return { ok: false, error: backupFailure(`${file} is not a file`) };
      return { ok: true, path: file, created: false };
    }
    // Written in full under another name, flushed, then linked to its name: a backup cut short
    // (a full disk, a file-size limit, a crash) never takes the place of the real one.
    const partial = `${file}.partial-${process.pid}`;
    await rm(partial, { force: true });
    try {
      await backend.backup(partial);
      const handle = await open(partial, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await link(partial, file).catch((error: NodeJS.ErrnoException) => {
        // Another run took the backup meanwhile: that one stands.
        if (error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(partial, { force: true });
    }
    return { ok: true, path: file, created: true };
  } catch (error) {
    const known = error instanceof AppFailure ? error.appError.message.en : null;
    return {
      ok: false,
      error: backupFailure(known ?? (error instanceof Error ? error.message : String(error))),
    };
  }
}

function sameRequest(a: BlockRequest, b: BlockRequest): boolean {
  return (
    a.protocol === b.protocol &&
    a.portFrom === b.portFrom &&
    a.portTo === b.portTo &&
    a.direction === b.direction &&
    [...a.remote].sort().join(',') === [...b.remote].sort().join(',')
  );
}

function mismatch(name: string): AppFailure {
  return new AppFailure(
    'firewall.rule-mismatch',
    {
      fr: `La règle ${name} ne bloque pas ce qui était annoncé : elle n’a pas été retirée.`,
      en: `Rule ${name} does not block what was announced: it was not removed.`,
    },
    { name },
  );
}

/** The rules recorded in root's state file; [] when there is none or it is not root's alone. */
async function readState(stateFile: string): Promise<PlannedRule[]> {
  if (rootOnlyProblem(stateFile)) return [];
  try {
    const raw = JSON.parse(await readFile(stateFile, 'utf8')) as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((r) => {
      try {
        return [validatePlannedRule(r)];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/**
 * Records the app's rules now in the firewall, for the boot unit: written beside the file with
 * exclusive create in root's own folder, then renamed over it, so nobody reads half a list.
 */
async function writeState(stateFile: string, rules: LiveRule[]): Promise<void> {
  const dir = path.dirname(stateFile);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (rootOnlyProblem(dir)) return;
  const planned = rules.flatMap((r) =>
    r.details && r.name.startsWith(RULE_PREFIX)
      ? [{ ...r.details, id: r.name.slice(RULE_PREFIX.length), name: r.name }]
      : [],
  );
  const tmp = `${stateFile}.tmp-${process.pid}`;
  await rm(tmp, { force: true });
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(planned, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, stateFile);
}

function unreadable(): AppFailure {
  return new AppFailure('firewall.unreadable', {
    fr: 'Le pare-feu n’a pas pu être lu avant le déblocage : rien n’a été retiré.',
    en: 'The firewall could not be read before the unblock: nothing was removed.',
  });
}

/**
 * What the elevated helper does with an approved command line: the backup first (once, before any
 * change), then each operation in order, then a read-back of the app's rules (and of what else in
 * the firewall could change their effect) so the caller decides from the firewall, not from exit
 * codes. An `unblock` removes a rule only if the firewall holds it with exactly the announced
 * content; `restore` re-applies the rules of root's state file that the firewall lost. After any
 * change the state file is rewritten from the firewall.
 */
export async function executeOps(
  ops: readonly HelperOp[],
  backend: FirewallBackend,
  places: HelperPlaces,
  platform: NodeJS.Platform,
): Promise<HelperResult> {
  const changes = ops.some((op) => op.op !== 'list');
  // A read says where the backup is: the user cannot look into root's folder.
  const backup = changes
    ? await ensureBackup(backend, places, platform)
    : await lstat(places.backupFile).then(
        (st) =>
          st.isFile() ? { ok: true as const, path: places.backupFile, created: false } : null,
        () => null,
      );
  const results: HelperResult['results'] = [];
  const restored: string[] = [];
  let before: LiveRule[] | null = null;
  for (const op of ops) {
    if (op.op === 'list') {
      results.push({ ok: true });
      continue;
    }
    // No change without a backup of the policy as it was before the app's first change.
    if (backup && !backup.ok) {
      results.push({ ok: false, error: backup.error });
      continue;
    }
    try {
      if (op.op === 'block') {
        const { ref } = await backend.block(op.rule);
        results.push({ ok: true, ref });
      } else if (op.op === 'unblock') {
        if (backend.readsContent) {
          before ??= await backend.list();
          // Fail closed: without a read, nothing says the rule blocks what the prompt announced.
          if (before === null) throw unreadable();
          const live = before.find((r) => r.name === op.rule.name);
          if (live && (!live.details || !sameRequest(live.details, op.rule))) {
            throw mismatch(op.rule.name);
          }
        }
        await backend.remove(op.rule.name);
        results.push({ ok: true });
      } else {
        const live = new Set(((await backend.list()) ?? []).map((r) => r.name));
        for (const rule of places.stateFile ? await readState(places.stateFile) : []) {
          if (live.has(rule.name)) continue;
          await backend.block(rule);
          restored.push(rule.name);
        }
        results.push({ ok: true });
      }
    } catch (error) {
      results.push({ ok: false, error: toAppError(error) });
    }
  }
  let rules: LiveRule[] | null;
  try {
    rules = await backend.list();
  } catch {
    rules = null;
  }
  if (changes && rules && places.stateFile) {
    // The boot unit's list follows the firewall; a failed write only loses that convenience.
    await writeState(places.stateFile, rules).catch(() => undefined);
  }
  let inspection: FirewallInspection | null;
  try {
    inspection = (await backend.inspect?.()) ?? null;
  } catch {
    inspection = null;
  }
  return { version: 2, results, backup, rules, inspection, restored };
}

/** The exit code that summarises a result (see HELPER_EXIT). */
export function helperExitCode(result: HelperResult): number {
  if (result.backup && !result.backup.ok) return HELPER_EXIT.backupFailed;
  return result.results.every((r) => r.ok) ? HELPER_EXIT.ok : HELPER_EXIT.opFailed;
}
