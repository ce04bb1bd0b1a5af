import { lstat } from 'node:fs/promises';
import type {
  BlockRequest,
  BlockRequestInput,
  FirewallBackendKind,
  FirewallBlockOutcome,
  FirewallPreview,
  FirewallReapplyOutcome,
  FirewallRemoveOutcome,
  FirewallRule,
  FirewallRuleList,
  FirewallStatus,
  FirewallVerification,
  LocalizedText,
} from '../contract/index.js';
import { Code } from '../contract/error-codes.js';
import { AppFailure, errorMessage } from '../errors.js';
import { bothLanguages, sentenceInBoth } from '../text/catalogue.js';
import { inBothLanguages } from '../text/per-language.js';
import { ruleCalled } from './labels.js';
import {
  databasePath,
  getMeta,
  openDatabaseOrMemory,
  setMeta,
  type Db,
} from '../store/database.js';
import { storeFailure, type StoreFailure } from '../store/failure.js';
import { FirewallJournal, JOURNAL_TABLES, type JournalRule } from '../store/journal.js';
import {
  displayArgv,
  runCommand,
  type FirewallBackend,
  type FirewallInspection,
  type LiveRule,
  type Runner,
} from './backend.js';
import { backendFor } from './backends.js';
import {
  CANCELLED_MESSAGE,
  interpretPkexec,
  interpretUac,
  pkexecPlan,
  uacPlan,
  type ElevatedRun,
  type WindowsHelperCommand,
} from './elevation.js';
import { opsToArgv, type HelperOp } from './helper-argv.js';
import { refuseOwnScope, thisPcAddressSet } from './own-scope.js';
import { linuxHelperProblem, type HelperProblem } from './helper-check.js';
import {
  backupOutcome,
  opOutcomes,
  withRuleInWords,
  type BackupOutcome,
  type OpOutcome,
} from './helper-answer.js';
import { executeOps, HELPER_EXIT, helperPlaces, notVouched } from './helper-protocol.js';
import { serviceStopped } from './netsh.js';
import {
  isRuleId,
  isRuleName,
  planRule,
  portText,
  RULE_PREFIX,
  sameRequest,
  validateBlockRequest,
  type PlannedRule,
} from './request.js';
import { newRuleId } from './rule-id.js';
import { changeSummary, discoveryWarning } from './summary.js';
import { verifyRule } from './verify.js';
import { installedWindowsHelper } from './windows-install.js';
import { OUTSIDE_WORDS_MAX, quotable } from '../contract/outside-words.js';

/** The ids previews reserved, each with the request it was shown for (newest last). */
const RESERVATIONS_KEY = 'firewall.reservations';
const MAX_RESERVATIONS = 50;
/**
 * At most this many rules of Port Auditor's at once (each is up to 16 remote scopes × 2 chains of
 * nft rules): far above what a home or small office needs, low enough that a restore at boot stays
 * one quick transaction.
 */
export const MAX_RULES = 500;

function describe(rule: Pick<JournalRule, 'protocol' | 'portFrom' | 'portTo' | 'direction'>) {
  const port = `${rule.protocol.toUpperCase()} ${portText(rule)}`;
  return bothLanguages(`messages:firewall.rulePort.${rule.direction}`, { port });
}

type RuleContent = Pick<
  JournalRule,
  'name' | 'protocol' | 'portFrom' | 'portTo' | 'direction' | 'remote'
>;

function planned(r: JournalRule): PlannedRule {
  return {
    id: r.id,
    name: r.name,
    protocol: r.protocol,
    portFrom: r.portFrom,
    portTo: r.portTo,
    direction: r.direction,
    remote: r.remote,
  };
}

/** The refusal of a rule named like ours that the journal did not create (issue 15, N3). */
function notOurs(name: string): AppFailure {
  return new AppFailure('firewall.not-ours', {
    name: quotable(name, OUTSIDE_WORDS_MAX.argument),
  });
}

/**
 * Whether the firewall holds the rule as the journal describes it: a rule under its name whose
 * content, read back, is the journal's. A rule under that name blocking something else, or whose
 * content cannot be read, is not the journal's rule (the journal is a file of the user's).
 */
function presentIn(rule: RuleContent, live: readonly LiveRule[]): boolean {
  const found = live.find((l) => l.name === rule.name);
  return !!found?.details && sameRequest(rule, found.details);
}

/** Whether the firewall holds nothing at all under the rule's name (a reboot, a flush). */
function vanishedFrom(rule: RuleContent, live: readonly LiveRule[]): boolean {
  return !live.some((l) => l.name === rule.name);
}

/** A reservation's request, validated again; null when it is not one (the database is the user's). */
function reservedRequest(raw: BlockRequest): BlockRequest | null {
  try {
    return validateBlockRequest({ ...raw, port: portText(raw), remote: raw.remote.join(',') });
  } catch {
    return null;
  }
}

/** A rule's description followed by the remote addresses it is limited to, if any. */
function withRemote(what: string, remote: readonly string[]): string {
  return remote.length > 0 ? `${what} (${remote.join(', ')})` : what;
}

function unsupported(platform: string): AppFailure {
  return new AppFailure('firewall.unsupported', undefined, { text: { platform } });
}

const WINDOWS_NOT_INSTALLED: HelperProblem = {
  code: Code['firewall.helper-missing'],
  detail: 'no per-machine install found',
  message: errorMessage(Code['firewall.helper-missing'], undefined, { variant: 'windows' }),
};

const UNKNOWN_BLOCK: LocalizedText = bothLanguages('messages:firewall.unknownBlock');

/** What one elevated batch gave, per operation, once its outcome is known or known unknowable. */
type BatchOutcome =
  | { kind: 'cancelled'; message: LocalizedText }
  | {
      kind: 'ran';
      /** The helper's word for each operation; null when only the firewall can tell (Windows). */
      results: (OpOutcome | null)[];
      /** The app's rules after the batch; null when they could not be read. */
      rules: LiveRule[] | null;
      backup: BackupOutcome;
      /** Port forwards and bypasses read with the batch; null when not read. */
      inspection: FirewallInspection | null;
    };

/**
 * The app's rules as last read, after a read of `read`: the whole list, or, when only `names` were
 * looked up (a Windows batch reads back its own rules), those names replaced in the last whole
 * list. Without an earlier whole list, a partial read says nothing about the other rules: null.
 */
export function mergeRead(
  last: LiveRule[] | null,
  read: LiveRule[],
  names: readonly string[] | undefined,
): LiveRule[] | null {
  if (!names) return read;
  if (last === null) return null;
  const touched = new Set(names);
  return [...last.filter((r) => !touched.has(r.name)), ...read];
}

export interface FirewallServiceOptions {
  dataDir: string;
  backend?: FirewallBackend | null;
  platform?: NodeJS.Platform;
  /**
   * Windows: how UAC starts the helper. The desktop app passes itself (with its helper flag);
   * other hosts find the per-machine install in the registry.
   */
  windowsHelper?: WindowsHelperCommand;
  /** Runs pkexec, reg.exe and PowerShell (tests of Windows launches pass a scripted runner). */
  run?: Runner;
  /** Whether this process already has administrator rights; asked of the OS when not given. */
  elevated?: boolean;
  /** This PC's addresses, canonical (own-scope.ts thisPcAddressSet() by default, read per request). */
  ownAddresses?: () => ReadonlySet<string>;
}

/**
 * Blocking and undoing, for every host: validation, journal before and after each change, the
 * elevated helper in between (its command line is the approved change), and a verification that
 * reads the firewall back instead of trusting exit codes. Changes run one at a time. Construct once
 * per process; every public method first reconciles what an interrupted change left.
 */
export class FirewallService {
  private readonly db: Db;
  /**
   * Why the journal is an empty one in memory (the file is damaged, read-only or locked), or null.
   * Reading and undoing still work, their rules found by name in the firewall; blocking is refused,
   * since a change the journal cannot record would be lost to crash repair.
   */
  readonly storeProblem: StoreFailure | null;
  private readonly dbFile: string;
  readonly journal: FirewallJournal;
  private readonly backend: FirewallBackend | null;
  private readonly platform: NodeJS.Platform;
  private readonly run: Runner;
  private elevated: boolean | null;
  private repairs: LocalizedText[] = [];
  private initialized = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** The app's rules as last read from the firewall (null until a read succeeded). */
  private lastLive: LiveRule[] | null = null;
  /**
   * The helper's backup file as a helper run of this process reported it taken or found (its
   * fixed place, see helperPlaces), or null: the user cannot look into root's folder on Linux.
   * Kept in memory, never in the store: a store column is the user's, editable by any program of
   * theirs (review 13, A3), where the backup is root's.
   */
  private backupSeen: string | null = null;
  /**
   * Whether every rule named like ours was looked for once in this process (to adopt rules the
   * journal lost); later reads look up the journal's rules by name, which on Windows does not
   * grow with the PC's other rules.
   */
  private scannedAll = false;

  constructor(private readonly options: FirewallServiceOptions) {
    // The journal's tables only (review 13 A14): a big store of kept scans is not read for them.
    const store = openDatabaseOrMemory(options.dataDir, { tables: JOURNAL_TABLES });
    this.db = store.db;
    this.storeProblem = store.problem;
    this.dbFile = databasePath(options.dataDir);
    this.journal = new FirewallJournal(this.db);
    this.platform = options.platform ?? process.platform;
    this.backend = options.backend === undefined ? backendFor(this.platform) : options.backend;
    this.run = options.run ?? runCommand;
    this.elevated =
      options.elevated ?? (this.platform === 'win32' ? null : process.geteuid?.() === 0);
  }

  get kind(): FirewallBackendKind {
    return this.backend?.kind ?? 'unsupported';
  }

  close(): void {
    this.db.close();
  }

  /**
   * Runs `task` after every earlier one has finished: two changes never overlap, so the backup is
   * taken before the first change only, and the journal never sees two batches interleaved.
   */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    // A store that fails mid-way (disk full, locked) is named with its way out, not "internal".
    const named = () =>
      task().catch((error: unknown) => {
        throw storeFailure(error, this.dbFile) ?? error;
      });
    const next = this.queue.then(named, named);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Reconciles interrupted or unknown changes once per process; messages kept for status(). */
  init(): Promise<void> {
    return this.exclusive(() => this.ensureInit());
  }

  private async ensureInit(): Promise<void> {
    if (this.initialized) return;
    this.initialized = true;
    if (this.elevated === null) {
      // Windows: token membership (IsInRole under the real token), read with the status.
      this.elevated = this.backend ? (await this.backend.status()).elevated : false;
    }
    if (!this.backend || this.journal.pending().length === 0) return;
    this.reconcile(await this.readLive(), true);
  }

  /** Repairs found at start, in the order they were made. */
  repairsMade(): LocalizedText[] {
    return [...this.repairs];
  }

  /**
   * Brings the journal in line with the firewall: a rule in flight or of unknown outcome is active
   * if the firewall holds it; otherwise an add failed and a remove succeeded. Without a read, the
   * journal keeps saying it does not know.
   */
  private reconcile(live: LiveRule[] | null, atStart: boolean): void {
    for (const rule of this.journal.pending()) {
      const what = describe(rule);
      if (live === null) {
        if (atStart) {
          this.repairs.push(
            inBothLanguages('messages:firewall.repair.unchecked', (l) => ({ what: what[l] })),
          );
        }
        continue;
      }
      const found = live.find((l) => l.name === rule.name);
      const op =
        rule.state === 'pending-add'
          ? 'add'
          : rule.state === 'pending-remove'
            ? 'remove'
            : (this.journal.lastOp(rule.id) ?? 'add');
      if (found) {
        this.journal.finish(rule.id, op, 'repaired', 'active', {
          ref: found.ref,
          detail: 'present when read back',
        });
        this.repairs.push(
          inBothLanguages(`messages:firewall.repair.${op}Present`, (l) => ({ what: what[l] })),
        );
      } else {
        this.journal.finish(rule.id, op, 'repaired', op === 'add' ? 'failed' : 'removed', {
          detail: 'absent when read back',
        });
        this.repairs.push(
          inBothLanguages(`messages:firewall.repair.${op}Absent`, (l) => ({ what: what[l] })),
        );
      }
    }
  }

  /**
   * The app's rules as the firewall holds them, read with the rights that takes: directly when
   * this process may (root, an elevated Windows token, or any Windows user: reading rules needs no
   * elevation); on Linux otherwise through the read-only helper (polkit, no prompt). Null when no
   * read is possible.
   */
  private async readLive(): Promise<LiveRule[] | null> {
    const live = await this.readLiveOnce();
    if (live) this.lastLive = live;
    return live;
  }

  private async readLiveOnce(): Promise<LiveRule[] | null> {
    if (!this.backend) return null;
    const names = this.scannedAll ? this.journal.current().map((r) => r.name) : undefined;
    const direct = await this.backend.list(names);
    if (direct !== null && !names) this.scannedAll = true;
    if (direct !== null || this.platform !== 'linux' || this.elevated) return direct;
    const helper = linuxHelperProblem('read');
    if (!('pkexec' in helper)) return null;
    const plan = pkexecPlan(helper.pkexec, [{ op: 'list' }], true);
    const run = interpretPkexec(await this.run(plan.argv, { timeoutMs: 60_000 }));
    if (run.kind !== 'result') return null;
    // Root's folder is not readable by the user: the reader says where the backup is.
    if (run.result.backup?.ok) this.sawBackup(run.result.backup.path, 'linux');
    return run.result.rules;
  }

  /** How a change would get its rights now (for a host to say a prompt is coming). */
  async elevationMode(): Promise<FirewallStatus['elevation']> {
    return (await this.elevation()).mode;
  }

  /**
   * The journal's rules with what the last read of the firewall said of each, without reading it
   * again (cheap enough for every verdict): what the results and reports use to show a port as
   * blocked.
   */
  knownRules(): FirewallRule[] {
    return this.journal.current().map((r) => this.toRule(r, this.lastLive));
  }

  /**
   * Outbound rules the user removed, as the journal keeps them (`present: false`): what a scan
   * made while one was in force could not see (see removedRuleHiding). Throws the store's errors.
   */
  removedOutboundRules(): FirewallRule[] {
    return this.journal.removedOutbound().map((r) => ({ ...this.toRule(r, null), present: false }));
  }

  /** How a change would get its rights now, or what stands in the way. */
  private async elevation(): Promise<
    | { mode: 'none' }
    | { mode: 'pkexec'; pkexec: string }
    | { mode: 'uac'; helper: WindowsHelperCommand }
    | { mode: 'unavailable'; problem: HelperProblem }
  > {
    if (this.elevated) return { mode: 'none' };
    if (this.platform === 'linux') {
      const helper = linuxHelperProblem('change');
      return 'pkexec' in helper
        ? { mode: 'pkexec', pkexec: helper.pkexec }
        : { mode: 'unavailable', problem: helper };
    }
    if (this.platform === 'win32') {
      const helper = this.options.windowsHelper ?? (await installedWindowsHelper(this.run));
      return helper
        ? { mode: 'uac', helper }
        : { mode: 'unavailable', problem: WINDOWS_NOT_INSTALLED };
    }
    return {
      mode: 'unavailable',
      problem: {
        code: Code['firewall.unsupported'],
        detail: this.platform,
        message: unsupported(this.platform).appError.message,
      },
    };
  }

  /**
   * Where the helper that changes the firewall keeps its backup: its fixed place (helperPlaces:
   * /var/lib/port-auditor/backups on Linux, `backups` beside the installed helper on Windows), or
   * null where no helper could take one.
   */
  private async backupPlace(elevation?: Awaited<ReturnType<FirewallService['elevation']>>) {
    if (this.platform === 'linux') return helperPlaces('linux').backupFile;
    if (this.platform !== 'win32') return null;
    const how = elevation ?? (await this.elevation());
    if (how.mode === 'uac') return helperPlaces('win32', how.helper.exe).backupFile;
    return how.mode === 'none' ? helperPlaces('win32').backupFile : null;
  }

  /** Remembers a backup a helper reported, only when it names the helper's fixed place. */
  private sawBackup(reported: string, platform: NodeJS.Platform, exe?: string): void {
    const place = helperPlaces(platform, exe).backupFile;
    if (reported === place) this.backupSeen = place;
  }

  /**
   * The firewall backup, claimed only when checked (guide: "Nothing claimed that was not
   * checked"; review 13, A3/N4): the helper's fixed place when a helper run of this process
   * reported the file there, or when this process sees a file there itself. Never a path read
   * from the store (any program of the user can write one there, line feeds included). Null
   * otherwise: none taken yet, or one this process cannot see (root's folder; a read through the
   * helper reports it, see readLiveOnce).
   */
  private async backupPath(
    elevation?: Awaited<ReturnType<FirewallService['elevation']>>,
  ): Promise<string | null> {
    const place = await this.backupPlace(elevation);
    if (place === null) return null;
    if (this.backupSeen === place) return place;
    const there = await lstat(place).then(
      (st) => st.isFile(),
      () => false,
    );
    return there ? place : null;
  }

  private requireBackend(): FirewallBackend {
    if (!this.backend) throw unsupported(this.platform);
    return this.backend;
  }

  status(): Promise<FirewallStatus> {
    return this.exclusive(async () => {
      await this.ensureInit();
      const base = this.backend ? await this.backend.status() : null;
      const elevation = await this.elevation();
      const warnings = (base?.warnings ?? []).map(sentenceInBoth);
      if (elevation.mode === 'unavailable') warnings.unshift(elevation.problem.message);
      if (this.storeProblem) warnings.unshift(this.storeProblem.appError.message);
      const live = this.backend ? await this.readLive() : null;
      const missing =
        live === null
          ? 0
          : this.journal.current().filter((r) => r.state === 'active' && vanishedFrom(r, live))
              .length;
      return {
        backend: this.kind,
        platform: this.platform,
        available: base?.available ?? false,
        elevated: (base?.elevated ?? false) || this.elevated === true,
        canChange: (base?.available ?? false) && elevation.mode !== 'unavailable',
        canRead: live !== null,
        profiles: base?.profiles ?? [],
        warnings,
        backupPath: await this.backupPath(elevation),
        repairs: this.repairsMade(),
        missing,
        elevation: elevation.mode,
      };
    });
  }

  preview(input: BlockRequestInput): Promise<FirewallPreview> {
    return this.exclusive(async () => {
      await this.ensureInit();
      const backend = this.requireBackend();
      const request = validateBlockRequest(input);
      refuseOwnScope(request, (this.options.ownAddresses ?? thisPcAddressSet)());
      const notes: LocalizedText[] = [];
      // Blocked already? Then the firewall says whether that rule is there or must be put back.
      const duplicate = this.journal
        .current()
        .find((r) => r.state === 'active' && sameRequest(r, request));
      const live = duplicate ? await this.readLive() : null;
      const vanished = !!duplicate && live !== null && vanishedFrom(duplicate, live);
      // The id is reserved here, for this request: block() with this ruleId applies exactly the
      // rule shown (the vanished one, put back under its own name, when there is one).
      const rule = vanished ? planned(duplicate) : planRule(request);
      this.reserve(rule.id, request);
      if (vanished) {
        // Named by date and port, never by the UUID name (review 15b).
        const called = ruleCalled(duplicate);
        notes.push(
          inBothLanguages('messages:firewall.preview.vanished', (l) => ({ name: called[l] })),
        );
      } else if (duplicate) {
        const called = ruleCalled(duplicate);
        notes.push(
          inBothLanguages('messages:firewall.preview.duplicate', (l) => ({ name: called[l] })),
        );
      }
      if (request.direction === 'in') {
        notes.push(bothLanguages('messages:firewall.preview.loopback'));
      }
      // Checked with nftables; Windows' own exception for answers to multicast is not confirmed.
      const discovery = backend.kind === 'nftables' ? discoveryWarning(request) : null;
      if (discovery) notes.push(discovery);
      if (!(await this.backupPath())) {
        notes.push(bothLanguages('messages:firewall.preview.backup'));
      }
      for (const other of this.journal.current()) {
        if (
          other.state === 'active' &&
          other.direction === request.direction &&
          other.protocol === request.protocol &&
          other.portFrom <= request.portTo &&
          other.portTo >= request.portFrom &&
          !sameRequest(other, request)
        ) {
          const what = describe(other);
          const called = ruleCalled(other);
          notes.push(
            inBothLanguages(
              `messages:firewall.preview.${other.remote.length > 0 ? 'overlapsFor' : 'overlaps'}`,
              (l) => ({ name: called[l], what: what[l], remote: other.remote.join(', ') }),
            ),
          );
        }
      }
      const elevation = await this.elevation();
      // Why it cannot be applied comes first, in the words of the check that failed.
      if (elevation.mode === 'unavailable') notes.unshift(elevation.problem.message);
      // What the permission prompt will name, first: the user can compare it with this preview.
      const ops: HelperOp[] = [{ op: 'block', rule }];
      const prompt =
        elevation.mode === 'pkexec'
          ? [pkexecPlan(elevation.pkexec, ops, false).argv]
          : elevation.mode === 'uac'
            ? [[elevation.helper.exe, ...elevation.helper.args, ...opsToArgv(ops)]]
            : [];
      return {
        request,
        id: rule.id,
        name: rule.name,
        summary: changeSummary(request),
        backend: backend.kind,
        commands: [
          ...prompt.map((argv) => ({ argv, display: displayArgv(argv) })),
          ...backend.preview(rule),
        ],
        elevation: elevation.mode,
        notes,
      };
    });
  }

  /**
   * One elevated batch: in this process when it already has the rights, otherwise the installed
   * helper through pkexec or UAC with the operations on its command line. Whatever the helper
   * could not report, the firewall is read back to tell.
   */
  private async batch(ops: HelperOp[]): Promise<BatchOutcome> {
    const backend = this.requireBackend();
    const elevation = await this.elevation();
    let run: ElevatedRun;
    switch (elevation.mode) {
      case 'unavailable':
        throw new AppFailure(elevation.problem.code, elevation.problem.message, {
          detail: elevation.problem.detail,
        });
      case 'none': {
        const result = await executeOps(ops, backend, helperPlaces(this.platform), this.platform);
        run = { kind: 'result', result, code: 0 };
        break;
      }
      case 'pkexec': {
        const plan = pkexecPlan(elevation.pkexec, ops, false);
        // The prompt may stay open a long time: the user is reading it.
        run = interpretPkexec(await this.run(plan.argv, { timeoutMs: 600_000 }));
        break;
      }
      case 'uac': {
        const plan = uacPlan(elevation.helper, ops);
        run = interpretUac(await this.run(plan.argv, { timeoutMs: 600_000, env: plan.env }));
        break;
      }
    }
    if (run.kind === 'cancelled') {
      return {
        kind: 'cancelled',
        message: CANCELLED_MESSAGE[elevation.mode === 'uac' ? 'uac' : 'pkexec'],
      };
    }
    if (run.kind === 'not-run') {
      throw new AppFailure(
        'firewall.elevation-failed',
        // pkexec's or Windows' own words (often English): quoted as the system's, on one line.
        { code: run.code, detail: quotable(run.detail, 300) },
        { variant: run.detail ? 'said' : 'plain' },
      );
    }
    if (run.kind === 'result') {
      const { result } = run;
      if (result.backup?.ok) {
        this.sawBackup(
          result.backup.path,
          this.platform,
          elevation.mode === 'uac' ? elevation.helper.exe : undefined,
        );
      }
      // The helper sends codes and values; the sentences are written here, in the app.
      // Our rules named by their date and port, from the journal (the helper has only names).
      const outcomes = opOutcomes(result, (name) => {
        const op = ops.find((o) => 'rule' in o && o.rule.name === name);
        const rule = op && 'rule' in op ? this.journal.get(op.rule.id) : null;
        return rule ? ruleCalled(rule) : undefined;
      });
      // A result of another length is a refusal of the whole command line (bad request).
      const results =
        outcomes.length === ops.length ? outcomes : ops.map(() => outcomes[0] ?? null);
      if (result.rules) this.lastLive = mergeRead(this.lastLive, result.rules, result.readNames);
      return {
        kind: 'ran',
        results,
        rules: result.rules,
        backup: backupOutcome(result),
        inspection: result.inspection,
      };
    }
    // Windows (exit code only) or a helper that left no result: the firewall says what happened.
    const rules = await this.readLive();
    const nothingChanged =
      run.kind === 'exit' &&
      (run.code === HELPER_EXIT.badRequest || run.code === HELPER_EXIT.backupFailed);
    const failure = nothingChanged
      ? {
          ok: false as const,
          error: {
            code:
              run.code === HELPER_EXIT.backupFailed
                ? 'firewall.backup-failed'
                : 'firewall.helper-bad-request',
            message: bothLanguages('errors:parts.helperChangedNothing', { code: run.code }),
          },
        }
      : null;
    if (elevation.mode === 'uac' && run.kind === 'exit' && run.code === HELPER_EXIT.ok) {
      // The helper took the backup beside itself, or kept the one already there.
      this.backupSeen = helperPlaces('win32', elevation.helper.exe).backupFile;
    }
    return { kind: 'ran', results: ops.map(() => failure), rules, backup: null, inspection: null };
  }

  /** Puts back a journal rule the firewall lost, as a block of it (same id and name). */
  private async reblock(rule: JournalRule): Promise<FirewallBlockOutcome> {
    const outcome = await this.batch([{ op: 'block', rule: planned(rule) }]);
    if (outcome.kind === 'cancelled') return { outcome: 'cancelled', message: outcome.message };
    if (outcome.rules === null) {
      return {
        outcome: 'unknown',
        rule: this.toRule(rule, null),
        message: UNKNOWN_BLOCK,
      };
    }
    if (!presentIn(rule, outcome.rules)) {
      const op = outcome.results[0];
      if (op && !op.ok) throw AppFailure.relay(op.error);
      throw new AppFailure('firewall.not-applied', undefined, { variant: 'notFound' });
    }
    this.journal.finish(rule.id, 'add', 'repaired', 'active', { detail: 're-applied' });
    const stored = this.journal.get(rule.id) as JournalRule;
    return {
      outcome: 'applied',
      rule: this.toRule(stored, outcome.rules),
      verification: await this.verify(stored, outcome.rules, outcome.inspection),
      backupPath: await this.backupPath(),
      restored: true,
    };
  }

  /**
   * After a read of the firewall: in-flight rules settled, and journal rows whose content differs
   * from what the firewall holds under their name corrected from the firewall (the journal is the
   * user's file; the firewall is root's, and the truth). A rule named like ours that the journal
   * lacks is listed as found, never as the app's (issue 15, N3: a name is not proof; see ownRule).
   */
  private bringJournalInLine(live: LiveRule[]): void {
    this.reconcile(live, false);
    this.listUnknown(live);
    for (const rule of this.journal.current()) {
      const found = live.find((l) => l.name === rule.name);
      if (!found?.details || sameRequest(rule, found.details)) continue;
      this.journal.correct(rule.id, found.details);
      const was = describe(rule);
      const now = describe(found.details);
      this.repairs.push(
        inBothLanguages('messages:firewall.repair.journalMismatch', (l) => ({
          name: ruleCalled(rule)[l],
          was: was[l],
          now: now[l],
        })),
      );
    }
  }

  block(input: BlockRequestInput): Promise<FirewallBlockOutcome> {
    return this.exclusive(async () => {
      await this.ensureInit();
      const backend = this.requireBackend();
      if (this.storeProblem) throw this.storeProblem;
      const request = validateBlockRequest(input);
      refuseOwnScope(request, (this.options.ownAddresses ?? thisPcAddressSet)());
      // The firewall, not the journal alone, says what is blocked: a rule another program
      // changed, or one a reboot erased, is seen as such before deciding.
      const before = await this.readLive();
      if (before) this.bringJournalInLine(before);
      const duplicate = this.journal.current().find((r) => sameRequest(r, request));
      const vanished =
        duplicate?.state === 'active' && before !== null && vanishedFrom(duplicate, before);
      if (duplicate && vanished) {
        // Blocked once, erased since (a reboot): blocking again puts that same rule back, as the
        // preview said (its reservation is that rule's id).
        if (input.ruleId !== undefined) this.takeReservation(input.ruleId, request);
        return this.reblock(duplicate);
      }
      if (duplicate) {
        const what = describe(request);
        throw new AppFailure(
          'firewall.duplicate',
          inBothLanguages('errors:firewall.duplicate', (l) => ({ what: what[l] })),
          { id: duplicate.id },
        );
      }
      if (this.journal.current().length >= MAX_RULES) {
        throw new AppFailure(
          'firewall.too-many-rules',
          { max: MAX_RULES },
          { text: { count: MAX_RULES } },
        );
      }
      if ((await backend.status()).serviceRunning === false) throw serviceStopped();
      const elevation = await this.elevation();
      if (elevation.mode === 'unavailable') {
        throw new AppFailure(elevation.problem.code, elevation.problem.message, {
          detail: elevation.problem.detail,
        });
      }
      const rule = planRule(request, this.reservedId(input.ruleId, request));
      this.journal.beginAdd({ ...rule, backend: backend.kind });
      let outcome: BatchOutcome;
      try {
        outcome = await this.batch([{ op: 'block', rule }]);
      } catch (error) {
        // Thrown before the helper could run (not authorised): nothing changed.
        this.journal.finish(rule.id, 'add', 'failed', 'failed', { detail: String(error) });
        throw error;
      }
      if (outcome.kind === 'cancelled') {
        this.journal.finish(rule.id, 'add', 'cancelled', 'cancelled');
        return { outcome: 'cancelled', message: outcome.message };
      }
      const op = outcome.results[0] ?? null;
      // Read back under its name and with the content asked for: anything else is not this block.
      const live =
        outcome.rules && presentIn(rule, outcome.rules)
          ? outcome.rules.find((r) => r.name === rule.name)
          : undefined;
      if (outcome.rules === null && op?.ok !== false) {
        // The helper may have added it and nobody could read it back: never call that failed.
        this.journal.finish(rule.id, 'add', 'unknown', 'unknown', { detail: 'not read back' });
        return {
          outcome: 'unknown',
          rule: this.toRule(this.journal.get(rule.id) as JournalRule, null),
          message: UNKNOWN_BLOCK,
        };
      }
      if (!live) {
        this.journal.finish(rule.id, 'add', 'failed', 'failed', {
          detail: op && !op.ok ? op.error.code : 'absent when read back',
        });
        if (op && !op.ok) throw AppFailure.relay(op.error);
        throw new AppFailure('firewall.not-applied', undefined, { variant: 'notFound' });
      }
      // Present when read back: active, whatever an exit code said.
      this.journal.finish(rule.id, 'add', op?.ok === false ? 'failed' : 'done', 'active', {
        ref: (op?.ok ? op.ref : undefined) ?? live.ref,
      });
      const verification = await this.verify(rule, outcome.rules, outcome.inspection);
      return {
        outcome: 'applied',
        rule: this.toRule(this.journal.get(rule.id) as JournalRule, outcome.rules),
        verification,
        backupPath: await this.backupPath(),
      };
    });
  }

  /** Remembers that a preview showed `id` for `request` (the newest MAX_RESERVATIONS kept). */
  private reserve(id: string, request: BlockRequest): void {
    const all = this.reservations().filter(([other]) => other !== id);
    all.push([id, request]);
    setMeta(this.db, RESERVATIONS_KEY, JSON.stringify(all.slice(-MAX_RESERVATIONS)));
  }

  private reservations(): [string, BlockRequest][] {
    try {
      const raw = JSON.parse(getMeta(this.db, RESERVATIONS_KEY) ?? '[]') as unknown;
      return Array.isArray(raw) ? (raw as [string, BlockRequest][]) : [];
    } catch {
      return [];
    }
  }

  /**
   * Uses up the reservation of `ruleId`, which must be a preview's for this very request: a rule id
   * shown for port 3389 cannot apply a block of port 22. Throws `firewall.invalid-rule-id`
   * otherwise, saying what the preview was for.
   */
  private takeReservation(ruleId: string, request: BlockRequest): void {
    const all = this.reservations();
    const found = all.find(([id]) => id === ruleId);
    // Kept in the user's own database: read back as any request would be.
    const shown = found ? reservedRequest(found[1]) : null;
    const ok = !!shown && sameRequest(shown, request);
    if (!ok) {
      const asked = describe(request);
      const was = shown ? describe(shown) : null;
      throw new AppFailure(
        'firewall.invalid-rule-id',
        was
          ? inBothLanguages('errors:firewall.invalid-rule-id.otherRequest', (l) => ({
              ruleId,
              was: withRemote(was[l], shown?.remote ?? []),
              asked: withRemote(asked[l], request.remote),
            }))
          : errorMessage('firewall.invalid-rule-id', undefined, { variant: 'unknown' }),
        { ruleId: ruleId.slice(0, 40) },
      );
    }
    setMeta(this.db, RESERVATIONS_KEY, JSON.stringify(all.filter(([id]) => id !== ruleId)));
  }

  /**
   * The id of a new rule: the one a preview reserved for this request, when it is well formed and
   * unused (see takeReservation); a fresh one without.
   */
  private reservedId(ruleId: string | undefined, request: BlockRequest): string {
    if (ruleId === undefined) return newRuleId();
    if (!isRuleId(ruleId) || this.journal.hasRow(ruleId)) {
      throw new AppFailure(
        'firewall.invalid-rule-id',
        { ruleId: ruleId.slice(0, 40) },
        { variant: 'used' },
      );
    }
    this.takeReservation(ruleId, request);
    return ruleId;
  }

  /** The checks behind "it worked", with the firewall's state read now (see verifyRule). */
  private async verify(
    rule: BlockRequest & { name: string },
    rules: LiveRule[] | null,
    inspection: FirewallInspection | null,
  ): Promise<FirewallVerification> {
    const status = await this.requireBackend().status();
    return verifyRule({ rule, rules, inspection, status, backend: this.kind });
  }

  private toRule(rule: JournalRule, live: LiveRule[] | null): FirewallRule {
    const { ref: _ref, ...rest } = rule;
    return { ...rest, present: live === null ? null : presentIn(rule, live) };
  }

  /**
   * Rules named like ours that the journal does not hold (its data folder was deleted, or another
   * program with the right to change the firewall wrote one) are listed as `found`, never as the
   * app's: the Rules page and `unblock` can remove them (nothing of the user's is left where the
   * app cannot show it), while `reapply` refuses them (ownRule: a name is not proof, so the app
   * never puts back what it did not make). A rule whose content cannot be read back stays out: it
   * would be listed with a wrong port.
   */
  private listUnknown(live: LiveRule[]): void {
    const backend = this.requireBackend();
    const known = new Set(this.journal.current().map((r) => r.name));
    for (const rule of live) {
      if (known.has(rule.name) || !isRuleName(rule.name) || !rule.details) continue;
      this.journal.adopt({
        ...rule.details,
        id: rule.name.slice(RULE_PREFIX.length),
        name: rule.name,
        backend: backend.kind,
        ref: rule.ref,
      });
    }
  }

  /**
   * Refuses, with `firewall.not-ours`, a rule the journal did not create (issue 15, N3): a rule
   * named like ours (PortAuditor-<uuid>) that another program wrote, or a row an earlier version
   * adopted from the firewall (`origin: 'found'`). A name is not proof: any program allowed to
   * change the firewall can give its rule our prefix, and putting it back would make Port Auditor
   * vouch for what it never made (removing it stays allowed: listUnknown). Returns the journal's rule otherwise, or undefined
   * when neither the journal nor the firewall knows the id (the caller says `unknown-rule`).
   */
  private async ownRule(id: string, live: LiveRule[] | null): Promise<JournalRule | undefined> {
    const rule = this.journal.get(id);
    const name = `${RULE_PREFIX}${id}`;
    if (rule?.origin === 'found') throw notOurs(rule.name);
    if (rule) return rule;
    if (live?.some((l) => l.name === name)) throw notOurs(name);
    // Later reads look up the journal's names only: ask the firewall for this one.
    const named = this.backend ? await this.backend.list([name]).catch(() => null) : null;
    if (named?.some((l) => l.name === name)) throw notOurs(name);
    return undefined;
  }

  private async listNow(): Promise<FirewallRuleList> {
    const live = this.backend ? await this.readLive() : null;
    if (live) this.bringJournalInLine(live);
    return {
      rules: this.journal.current().map((r) => this.toRule(r, live)),
      verified: live !== null,
    };
  }

  list(): Promise<FirewallRuleList> {
    return this.exclusive(async () => {
      await this.ensureInit();
      return this.listNow();
    });
  }

  remove(ids: string[]): Promise<FirewallRemoveOutcome> {
    return this.exclusive(async () => {
      await this.ensureInit();
      const live = await this.readLive();
      if (live) this.bringJournalInLine(live);
      return this.removeNow(ids.map((id) => (isRuleName(id) ? id.slice(RULE_PREFIX.length) : id)));
    });
  }

  private async removeNow(ids: string[]): Promise<FirewallRemoveOutcome> {
    const backend = this.requireBackend();
    const rules = ids.map((id) => {
      const rule = this.journal.get(id);
      if (!rule || !['active', 'pending-remove', 'unknown'].includes(rule.state)) {
        throw new AppFailure('firewall.unknown-rule', { id });
      }
      return rule;
    });
    if (rules.length === 0)
      return { outcome: 'applied', removed: [], stillPresent: [], unknown: [] };
    if ((await backend.status()).serviceRunning === false) throw serviceStopped();
    for (const rule of rules) this.journal.beginRemove(rule.id);
    let outcome: BatchOutcome;
    try {
      outcome = await this.batch(
        rules.map((r) => ({
          op: 'unblock',
          rule: {
            id: r.id,
            name: r.name,
            protocol: r.protocol,
            portFrom: r.portFrom,
            portTo: r.portTo,
            direction: r.direction,
            remote: r.remote,
          },
        })),
      );
    } catch (error) {
      for (const rule of rules) {
        this.journal.finish(rule.id, 'remove', 'failed', 'active', { detail: String(error) });
      }
      throw error;
    }
    if (outcome.kind === 'cancelled') {
      for (const rule of rules) this.journal.finish(rule.id, 'remove', 'cancelled', 'active');
      return { outcome: 'cancelled', message: outcome.message };
    }
    const removed: string[] = [];
    const stillPresent: string[] = [];
    const unknown: string[] = [];
    let firstError: AppFailure | null = null;
    rules.forEach((rule, index) => {
      const op = outcome.results[index] ?? null;
      if (op && !op.ok && !firstError) {
        firstError = AppFailure.relay(op.error);
      }
      if (outcome.rules === null) {
        if (op && !op.ok) {
          // The helper says it did not remove it: still there as far as anyone knows.
          this.journal.finish(rule.id, 'remove', 'failed', 'active', { detail: op.error.code });
          stillPresent.push(rule.id);
        } else {
          // Removed, says the helper or nobody; not read back: never call that removed.
          this.journal.finish(rule.id, 'remove', 'unknown', 'unknown', { detail: 'not read back' });
          unknown.push(rule.id);
        }
        return;
      }
      const present = outcome.rules.some((l) => l.name === rule.name);
      if (present) {
        this.journal.finish(rule.id, 'remove', 'failed', 'active', {
          detail: op && !op.ok ? op.error.code : 'still present',
        });
        stillPresent.push(rule.id);
      } else {
        this.journal.finish(rule.id, 'remove', op?.ok === false ? 'failed' : 'done', 'removed');
        removed.push(rule.id);
      }
    });
    if (firstError && removed.length === 0 && unknown.length === 0) throw firstError;
    return { outcome: 'applied', removed, stillPresent, unknown };
  }

  /**
   * Applies again, with the same names, active rules the firewall lost (a reboot flushed nftables,
   * a firewall reset). Rules still present are left alone; the firewall must be readable, or the
   * app could not tell a lost rule from a present one. Root puts back only what its own record
   * (Linux: /var/lib/port-auditor/rules.json) holds with that id and content, each rule named with
   * its content on the prompt's command line: a row another program wrote into the journal, a file
   * of the user's, is refused with the reason (`problems`), and when nothing came back the first
   * refusal is thrown. Where no such record exists (Windows, whose firewall keeps its rules), it is
   * refused before any prompt: blocking the port again does it, from the user's own request.
   */
  reapply(ids: string[]): Promise<FirewallReapplyOutcome> {
    return this.exclusive(async () => {
      await this.ensureInit();
      this.requireBackend();
      if (this.storeProblem) throw this.storeProblem;
      const live = await this.readLive();
      if (live === null) {
        throw new AppFailure('firewall.unreadable', undefined, { variant: 'vanished' });
      }
      const lost: JournalRule[] = [];
      for (const id of ids) {
        const rule = await this.ownRule(id, live);
        if (!rule || rule.state !== 'active') {
          throw new AppFailure('firewall.unknown-rule', { id });
        }
        lost.push(rule);
      }
      const missing = lost.filter((r) => vanishedFrom(r, live));
      if (missing.length === 0) return { outcome: 'applied', reapplied: [], stillMissing: [] };
      if (helperPlaces(this.platform).stateFile === null) {
        const rule = missing[0] as JournalRule;
        throw withRuleInWords(notVouched(planned(rule), false), ruleCalled(rule));
      }
      const outcome = await this.batch(missing.map((r) => ({ op: 'reapply', rule: planned(r) })));
      if (outcome.kind === 'cancelled') return { outcome: 'cancelled', message: outcome.message };
      const reapplied: string[] = [];
      const stillMissing: string[] = [];
      const problems: LocalizedText[] = [];
      let firstError: AppFailure | null = null;
      missing.forEach((rule, index) => {
        const op = outcome.results[index] ?? null;
        if (op && !op.ok) {
          problems.push(op.error.message);
          firstError ??= AppFailure.relay(op.error);
        }
        if (outcome.rules && presentIn(rule, outcome.rules)) {
          this.journal.finish(rule.id, 'add', 'repaired', 'active', { detail: 're-applied' });
          reapplied.push(rule.id);
        } else {
          stillMissing.push(rule.id);
        }
      });
      if (firstError && reapplied.length === 0) throw firstError;
      // A rule put back is checked as a new one: a port forward added since may walk around it.
      const verifications: Record<string, FirewallVerification> = {};
      for (const rule of missing) {
        if (reapplied.includes(rule.id)) {
          verifications[rule.id] = await this.verify(rule, outcome.rules, outcome.inspection);
        }
      }
      return { outcome: 'applied', reapplied, stillMissing, problems, verifications };
    });
  }

  removeAll(): Promise<FirewallRemoveOutcome> {
    return this.exclusive(async () => {
      await this.ensureInit();
      // Reads the firewall first, so "undo all" also removes rules found without a journal entry.
      await this.listNow();
      return this.removeNow(this.journal.current().map((r) => r.id));
    });
  }
}
