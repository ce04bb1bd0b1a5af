import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { fileNameWords } from '../contract/outside-words.js';
import { ReportInput } from '../contract/report.js';
import { MAX_HOSTNAME, type HostResult, type RiskAssessResult } from '../contract/index.js';
import type { ScanSource } from '../contract/scan.js';
import { ScanId } from '../contract/history.js';
import { AppFailure } from '../errors.js';
import {
  checkedFileHost,
  contradictedReasonNotes,
  FileHostFacts,
  fileReasonsOf,
  keptScanMadeHere,
  reportInputFromFile,
} from '../report/json-import.js';
import { REPORT_JSON_FORMAT } from '../report/json.js';
import { JsonReportError, readJsonReport } from '../report/json-report-reader.js';
import type { ScanStore } from '../store/scans.js';
import { bothLanguages } from '../text/catalogue.js';
import { oneLine } from '../text/control-characters.js';
import { assessWrittenRows, type ImportedRows } from './import-rows.js';
import { cannotRead, openImportFile, readFailure } from './picked-import.js';

/** Bytes read at a time from a JSON report. */
const READ_PIECE = 1024 * 1024;

/** `report.import-read`'s detail for a file whose bytes changed between its two readings. */
const CHANGED = 'changed while read';

/** Whether `error` is readJsonReport's refusal of a host list past MAX_JSON_REPORT_HOSTS. */
function tooManyHosts(error: unknown): boolean {
  return error instanceof AppFailure && error.code === 'report.nmap-too-many-hosts';
}

/** What a JSON report import needs to know of this PC. */
export interface JsonImportOptions {
  /** This PC's addresses now (isLocal is worked out from them, never read from the file). */
  localAddresses: ReadonlySet<string>;
  /** The file's name as the user knows it (no folder), for the messages and the history. */
  fileName?: string;
  /** This PC's name (os.hostname()), to tell a report made here from one of another PC. */
  thisPcName: string;
}

/**
 * Whether the file that starts with `head` is taken as a JSON document: its first byte other
 * than white space (RFC 8259 §2) or a UTF-8 byte order mark is `{` or `[`. Anything else goes to
 * the nmap XML reader, whose refusals name what is wrong with it. Pure.
 */
export function looksLikeJson(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (
    i < head.length &&
    (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)
  ) {
    i++;
  }
  return head[i] === 0x7b || head[i] === 0x5b;
}

/** The first bytes of open file `handle` (at most 4 KiB), for looksLikeJson. */
export async function fileHead(handle: FileHandle): Promise<Uint8Array> {
  const head = Buffer.alloc(4096);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  return head.subarray(0, bytesRead);
}

/** The refusal of a JSON document that is no scan (`report.json-invalid`, fr/en). */
function invalid(fileName: string, error: JsonReportError | { where: string; missing: boolean }) {
  const variant =
    error instanceof JsonReportError && error.kind === 'syntax'
      ? 'syntax'
      : !error.where
        ? 'file'
        : error.missing
          ? 'fieldMissing'
          : 'fieldValue';
  return new AppFailure(
    'report.json-invalid',
    // `problem` names the sentence for a client that words it its own way (the CLI, by path).
    { fileName: fileNameWords(fileName), field: error.where, problem: variant },
    { variant },
  );
}

/**
 * The bytes of `handle` from its start to `size` (as stat gave it: a file that grows meanwhile is
 * read no further) in pieces of READ_PIECE, `onRead(total)` told after each and `seen` fed each
 * (so two readings can be told to have read the same bytes).
 */
async function* pieces(
  handle: FileHandle,
  size: number,
  onRead: (read: number) => void,
  seen: Hash,
): AsyncGenerator<Buffer> {
  let total = 0;
  while (total < size) {
    const piece = Buffer.alloc(Math.min(READ_PIECE, size - total));
    const { bytesRead } = await handle.read(piece, 0, piece.length, total);
    if (bytesRead === 0) return;
    total += bytesRead;
    const bytes = bytesRead === piece.length ? piece : piece.subarray(0, bytesRead);
    seen.update(bytes);
    onRead(total);
    yield bytes;
  }
}

/**
 * Imports the JSON report at `file` (a report of this app's, `scan --json` or `show ID --json`:
 * docs/report-json.md) into the rows of scan `scanId` (begun in `scans`, not finished), then gives
 * them their verdicts a batch at a time, as an nmap XML import does (issue 13, A15). The file is
 * read twice, one host at a time each (readJsonReport's sink), never held: the first reading
 * checks the document and tallies what its hosts say of the PC that made it (FileHostFacts),
 * since whether it is this PC's is only known after its last byte; the second writes each host
 * as this PC takes it (checkedFileHost: isLocal worked out here, names cut, the file's verdicts,
 * texts and rules never read). Both readings use one open handle (the same file) and stop at the
 * size stat gave. The file is the user's, which another program can rewrite in place between the
 * readings (a path given to the CLI or picked in the dialog is read where it is), so the bytes of
 * each reading are hashed (SHA-256) and a second reading that read other bytes than the first is
 * refused before its rows are finished: what the first decided (whether the file is this PC's)
 * is never applied to hosts it did not read (review finding F5). The scan's source is
 * `json-report`, naming the file's PC and whether it is this one, so the PDF of another PC's
 * report never names this PC.
 * `onProgress(read, size)` hears progress over both readings (at least every MiB).
 * Throws `report.nmap-too-large` (size, from stat, before a byte is read), `report.import-read`
 * naming a file that cannot be read or whose bytes changed between the readings (detail
 * `changed while read`), `report.nmap-too-many-hosts` past 65,536 hosts,
 * `report.json-invalid` for a document that is not JSON or not a scan, SQLite's errors as they
 * come; rows written before a failure are the caller's to remove (ScanStore.abandon).
 */
export async function importJsonRows(
  scans: ScanStore,
  scanId: string,
  file: string,
  options: JsonImportOptions,
  assess: (hosts: readonly HostResult[]) => Promise<RiskAssessResult>,
  rulesKey: string,
  onProgress: (read: number, size: number) => void = () => undefined,
): Promise<ImportedRows> {
  const name = options.fileName ?? file;
  const local = options.localAddresses;
  const { handle, size } = await openImportFile(file);
  try {
    let reported = 0;
    const progress = (done: number) => {
      if (done - reported < READ_PIECE && done < size) return;
      reported = done;
      onProgress(done, size);
    };
    onProgress(0, size);
    const seen = [createHash('sha256'), createHash('sha256')] as const;
    const read = async (onHost: Parameters<typeof readJsonReport>[1], half: 0 | 1) =>
      readJsonReport(
        pieces(
          handle,
          size,
          (total) => progress(Math.floor((half * size + total) / 2)),
          seen[half],
        ),
        onHost,
      ).catch((error: unknown) => {
        // The second reading parses what the first took whole: a document it finds wrong is
        // one rewritten meanwhile, not a bad file.
        if (half === 1 && (error instanceof JsonReportError || tooManyHosts(error))) {
          throw cannotRead(file, CHANGED);
        }
        if (error instanceof JsonReportError) throw invalid(name, error);
        return readFailure(file, error);
      });

    // First reading: the document without its hosts, and what its hosts say of their PC.
    const facts = { hosts: new FileHostFacts(local), scanHosts: new FileHostFacts(local) };
    const first = await read((list, host) => facts[list].add(host), 0);
    const object = first.rest;
    // As `report FILE.json` always took them: a report or `show ID --json` carries its inputs;
    // anything else is a scan written by `scan --json`.
    const wrapped =
      object.format === REPORT_JSON_FORMAT || ('record' in object && 'scan' in object);
    const candidate = wrapped
      ? Object.fromEntries(
          Object.entries(object).filter(
            ([key, value]) =>
              ['scan', 'firewallRules', 'macAddresses', 'pcName'].includes(key) && value !== null,
          ),
        )
      : {
          scan: { ...object, ...('hosts' in object ? { hosts: [] } : {}) },
          ...(typeof object.pcName === 'string' ? { pcName: object.pcName } : {}),
        };
    const parsed = ReportInput.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const missing = issue?.code === 'invalid_type' && /undefined/.test(issue.message);
      throw invalid(name, { where: issue?.path.join('.') ?? '', missing });
    }
    const list = wrapped ? 'scanHosts' : 'hosts';
    const given = parsed.data;
    given.scan.hosts = [];
    const keptId = ScanId.safeParse(given.scan.scanId);
    const kept = keptId.success ? scans.header(keptId.data) : null;
    const keptHere =
      kept !== null &&
      kept !== 'unreadable' &&
      keptScanMadeHere(given, kept.result, local, options.thisPcName);
    // The file's header as this PC takes it (notes, source, request), its hosts still unread.
    const input = reportInputFromFile(given, local, options.thisPcName, keptHere, facts[list]);
    const here = input.filePc === undefined;
    const byNmap = given.scan.source?.kind === 'nmap';

    // Second reading: each host of the scan's list as this PC takes it, written as a row.
    const writer = scans.writer(scanId);
    const addresses = new Set<string>();
    let notAddresses = 0;
    const reasons = fileReasonsOf(given.scan.source);
    await read((from, host) => {
      if (from !== list) return;
      const checked = checkedFileHost(host, local, here, byNmap, reasons);
      if (!checked) {
        notAddresses++;
        return;
      }
      writer.add(checked);
      addresses.add(checked.address);
    }, 1);
    // Rewritten in place between or during the readings: the hosts written are not the ones the
    // first reading judged. Refused before the last rows are written; the caller drops the others.
    if (!seen[0].digest().equals(seen[1].digest())) throw cannotRead(file, CHANGED);
    writer.flush();

    const pcName =
      given.pcName !== undefined ? oneLine(given.pcName).slice(0, MAX_HOSTNAME) : undefined;
    const source: ScanSource = {
      kind: 'json-report',
      ...(options.fileName ? { fileName: options.fileName.slice(0, 255) } : {}),
      ...(pcName ? { pcName } : {}),
      madeHere: here,
      ...(given.scan.source?.kind === 'nmap' ? { nmap: given.scan.source } : {}),
    };
    const notes = [
      ...input.scan.notes,
      ...(notAddresses > 0
        ? [bothLanguages('messages:import.noAddress', { count: notAddresses })]
        : []),
      ...contradictedReasonNotes(reasons),
    ];
    // The file's MAC addresses of hosts kept only (a set: 65,536 hosts, issue 13 review A15).
    const macAddresses = Object.fromEntries(
      Object.entries(given.macAddresses ?? {}).filter(([address]) => addresses.has(address)),
    );
    const scan = { ...input.scan, source, notes, hosts: [] };
    const rows = await assessWrittenRows(
      scans,
      scanId,
      (row) => row,
      assess,
      rulesKey,
      scan.addresses,
    );
    onProgress(size, size);
    return {
      kind: 'json-report',
      imported: { scan, hostCount: writer.count, macAddresses, startKnown: true },
      ...rows,
    };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
