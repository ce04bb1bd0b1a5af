import path from 'node:path';
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
import type { BackendStatus, FirewallBackend, LiveRule } from './backend.js';
import {
  elevationMode,
  noElevation,
  runHelper,
  type ElevationMode,
  type HelperCommand,
  type LaunchOutcome,
} from './elevation.js';
import type { HelperOp, HelperRequest } from './helper-protocol.js';
import { NetshBackend } from './netsh.js';
import { NftablesBackend } from './nftables.js';
import { isRuleName, planRule, portText, RULE_PREFIX, validateBlockRequest } from './request.js';

const BACKUP_KEY = 'firewall.backup';

export function backendFor(platform: NodeJS.Platform = process.platform): FirewallBackend | null {
  if (platform === 'win32') return new NetshBackend();
  if (platform === 'linux') return new NftablesBackend();
  return null;
}

/** Where the helper writes backups: inside the data dir, next to its request files. */
export function backupDirFor(workDir: string): string {
  return path.join(path.dirname(workDir), 'backups');
}

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

function unsupported(): AppFailure {
  return new AppFailure('firewall.unsupported', {
    fr: `Le blocage de ports n’est pas pris en charge sur ce système (${process.platform}).`,
    en: `Blocking ports is not supported on this system (${process.platform}).`,
  });
}

function backupStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export interface FirewallServiceOptions {
  dataDir: string;
  backend?: FirewallBackend | null;
  /** Override for hosts whose runtime is not plain node (Electron must run the helper as node). */
  helper?: HelperCommand;
  elevated?: boolean;
  platform?: NodeJS.Platform;
}

/**
 * Blocking and undoing, for every host: validation, journal before and after each change, the
 * elevated helper in between, and a verification that reads the firewall back instead of trusting
 * exit codes. Construct once per process; `init()` repairs what a crash left half-done.
 */
export class FirewallService {
  private readonly db: Db;
  readonly journal: FirewallJournal;
  private readonly backend: FirewallBackend | null;
  private readonly workDir: string;
  private readonly platform: NodeJS.Platform;
  private readonly elevated: boolean;
  private repairs: LocalizedText[] = [];
  private initialized: Promise<void> | null = null;

  constructor(private readonly options: FirewallServiceOptions) {
    this.db = openDatabase(options.dataDir);
    this.journal = new FirewallJournal(this.db);
    this.platform = options.platform ?? process.platform;
    this.backend = options.backend === undefined ? backendFor(this.platform) : options.backend;
    this.workDir = path.join(options.dataDir, 'helper');
    this.elevated = options.elevated ?? process.getuid?.() === 0;
  }

  get kind(): FirewallBackendKind {
    return this.backend?.kind ?? 'unsupported';
  }

  close(): void {
    this.db.close();
  }

  /** Reconciles interrupted changes once; the messages are kept for status() and the CLI. */
  init(): Promise<void> {
    this.initialized ??= (async () => {
      if (!this.backend || this.journal.pending().length === 0) return;
      this.reconcile(await this.backend.list(), true);
    })();
    return this.initialized;
  }

  /** Repairs found at start, in the order they were made. */
  repairsMade(): LocalizedText[] {
    return [...this.repairs];
  }

  /**
   * Brings the journal in line with the firewall: a pending add is active if its rule is there and
   * failed if not; a pending remove is removed if gone and active again if still there.
   */
  private reconcile(live: LiveRule[] | null, atStart: boolean): void {
    const pending = this.journal.pending();
    for (const rule of pending) {
      const what = describe(rule);
      if (live === null) {
        if (atStart) {
          this.repairs.push({
            fr: `Une modification interrompue (${what.fr}) n’a pas pu être vérifiée : le pare-feu n’est pas lisible sans droits d’administrateur. Elle sera vérifiée à la prochaine modification.`,
            en: `An interrupted change (${what.en}) could not be checked: the firewall cannot be read without administrator rights. It will be checked at the next change.`,
          });
        }
        continue;
      }
      const found = live.find((l) => l.name === rule.name);
      if (rule.state === 'pending-add') {
        if (found) {
          this.journal.finish(rule.id, 'add', 'repaired', 'active', {
            ref: found.ref,
            detail: 'present after interruption',
          });
          this.repairs.push({
            fr: `Blocage interrompu de ${what.fr} : la règle est bien dans le pare-feu, le journal a été complété.`,
            en: `Interrupted block of ${what.en}: the rule is in the firewall; the journal was completed.`,
          });
        } else {
          this.journal.finish(rule.id, 'add', 'repaired', 'failed', {
            detail: 'absent after interruption',
          });
          this.repairs.push({
            fr: `Blocage interrompu de ${what.fr} : la règle n’a pas été créée, rien n’a changé dans le pare-feu.`,
            en: `Interrupted block of ${what.en}: the rule was not created; nothing changed in the firewall.`,
          });
        }
      } else if (rule.state === 'pending-remove') {
        if (found) {
          this.journal.finish(rule.id, 'remove', 'repaired', 'active', {
            detail: 'still present after interruption',
          });
          this.repairs.push({
            fr: `Annulation interrompue de ${what.fr} : la règle est toujours active ; vous pouvez l’annuler à nouveau.`,
            en: `Interrupted undo of ${what.en}: the rule is still active; you can undo it again.`,
          });
        } else {
          this.journal.finish(rule.id, 'remove', 'repaired', 'removed', {
            detail: 'absent after interruption',
          });
          this.repairs.push({
            fr: `Annulation interrompue de ${what.fr} : la règle a bien été retirée, le journal a été complété.`,
            en: `Interrupted undo of ${what.en}: the rule was removed; the journal was completed.`,
          });
        }
      }
    }
  }

  private mode(): ElevationMode {
    return elevationMode(this.platform, this.elevated);
  }

  private backupPath(): string | null {
    return getMeta(this.db, BACKUP_KEY);
  }

  private requireBackend(): FirewallBackend {
    if (!this.backend) throw unsupported();
    return this.backend;
  }

  async status(): Promise<FirewallStatus> {
    await this.init();
    const backend = this.backend;
    const base: BackendStatus = backend
      ? await backend.status()
      : { available: false, elevated: this.elevated, canRead: false, profiles: [], warnings: [] };
    const mode = this.mode();
    return {
      backend: this.kind,
      platform: this.platform,
      available: base.available,
      elevated: base.elevated || this.elevated,
      canChange: base.available && mode !== 'unavailable',
      canRead: base.canRead,
      profiles: base.profiles,
      warnings: base.warnings,
      backupPath: this.backupPath(),
      repairs: this.repairsMade(),
    };
  }

  async preview(input: BlockRequestInput): Promise<FirewallPreview> {
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
    const mode = this.mode();
    return {
      request,
      name: rule.name,
      backend: backend.kind,
      commands: backend.preview(rule),
      elevation: mode,
      notes,
    };
  }

  /** Throws the test's own SIGKILL at a named point, so crash repair is tested on a real crash. */
  private crashPoint(point: 'after-journal' | 'after-apply'): void {
    if (process.env.PORT_AUDITOR_FIREWALL_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
  }

  private async batch(ops: HelperOp[]): Promise<LaunchOutcome> {
    const request: HelperRequest = { version: 1, ops };
    if (!this.backupPath()) {
      const ext = this.requireBackend().kind === 'netsh' ? 'wfw' : 'nft';
      request.backupName = `firewall-backup-${backupStamp(new Date())}.${ext}`;
    }
    const outcome = await runHelper({
      mode: this.mode(),
      request,
      workDir: this.workDir,
      ...(this.options.helper ? { helper: this.options.helper } : {}),
    });
    if (outcome.kind === 'done' && outcome.result.backup?.ok) {
      setMeta(this.db, BACKUP_KEY, outcome.result.backup.path);
    }
    return outcome;
  }

  async block(input: BlockRequestInput): Promise<FirewallBlockOutcome> {
    const backend = this.requireBackend();
    const request = validateBlockRequest(input);
    await this.init();
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
    if (this.mode() === 'unavailable') {
      throw noElevation();
    }
    const rule = planRule(request);
    this.journal.beginAdd({ ...rule, backend: backend.kind });
    this.crashPoint('after-journal');
    let outcome: LaunchOutcome;
    try {
      outcome = await this.batch([{ op: 'block', rule }]);
    } catch (error) {
      this.journal.finish(rule.id, 'add', 'failed', 'failed', { detail: String(error) });
      throw error;
    }
    if (outcome.kind === 'cancelled') {
      this.journal.finish(rule.id, 'add', 'cancelled', 'failed');
      return { outcome: 'cancelled', message: outcome.message };
    }
    this.crashPoint('after-apply');
    const { result } = outcome;
    const op = result.results[0];
    const live = result.rules?.find((r) => r.name === rule.name);
    if (!op?.ok) {
      // A failed write that still left a rule behind is recorded as active, so Undo can remove it.
      this.journal.finish(rule.id, 'add', 'failed', live ? 'active' : 'failed', {
        ref: live?.ref ?? null,
        detail: op ? op.error.code : 'no result',
      });
      if (op) throw new AppFailure(op.error.code, op.error.message, op.error.params);
      throw new AppFailure('firewall.helper-failed', {
        fr: 'Le module d’administration n’a rendu aucun résultat pour ce blocage.',
        en: 'The administration helper returned no result for this block.',
      });
    }
    this.journal.finish(rule.id, 'add', 'done', 'active', { ref: op.ref ?? live?.ref ?? null });
    const verification = await this.verify(rule.name, result.rules);
    const stored = this.journal.get(rule.id) as JournalRule;
    return {
      outcome: 'applied',
      rule: this.toRule(stored, result.rules),
      verification,
      backupPath: this.backupPath(),
    };
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

  async list(): Promise<FirewallRuleList> {
    await this.init();
    const live = this.backend ? await this.backend.list() : null;
    if (live) {
      this.reconcile(live, false);
      this.adoptUnknown(live);
    }
    return {
      rules: this.journal.current().map((r) => this.toRule(r, live)),
      verified: live !== null,
    };
  }

  async remove(ids: string[]): Promise<FirewallRemoveOutcome> {
    this.requireBackend();
    await this.init();
    const rules = ids.map((id) => {
      const rule = this.journal.get(id);
      if (!rule || (rule.state !== 'active' && rule.state !== 'pending-remove')) {
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
    if (rules.length === 0) return { outcome: 'applied', removed: [], stillPresent: [] };
    for (const rule of rules) this.journal.beginRemove(rule.id);
    this.crashPoint('after-journal');
    let outcome: LaunchOutcome;
    try {
      outcome = await this.batch(rules.map((r) => ({ op: 'remove', name: r.name })));
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
    this.crashPoint('after-apply');
    const { result } = outcome;
    const removed: string[] = [];
    const stillPresent: string[] = [];
    let firstError: AppFailure | null = null;
    rules.forEach((rule, index) => {
      const op = result.results[index];
      const present =
        result.rules === null ? !op?.ok : result.rules.some((l) => l.name === rule.name);
      if (op?.ok && !present) {
        this.journal.finish(rule.id, 'remove', 'done', 'removed');
        removed.push(rule.id);
      } else {
        this.journal.finish(rule.id, 'remove', 'failed', present ? 'active' : 'removed', {
          detail: op && !op.ok ? op.error.code : 'still present',
        });
        if (present) stillPresent.push(rule.id);
        else removed.push(rule.id);
        if (op && !op.ok && !firstError) {
          firstError = new AppFailure(op.error.code, op.error.message, op.error.params);
        }
      }
    });
    if (firstError && removed.length === 0) throw firstError;
    return { outcome: 'applied', removed, stillPresent };
  }

  async removeAll(): Promise<FirewallRemoveOutcome> {
    // Reads the firewall first, so "undo all" also removes rules found without a journal entry.
    await this.list();
    return this.remove(this.journal.current().map((r) => r.id));
  }
}
