import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskHandlers } from '../../app/api/risk-handlers.js';
import type { Language, RiskAssessResult, ScanResult } from '../../app/contract/index.js';
import { exportReport } from '../../app/report/export.js';
import { buildReportModel } from '../../app/report/model.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { HOST_REASON_LABEL, SEVERITY_LABEL } from '../../app/contract/vocabulary.js';
import { scanLab, startReportLab, type ReportLab } from './report-lab.js';

const run = promisify(execFile);
const ARTIFACTS = path.resolve('test/artifacts');
const PC_NAME = 'PC-de-Loïc-Ωμέγα-Дом';

let lab: ReportLab;
let scan: ScanResult;
let assessment: RiskAssessResult;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pa-report-pdf-'));
  await mkdir(ARTIFACTS, { recursive: true });
  lab = await startReportLab();
  scan = await scanLab(lab.address, lab.portSpec);
  assessment = await riskHandlers()['risk.assess']({ hosts: scan.hosts }, { emit: () => {} });
});

afterAll(async () => {
  await lab?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Count of pixels darker than near-white in a binary PGM (P5) image. */
function inkedPixels(pgm: Buffer): { inked: number; total: number } {
  const header = pgm.subarray(0, 64).toString('latin1');
  const match = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!match) throw new Error('not a PGM image');
  const width = Number(match[1]);
  const height = Number(match[2]);
  const pixels = pgm.subarray(match[0].length);
  let inked = 0;
  for (let i = 0; i < width * height; i++) if ((pixels[i] ?? 255) < 235) inked++;
  return { inked, total: width * height };
}

describe.each<Language>(['fr', 'en'])('PDF report of a real lab scan (%s)', (lang) => {
  let text: string;
  let pdfPath: string;

  beforeAll(async () => {
    const file = await exportReport('pdf', lang, {
      scan,
      assessment,
      firewallRules: [],
      pcName: PC_NAME,
      macAddresses: { [lab.address]: '00-1b-a9-01-02-03' },
    });
    expect(file.mimeType).toBe('application/pdf');
    expect(file.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    pdfPath = path.join(tmp, `report-${lang}.pdf`);
    await writeFile(pdfPath, file.data);
    await writeFile(path.join(ARTIFACTS, `report-${lang}.pdf`), file.data);
    const { stdout } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-']);
    text = stdout.replace(/\s+/g, ' ');
  });

  it('the scan found what the lab serves', () => {
    const host = scan.hosts.find((h) => h.address === lab.address);
    expect(host?.status).toBe('up');
    const open = host!.ports.filter((p) => p.state === 'open').map((p) => p.port);
    expect(open.sort((a, b) => a - b)).toEqual(
      [lab.ports.telnet, lab.ports.smb, lab.ports.rdp, lab.ports.ssh].sort((a, b) => a - b),
    );
  });

  it('names the address, every open port with its severity and reasons, in the right language', () => {
    expect(text).toContain(lab.address);
    expect(text).toContain(PC_NAME);
    const assessed = assessment.hosts.find((h) => h.address === lab.address)!;
    expect(assessed.ports.length).toBe(4);
    for (const port of assessed.ports) {
      expect(text).toMatch(new RegExp(`(^|\\s)${port.port} TCP`));
      expect(text).toContain(SEVERITY_LABEL[port.severity][lang]);
      const reason = port.reasons[0]!.text[lang].replace(/\s+/g, ' ').slice(0, 40);
      expect(text).toContain(reason);
      // The PDF gives what to do for the ports that need something done: an Info port (here a
      // listener only this PC can reach) has its reasons only.
      if (port.severity !== 'info') {
        expect(text).toContain(port.advice[lang].replace(/\s+/g, ' ').slice(0, 40));
      }
    }
    const worst = assessed.worst!;
    expect(text).toContain(SEVERITY_LABEL[worst][lang]);
  });

  it('says in words why the device counts as up and who made its network card', () => {
    const host = scan.hosts.find((h) => h.address === lab.address)!;
    expect(text).toContain(HOST_REASON_LABEL[host.reason][lang]);
    expect(text).not.toContain(`(${host.reason})`);
    expect(text).toMatch(/MAC 00:1B:A9:01:02:03 \(Brother/);
  });

  it('has the cover facts, the sections and a numbered footer on every page', async () => {
    const { stdout: info } = await run('pdfinfo', [pdfPath]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    // Cover, summary, devices, then firewall and method (which share a page when both are short).
    expect(pages).toBeGreaterThanOrEqual(4);
    const t = (fr: string, en: string) => (lang === 'fr' ? fr : en);
    for (const heading of [
      t('Rapport d’audit des ports réseau', 'Network port audit report'),
      t('Synthèse', 'Summary'),
      t('Détail par appareil', 'Details by device'),
      t('Pare-feu', 'Firewall'),
      t('Méthode', 'Method'),
      t('En bref', 'In short'),
      'TCP connect',
      'RFC 6298',
      // Listed as the PDF may wrap it: between items, never inside a number.
      lab.portSpec.replaceAll(',', ', '),
    ]) {
      expect(text).toContain(heading);
    }
    for (let page = 1; page <= pages; page++) {
      expect(text).toContain(t(`Page ${page} sur ${pages}`, `Page ${page} of ${pages}`));
    }
    expect(text).not.toContain(t('Page 1 of', 'Page 1 sur'));
  });

  it('renders a non-blank first page (kept in test/artifacts)', async () => {
    const prefix = path.join(tmp, `page-${lang}`);
    await run('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', pdfPath, prefix]);
    const pgm = await readFile(`${prefix}-1.pgm`);
    const { inked, total } = inkedPixels(pgm);
    // The cover's banner and tiles alone cover well over 5 % of the page.
    expect(inked / total).toBeGreaterThan(0.05);
    expect(inked / total).toBeLessThan(0.6);
    await run('pdftoppm', [
      '-png',
      '-r',
      '80',
      pdfPath,
      path.join(ARTIFACTS, `report-${lang}-page`),
    ]);
  });
});

describe.each<Language>(['fr', 'en'])('PDF report of an nmap file of this PC (%s)', (lang) => {
  const xml = readFileSync(path.resolve('test/fixtures/nmap/this-pc-two-addresses.xml'), 'utf8');
  // 10.213.0.1 is this PC's (as the app would find among its addresses, with its loopback ones);
  // nmap answered localhost-response at 10.213.0.1, this PC's: it ran here, and the file's
  // 127.0.0.1 is this PC's loopback (review 13c new user #2; a foreign file's stays the
  // scanner's, test/unit/report-other-loopback.test.ts).
  const { scan: imported } = importNmapXml(xml, {
    localAddresses: new Set(['10.213.0.1', '127.0.0.1', '::1']),
  });
  let text: string;

  beforeAll(async () => {
    const file = await exportReport('pdf', lang, { scan: imported, pcName: PC_NAME });
    const pdfPath = path.join(tmp, `this-pc-${lang}.pdf`);
    await writeFile(pdfPath, file.data);
    const { stdout } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-']);
    text = stdout.replace(/\s+/g, ' ');
  });

  it('titles this PC as the page does, never with the name nmap gave another address', () => {
    expect(text).toContain(lang === 'fr' ? 'Ce PC' : 'This PC');
    expect(text).not.toContain('10.213.0.1 — localhost');
  });

  it('folds the file’s loopback into this PC, nmap having run here: one device', () => {
    const hosts = buildReportModel({ scan: imported, pcName: PC_NAME }).hosts;
    const pc = hosts.filter((h) => h.isLocal);
    expect(pc).toHaveLength(1);
    expect(pc[0]!.addresses).toEqual(expect.arrayContaining(['10.213.0.1', '127.0.0.1']));
    expect(hosts.find((h) => !h.isLocal && h.addresses.includes('127.0.0.1'))).toBeUndefined();
    // The Method note and the ARP reason name nmap's PC; no device is said to be it.
    const scanner = lang === 'fr' ? 'actif : le PC qui a lancé nmap' : 'up: the PC that ran nmap';
    expect(text).not.toContain(scanner);
  });

  it('says a host nmap saw by ARP answered nmap, not that this PC saw it on its network', () => {
    expect(text).toContain(HOST_REASON_LABEL['nmap-neighbour'][lang]);
    expect(text).not.toContain(HOST_REASON_LABEL.neighbour[lang]);
  });
});
