import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  ExportSlots,
  ImportSlots,
  MessageRate,
  rateLimited,
  ScanSlots,
} from '../../app/api/limits.js';
import { AppFailure } from '../../app/errors.js';
import { IMPORT_CHUNK_BYTES } from '../../app/contract/index.js';
import { MAX_NMAP_XML_BYTES } from '../../app/report/nmap-xml-import.js';
import { typeset } from './support/typography.js';

function refusal(task: () => unknown): AppFailure {
  try {
    task();
  } catch (error) {
    if (error instanceof AppFailure) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('import slots', () => {
  it('refuses past the per-client limit, then past the overall one, in both languages', () => {
    const slots = new ImportSlots({ importsPerClient: 2, importsOverall: 3 });
    const release = slots.acquire('a');
    slots.acquire('a');
    const perClient = refusal(() => slots.acquire('a'));
    expect(perClient.appError).toEqual({
      code: 'report.import-too-many-for-client',
      message: {
        fr: typeset(
          'Déjà 2 fichiers nmap en cours d’import depuis cette fenêtre : attendez qu’un se termine avant d’en importer un autre.',
        ),
        en: 'Already 2 nmap files being imported from this window: wait for one to finish before importing another.',
      },
      params: { limit: 2 },
    });
    slots.acquire('b');
    const overall = refusal(() => slots.acquire('c'));
    expect(overall.appError.code).toBe('report.import-too-many');
    expect(overall.appError.message.fr).toBe(
      typeset(
        'Déjà 3 fichiers nmap en cours d’import dans Port Auditor : attendez qu’un se termine avant d’en importer un autre.',
      ),
    );
    release();
    expect(() => slots.acquire('c')).not.toThrow();
  });

  it('allows a few imports by default, fewer per client', () => {
    expect(DEFAULT_LIMITS.importsPerClient).toBe(2);
    expect(DEFAULT_LIMITS.importsOverall).toBe(4);
  });
});

describe('export slots', () => {
  it('refuses a report past the per-client limit, then past the overall one, in both languages', () => {
    const slots = new ExportSlots(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toMatchObject({ exportsPerClient: 2, exportsOverall: 3 });
    const release = slots.acquire('a');
    slots.acquire('a');
    const perClient = refusal(() => slots.acquire('a'));
    expect(perClient.appError).toMatchObject({
      code: 'report.export-too-many-for-client',
      message: {
        fr: typeset(
          'Déjà 2 rapports en préparation pour cette fenêtre : attendez qu’un arrive avant d’en demander un autre.',
        ),
        en: 'Already 2 reports being made for this window: wait for one to arrive before asking for another.',
      },
    });
    slots.acquire('b');
    expect(refusal(() => slots.acquire('c')).appError.code).toBe('report.export-too-many');
    release();
    expect(() => slots.acquire('c')).not.toThrow();
  });
});

describe('scan slots', () => {
  it('refuses past the per-client limit, then past the overall one, in both languages', () => {
    const slots = new ScanSlots({ scansPerClient: 2, scansOverall: 3 });
    slots.acquire('a');
    slots.acquire('a');
    const perClient = refusal(() => slots.acquire('a'));
    expect(perClient.appError).toEqual({
      code: 'scan.too-many-for-client',
      message: {
        fr: typeset(
          'Déjà 2 analyses en cours depuis cette fenêtre : attendez qu’une se termine ou arrêtez-en une avant d’en lancer une autre.',
        ),
        en: 'Already 2 scans running from this window: wait for one to finish or stop one before starting another.',
      },
      params: { limit: 2 },
    });
    slots.acquire('b');
    const overall = refusal(() => slots.acquire('c'));
    expect(overall.appError.code).toBe('scan.too-many');
    expect(overall.appError.message.en).toBe(
      'Already 3 scans running in Port Auditor: wait for one to finish before starting another.',
    );
    expect(overall.appError.message.fr).toBe(
      typeset(
        'Déjà 3 analyses en cours dans Port Auditor : attendez qu’une se termine avant d’en lancer une autre.',
      ),
    );
  });

  it('gives a slot back once, however often it is released', () => {
    const slots = new ScanSlots({ scansPerClient: 1, scansOverall: 2 });
    const release = slots.acquire('a');
    release();
    release();
    const again = slots.acquire('a');
    slots.acquire('b');
    expect(refusal(() => slots.acquire('c')).appError.code).toBe('scan.too-many');
    again();
    expect(() => slots.acquire('c')).not.toThrow();
  });
});

describe('a stopping scan’s slot (review 13, F8)', () => {
  it('is held until released, and the refusal meanwhile says how many are stopping', () => {
    const slots = new ScanSlots({ scansPerClient: 2, scansOverall: 2 });
    const first = slots.acquire('a');
    slots.acquire('a');
    first.stopping();
    first.stopping();
    const refused = refusal(() => slots.acquire('a'));
    expect(refused.appError).toEqual({
      code: 'scan.too-many-for-client',
      message: {
        fr: typeset(
          'Déjà 2 analyses en cours depuis cette fenêtre, dont 1 en cours d’arrêt : une analyse arrêtée libère sa place une fois terminée, dans quelques secondes. Lancez ensuite la nouvelle.',
        ),
        en: 'Already 2 scans running from this window, 1 of them still stopping: a scan you stop frees its place once it has ended, in a few seconds. Then start the new one.',
      },
      params: { limit: 2 },
    });
    expect(refusal(() => slots.acquire('b')).appError.message.en).toBe(
      'Already 2 scans running in Port Auditor, 1 of them still stopping: a stopped scan frees its place once it has ended, in a few seconds. Then start the new one.',
    );
    first();
    slots.acquire('a');
    // Released: no longer counted as stopping.
    expect(refusal(() => slots.acquire('a')).appError.message.en).toBe(
      'Already 2 scans running from this window: wait for one to finish or stop one before starting another.',
    );
  });

  it('says it of the one scan a window may run', () => {
    const slots = new ScanSlots({ scansPerClient: 1, scansOverall: 4 });
    slots.acquire('a').stopping();
    expect(refusal(() => slots.acquire('a')).appError.message.en).toBe(
      'Already 1 scan running from this window, and it is still stopping: a scan you stop frees its place once it has ended, in a few seconds. Then start the new one.',
    );
  });
});

describe('message rate', () => {
  it('allows the burst, refuses beyond, and refills at the sustained rate', () => {
    let now = 0;
    const rate = new MessageRate(
      { messagesPerSecond: 10, messageBurst: 5, importChunkBurst: 3, importChunksPerSecond: 1 },
      () => now,
    );
    const taken = Array.from({ length: 7 }, () => rate.take());
    expect(taken).toEqual([true, true, true, true, true, false, false]);
    now += 100; // one message's worth at 10/s
    expect([rate.take(), rate.take()]).toEqual([true, false]);
    now += 10_000; // refills to the burst, never beyond
    expect(Array.from({ length: 6 }, () => rate.take())).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  /** A well-formed piece of upload `uploadId`, and whose uploads this connection owns. */
  const piece = (uploadId = 'mine') => ({
    kind: 'request',
    id: 1,
    method: 'report.importChunk',
    params: { uploadId, offset: 0, dataBase64: 'AAAA' },
  });
  const owns = (uploadId: string) => uploadId === 'mine';

  it('counts the pieces of an upload apart: a whole file at the import limit goes through at once', () => {
    // Review 13, F8: a client sending a legitimate upload as fast as the app answered was cut.
    const now = 0;
    const rate = new MessageRate(DEFAULT_LIMITS, () => now);
    const pieces = Math.ceil(MAX_NMAP_XML_BYTES / IMPORT_CHUNK_BYTES);
    expect(pieces).toBeGreaterThan(DEFAULT_LIMITS.messageBurst);
    expect(rate.take({ method: 'report.importBegin' }, owns)).toBe(true);
    for (let i = 0; i < pieces; i++) expect(rate.take(piece(), owns), `piece ${i}`).toBe(true);
    expect(rate.take({ method: 'report.importEnd' }, owns)).toBe(true);
    // Other messages kept their own budget, and a flood of pieces is still cut.
    expect(
      Array.from({ length: DEFAULT_LIMITS.messageBurst - 2 }, () => rate.take()),
    ).not.toContain(false);
    expect(rate.take({ method: 'app.info' }, owns)).toBe(false);
    expect(rate.take(piece(), owns)).toBe(true); // the one piece to spare
    expect(rate.take(piece(), owns)).toBe(false);
  });

  it('counts as a message a "piece" that is malformed or of an upload not this connection’s', () => {
    // Review 13b, A8: junk named importChunk took the pieces' budget on top of the messages'.
    const rate = new MessageRate(DEFAULT_LIMITS, () => 0);
    const junk = [
      { method: 'report.importChunk' },
      { method: 'report.importChunk', params: { uploadId: 'mine', offset: -1, dataBase64: '' } },
      { method: 'report.importChunk', params: { ...piece().params, extra: 1 } },
      piece('someone-elses'),
    ];
    const taken = Array.from({ length: DEFAULT_LIMITS.messageBurst }, (_, i) =>
      rate.take(junk[i % junk.length], owns),
    );
    expect(taken).not.toContain(false);
    expect(rate.take(piece('someone-elses'), owns)).toBe(false);
    expect(rate.take({ method: 'app.info' }, owns)).toBe(false);
    // The pieces' own budget is untouched: this connection's upload still goes through.
    expect(rate.take(piece(), owns)).toBe(true);
  });

  it('has defaults a page never reaches and a refusal in both languages', () => {
    expect(DEFAULT_LIMITS.messageBurst).toBeGreaterThanOrEqual(100);
    expect(rateLimited().appError).toEqual({
      code: 'contract.rate-limited',
      message: {
        fr: typeset('Trop de messages envoyés trop vite : message refusé.'),
        en: 'Too many messages sent too fast: message refused.',
      },
    });
  });
});
