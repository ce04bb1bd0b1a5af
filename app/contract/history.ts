import { z } from 'zod';
import { AppError, LocalizedText } from './errors.js';
import { MAX_PORTS_PER_HOST_PAGE } from './page-limits.js';
import { HostAssessment, RiskAssessResult, Severity } from './risk.js';
import { HostResult, HostStatus, PortResult, ScanEvent, ScanRequest, ScanResult } from './scan.js';

/**
 * A scan's id, chosen by the client that starts it (a UUID, as `crypto.randomUUID()` gives), so
 * every event of the scan can be matched to its start without waiting for the answer.
 */
export const ScanId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'a UUID (8-4-4-4-12 hexadecimal digits)',
  })
  .transform((id) => id.toLowerCase());
export type ScanId = z.infer<typeof ScanId>;

/**
 * `engine`: run by this app's scanner; `nmap-import`: read from an nmap XML file; `json-report`:
 * read from a JSON report (docs/report-json.md), its verdicts worked out again here.
 */
export const ScanKind = z.enum(['engine', 'nmap-import', 'json-report']);
export type ScanKind = z.infer<typeof ScanKind>;

/** A scan's size at a glance, from its hosts (counted once, when it is kept). */
export const ScanCounts = z.object({
  /** Addresses the scan covered (expanded targets, or the file's host count). */
  addresses: z.number().int().nonnegative(),
  /** Hosts listed in the result (up, down or not probed). */
  hosts: z.number().int().nonnegative(),
  /** Addresses that answered. */
  hostsUp: z.number().int().nonnegative(),
  /** Devices that answered: this PC's addresses are one, as are addresses sharing a MAC. */
  devicesUp: z.number().int().nonnegative(),
  /** Open ports once per device and service (see app/contract/devices.ts). */
  openPorts: z.number().int().nonnegative(),
});
export type ScanCounts = z.infer<typeof ScanCounts>;

/** One row of the history: what `scan.list` and `scan.latest` give, and what a page's scan is. */
export const ScanRecord = z.object({
  scanId: z.string(),
  kind: ScanKind,
  startedAt: z.string(),
  finishedAt: z.string(),
  /** When the app kept it (an import's dates are the file's; this is when it was read). */
  savedAt: z.string(),
  /**
   * True when the store could not keep it (damaged, read-only, locked, full): held in this
   * process's memory only, lost when Port Auditor closes, so it is never said to be kept
   * (review 13 user F2). Absent for a kept scan.
   */
  notKept: z.literal(true).optional(),
  cancelled: z.boolean(),
  /** The user's targets, or for an import the targets nmap was given when the file says. */
  targets: z.string(),
  ports: z.string(),
  /** The imported file's name (imports only). */
  fileName: z.string().optional(),
  /** False when an imported file carries no start time, so the import's clock stood in for it. */
  dateKnown: z.boolean(),
  /**
   * Addresses, hosts, devices and open ports as counted when the scan was kept: read back from
   * the store's columns as recorded, never checked (review 13 A4: a program of the user can edit
   * them). The History page and `history` say so; `history --json` names them `recordedCounts`.
   */
  counts: ScanCounts,
  /**
   * Verdicts per severity, as given when the scan was kept (null: they could not be given): read
   * back from the store as recorded, never checked (a program of the user can edit the file);
   * `scan.get` gives them worked out again (ScanDetails). `history --json` names them
   * `recordedSeverities`.
   */
  severities: z.record(Severity, z.number().int().nonnegative()).nullable(),
});
export type ScanRecord = z.infer<typeof ScanRecord>;

/** A kept scan's details besides its hosts: its request, how its targets were understood. */
export const ScanDetails = ScanRecord.extend({
  request: ScanRequest,
  portCount: z.number().int().nonnegative(),
  notes: z.array(LocalizedText),
  /** Hosts by status, for the lists of silent and unprobed addresses. */
  statusCounts: z.record(HostStatus, z.number().int().nonnegative()),
});
export type ScanDetails = z.infer<typeof ScanDetails>;

/** At most this many rows per `scan.list` page and hosts per `scan.get` page. */
export const MAX_HISTORY_PAGE = 200;
export const MAX_HOSTS_PAGE = 500;
// The ports' bounds are shared with the page (a module without imports).
export { MAX_PORTS_PER_HOST_PAGE, MAX_PORTS_PER_PAGE } from './page-limits.js';
/**
 * At most this many characters in one host's ScanPage.openPortList, and in all of one page's:
 * a tarpit's "1-65535" or nmap's top 1,000 ports (about 4,000) fit, while a file listing every
 * other port (32,768 ranges) is not sent (the reader asks `scan.hostPorts`), so a page of 500
 * hosts stays one bounded message.
 */
export const OPEN_PORT_LIST_MAX = 8192;
export const OPEN_PORT_LISTS_MAX = 65_536;

export const ScanListRequest = z
  .object({
    offset: z.number().int().nonnegative().max(1_000_000).default(0),
    limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).default(50),
  })
  .strict();

/** Newest first. */
export const ScanListResult = z.object({
  total: z.number().int().nonnegative(),
  scans: z.array(ScanRecord),
  /**
   * Kept scans left out of the list (and of `total`) because their row no longer reads (the
   * database edited by hand, or written by another version); absent or 0 when none.
   */
  unreadable: z.number().int().nonnegative().optional(),
  /**
   * Present when the store could only be opened for reading (a read-only file or folder): the
   * scans listed are readable, nothing new is kept until it is writable again; says why.
   */
  notice: AppError.optional(),
});
export type ScanListResult = z.infer<typeof ScanListResult>;

export const ScanGetRequest = z
  .object({
    scanId: ScanId,
    offset: z.number().int().nonnegative().max(10_000_000).default(0),
    limit: z.number().int().min(1).max(MAX_HOSTS_PAGE).default(50),
    /** Which hosts to page through; `up` (the ones with ports) by default. */
    status: HostStatus.default('up'),
  })
  .strict();
export type ScanGetRequest = z.input<typeof ScanGetRequest>;

/**
 * One page of a kept scan's hosts, in the order the screen shows them (this PC first, then worst
 * verdict first, then by address), with their verdicts. `assessment.hosts` holds the verdicts of
 * this page's hosts only; its counts and `blocked` are the whole scan's. Verdicts are the ones
 * given when the scan was kept, with Port Auditor's firewall rules as the app last read them.
 */
export const ScanPage = z.object({
  scan: ScanDetails,
  /**
   * The kept ScanResult without its hosts, every field as the contract has it (fields later
   * versions add to ScanResult come through here): with every page's hosts, the whole result.
   */
  result: ScanResult.omit({ hosts: true }),
  /** Hosts of the asked status in the whole scan. */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  hosts: z.array(HostResult),
  /** Null when the scan was kept without verdicts (they could not be given then). */
  assessment: RiskAssessResult.nullable(),
  /** MAC address per IP, when the file or the neighbour table gave one. */
  macAddresses: z.record(z.string(), z.string()),
  /**
   * Per address, how many of its listed ports this page leaves out (over MAX_PORTS_PER_HOST_PAGE,
   * or past the page's MAX_PORTS_PER_PAGE); absent when none. They come with `scan.hostPorts`; the
   * scan's counts, `portStates` and exports still hold all of them.
   */
  portsLeftOut: z
    .record(
      z.string(),
      z.object({ open: z.number().int().nonnegative(), others: z.number().int().nonnegative() }),
    )
    .optional(),
  /**
   * Per address of `portsLeftOut` whose host answers on every port (HostResult.answersEveryPort),
   * the numbers of all its open ports as a compact list ("1-65535", "1,3-5": ranges of
   * consecutive numbers in the order pages list the ports, as app/scan/port-states.ts
   * compactPorts writes them; both protocols), so a reader that shows such a host as its one
   * grouped verdict and its open ports (the CLI's `show`) need not fetch 65,535 ports with
   * `scan.hostPorts`. Absent for a host whose list is longer than OPEN_PORT_LIST_MAX characters,
   * or past the page's OPEN_PORT_LISTS_MAX; absent when none.
   */
  openPortList: z.record(z.string(), z.string().max(OPEN_PORT_LIST_MAX)).optional(),
});
export type ScanPage = z.infer<typeof ScanPage>;

/**
 * More ports of one host of a kept scan, past those its `scan.get` page carried: `offset` counts
 * in the order pages list them (open ones first, each group in the order kept), `limit` at most
 * MAX_PORTS_PER_HOST_PAGE. Refused with `scan.not-found` / `scan.no-longer-kept` for a scan no
 * longer kept and `scan.host-unknown` for an address the scan does not have.
 */
export const ScanHostPortsRequest = z
  .object({
    scanId: ScanId,
    /** An IP address as pages carry it (no zone). */
    address: z
      .string()
      .min(2)
      .max(45)
      .regex(/^[0-9a-fA-F.:]+$/),
    offset: z.number().int().nonnegative().max(1_000_000).default(0),
    limit: z.number().int().min(1).max(MAX_PORTS_PER_HOST_PAGE).default(MAX_PORTS_PER_HOST_PAGE),
  })
  .strict();
export type ScanHostPortsRequest = z.input<typeof ScanHostPortsRequest>;

/**
 * `ports[offset…]` of the host at `address`, of `total` listed ports, and their verdicts (null
 * when the scan was kept without verdicts), with Port Auditor's rules as the app last read them.
 */
export const ScanHostPorts = z.object({
  scanId: ScanId,
  address: z.string(),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  ports: z.array(PortResult),
  verdicts: HostAssessment.nullable(),
});
export type ScanHostPorts = z.infer<typeof ScanHostPorts>;

/**
 * `store.damaged`: the app's store, healthy when the app opened it, was found damaged or read-only
 * by an operation since (the file truncated, overwritten or made read-only while the app ran).
 * Pushed once to every connected client, so each page shows what it shows for such a store at
 * start: `readOnly`, the store is still read (nothing new is kept); else nothing is kept at all.
 * `error` is the store's own failure (`store.*`), whose message names the file and the way out.
 */
export const StoreDamaged = z.object({ readOnly: z.boolean(), error: AppError }).strict();
export type StoreDamaged = z.infer<typeof StoreDamaged>;

/** A scan's end as events carry it: counts, and whether the app could keep it. */
export const ScanEnd = z.object({
  type: z.literal('finished'),
  scanId: z.string(),
  cancelled: z.boolean(),
  counts: ScanCounts,
  /** False when the app's store could not keep it: `notice` says why; the page still shows. */
  kept: z.boolean(),
  notice: AppError.optional(),
});
export type ScanEnd = z.infer<typeof ScanEnd>;

/**
 * What `scan.event` pushes while a scan runs: the engine's events, its verdicts as they are given
 * (`verdicts`: the latest for each host named), and at the end a summary — never the whole
 * result, which is asked for by id, page by page (`scan.get`).
 */
const [started, hostEvent, portEvent, progress, , failed] = ScanEvent.options;

export const ScanUpdate = z.discriminatedUnion('type', [
  started,
  hostEvent,
  portEvent,
  progress,
  failed,
  z.object({
    type: z.literal('verdicts'),
    scanId: z.string(),
    /** The latest verdicts of these hosts; hosts not named keep theirs. */
    hosts: z.array(HostAssessment),
    /** Per severity, over every host assessed so far. */
    counts: z.record(Severity, z.number().int().nonnegative()),
  }),
  z.object({
    /**
     * Sent once for a host of a running scan whose next `port` events are not sent (over
     * MAX_PORTS_PER_HOST_PAGE for it, or MAX_PORTS_PER_PAGE for the scan: a tarpit answering
     * every port): the kept scan's pages list them once it ends.
     */
    type: z.literal('portsLeftOut'),
    scanId: z.string(),
    address: z.string(),
  }),
  ScanEnd,
]);
export type ScanUpdate = z.infer<typeof ScanUpdate>;
