import {
  Code,
  type AppError,
  type FirewallRule,
  type HostAssessment,
  type HostResult,
  type HostStatus,
  type RiskAssessResult,
  type ScanDetails,
  type ScanGetRequest,
  type ScanPage,
  type ScanRecord,
  type Settings,
} from '../contract/index.js';
import { devicePageBounds, foldDevices } from '../contract/devices.js';
import { AppFailure } from '../errors.js';
import { knowledgeBase } from '../risk/knowledge-base.js';
import { reassessKept } from '../risk/reassess.js';
import { compareHostAssessments, emptyCounts } from '../risk/summary.js';
import { databasePath, type Db } from '../store/database.js';
import { storeFailure } from '../store/failure.js';
import { scanCounts, ScanStore, type ScanEntry, type StoredScan } from '../store/scans.js';
import { SettingsStore } from '../store/settings.js';
import type { Assessor } from './risk-handlers.js';

/** The app's database, opened on first use (see lazyAppStore). */
export interface AppStore {
  get(): Db;
}

/** What keeping a scan came to: kept, or why not (a damaged or read-only store). */
export type KeepOutcome = { kept: true; record: ScanRecord } | { kept: false; notice: AppError };

/** Scans the store could not keep stay readable in memory this long (the newest few). */
const UNKEPT_MAX = 4;

/** Parsed scans kept in memory for paging (a 5,000-host result is megabytes of JSON). */
const CACHE_MAX = 2;

interface Prepared {
  stored: StoredScan;
  /** The firewall rules the assessment was last worked out with, as a key. */
  rulesKey: string;
  assessment: RiskAssessResult | null;
  /** Hosts of each status in screen order; the answering ones grouped by device. */
  order: Record<HostStatus, HostResult[]>;
  /** For each answering host in `order.up`, the index of its device (see devicePageBounds). */
  upDevice: number[];
  byAddress: Map<string, HostAssessment>;
}

function notKeptNotice(failure: AppError): AppError {
  return {
    code: failure.code,
    message: {
      fr: `Cette analyse n’a pas été conservée dans l’historique. ${failure.message.fr}`,
      en: `This scan was not kept in the history. ${failure.message.en}`,
    },
    ...(failure.params ? { params: failure.params } : {}),
  };
}

function notFound(scanId: string): AppFailure {
  return new AppFailure(
    Code['scan.not-found'],
    {
      fr: `Aucune analyse conservée sous l’identifiant ${scanId} : elle a peut-être été retirée de l’historique (durée de conservation).`,
      en: `No kept scan has the id ${scanId}: it may have left the history (retention).`,
    },
    { scanId },
  );
}

/**
 * Every kept scan and import: keeps them with their verdicts (computed here, by the app), pages
 * them by id in the screen's order with Port Auditor's rules as last read applied, and lists the
 * history. A store that cannot be written keeps a scan in memory instead (UNKEPT_MAX), with a
 * notice saying so: scanning never depends on the store.
 */
export class ScanHistory {
  private readonly unkept = new Map<string, StoredScan>();
  /** Checks (`scan.start` with `keep: false`): readable by id, never listed. */
  private readonly checks = new Map<string, StoredScan>();
  private readonly cache = new Map<string, Prepared>();

  constructor(
    private readonly store: AppStore,
    private readonly dataDir: () => string,
    private readonly assessor: Assessor,
  ) {}

  private scans(): ScanStore {
    return new ScanStore(this.store.get());
  }

  /** Runs `work` on the store, turning SQLite's and the file system's errors into a StoreFailure. */
  private withStore<T>(work: (scans: ScanStore) => T): T {
    try {
      return work(this.scans());
    } catch (error) {
      throw storeFailure(error, databasePath(this.dataDir())) ?? error;
    }
  }

  private retention(): Settings['history'] {
    return new SettingsStore(this.store.get()).get().history;
  }

  /**
   * Whether `scanId` is taken (kept, or held in memory): a client's new scan must not reuse it.
   * An unreadable store answers from memory only, so scanning still works.
   */
  taken(scanId: string): boolean {
    if (this.unkept.has(scanId) || this.checks.has(scanId)) return true;
    try {
      return this.scans().has(scanId);
    } catch {
      return false;
    }
  }

  /** The verdicts of `hosts`, or null when they cannot be given (the scan is kept without). */
  async assess(hosts: readonly HostResult[]): Promise<RiskAssessResult | null> {
    try {
      return await this.assessor.assess(hosts);
    } catch {
      return null;
    }
  }

  /** Port Auditor's rules as the app last read them in the firewall. */
  rules(): readonly FirewallRule[] {
    return this.assessor.rules();
  }

  /** Holds a check's result in memory only (the newest few), readable by id. */
  hold(entry: ScanEntry): KeepOutcome & { kept: true } {
    const record = this.recordOf(entry);
    this.checks.set(entry.result.scanId, {
      record,
      result: entry.result,
      assessment: entry.assessment,
      macAddresses: entry.macAddresses ?? {},
    });
    while (this.checks.size > UNKEPT_MAX) {
      this.checks.delete(this.checks.keys().next().value as string);
    }
    return { kept: true, record };
  }

  /** Keeps a finished scan or an import with its verdicts; never throws for the store. */
  keep(entry: ScanEntry): KeepOutcome {
    const stored: StoredScan = {
      record: this.recordOf(entry),
      result: entry.result,
      assessment: entry.assessment,
      macAddresses: entry.macAddresses ?? {},
    };
    try {
      const record = this.withStore((scans) => scans.save(entry, this.retention()));
      return { kept: true, record };
    } catch (error) {
      const failure =
        error instanceof AppFailure
          ? error.appError
          : {
              code: Code.internal,
              message: {
                fr: `Erreur inattendue : ${String(error)}`,
                en: `Unexpected error: ${String(error)}`,
              },
            };
      this.unkept.set(entry.result.scanId, stored);
      while (this.unkept.size > UNKEPT_MAX) {
        this.unkept.delete(this.unkept.keys().next().value as string);
      }
      return { kept: false, notice: notKeptNotice(failure) };
    }
  }

  private recordOf(entry: ScanEntry): ScanRecord {
    const { result } = entry;
    return {
      scanId: result.scanId,
      kind: entry.kind,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      savedAt: new Date().toISOString(),
      cancelled: result.cancelled,
      targets: result.request.targets,
      ports: result.request.ports,
      ...(entry.fileName !== undefined ? { fileName: entry.fileName } : {}),
      dateKnown: entry.dateKnown !== false,
      counts: scanCounts(result),
      severities: entry.assessment?.counts ?? null,
    };
  }

  /** History rows, newest first, then the scans held in memory because the store failed. */
  list(offset: number, limit: number): { total: number; scans: ScanRecord[] } {
    const memory = [...this.unkept.values()].map((s) => s.record).reverse();
    let kept: { total: number; scans: ScanRecord[] };
    try {
      kept = this.withStore((scans) => scans.list(offset, limit));
    } catch (error) {
      if (memory.length === 0) throw error;
      kept = { total: 0, scans: [] };
    }
    const room = Math.max(0, limit - kept.scans.length);
    const fromMemory = memory.slice(Math.max(0, offset - kept.total), room);
    return { total: kept.total + memory.length, scans: [...fromMemory, ...kept.scans] };
  }

  /** The scan kept or run last, or null. */
  latest(): ScanRecord | null {
    const memory = [...this.unkept.values()].at(-1)?.record ?? null;
    let kept: ScanRecord | null = null;
    try {
      kept = this.withStore((scans) => scans.latest());
    } catch (error) {
      if (!memory) throw error;
    }
    if (!memory) return kept;
    if (!kept) return memory;
    return memory.savedAt > kept.savedAt ? memory : kept;
  }

  /** The whole kept scan (for exports), rules applied to its verdicts. Throws `scan.not-found`. */
  full(scanId: string): StoredScan & { assessment: RiskAssessResult | null } {
    const prepared = this.prepare(scanId);
    return { ...prepared.stored, assessment: prepared.assessment };
  }

  /** One page of hosts of a kept scan, with their verdicts (see ScanPage). */
  page(request: Required<Pick<ScanGetRequest, 'scanId'>> & Required<ScanGetRequest>): ScanPage {
    const prepared = this.prepare(request.scanId);
    const { stored, assessment } = prepared;
    const list = prepared.order[request.status];
    // A device's addresses (This PC's, or two sharing a MAC) are never cut across two pages.
    const [start, end] =
      request.status === 'up'
        ? devicePageBounds(prepared.upDevice, request.offset, request.limit)
        : [request.offset, request.offset + request.limit];
    const hosts = list.slice(start, end);
    const statusCounts = { up: 0, down: 0, unknown: 0 } as Record<HostStatus, number>;
    for (const status of Object.keys(prepared.order) as HostStatus[]) {
      statusCounts[status] = prepared.order[status].length;
    }
    const details: ScanDetails = {
      ...stored.record,
      request: stored.result.request,
      portCount: stored.result.portCount,
      notes: stored.result.notes,
      statusCounts,
      severities: assessment?.counts ?? stored.record.severities,
    };
    const { hosts: _all, ...result } = stored.result;
    return {
      scan: details,
      result,
      total: list.length,
      offset: request.offset,
      hosts,
      assessment: assessment
        ? {
            ...assessment,
            hosts: hosts.flatMap((h) => {
              const found = prepared.byAddress.get(h.address);
              return found ? [found] : [];
            }),
          }
        : null,
      macAddresses: Object.fromEntries(
        hosts.flatMap((h) => {
          const mac = stored.macAddresses[h.address] ?? h.mac;
          return mac ? [[h.address, mac]] : [];
        }),
      ),
    };
  }

  private load(scanId: string): StoredScan {
    const memory = this.unkept.get(scanId) ?? this.checks.get(scanId);
    if (memory) return memory;
    const stored = this.withStore((scans) => scans.load(scanId));
    if (stored === null) throw notFound(scanId);
    if (stored === 'unreadable') {
      throw new AppFailure(
        Code['scan.unreadable'],
        {
          fr: `L’analyse ${scanId} conservée dans la base de données de Port Auditor est illisible (écrite par une autre version, ou modifiée) : relancez l’analyse ou réimportez le fichier.`,
          en: `Scan ${scanId} kept in Port Auditor’s database cannot be read (written by another version, or edited): run the scan again or import the file again.`,
        },
        { scanId },
      );
    }
    return stored;
  }

  private prepare(scanId: string): Prepared {
    const rules = this.assessor.rules();
    const rulesKey = JSON.stringify(rules);
    const cached = this.cache.get(scanId);
    if (cached && cached.rulesKey === rulesKey) {
      // Most recently used last, so the eviction below drops the least recent.
      this.cache.delete(scanId);
      this.cache.set(scanId, cached);
      return cached;
    }
    const stored = cached?.stored ?? this.load(scanId);
    // Worked out again, never read back: the stored texts and severities are in a file any
    // program of the user can edit (see reassessKept).
    const assessment = reassessKept(stored.result.hosts, stored.assessment, rules, knowledgeBase());
    const byAddress = new Map((assessment?.hosts ?? []).map((h) => [h.address, h]));
    const view = (h: HostResult): HostAssessment =>
      byAddress.get(h.address) ?? {
        address: h.address,
        isLocal: h.isLocal,
        worst: null,
        counts: emptyCounts(),
        blocked: 0,
        ports: [],
      };
    const sorted = [...stored.result.hosts].sort((a, b) =>
      compareHostAssessments(view(a), view(b)),
    );
    const devices = foldDevices(sorted.filter((h) => h.status === 'up'));
    const prepared: Prepared = {
      stored,
      rulesKey,
      assessment,
      byAddress,
      upDevice: devices.flatMap((d, index) => [...d.hosts, ...d.folded].map(() => index)),
      order: {
        up: devices.flatMap((d) => [...d.hosts, ...d.folded]),
        down: sorted.filter((h) => h.status === 'down'),
        unknown: sorted.filter((h) => h.status === 'unknown'),
      },
    };
    this.cache.delete(scanId);
    this.cache.set(scanId, prepared);
    while (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    return prepared;
  }
}
