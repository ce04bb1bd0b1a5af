import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../contract/errors.js';
import { AppFailure, toAppError } from '../errors.js';
import type { FirewallBackend, LiveRule } from './backend.js';
import { isRuleName, validatePlannedRule, type PlannedRule } from './request.js';

/** Backup files are named by the app, never by a path it reads: the helper writes as admin/root. */
export const BACKUP_NAME = /^firewall-backup-[0-9]{8}T[0-9]{6}Z\.(nft|wfw)$/;

const Op = z.union([
  z.object({ op: z.literal('block'), rule: z.unknown() }).strict(),
  z.object({ op: z.literal('remove'), name: z.string().max(80) }).strict(),
]);

export const HelperRequestFile = z
  .object({
    version: z.literal(1),
    ops: z.array(Op).min(1).max(256),
    backupName: z.string().max(80).optional(),
  })
  .strict();

export type HelperOp = { op: 'block'; rule: PlannedRule } | { op: 'remove'; name: string };

export interface HelperRequest {
  version: 1;
  ops: HelperOp[];
  backupName?: string;
}

const LiveRuleSchema = z.object({ name: z.string(), ref: z.string(), enabled: z.boolean() });

export const HelperResultFile = z.object({
  version: z.literal(1),
  results: z.array(
    z.union([
      z.object({ ok: z.literal(true), ref: z.string().optional() }),
      z.object({ ok: z.literal(false), error: AppError }),
    ]),
  ),
  backup: z
    .union([
      z.object({ ok: z.literal(true), path: z.string() }),
      z.object({ ok: z.literal(false), error: AppError }),
    ])
    .nullable(),
  /** The app's rules read back after the batch; null when the read failed. */
  rules: z.array(LiveRuleSchema).nullable(),
});
export type HelperResult = z.infer<typeof HelperResultFile>;

/** Re-validates every field of a request read from disk: the file may have been swapped. */
export function parseHelperRequest(raw: unknown): HelperRequest {
  const parsed = HelperRequestFile.safeParse(raw);
  if (!parsed.success) {
    throw new AppFailure('firewall.helper-bad-request', {
      fr: 'Le fichier de demande du module d’administration est invalide : rien n’a été modifié.',
      en: 'The administration helper’s request file is invalid: nothing was changed.',
    });
  }
  const ops: HelperOp[] = parsed.data.ops.map((op) => {
    if (op.op === 'block') return { op: 'block', rule: validatePlannedRule(op.rule) };
    if (!isRuleName(op.name)) validatePlannedRule({ name: op.name });
    return { op: 'remove', name: op.name };
  });
  const { backupName } = parsed.data;
  if (backupName !== undefined && !BACKUP_NAME.test(backupName)) {
    throw new AppFailure('firewall.helper-bad-request', {
      fr: 'Nom de sauvegarde refusé par le module d’administration : rien n’a été modifié.',
      en: 'Backup name refused by the administration helper: nothing was changed.',
    });
  }
  return { version: 1, ops, ...(backupName ? { backupName } : {}) };
}

/**
 * What the elevated helper does: backup first (once), then each operation in order, then a
 * read-back of the app's rules so the caller verifies against the firewall, not against exit codes.
 */
export async function executeBatch(
  request: HelperRequest,
  backend: FirewallBackend,
  backupDir: string,
): Promise<HelperResult> {
  let backup: HelperResult['backup'] = null;
  if (request.backupName) {
    const file = path.join(backupDir, request.backupName);
    try {
      await mkdir(backupDir, { recursive: true, mode: 0o700 });
      await backend.backup(file);
      backup = { ok: true, path: file };
    } catch (error) {
      const detail = error instanceof AppFailure ? error.appError.message : null;
      const text = error instanceof Error ? error.message : String(error);
      backup = {
        ok: false,
        error: {
          code: 'firewall.backup-failed',
          message: {
            fr: `La sauvegarde du pare-feu a échoué, donc rien n’a été modifié : ${detail?.fr ?? text}`,
            en: `The firewall backup failed, so nothing was changed: ${detail?.en ?? text}`,
          },
        },
      };
    }
  }
  const results: HelperResult['results'] = [];
  for (const op of request.ops) {
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
        await backend.remove(op.name);
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
  return { version: 1, results, backup, rules };
}

export async function readHelperRequest(file: string): Promise<HelperRequest> {
  return parseHelperRequest(JSON.parse(await readFile(file, 'utf8')));
}

/** Written then renamed, so the app never reads half a result. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await rename(tmp, file);
}
