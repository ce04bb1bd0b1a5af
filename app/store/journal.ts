import type { FirewallBackendKind, FirewallRule, RuleState } from '../contract/index.js';
import { ruleIdTime } from '../firewall/rule-id.js';
import type { Db } from './database.js';

interface RuleRow {
  id: string;
  name: string;
  backend: string;
  protocol: 'tcp' | 'udp';
  port_from: number;
  port_to: number;
  direction: 'in' | 'out';
  remote: string;
  ref: string | null;
  state: RuleState;
  created_at: string;
  updated_at: string;
  origin: 'app' | 'found';
  /** 1 when the journal holds the `begin` of the rule's add: the app made it, at `created_at`. */
  began: number;
}

/**
 * A rule row's columns and `began` (see RuleRow). A row without the begin of its add was adopted
 * from the firewall (adopt): its `created_at` is the time its name carries, or when it was found.
 */
const RULE_COLUMNS = `firewall_rules.*, EXISTS (SELECT 1 FROM firewall_journal j
  WHERE j.rule_id = firewall_rules.id AND j.op = 'add' AND j.phase = 'begin') AS began`;

export interface JournalRule extends Omit<FirewallRule, 'present'> {
  ref: string | null;
}

export interface JournalEntry {
  seq: number;
  ruleId: string;
  op: 'add' | 'remove';
  phase: 'begin' | 'done' | 'failed' | 'cancelled' | 'repaired' | 'unknown';
  at: string;
  detail: string | null;
}

/**
 * The tables FirewallJournal reads and writes (and `meta`, which openDatabase stamps, and
 * sqlite_sequence, AUTOINCREMENT's counter of journal rows): the scope a firewall command opens
 * the store with (openDatabase's StoreScope), so `rules` and `unblock` never read the kept scans.
 */
export const JOURNAL_TABLES: readonly string[] = [
  'meta',
  'firewall_rules',
  'firewall_journal',
  'sqlite_sequence',
];

/** The prefix of every rule name: the name is always this followed by the rule's id. */
const NAME_PREFIX = 'PortAuditor-';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether a row is one the app could have written: a generated id and the name derived from it.
 * The journal is a file of the user's; a row whose name disagrees with its id (another program
 * renamed it) would make the app look for, or act on, another rule than the one it describes.
 */
function wellFormed(row: RuleRow): boolean {
  return ID.test(row.id) && row.name === `${NAME_PREFIX}${row.id}`;
}

function toRule(row: RuleRow): JournalRule {
  return {
    id: row.id,
    name: `${NAME_PREFIX}${row.id}`,
    backend: row.backend as FirewallBackendKind,
    protocol: row.protocol,
    portFrom: row.port_from,
    portTo: row.port_to,
    direction: row.direction,
    remote: JSON.parse(row.remote) as string[],
    ref: row.ref,
    state: row.state,
    createdAt: row.created_at,
    createdKnown: row.began === 1 || ruleIdTime(row.id) !== null,
    updatedAt: row.updated_at,
    origin: row.origin,
  };
}

/**
 * The firewall journal: a row before every change (`begin`, rule state pending-*) and one after
 * (`done`/`failed`/`cancelled`), each in its own transaction, so a crash between the two leaves a
 * pending rule that the next start reconciles with what the firewall really holds.
 */
export class FirewallJournal {
  constructor(
    private readonly db: Db,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  private log(
    ruleId: string,
    op: JournalEntry['op'],
    phase: JournalEntry['phase'],
    detail?: string,
  ) {
    this.db
      .prepare(
        'INSERT INTO firewall_journal (rule_id, op, phase, at, detail) VALUES (?, ?, ?, ?, ?)',
      )
      .run(ruleId, op, phase, this.now(), detail ?? null);
  }

  private setState(id: string, state: RuleState, ref?: string | null) {
    if (ref === undefined) {
      this.db
        .prepare('UPDATE firewall_rules SET state = ?, updated_at = ? WHERE id = ?')
        .run(state, this.now(), id);
    } else {
      this.db
        .prepare('UPDATE firewall_rules SET state = ?, ref = ?, updated_at = ? WHERE id = ?')
        .run(state, ref, this.now(), id);
    }
  }

  /**
   * Records a rule of ours that the firewall holds but the journal does not know as active, so it
   * can be listed and undone; a row left removed or failed comes back as active the same way.
   */
  adopt(
    rule: Omit<JournalRule, 'state' | 'createdAt' | 'createdKnown' | 'updatedAt' | 'origin'>,
  ): void {
    const at = this.now();
    this.db.transaction(() => {
      this.releaseName(rule.id);
      const row = this.db.prepare('SELECT id FROM firewall_rules WHERE id = ?').get(rule.id);
      if (row) {
        // Name and content from the firewall: a row another program reshaped is repaired here.
        this.db
          .prepare(
            `UPDATE firewall_rules SET name = ?, protocol = ?, port_from = ?, port_to = ?, direction = ?, remote = ?, state = 'active', origin = 'found', ref = ?, updated_at = ? WHERE id = ?`,
          )
          .run(
            `${NAME_PREFIX}${rule.id}`,
            rule.protocol,
            rule.portFrom,
            rule.portTo,
            rule.direction,
            JSON.stringify(rule.remote),
            rule.ref,
            at,
            rule.id,
          );
      } else {
        // Made when its name says (an id of version 7), else known only as found now.
        this.insert(rule, rule.ref, 'active', 'found', at, ruleIdTime(rule.id) ?? at);
      }
      this.log(rule.id, 'add', 'repaired', 'found in the firewall, not in the journal');
    })();
  }

  /**
   * Takes the name derived from `id` away from any other row holding it (a row another program
   * renamed), so the row of `id` can bear it: that other row is then foreign (see wellFormed).
   */
  private releaseName(id: string): void {
    this.db
      .prepare(
        `UPDATE firewall_rules SET name = 'foreign-' || lower(hex(randomblob(16))) WHERE name = ? AND id != ?`,
      )
      .run(`${NAME_PREFIX}${id}`, id);
  }

  beginAdd(
    rule: Omit<
      JournalRule,
      'state' | 'createdAt' | 'createdKnown' | 'updatedAt' | 'ref' | 'origin'
    >,
  ): void {
    const at = this.now();
    this.db.transaction(() => {
      this.releaseName(rule.id);
      this.insert(rule, null, 'pending-add', 'app', at);
      this.log(rule.id, 'add', 'begin');
    })();
  }

  private insert(
    rule: Omit<
      JournalRule,
      'state' | 'createdAt' | 'createdKnown' | 'updatedAt' | 'ref' | 'origin'
    >,
    ref: string | null,
    state: RuleState,
    origin: RuleRow['origin'],
    at: string,
    createdAt: string = at,
  ): void {
    this.db
      .prepare(
        `INSERT INTO firewall_rules (id, name, backend, protocol, port_from, port_to, direction, remote, ref, state, created_at, updated_at, origin)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        rule.id,
        `${NAME_PREFIX}${rule.id}`,
        rule.backend,
        rule.protocol,
        rule.portFrom,
        rule.portTo,
        rule.direction,
        JSON.stringify(rule.remote),
        ref,
        state,
        createdAt,
        at,
        origin,
      );
  }

  /**
   * Rewrites what a rule blocks with what the firewall holds under its name (the journal is a file
   * of the user's: another program may have edited it).
   */
  correct(
    id: string,
    details: Pick<JournalRule, 'protocol' | 'portFrom' | 'portTo' | 'direction' | 'remote'>,
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'UPDATE firewall_rules SET protocol = ?, port_from = ?, port_to = ?, direction = ?, remote = ?, updated_at = ? WHERE id = ?',
        )
        .run(
          details.protocol,
          details.portFrom,
          details.portTo,
          details.direction,
          JSON.stringify(details.remote),
          this.now(),
          id,
        );
      this.log(id, 'add', 'repaired', 'content corrected from the firewall');
    })();
  }

  beginRemove(id: string): void {
    this.db.transaction(() => {
      this.setState(id, 'pending-remove');
      this.log(id, 'remove', 'begin');
    })();
  }

  /** Closes a pending change with what the firewall now holds. */
  finish(
    id: string,
    op: JournalEntry['op'],
    phase: Exclude<JournalEntry['phase'], 'begin'>,
    state: RuleState,
    options: { ref?: string | null; detail?: string } = {},
  ): void {
    this.db.transaction(() => {
      this.setState(id, state, options.ref);
      this.log(id, op, phase, options.detail);
    })();
  }

  /** Whether any row, foreign or not, has this id (an id is never used twice). */
  hasRow(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM firewall_rules WHERE id = ?').get(id) !== undefined;
  }

  /** The rule of that id; null when there is none, or when its row is foreign (see wellFormed). */
  get(id: string): JournalRule | null {
    const row = this.db
      .prepare(`SELECT ${RULE_COLUMNS} FROM firewall_rules WHERE id = ?`)
      .get(id) as RuleRow | undefined;
    return row && wellFormed(row) ? toRule(row) : null;
  }

  /**
   * Rules that are or may be in the firewall (active, in flight, or of unknown outcome), oldest
   * first; foreign rows (see wellFormed) left out.
   */
  current(): JournalRule[] {
    const rows = this.db
      .prepare(
        `SELECT ${RULE_COLUMNS} FROM firewall_rules WHERE state IN ('pending-add', 'active', 'pending-remove', 'unknown') ORDER BY created_at, id`,
      )
      .all() as RuleRow[];
    return rows.filter(wellFormed).map(toRule);
  }

  /**
   * Outbound rules the user removed (state `removed`, `updatedAt` the time of removal), oldest
   * first; foreign rows left out. A scan made while one was in force could not see the device
   * ports it covered (see removedRuleHiding).
   */
  removedOutbound(): JournalRule[] {
    const rows = this.db
      .prepare(
        `SELECT ${RULE_COLUMNS} FROM firewall_rules WHERE state = 'removed' AND direction = 'out' ORDER BY created_at, id`,
      )
      .all() as RuleRow[];
    return rows.filter(wellFormed).map(toRule);
  }

  /** Rules whose presence in the firewall must be read back before the journal can say. */
  pending(): JournalRule[] {
    return this.current().filter((r) => r.state !== 'active');
  }

  /** The operation of a rule's last `begin` entry: what an `unknown` outcome was trying to do. */
  lastOp(ruleId: string): JournalEntry['op'] | null {
    const row = this.db
      .prepare(
        `SELECT op FROM firewall_journal WHERE rule_id = ? AND phase = 'begin' ORDER BY seq DESC LIMIT 1`,
      )
      .get(ruleId) as { op: JournalEntry['op'] } | undefined;
    return row?.op ?? null;
  }

  entries(ruleId?: string): JournalEntry[] {
    const rows = (
      ruleId
        ? this.db
            .prepare('SELECT * FROM firewall_journal WHERE rule_id = ? ORDER BY seq')
            .all(ruleId)
        : this.db.prepare('SELECT * FROM firewall_journal ORDER BY seq').all()
    ) as {
      seq: number;
      rule_id: string;
      op: string;
      phase: string;
      at: string;
      detail: string | null;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      ruleId: r.rule_id,
      op: r.op as JournalEntry['op'],
      phase: r.phase as JournalEntry['phase'],
      at: r.at,
      detail: r.detail,
    }));
  }
}
