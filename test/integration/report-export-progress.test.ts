import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../app/api/core.js';
import type { ExportProgress } from '../../app/contract/report.js';
import { generateNmapXml } from '../lab/nmap-xml.js';
import { typeset } from '../unit/support/typography.js';

/**
 * `report.export` with an `exportId` pushes `report.exportProgress` events of that export and is
 * stopped by `report.exportCancel` (review 13 N5: the PDF of a 5,000-host import ran 166 s with
 * no percentage and no way to stop it). The real core, its real store in a temp data folder of
 * this test, the real export thread.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-export-progress-${name}-${process.pid}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

/** This process's OS threads (a worker thread is one of them while it runs). */
function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

function appWith(dir: string) {
  const core = createCore({ host: 'web', dataDir: dir });
  cleanups.push(() => core.dispose());
  const events: ExportProgress[] = [];
  let id = 1;
  const call = async (method: string, params: unknown) =>
    core.dispatch({ kind: 'request', id: id++, method, params } as never, {
      client: 'page',
      emit: (event: string, payload: unknown) => {
        if (event === 'report.exportProgress') events.push(payload as ExportProgress);
      },
    });
  const importHosts = async (hosts: number): Promise<string> => {
    const imported = await call('report.importNmapXml', {
      xml: generateNmapXml(hosts),
      fileName: `hosts${hosts}.xml`,
    });
    expect(imported.ok).toBe(true);
    return (imported as { result: { scanId: string } }).result.scanId;
  };
  return { call, events, importHosts };
}

const STEPS = ['devices', 'layout', 'pages'];

describe('export progress and Cancel', () => {
  it('pushes a PDF’s devices, pages laid out and pages written, in order, ending at the total', async () => {
    const { call, events, importHosts } = appWith(tempDir('order'));
    const scanId = await importHosts(300);
    const exportId = '0b8f5a52-5d0e-4c1e-9a57-5d3f0f2b9a01';
    const answer = await call('report.export', { scanId, format: 'pdf', lang: 'fr', exportId });
    expect(answer.ok).toBe(true);

    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.exportId === exportId)).toBe(true);
    // Steps in order, never back; within one step `done` never goes back.
    const stepIndex = events.map((e) => STEPS.indexOf(e.step));
    expect(stepIndex).toEqual([...stepIndex].sort((a, b) => a - b));
    expect(new Set(events.map((e) => e.step))).toEqual(new Set(STEPS));
    for (let i = 1; i < events.length; i++) {
      if (events[i]!.step === events[i - 1]!.step) {
        expect(events[i]!.done).toBeGreaterThanOrEqual(events[i - 1]!.done);
      }
    }
    // Devices: 0 first, the 300 hosts last.
    const devices = events.filter((e) => e.step === 'devices');
    expect(devices[0]).toMatchObject({ done: 0, total: 300 });
    expect(devices.at(-1)).toMatchObject({ done: 300, total: 300 });
    // The pages laid out are the pages written, and the last event is the whole file.
    const laidOut = events.filter((e) => e.step === 'layout').at(-1)!.done;
    const last = events.at(-1)!;
    expect(last).toEqual({ exportId, step: 'pages', done: laidOut, total: laidOut });
    const pdf = Buffer.from(
      (answer as { result: { dataBase64: string } }).result.dataBase64,
      'base64',
    );
    // The PDF's own page count (/Type /Page objects, not /Pages) is that total.
    const pageObjects = pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? [];
    expect(pageObjects.length).toBe(laidOut);
  }, 300_000);

  it('CSV says its devices from 0 to the total', async () => {
    const { call, events, importHosts } = appWith(tempDir('csv'));
    const scanId = await importHosts(40);
    const exportId = '0b8f5a52-5d0e-4c1e-9a57-5d3f0f2b9a02';
    expect(
      await call('report.export', { scanId, format: 'csv', lang: 'en', exportId }),
    ).toMatchObject({
      ok: true,
    });
    expect(events).toEqual([
      { exportId, step: 'devices', done: 0, total: 40 },
      { exportId, step: 'devices', done: 40, total: 40 },
    ]);
  });

  it('Cancel stops the export’s thread, says so in fr and en, leaves no file; the scan exports again', async () => {
    const dir = tempDir('cancel');
    const { call, events, importHosts } = appWith(dir);
    const scanId = await importHosts(1500);
    // A first small export: the threads Node keeps (file system pool) exist before counting.
    await call('report.export', { scanId, format: 'csv', lang: 'fr' });
    const threadsBefore = threadCount();
    const filesBefore = filesUnder(dir);

    const exportId = '0b8f5a52-5d0e-4c1e-9a57-5d3f0f2b9a03';
    const exported = call('report.export', { scanId, format: 'pdf', lang: 'fr', exportId });
    // Cancelled once the thread has said it is at work.
    while (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(threadCount()).toBeGreaterThan(threadsBefore);
    expect(await call('report.exportCancel', { exportId })).toMatchObject({
      ok: true,
      result: { cancelled: true },
    });
    expect(await exported).toMatchObject({
      ok: false,
      error: {
        code: 'report.export-cancelled',
        message: {
          fr: typeset(
            'Export annulé : aucun fichier n’a été enregistré. L’analyse conservée reste entière.',
          ),
          en: 'Export cancelled: no file was saved. The kept scan is unaffected.',
        },
      },
    });
    // Answered once the thread is gone: no thread left of it, no file anywhere in the data
    // folder but the store's own, and nothing more heard of that export.
    expect(threadCount()).toBe(threadsBefore);
    expect(filesUnder(dir)).toEqual(filesBefore);
    const heard = events.length;
    expect(events.at(-1)!.step === 'pages' && events.at(-1)!.done === events.at(-1)!.total).toBe(
      false,
    );
    // The same id again: nothing running under it any more.
    expect(await call('report.exportCancel', { exportId })).toMatchObject({
      ok: true,
      result: { cancelled: false },
    });
    // Its slot is free: the same scan exports again.
    expect(await call('report.export', { scanId, format: 'csv', lang: 'fr' })).toMatchObject({
      ok: true,
      result: { mimeType: expect.stringContaining('text/csv') },
    });
    expect(events.length).toBe(heard);
  }, 300_000);

  it('another client cannot cancel an export it did not ask for', async () => {
    const dir = tempDir('other');
    const core = createCore({ host: 'web', dataDir: dir });
    cleanups.push(() => core.dispose());
    let id = 1;
    let heardByA = 0;
    const call = (client: string, method: string, params: unknown) =>
      core.dispatch({ kind: 'request', id: id++, method, params } as never, {
        client,
        emit: () => {
          if (client === 'a') heardByA++;
        },
      });
    const imported = await call('a', 'report.importNmapXml', {
      xml: generateNmapXml(20),
      fileName: 'twenty.xml',
    });
    const { scanId } = (imported as { result: { scanId: string } }).result;
    const exportId = '0b8f5a52-5d0e-4c1e-9a57-5d3f0f2b9a04';
    const exported = call('a', 'report.export', { scanId, format: 'pdf', lang: 'en', exportId });
    while (heardByA === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await call('b', 'report.exportCancel', { exportId })).toMatchObject({
      ok: true,
      result: { cancelled: false },
    });
    expect(await exported).toMatchObject({ ok: true, result: { mimeType: 'application/pdf' } });
  }, 300_000);
});
