import type {
  BlockRequestInput,
  FirewallBackendKind,
  FirewallBlockOutcome,
  FirewallPreview,
  FirewallRemoveOutcome,
  FirewallRule,
  FirewallRuleList,
  FirewallStatus,
  FirewallVerification,
  LocalizedText,
} from '../contract/index.js';
import { AppFailure } from '../errors.js';
import { getMeta, openDatabase, setMeta, type Db } from '../store/database.js';
import { FirewallJournal, type JournalRule } from '../store/journal.js';
import { runCommand, type FirewallBackend, type LiveRule, type Runner } from './backend.js';
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
import type { HelperOp } from './helper-argv.js';
import { linuxHelperProblem, type HelperProblem } from './helper-install.js';
import { backupPlace, executeOps, HELPER_EXIT, type HelperResult } from './helper-protocol.js';
import { serviceStopped } from './netsh.js';
import { isRuleName, planRule, portText, RULE_PREFIX, validateBlockRequest } from './request.js';
import { installedWindowsHelper } from './windows-install.js';

const BACKUP_KEY = 'firewall.backup';

function describe(rule: Pick<JournalRule, 'protocol' | 'portFrom' | 'portTo' | 'direction'>) {
  const port = `${rule.protocol.toUpperCase()} ${portText(rule)}`;
  return {
    fr: `${port} (${rule.direction === 'in' ? 'entrant' : 'sortant'})`,
    en: `${port} (${rule.direction === 'in' ? 'inbound' : 'outbound'})`,
  };
}

function sameScope(
  a: JournalRule,
  b: { protocol: string; portFrom: number; portTo: number; direction: string; remote: string[] },
) {
  return (
    a.protocol === b.protocol &&
    a.portFrom === b.portFrom &&
    a.portTo === b.portTo &&
    a.direction === b.direction &&
    [...a.remote].sort().join(',') === [...b.remote].sort().join(',')
  );
}

function unsupported(platform: string): AppFailure {
  return new AppFailure('firewall.unsupported', {
    fr: `Le blocage de ports n’est pas pris en charge sur ce système (${platform}).`,
    en: `Blocking ports is not supported on this system (${platform}).`,
  });
}

const WINDOWS_NOT_INSTALLED: HelperProblem = {
  code: 'firewall.helper-missing',
  detail: 'no per-machine install found',
  message: {
    fr: 'Pour bloquer un port, installez Port Auditor pour tous les utilisateurs (l’installateur Windows) : la modification du pare-feu passe par le programme installé dans Program Files, que seuls les administrateurs peuvent modifier.',
    en: 'To block a port, install Port Auditor for all users (the Windows installer): firewall changes go through the program installed in Program Files, which only administrators can modify.',
  },
};

const UNKNOWN_BLOCK: LocalizedText = {
  fr: 'Port Auditor n’a pas pu vérifier si la règle a été créée (le pare-feu n’a pas pu être relu). Elle est notée « état inconnu » et sera vérifiée à la prochaine lecture du pare-feu (page Règles).',
  en: 'Port Auditor could not check whether the rule was created (the firewall could not be read back). It is marked “unknown” and will be checked at the next read of the firewall (Rules page).',
};

/** What one elevated batch gave, per operation, once its outcome is known or known unknowable. */
type BatchOutcome =
  | { kind: 'cancelled'; message: LocalizedText }
  | {
      kind: 'ran';
      /** The helper's word for each operation; null when only the firewall can tell (Windows). */
      results: (HelperResult['results'][number] | null)[];
      /** The app's rules after the batch; null when they could not be read. */
      rules: LiveRule[] | null;
      backup: HelperResult['backup'];
    };

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
}

/**
 * Blocking and undoing, for every host: validation, journal before and after each change, the
 * elevated helper in between (its command line is the approved change), and a verification that
 * reads the firewall back instead of trusting exit codes. Changes run one at a time. Construct once
 * per process; every public method first reconciles what an interrupted change left.
 */
export class FirewallService {
  private readonly db: Db;
  readonly journal: FirewallJournal;
  private readonly backend: FirewallBackend | null;
  private readonly platform: NodeJS.Platform;
  private readonly run: Runner;
  private elevated: boolean | null;
  private repairs: LocalizedText[] = [];
  private initialized = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FirewallServiceOptions) {
    this.db = openDatabase(options.dataDir);
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
    const next = this.queue.then(task, task);
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
          this.repairs.push({
            fr: `Une modification interrompue ou non vérifiée (${what.fr}) n’a pas pu être contrôlée : le pare-feu n’a pas pu être relu. Elle le sera à la prochaine lecture.`,
            en: `An interrupted or unverified change (${what.en}) could not be checked: the firewall could not be read. It will be checked at the next read.`,
          });
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
          op === 'add'
            ? {
                fr: `Blocage de ${what.fr} vérifié après coup : la règle est bien dans le pare-feu, le journal a été complété.`,
                en: `Block of ${what.en} checked afterwards: the rule is in the firewall; the journal was completed.`,
              }
            : {
                fr: `Annulation de ${what.fr} vérifiée après coup : la règle est toujours active ; vous pouvez la débloquer à nouveau.`,
                en: `Undo of ${what.en} checked afterwards: the rule is still active; you can unblock it again.`,
              },
        );
      } else {
        this.journal.finish(rule.id, op, 'repaired', op === 'add' ? 'failed' : 'removed', {
          detail: 'absent when read back',
        });
        this.repairs.push(
          op === 'add'
            ? {
                fr: `Blocage de ${what.fr} vérifié après coup : la règle n’a pas été créée, rien n’a changé dans le pare-feu.`,
                en: `Block of ${what.en} checked afterwards: the rule was not created; nothing changed in the firewall.`,
              }
            : {
                fr: `Annulation de ${what.fr} vérifiée après coup : la règle a bien été retirée, le journal a été complété.`,
                en: `Undo of ${what.en} checked afterwards: the rule was removed; the journal was completed.`,
              },
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
    if (!this.backend) return null;
    const direct = await this.backend.list();
    if (direct !== null || this.platform !== 'linux' || this.elevated) return direct;
    const helper = linuxHelperProblem('read');
    if (!('pkexec' in helper)) return null;
    const plan = pkexecPlan(helper.pkexec, [{ op: 'list' }], true);
    const run = interpretPkexec(await this.run(plan.argv, { timeoutMs: 60_000 }));
    return run.kind === 'result' ? run.result.rules : null;
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
        code: 'firewall.unsupported',
        detail: this.platform,
        message: unsupported(this.platform).appError.message,
      },
    };
  }

  private backupPath(): string | null {
    return getMeta(this.db, BACKUP_KEY);
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
      const warnings = [...(base?.warnings ?? [])];
      if (elevation.mode === 'unavailable') warnings.unshift(elevation.problem.message);
      const canRead = base?.canRead || (this.backend ? (await this.readLive()) !== null : false);
      return {
        backend: this.kind,
        platform: this.platform,
        available: base?.available ?? false,
        elevated: (base?.elevated ?? false) || this.elevated === true,
        canChange: (base?.available ?? false) && elevation.mode !== 'unavailable',
        canRead,
        profiles: base?.profiles ?? [],
        warnings,
        backupPath: this.backupPath(),
        repairs: this.repairsMade(),
        elevation: elevation.mode,
      };
    });
  }

  preview(input: BlockRequestInput): Promise<FirewallPreview> {
    return this.exclusive(async () => {
      await this.ensureInit();
      const backend = this.requireBackend();
      const request = validateBlockRequest(input);
      const rule = planRule(request);
      const notes: LocalizedText[] = [];
      if (request.direction === 'in') {
        notes.push({
          fr: 'Un blocage entrant protège ce PC des autres appareils. Le trafic local (loopback) n’est jamais filtré : une analyse de ce PC depuis lui-même verra encore le port ouvert.',
          en: 'An inbound block protects this PC from other devices. Local (loopback) traffic is never filtered: a scan of this PC from itself will still see the port open.',
        });
      } else {
        notes.push({
          fr: 'Un blocage sortant empêche ce PC de joindre ce port sur les appareils visés ; une nouvelle analyse le montrera « filtré ».',
          en: 'An outbound block stops this PC from reaching that port on the targeted devices; a new scan will show it “filtered”.',
        });
      }
      if (!this.backupPath()) {
        notes.push({
          fr: 'Avant cette première modification, Port Auditor enregistre une sauvegarde de la configuration du pare-feu.',
          en: 'Before this first change, Port Auditor saves a backup of the firewall configuration.',
        });
      }
      const elevation = await this.elevation();
      // Why it cannot be applied comes first, in the words of the check that failed.
      if (elevation.mode === 'unavailable') notes.unshift(elevation.problem.message);
      return {
        request,
        name: rule.name,
        backend: backend.kind,
        commands: backend.preview(rule),
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
        const result = await executeOps(ops, backend, backupPlace(this.platform), this.platform);
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
        {
          fr: 'L’autorisation administrateur a été refusée ou a échoué : le pare-feu n’a pas été modifié.',
          en: 'Administrator authorisation was refused or failed: the firewall was not changed.',
        },
        { code: run.code, detail: run.detail },
      );
    }
    if (run.kind === 'result') {
      const { result } = run;
      if (result.backup?.ok) setMeta(this.db, BACKUP_KEY, result.backup.path);
      // A result of another length is a refusal of the whole command line (bad request).
      const results =
        result.results.length === ops.length
          ? result.results
          : ops.map(() => result.results[0] ?? null);
      return { kind: 'ran', results, rules: result.rules, backup: result.backup };
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
            message: {
              fr: `Le module d’administration n’a rien modifié (code ${run.code}).`,
              en: `The administration helper changed nothing (exit ${run.code}).`,
            },
          },
        }
      : null;
    if (elevation.mode === 'uac' && run.kind === 'exit' && run.code === HELPER_EXIT.ok) {
      // The helper took the backup beside itself, or kept the one already there.
      setMeta(this.db, BACKUP_KEY, backupPlace('win32', elevation.helper.exe).file);
    }
    return { kind: 'ran', results: ops.map(() => failure), rules, backup: null };
  }

  block(input: BlockRequestInput): Promise<FirewallBlockOutcome> {
    return this.exclusive(async () => {
      await this.ensureInit();
      const backend = this.requireBackend();
      const request = validateBlockRequest(input);
      const duplicate = this.journal.current().find((r) => sameScope(r, request));
      if (duplicate) {
        throw new AppFailure(
          'firewall.duplicate',
          {
            fr: `Ce port est déjà bloqué par Port Auditor (${describe(request).fr}).`,
            en: `This port is already blocked by Port Auditor (${describe(request).en}).`,
          },
          { id: duplicate.id },
        );
      }
      if ((await backend.status()).serviceRunning === false) throw serviceStopped();
      const elevation = await this.elevation();
      if (elevation.mode === 'unavailable') {
        throw new AppFailure(elevation.problem.code, elevation.problem.message, {
          detail: elevation.problem.detail,
        });
      }
      const rule = planRule(request);
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
      const live = outcome.rules?.find((r) => r.name === rule.name);
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
        if (op && !op.ok) throw new AppFailure(op.error.code, op.error.message, op.error.params);
        throw new AppFailure('firewall.not-applied', {
          fr: 'La règle est introuvable dans le pare-feu après la modification : le blocage n’a pas eu lieu.',
          en: 'The rule cannot be found in the firewall after the change: the block did not happen.',
        });
      }
      // Present when read back: active, whatever an exit code said.
      this.journal.finish(rule.id, 'add', op?.ok === false ? 'failed' : 'done', 'active', {
        ref: (op?.ok ? op.ref : undefined) ?? live.ref,
      });
      const verification = await this.verify(rule.name, outcome.rules);
      return {
        outcome: 'applied',
        rule: this.toRule(this.journal.get(rule.id) as JournalRule, outcome.rules),
        verification,
        backupPath: this.backupPath(),
      };
    });
  }

  /**
   * The checks behind "it worked": the rule reads back, the firewall filters on the active
   * profiles, and policy applies local rules. Any failed check makes the result `no`.
   */
  private async verify(name: string, rules: LiveRule[] | null): Promise<FirewallVerification> {
    const problems: LocalizedText[] = [];
    const readBack = rules === null ? null : rules.some((r) => r.name === name);
    if (readBack === false) {
      problems.push({
        fr: 'La règle est introuvable dans le pare-feu après son écriture : le blocage n’a pas eu lieu.',
        en: 'The rule cannot be found in the firewall after writing it: the block did not happen.',
      });
    }
    const status = await this.requireBackend().status();
    const relevant = status.profiles.filter((p) => p.active !== false);
    let firewallOn: boolean | null = status.available ? relevant.every((p) => p.enabled) : null;
    if (status.profiles.length === 0) firewallOn = null;
    if (firewallOn === false) {
      for (const p of relevant.filter((x) => !x.enabled)) {
        problems.push({
          fr: `Le pare-feu est désactivé pour le profil ${p.name} : la règle n’y a aucun effet.`,
          en: `The firewall is off for the ${p.name} profile: the rule has no effect there.`,
        });
      }
    }
    const merges = relevant.map((p) => p.localRulesApplied).filter((v): v is boolean => v !== null);
    const localRulesApplied = merges.length === 0 ? null : merges.every(Boolean);
    if (localRulesApplied === false) {
      problems.push({
        fr: 'Une stratégie de groupe ignore les règles locales du pare-feu : la règle est créée mais pas appliquée.',
        en: 'Group Policy ignores local firewall rules: the rule is created but not enforced.',
      });
    }
    const effective: FirewallVerification['effective'] =
      problems.length > 0 ? 'no' : readBack === null || firewallOn === null ? 'unknown' : 'yes';
    return { readBack, firewallOn, localRulesApplied, effective, problems };
  }

  private toRule(rule: JournalRule, live: LiveRule[] | null): FirewallRule {
    const { ref: _ref, ...rest } = rule;
    return { ...rest, present: live === null ? null : live.some((l) => l.name === rule.name) };
  }

  /**
   * Rules named like ours that the journal does not hold (its data folder was deleted, or a backup
   * restored them) are adopted as `found`, so the Rules page and `unblock --all` can undo them.
   * A rule whose content the app cannot read back stays out: it would be listed with a wrong port.
   */
  private adoptUnknown(live: LiveRule[]): void {
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

  private async listNow(): Promise<FirewallRuleList> {
    const live = this.backend ? await this.readLive() : null;
    if (live) {
      this.reconcile(live, false);
      this.adoptUnknown(live);
    }
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
      return this.removeNow(ids);
    });
  }

  private async removeNow(ids: string[]): Promise<FirewallRemoveOutcome> {
    const backend = this.requireBackend();
    const rules = ids.map((id) => {
      const rule = this.journal.get(id);
      if (!rule || !['active', 'pending-remove', 'unknown'].includes(rule.state)) {
        throw new AppFailure(
          'firewall.unknown-rule',
          {
            fr: `Aucune règle active de Port Auditor ne porte l’identifiant « ${id} ».`,
            en: `No active Port Auditor rule has the id “${id}”.`,
          },
          { id },
        );
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
        firstError = new AppFailure(op.error.code, op.error.message, op.error.params);
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

  removeAll(): Promise<FirewallRemoveOutcome> {
    return this.exclusive(async () => {
      await this.ensureInit();
      // Reads the firewall first, so "undo all" also removes rules found without a journal entry.
      await this.listNow();
      return this.removeNow(this.journal.current().map((r) => r.id));
    });
  }
}
