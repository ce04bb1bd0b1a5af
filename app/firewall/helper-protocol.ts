import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BlockRequest } from '../contract/firewall.js';
import { AppError } from '../contract/errors.js';
import { AppFailure, toAppError } from '../errors.js';
import type { FirewallBackend, LiveRule } from './backend.js';
import type { HelperOp } from './helper-argv.js';
import { BACKUP_FILE, LINUX_HELPER, rootOnlyProblem } from './helper-install.js';

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
});
export type HelperResult = z.infer<typeof HelperResult>;

/**
 * Where the helper keeps the policy backup: a folder only root / Administrators can write.
 * Linux: /var/lib/port-auditor/backups. Windows: `backups` beside the installed program in
 * Program Files (a per-machine install: writable by Administrators only).
 */
export function backupPlace(
  platform: NodeJS.Platform,
  execPath: string = process.execPath,
): { dir: string; file: string } {
  if (platform === 'win32') {
    const dir = path.win32.join(path.win32.dirname(execPath), 'backups');
    return { dir, file: path.win32.join(dir, BACKUP_FILE.win32) };
  }
  return {
    dir: LINUX_HELPER.backups,
    file: path.posix.join(LINUX_HELPER.backups, BACKUP_FILE.linux),
  };
}

function backupFailure(detail: string): AppError {
  return {
    code: 'firewall.backup-failed',
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
  place: { dir: string; file: string },
  platform: NodeJS.Platform,
): Promise<NonNullable<HelperResult['backup']>> {
  try {
    await mkdir(place.dir, { recursive: true, mode: 0o700 });
    if (platform !== 'win32') {
      const problem = rootOnlyProblem(place.dir);
      if (problem) return { ok: false, error: backupFailure(problem.detail) };
    }
    const existing = await lstat(place.file).catch(() => null);
    if (existing) {
      if (!existing.isFile())
        return { ok: false, error: backupFailure(`${place.file} is not a file`) };
      return { ok: true, path: place.file, created: false };
    }
    await backend.backup(place.file);
    return { ok: true, path: place.file, created: true };
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

/**
 * What the elevated helper does with an approved command line: the backup first (once, before any
 * change), then each operation in order, then a read-back of the app's rules so the caller decides
 * from the firewall, not from exit codes. An `unblock` removes a rule only if the firewall holds
 * it with exactly the announced content.
 */
export async function executeOps(
  ops: readonly HelperOp[],
  backend: FirewallBackend,
  place: { dir: string; file: string },
  platform: NodeJS.Platform,
): Promise<HelperResult> {
  const changes = ops.some((op) => op.op !== 'list');
  const backup = changes ? await ensureBackup(backend, place, platform) : null;
  const results: HelperResult['results'] = [];
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
      } else {
        before ??= await backend.list();
        const live = before?.find((r) => r.name === op.rule.name);
        if (live && (!live.details || !sameRequest(live.details, op.rule))) {
          throw mismatch(op.rule.name);
        }
        await backend.remove(op.rule.name);
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
  return { version: 2, results, backup, rules };
}

/** The exit code that summarises a result (see HELPER_EXIT). */
export function helperExitCode(result: HelperResult): number {
  if (result.backup && !result.backup.ok) return HELPER_EXIT.backupFailed;
  return result.results.every((r) => r.ok) ? HELPER_EXIT.ok : HELPER_EXIT.opFailed;
}
