import { create } from 'zustand';
import { api } from '../api/client';
import { decodeXmlBytes } from '../../app/contract/xml-bytes';
import { asAppError } from '../api/errors';
import type { AppError } from '../../app/contract/errors';
import type { Language } from '../../app/contract/app';
import type { ReportFormat } from '../../app/contract/report';
import { applyScanEvent, useScan } from './scan';
import { useRisk } from './risk';
import type { FirewallRule } from '../../app/contract/firewall';
import type { RiskAssessResult } from '../../app/contract/risk';
import { useFirewall } from './firewall';

interface ReportState {
  exporting: ReportFormat | null;
  importing: boolean;
  error: AppError | null;
  /** MAC addresses that came with an imported nmap file, kept for its report. */
  macAddresses: Record<string, string>;
  /** The nmap file on show, so the summary says the results were read from it, not just scanned. */
  imported: ImportedFile | null;
  /** The name of the last file saved, for the confirmation message. */
  lastSaved: string | null;
  exportReport(format: ReportFormat, lang: Language): Promise<void>;
  importNmapXml(file: File): Promise<boolean>;
  dismissError(): void;
}

export interface ImportedFile {
  scanId: string;
  fileName: string;
  /** False when the file carries no start time, so the import's own clock stood in for it. */
  dateKnown: boolean;
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

/**
 * The verdicts and the rules a report is made of, as the screen shows them once the firewall was
 * read afresh (the verdicts on screen are worked out again first when it changed): the file says
 * what the screen says. The rules are those the verdicts were worked out from; without verdicts,
 * the list just read. Undefined rules when the firewall journal cannot be read, which the report
 * then says.
 */
async function reportBasis(): Promise<{
  assessment: RiskAssessResult | null;
  rules: FirewallRule[] | undefined;
}> {
  const changed = await useFirewall.getState().load({ quiet: true });
  if (changed) await useRisk.getState().refresh();
  const assessment = useRisk.getState().result;
  const firewall = useFirewall.getState();
  const rules = assessment?.firewallRules ?? (firewall.view !== null ? firewall.rules : undefined);
  return { assessment, rules };
}

export const useReport = create<ReportState>()((set, get) => ({
  exporting: null,
  importing: false,
  error: null,
  macAddresses: {},
  imported: null,
  lastSaved: null,

  async exportReport(format, lang) {
    const scan = useScan.getState().result;
    if (!scan || get().exporting) return;
    set({ exporting: format, error: null, lastSaved: null });
    try {
      const { assessment, rules } = await reportBasis();
      const macs = get().macAddresses;
      const file = await api.call('report.export', {
        format,
        lang,
        scan,
        ...(assessment ? { assessment } : {}),
        ...(rules ? { firewallRules: rules } : {}),
        ...(Object.keys(macs).length > 0 ? { macAddresses: macs } : {}),
      });
      saveFile(file.fileName, file.mimeType, file.dataBase64);
      set({ exporting: null, lastSaved: file.fileName });
    } catch (error) {
      set({ exporting: null, error: asAppError(error) });
    }
  },

  async importNmapXml(file) {
    set({ importing: true, error: null, lastSaved: null });
    try {
      const xml = decodeXmlBytes(new Uint8Array(await file.arrayBuffer()));
      const { scan, macAddresses } = await api.call('report.importNmapXml', { xml });
      // Shown like a finished scan, so the verdicts, the block buttons and the export all apply.
      useScan.setState((s) =>
        applyScanEvent(
          { ...s, phase: 'idle', hosts: {}, result: null, error: null, scanId: scan.scanId },
          { type: 'finished', scanId: scan.scanId, result: scan },
        ),
      );
      const dateKnown = /<nmaprun\b[^>]*\sstart="\d+"/.test(xml);
      set({
        importing: false,
        macAddresses,
        imported: { scanId: scan.scanId, fileName: file.name, dateKnown },
      });
      return true;
    } catch (error) {
      set({ importing: false, error: asAppError(error) });
      return false;
    }
  },

  dismissError() {
    set({ error: null });
  },
}));

// A new scan is not the imported file: its MAC addresses no longer apply.
useScan.subscribe((state, previous) => {
  if (state.phase === 'starting' && previous.phase !== 'starting') {
    useReport.setState({ macAddresses: {}, imported: null, lastSaved: null });
  }
});
