import { create } from 'zustand';
import { api } from '../api/client';
import { asAppError } from '../api/errors';
import type { AppError } from '../../app/contract/errors';
import type { Language } from '../../app/contract/app';
import type { ExportProgress, NmapImportResult, ReportFormat } from '../../app/contract/report';
import { useScan } from './scan';
import { useFirewall } from './firewall';
import type { ImportMethod } from '../features/report/import-method';

interface ReportState {
  exporting: ReportFormat | null;
  /** The id the running export was asked under (its progress events, its Cancel), else null. */
  exportId: string | null;
  /** How far the running export has got (its latest `report.exportProgress`), null before. */
  exportProgress: Pick<ExportProgress, 'step' | 'done' | 'total'> | null;
  /** The last export was cancelled by the user: said until the next one. */
  exportCancelled: boolean;
  /** Stops the running export (its thread in the app); no file is saved. */
  cancelExport(): Promise<void>;
  importing: boolean;
  /** The app's open dialog is showing (Electron): no file chosen yet. */
  choosing: boolean;
  /**
   * Share of the file sent to the app (`upload`) or read by it from the chosen path (`picker`)
   * while importing (0 to 1), null otherwise.
   */
  importProgress: number | null;
  /** How the file being imported reaches the app (see importMethod). */
  importVia: ImportMethod | null;
  error: AppError | null;
  /** The name of the last file saved, for the confirmation message. */
  lastSaved: string | null;
  /** The scan that file was made of: the message is shown under that scan only. */
  savedFor: string | null;
  /** Exports the kept scan on show (the page's or the history's). */
  exportReport(format: ReportFormat, lang: Language, scanId?: string): Promise<void>;
  importNmapXml(file: File): Promise<boolean>;
  /**
   * Asks the app to show its own open dialog and import the file chosen there from its path
   * (Electron, `report.importPicked`). True when a file was imported and opened.
   */
  importPicked(lang: Language): Promise<boolean>;
  dismissError(): void;
}

/** Base64 of some bytes, in slices (a spread of 128 KiB of arguments would overflow the stack). */
function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function base64ToBytes(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Hands the file to the user: a download in browser mode; in Electron the main process turns the
 * same download into the system's save dialog, with the file's name and type
 * (main/electron/save-dialog.ts).
 */
function saveFile(fileName: string, mimeType: string, dataBase64: string): void {
  const blob = new Blob([base64ToBytes(dataBase64)], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Shows an import like a finished scan, so the verdicts, the block buttons and the export apply. */
async function showImported(imported: NmapImportResult): Promise<boolean> {
  useScan.setState({ phase: 'finished', error: null, scanId: imported.scanId, hosts: {} });
  const shown = await useScan.getState().open(imported.scanId, {
    notice: imported.notice ?? null,
  });
  useReport.setState({ importing: false, choosing: false, importVia: null, importProgress: null });
  return shown;
}

export const useReport = create<ReportState>()((set, get) => ({
  exporting: null,
  exportId: null,
  exportProgress: null,
  exportCancelled: false,
  importing: false,
  choosing: false,
  importProgress: null,
  importVia: null,
  error: null,
  lastSaved: null,
  savedFor: null,

  async exportReport(format, lang, scanId) {
    const id = scanId ?? useScan.getState().shown?.details.scanId;
    if (!id || get().exporting) return;
    const exportId = crypto.randomUUID();
    set({
      exporting: format,
      exportId,
      exportProgress: null,
      exportCancelled: false,
      error: null,
      lastSaved: null,
    });
    const stop = api.on('report.exportProgress', ({ exportId: of, step, done, total }) => {
      if (of === exportId && get().exportId === exportId) {
        set({ exportProgress: { step, done, total } });
      }
    });
    const over = { exporting: null, exportId: null, exportProgress: null };
    try {
      // The firewall read afresh first: the file says what the firewall holds now, as the screen.
      await useFirewall.getState().load({ quiet: true });
      const file = await api.call('report.export', { scanId: id, format, lang, exportId });
      saveFile(file.fileName, file.mimeType, file.dataBase64);
      set({ ...over, lastSaved: file.fileName, savedFor: id });
    } catch (error) {
      const failure = asAppError(error);
      // The user's own Cancel is no error: said as such (nothing was saved).
      if (failure.code === 'report.export-cancelled') set({ ...over, exportCancelled: true });
      else set({ ...over, error: failure });
    } finally {
      stop();
    }
  },

  async cancelExport() {
    const exportId = get().exportId;
    if (!exportId) return;
    try {
      await api.call('report.exportCancel', { exportId });
    } catch (error) {
      set({ error: asAppError(error) });
    }
  },

  async importNmapXml(file) {
    set({ importing: true, importVia: 'upload', importProgress: 0, error: null, lastSaved: null });
    try {
      // In pieces: no message passes the transport's cap, whatever the file's size (the app
      // refuses one over its import limit at the start, before any piece is sent).
      const { uploadId, chunkBytes } = await api.call('report.importBegin', {
        fileName: file.name.slice(0, 255) || 'nmap.xml',
        size: file.size,
      });
      for (let offset = 0; offset < file.size; offset += chunkBytes) {
        const piece = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
        await api.call('report.importChunk', {
          uploadId,
          offset,
          dataBase64: bytesToBase64(piece),
        });
        set({ importProgress: Math.min(1, (offset + piece.length) / Math.max(1, file.size)) });
      }
      const imported = await api.call('report.importEnd', { uploadId });
      return await showImported(imported);
    } catch (error) {
      set({ importing: false, importVia: null, importProgress: null, error: asAppError(error) });
      return false;
    }
  },

  async importPicked(lang) {
    if (get().importing) return false;
    const importId = crypto.randomUUID();
    set({ importing: true, choosing: true, importVia: 'picker', importProgress: null });
    set({ error: null, lastSaved: null });
    const stop = api.on('report.importProgress', ({ importId: id, read, size }) => {
      if (id !== importId) return;
      set({ choosing: false, importProgress: size > 0 ? Math.min(1, read / size) : 1 });
    });
    try {
      const picked = await api.call('report.importPicked', { importId, lang });
      if (picked.outcome === 'cancelled') {
        set({ importing: false, choosing: false, importVia: null, importProgress: null });
        return false;
      }
      return await showImported(picked);
    } catch (error) {
      set({ importing: false, choosing: false, importVia: null, importProgress: null });
      set({ error: asAppError(error) });
      return false;
    } finally {
      stop();
    }
  },

  dismissError() {
    set({ error: null });
  },
}));

// A new scan's results are not the file saved before.
useScan.subscribe((state, previous) => {
  if (state.phase === 'starting' && previous.phase !== 'starting') {
    useReport.setState({ lastSaved: null });
  }
});
