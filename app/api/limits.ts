import { Code, IMPORT_CHUNK_BYTES, ImportChunkRequest } from '../contract/index.js';
import { AppFailure } from '../errors.js';
import { EXPORT_OLD_GENERATION_MB } from './export-thread.js';
import { IMPORT_OLD_GENERATION_MB } from './import-thread.js';
import { MAX_NMAP_XML_BYTES } from '../report/nmap-xml-import.js';

/**
 * How much work one client, and all clients together, may ask of the app at once. One full-range
 * scan of a /24 is a worker thread and tens of MB; a page (or a hostile local program holding a
 * session) must not start fifty. Documented in docs/browser-mode.md ("Limits").
 */
export interface Limits {
  /** Scans one connection (browser tab, Electron window, CLI run) may have running at once. */
  scansPerClient: number;
  /** Scans running at once in the whole app, all clients together. */
  scansOverall: number;
  /**
   * nmap imports one connection may have running at once (from `report.importEnd` or
   * `report.importPicked` until the import has finished): each is a worker thread of up to
   * `importHeapMb` (review 13b, A4).
   */
  importsPerClient: number;
  /** nmap imports running at once in the whole app, all clients together. */
  importsOverall: number;
  /**
   * Reports of kept scans one connection may have being made at once (`report.export`): each is
   * a worker thread holding the whole scan, hundreds of MB for a tarpit's (review 13d, A1).
   */
  exportsPerClient: number;
  /** Reports being made at once in the whole app, all clients together. */
  exportsOverall: number;
  /** Messages per second one connection may send, sustained (token bucket refill rate). */
  messagesPerSecond: number;
  /** Messages one connection may send in a burst before the sustained rate applies. */
  messageBurst: number;
  /**
   * The heap of an nmap import's worker thread (V8's old generation, MB): the import fails with
   * `report.nmap-too-large` rather than grow past it (see app/api/import-thread.ts).
   */
  importHeapMb: number;
  /**
   * The heap of a report's worker thread (V8's old generation, MB): the export fails with
   * `report.export-too-large` rather than grow past it (see app/api/export-thread.ts).
   */
  exportHeapMb: number;
  /**
   * Pieces of an upload (`report.importChunk`, at most IMPORT_CHUNK_BYTES each) one connection may
   * send in a burst: counted apart from other messages, so a file at the import limit goes through
   * however fast the client sends it (review 13, F8), while a flood of pieces is still cut.
   */
  importChunkBurst: number;
  /** Pieces of an upload per second one connection may send, sustained, past that burst. */
  importChunksPerSecond: number;
}

export const DEFAULT_LIMITS: Limits = {
  scansPerClient: 3,
  scansOverall: 6,
  importsPerClient: 2,
  importsOverall: 4,
  exportsPerClient: 2,
  exportsOverall: 3,
  messagesPerSecond: 50,
  messageBurst: 200,
  importHeapMb: IMPORT_OLD_GENERATION_MB,
  exportHeapMb: EXPORT_OLD_GENERATION_MB,
  // A whole 64 MB file, plus one piece to spare, then 8 MiB/s.
  importChunkBurst: Math.ceil(MAX_NMAP_XML_BYTES / IMPORT_CHUNK_BYTES) + 1,
  importChunksPerSecond: 64,
};

/**
 * A slot held by one piece of running work: calling it gives the slot back (idempotent);
 * `stopping()` says the work was asked to stop and is winding down, still holding its slot until
 * it has ended (its resources are still in use), so a refusal meanwhile can say so (review 13, F8).
 */
export type Slot = (() => void) & { stopping(): void };

/**
 * Counts running work (scans, imports) per client and overall. `acquire` throws the localized
 * AppFailure `refusal` gives when a limit is reached (`which`: the client's or the app's, `limit`
 * that limit, `stopping` how many of the slots counted there are held by work winding down);
 * the returned Slot releases the slot.
 */
class Slots {
  private readonly perClient = new Map<string, { held: number; stopping: number }>();
  private total = 0;
  private totalStopping = 0;

  constructor(
    private readonly clientLimit: number,
    private readonly overallLimit: number,
    private readonly refusal: (
      which: 'client' | 'overall',
      limit: number,
      stopping: number,
    ) => AppFailure,
  ) {}

  acquire(client: string): Slot {
    const mine = this.perClient.get(client) ?? { held: 0, stopping: 0 };
    if (mine.held >= this.clientLimit) {
      throw this.refusal('client', this.clientLimit, mine.stopping);
    }
    if (this.total >= this.overallLimit) {
      throw this.refusal('overall', this.overallLimit, this.totalStopping);
    }
    mine.held += 1;
    this.perClient.set(client, mine);
    this.total += 1;
    let released = false;
    let stopping = false;
    const release = () => {
      if (released) return;
      released = true;
      this.total -= 1;
      mine.held -= 1;
      if (stopping) {
        this.totalStopping -= 1;
        mine.stopping -= 1;
      }
      if (mine.held === 0) this.perClient.delete(client);
    };
    return Object.assign(release, {
      stopping: () => {
        if (released || stopping) return;
        stopping = true;
        this.totalStopping += 1;
        mine.stopping += 1;
      },
    });
  }
}

/**
 * Counts running scans per client and overall: `acquire` throws `scan.too-many-for-client` or
 * `scan.too-many` (fr/en) when a limit is reached — saying how many of them are still stopping
 * when some are (a cancelled scan holds its slot until its engine has ended) — and the returned
 * Slot releases the slot.
 */
export class ScanSlots extends Slots {
  constructor(limits: Pick<Limits, 'scansPerClient' | 'scansOverall'>) {
    super(limits.scansPerClient, limits.scansOverall, (which, n, stopping) => {
      const code = which === 'client' ? Code['scan.too-many-for-client'] : Code['scan.too-many'];
      return stopping > 0
        ? new AppFailure(code, { limit: n }, { variant: 'stopping', text: { count: n, stopping } })
        : new AppFailure(code, { limit: n }, { text: { count: n } });
    });
  }
}

/**
 * Counts running nmap imports per client and overall: `acquire` throws
 * `report.import-too-many-for-client` or `report.import-too-many` (fr/en) when a limit is reached;
 * the returned function releases the slot.
 */
export class ImportSlots extends Slots {
  constructor(limits: Pick<Limits, 'importsPerClient' | 'importsOverall'>) {
    super(limits.importsPerClient, limits.importsOverall, (which, n) =>
      which === 'client'
        ? new AppFailure(
            Code['report.import-too-many-for-client'],
            { limit: n },
            { text: { count: n } },
          )
        : new AppFailure(Code['report.import-too-many'], { limit: n }, { text: { count: n } }),
    );
  }
}

/**
 * Counts reports being made per client and overall: `acquire` throws
 * `report.export-too-many-for-client` or `report.export-too-many` (fr/en) when a limit is reached;
 * the returned function releases the slot.
 */
export class ExportSlots extends Slots {
  constructor(limits: Pick<Limits, 'exportsPerClient' | 'exportsOverall'>) {
    super(limits.exportsPerClient, limits.exportsOverall, (which, n) =>
      which === 'client'
        ? new AppFailure(
            Code['report.export-too-many-for-client'],
            { limit: n },
            { text: { count: n } },
          )
        : new AppFailure(Code['report.export-too-many'], { limit: n }, { text: { count: n } }),
    );
  }
}

/** A token bucket: `burst` tokens at most, refilled at `perSecond`; `now` is in milliseconds. */
class Bucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const at = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.last) / 1000) * this.perSecond);
    this.last = at;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The message rate of one connection: `take(message, ownsUpload)` is false once the connection has
 * sent more than `messageBurst` messages plus `messagesPerSecond` per second since, or, for the
 * pieces of an upload, more than `importChunkBurst` pieces plus `importChunksPerSecond` per second.
 * A message counts as a piece only when it is a well-formed `report.importChunk` request
 * (ImportChunkRequest) of an upload `ownsUpload` says is this connection's (review 13b, A8):
 * anything else named so counts as a message. `now` is in milliseconds.
 */
export class MessageRate {
  private readonly messages: Bucket;
  private readonly chunks: Bucket;

  constructor(
    limits: Pick<
      Limits,
      'messagesPerSecond' | 'messageBurst' | 'importChunkBurst' | 'importChunksPerSecond'
    >,
    now: () => number = () => performance.now(),
  ) {
    this.messages = new Bucket(limits.messageBurst, limits.messagesPerSecond, now);
    this.chunks = new Bucket(limits.importChunkBurst, limits.importChunksPerSecond, now);
  }

  /**
   * `message` is the request as sent (anything, unchecked: it only picks the bucket);
   * `ownsUpload(uploadId)` whether that upload is one this connection began and has not ended.
   */
  take(message?: unknown, ownsUpload: (uploadId: string) => boolean = () => false): boolean {
    return isOwnPiece(message, ownsUpload) ? this.chunks.take() : this.messages.take();
  }
}

function isOwnPiece(message: unknown, ownsUpload: (uploadId: string) => boolean): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (method !== 'report.importChunk') return false;
  const piece = ImportChunkRequest.safeParse(params);
  return piece.success && ownsUpload(piece.data.uploadId);
}

/** The error a rate-limited request gets where the transport cannot be cut (Electron IPC). */
export function rateLimited(): AppFailure {
  return new AppFailure(Code['contract.rate-limited']);
}
