import { link, lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BlockRequest } from '../contract/firewall.js';
import { Code, ErrorCode } from '../contract/error-codes.js';
import { AppFailure } from '../failure.js';
import { isSentence, sentence, type Sentence } from '../text/sentence.js';
import type { FirewallBackend, FirewallInspection, LiveRule } from './backend.js';
import type { HelperOp } from './helper-argv.js';
import {
  BACKUP_FILE,
  LINUX_HELPER,
  pathProblemSentence,
  rootOnlyProblem,
} from './helper-install.js';
import {
  portText,
  RULE_PREFIX,
  sameRequest,
  validatePlannedRule,
  type PlannedRule,
} from './request.js';

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

const WireValue = z.union([z.string().max(2000), z.number(), z.boolean()]);

/** A part of a failure's sentence that is itself a catalogue sentence (a rule's description). */
const WireSentence = z
  .object({
    key: z.string().regex(/^(errors|messages):[A-Za-z0-9.-]+$/),
    params: z.record(z.string(), WireValue).optional(),
  })
  .strict();

/**
 * A failure as the helper sends it: a code of this version's list, the values that explain it
 * and which of the code's sentences to write, never the words. The app writes the sentence in
 * the reader's language (helper-answer.ts), so the helper carries no i18n library nor catalogue
 * (docs/elevation.md). A code this version does not list fails the whole answer's validation.
 */
export const HelperFailure = z
  .object({
    code: ErrorCode,
    params: z.record(z.string(), WireValue).optional(),
    variant: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .optional(),
    text: z.record(z.string(), z.union([WireValue, WireSentence])).optional(),
  })
  .strict();
export type HelperFailure = z.infer<typeof HelperFailure>;

/**
 * Any thrown value as the helper sends it: an AppFailure as its code and values; anything else
 * (a crash, a catalogue-less sentence) as `internal` with its English text as the detail.
 */
export function failureToWire(error: unknown): HelperFailure {
  if (error instanceof AppFailure && error.sentence) {
    const text: NonNullable<HelperFailure['text']> = {};
    for (const [name, value] of Object.entries(error.text ?? {})) {
      if (isSentence(value)) {
        const params: Record<string, string | number | boolean> = {};
        for (const [k, v] of Object.entries(value.params ?? {})) {
          params[k] = typeof v === 'object' ? JSON.stringify(v) : v;
        }
        text[name] =
          Object.keys(params).length > 0 ? { key: value.key, params } : { key: value.key };
      } else {
        text[name] = typeof value === 'object' ? value.en : value;
      }
    }
    return {
      code: error.code,
      ...(error.params ? { params: error.params } : {}),
      ...(error.variant ? { variant: error.variant } : {}),
      ...(Object.keys(text).length > 0 ? { text } : {}),
    };
  }
  const detail =
    error instanceof AppFailure && error.written
      ? error.written.en
      : error instanceof Error
        ? error.message
        : String(error);
  return { code: Code.internal, text: { detail: detail.slice(0, 2000) } };
}

const LiveRuleSchema = z.object({
  name: z.string(),
  ref: z.string(),
  enabled: z.boolean(),
  details: BlockRequest.nullable().optional(),
});

/** What the helper prints on standard output (one JSON line) after a run. */
export const HelperResult = z.object({
  /** 3: failures are codes and values (HelperFailure); 2 sent sentences (AppError). */
  version: z.literal(3),
  /** One entry per operation, in order (`list` is always ok). */
  results: z.array(
    z.union([
      z.object({ ok: z.literal(true), ref: z.string().optional() }),
      z.object({ ok: z.literal(false), error: HelperFailure }),
    ]),
  ),
  /** The policy backup (taken once, before the first change ever); null for a read. */
  backup: z
    .union([
      z.object({ ok: z.literal(true), path: z.string(), created: z.boolean() }),
      z.object({ ok: z.literal(false), error: HelperFailure }),
    ])
    .nullable(),
  /** The app's rules read back after the batch, with root's rights; null when the read failed. */
  rules: z.array(LiveRuleSchema).nullable(),
  /**
   * When present, `rules` holds only these rules (the ones the batch touched, looked up by name):
   * rules of ours not named here were not read and say nothing about being gone.
   */
  readNames: z.array(z.string()).optional(),
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

/** The backup failed; `detail` is why, in English (a system error) or as a catalogue sentence. */
function backupFailure(detail: string | Sentence): HelperFailure {
  return failureToWire(new AppFailure('firewall.backup-failed', undefined, { text: { detail } }));
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
      if (problem) return { ok: false, error: backupFailure(pathProblemSentence(problem)) };
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
    const known = error instanceof AppFailure ? error.sentence : null;
    return {
      ok: false,
      error: backupFailure(known ?? (error instanceof Error ? error.message : String(error))),
    };
  }
}

/**
 * Unblock refused: the firewall's rule of that name blocks something else than announced. The
 * rule's technical name travels as a param (the details, `--json`); the app names it in words
 * by its date and port (helper-answer.ts), or by `what` when its journal does not know it.
 */
function mismatch(rule: PlannedRule): AppFailure {
  return new AppFailure(
    'firewall.rule-mismatch',
    { name: rule.name },
    { text: { what: what(rule) } },
  );
}

/**
 * The rules recorded in root's state file: [] when there is none yet; null when it exists but
 * cannot be trusted or read (not root's alone, not a list), so that nothing is rewritten from it.
 * Entries that do not validate are left out.
 */
async function readState(stateFile: string): Promise<PlannedRule[] | null> {
  const problem = rootOnlyProblem(stateFile);
  if (problem) return problem.missing ? [] : null;
  try {
    const raw = JSON.parse(await readFile(stateFile, 'utf8')) as unknown;
    if (!Array.isArray(raw)) return null;
    return raw.flatMap((r) => {
      try {
        return [validatePlannedRule(r)];
      } catch {
        return [];
      }
    });
  } catch {
    return null;
  }
}

/**
 * The state file after a batch, from what root did rather than from a read alone: the record
 * before, less the rules an approved unblock removed, plus the rules a block added, plus any rule
 * of ours the firewall holds (read back with root's rights) that it lacks, each with the content
 * the firewall holds when read back. A rule the firewall lost (a reboot, a failed restore) stays
 * recorded until an unblock removes it, so nothing approved is forgotten and nothing undone comes
 * back.
 */
export function nextState(
  before: readonly PlannedRule[],
  done: { added: readonly PlannedRule[]; removed: ReadonlySet<string> },
  live: readonly LiveRule[] | null,
): PlannedRule[] {
  const byName = new Map<string, PlannedRule>();
  for (const rule of before) if (!done.removed.has(rule.name)) byName.set(rule.name, rule);
  for (const rule of done.added) byName.set(rule.name, rule);
  for (const r of live ?? []) {
    if (!r.details || !r.name.startsWith(RULE_PREFIX)) continue;
    byName.set(r.name, { ...r.details, id: r.name.slice(RULE_PREFIX.length), name: r.name });
  }
  return [...byName.values()];
}

/**
 * Writes the rules for the boot unit: beside the file with exclusive create in root's own folder,
 * flushed, then renamed over it, so nobody reads half a list.
 */
async function writeState(stateFile: string, planned: readonly PlannedRule[]): Promise<void> {
  const dir = path.dirname(stateFile);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (rootOnlyProblem(dir)) return;
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

function unreadable(action: 'unblock' | 'reapply'): AppFailure {
  return new AppFailure('firewall.unreadable', undefined, { variant: action });
}

function what(rule: PlannedRule): Sentence {
  const port = `${rule.protocol.toUpperCase()} ${portText(rule)}`;
  const remote = rule.remote.join(', ');
  const form = rule.direction === 'in' ? (remote ? 'inFrom' : 'in') : remote ? 'outTo' : 'out';
  return sentence(`errors:parts.ruleWhat.${form}`, { port, remote });
}

function stateUnreadable(file: string): AppFailure {
  return new AppFailure('firewall.state-unreadable', { file });
}

/**
 * Re-apply refused: root has no record of that rule with that content. As for mismatch, the name
 * is a param and the app writes the rule in words.
 */
export function notVouched(rule: PlannedRule, kept: boolean): AppFailure {
  return new AppFailure(
    'firewall.not-vouched',
    { name: rule.name },
    { variant: kept ? 'kept' : 'noList', text: { what: what(rule) } },
  );
}

/**
 * Adds rules in as few changes as the firewall allows: all of them at once when the backend can
 * (nftables: one transaction, which adds all or none); when that fails, or the backend cannot,
 * one by one, so one refused rule does not keep the others out. One entry per rule, in order.
 */
async function addAll(
  backend: FirewallBackend,
  rules: readonly PlannedRule[],
): Promise<{ ref?: string; error?: unknown }[]> {
  if (backend.blockAll && rules.length > 1) {
    try {
      return await backend.blockAll(rules);
    } catch {
      // One of them, or the firewall: each rule on its own says which.
    }
  }
  const out: { ref?: string; error?: unknown }[] = [];
  for (const rule of rules) {
    try {
      out.push({ ref: (await backend.block(rule)).ref });
    } catch (error) {
      out.push({ error });
    }
  }
  return out;
}

/**
 * What the elevated helper does with an approved command line: the backup first (once, before any
 * change), then each operation in order, then a read-back of the app's rules (and of what else in
 * the firewall could change their effect) so the caller decides from the firewall, not from exit
 * codes. An `unblock` removes a rule only if the firewall holds it with exactly the announced
 * content; `reapply` puts back a lost rule only if root's state file records it with exactly that
 * content; `restore` re-applies the rules of root's state file that the firewall lost. The
 * firewall is listed once and the rules to add go in one change (see addAll), rule by rule only
 * when that fails. After any change the state file is updated from what succeeded (nextState).
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
  // Read once per batch: root's record (never rewritten when it cannot be read) and the firewall.
  const state = changes && places.stateFile ? await readState(places.stateFile) : null;
  // Windows looks rules up by name, and a pass over every rule costs seconds on a PC with
  // thousands: a batch of named changes reads back only its own rules. nftables lists one table
  // either way, and `list` and `restore` need every rule.
  const readNames =
    backend.kind === 'netsh' && ops.every((op) => 'rule' in op)
      ? [...new Set(ops.map((op) => ('rule' in op ? op.rule.name : '')))]
      : undefined;
  let before: LiveRule[] | null | undefined;
  const live = async () =>
    before === undefined ? (before = await backend.list(readNames)) : before;
  const added: PlannedRule[] = [];
  const removed = new Set<string>();
  /**
   * Rules to add, gathered so a batch (an approved list of blocks, a re-apply, a restore at boot)
   * is one change of the firewall, not one per rule; `done` says how each went.
   */
  let adds: { rule: PlannedRule; done: (error: unknown, ref?: string) => void }[] = [];
  const flush = async () => {
    const batch = adds;
    adds = [];
    if (batch.length === 0) return;
    before = undefined; // what the firewall holds changes here
    const all = await addAll(
      backend,
      batch.map((b) => b.rule),
    );
    batch.forEach((b, i) => b.done(all[i]?.error ?? null, all[i]?.ref));
  };
  const pending: Promise<void>[] = [];
  const settle = (index: number, rule: PlannedRule, record: boolean, name?: string) =>
    new Promise<void>((resolve) => {
      adds.push({
        rule,
        done: (error, ref) => {
          if (error) {
            results[index] = { ok: false, error: failureToWire(error) };
          } else {
            if (record) added.push(rule);
            if (name) restored.push(name);
            results[index] = ref !== undefined ? { ok: true, ref } : { ok: true };
          }
          resolve();
        },
      });
    });
  for (const [index, op] of ops.entries()) {
    if (op.op === 'list') {
      results[index] = { ok: true };
      continue;
    }
    // No change without a backup of the policy as it was before the app's first change.
    if (backup && !backup.ok) {
      results[index] = { ok: false, error: backup.error };
      continue;
    }
    try {
      if (op.op === 'block') {
        pending.push(settle(index, op.rule, true));
      } else if (op.op === 'unblock') {
        await flush();
        if (backend.readsContent) {
          const now = await live();
          // Fail closed: without a read, nothing says the rule blocks what the prompt announced.
          if (now === null) throw unreadable('unblock');
          const found = now.find((r) => r.name === op.rule.name);
          if (found && (!found.details || !sameRequest(found.details, op.rule))) {
            throw mismatch(op.rule);
          }
        }
        await backend.remove(op.rule.name);
        before = undefined;
        removed.add(op.rule.name);
        results[index] = { ok: true };
      } else if (op.op === 'reapply') {
        const recorded = state?.find((r) => r.id === op.rule.id);
        if (!recorded || !sameRequest(recorded, op.rule)) {
          throw notVouched(op.rule, places.stateFile !== null);
        }
        const now = await live();
        if (now === null) throw unreadable('reapply');
        if (now.some((r) => r.name === recorded.name)) results[index] = { ok: true };
        else pending.push(settle(index, recorded, false));
      } else {
        if (state === null && places.stateFile) throw stateUnreadable(places.stateFile);
        const now = await live();
        if (now === null) throw unreadable('reapply');
        // Each lost rule of the record; one failing leaves the others to be put back, and stays
        // recorded for next time.
        const lost = (state ?? []).filter((rule) => !now.some((r) => r.name === rule.name));
        let firstError: unknown = null;
        const each = lost.map(
          (rule) =>
            new Promise<void>((resolve) => {
              adds.push({
                rule,
                done: (error) => {
                  if (error) firstError ??= error;
                  else restored.push(rule.name);
                  resolve();
                },
              });
            }),
        );
        await flush();
        await Promise.all(each);
        results[index] = firstError
          ? { ok: false, error: failureToWire(firstError) }
          : { ok: true };
      }
    } catch (error) {
      results[index] = { ok: false, error: failureToWire(error) };
    }
  }
  await flush();
  await Promise.all(pending);
  let rules: LiveRule[] | null;
  try {
    rules = await backend.list(readNames);
  } catch {
    rules = null;
  }
  if (changes && state && places.stateFile) {
    // The boot unit's list; a failed write only loses that convenience.
    await writeState(places.stateFile, nextState(state, { added, removed }, rules)).catch(
      () => undefined,
    );
  }
  let inspection: FirewallInspection | null;
  try {
    inspection = (await backend.inspect?.()) ?? null;
  } catch {
    inspection = null;
  }
  return {
    version: 3,
    results,
    backup,
    rules,
    inspection,
    restored,
    ...(readNames ? { readNames } : {}),
  };
}

/** The exit code that summarises a result (see HELPER_EXIT). */
export function helperExitCode(result: HelperResult): number {
  if (result.backup && !result.backup.ok) return HELPER_EXIT.backupFailed;
  return result.results.every((r) => r.ok) ? HELPER_EXIT.ok : HELPER_EXIT.opFailed;
}
