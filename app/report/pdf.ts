import type PdfMake from 'pdfmake';
import type { Content, TableCell } from 'pdfmake';
type TDocumentDefinitions = Parameters<typeof PdfMake.createPdf>[0];
import { APP_NAME, APP_VERSION } from '../identity.js';
import type { Language, LocalizedText } from '../contract/index.js';
import type { FirewallRule } from '../contract/firewall.js';
import type { ScanSource } from '../contract/scan.js';
import type { ExportProgressStep } from '../contract/report.js';
import { ANY_REMOTE, ruleCreated } from '../firewall/labels.js';
import { COVERAGE_LABEL } from '../firewall/coverage.js';
import { deviceHeading, zonedAddress } from '../contract/devices.js';
import { EVERY_PORT_SEVERITY, type Reference, type Severity } from '../contract/risk.js';
import { defaultTuning } from '../scan/engine.js';
import { HTTP_PORTS } from '../scan/service-detection/http.js';
import { TLS_PORTS } from '../scan/service-detection/tls.js';
import { loadFonts } from './fonts.js';
import {
  describeSpec,
  everyPortText,
  formatDateTime as formatLongDateTime,
  formatDuration,
} from './labels.js';
import { specHasUdp } from '../contract/port-spec.js';
import {
  compareSeverity,
  HOST_REASON_LABEL,
  PORT_REASON_LABEL,
  portReasonText,
  PORT_STATE_LABEL,
  ruleStateText,
  SEVERITIES,
  SEVERITY_COLORS,
  SEVERITY_LABEL,
  macMakerLabel,
  notShownText,
  programsMissingText,
  serviceLabel,
  fileHostnameLabel,
} from '../contract/vocabulary.js';
import {
  isBlocked,
  isFinding,
  type Finding,
  type ReportHost,
  type ReportModel,
  type ReportPort,
} from './model.js';
import { bothLanguages, textFor } from '../text/catalogue.js';
import { inBothLanguages } from '../text/per-language.js';
import { quotable } from '../text/control-characters.js';
import { compactPorts } from './nmap-xml-export.js';

const FONT = 'DejaVuSans';
const INK = '#1f2933';
/** "Yes" and "nothing urgent": a good state, not a severity (6.5:1 on white). */
const GOOD = '#2e7d32';
const MUTED = '#5f6b7a';
const ACCENT = '#0d3b66';
const RULE = '#d5dbe3';
const LINK = '#1565c0';
const PAGE_WIDTH = 515; // A4 minus 40 pt margins.

interface VirtualFs {
  writeFileSync(name: string, content: Buffer): void;
  existsSync(name: string): boolean;
}

let loaded: Promise<typeof PdfMake> | null = null;

/**
 * pdfmake with the fonts installed, loaded on the first PDF: it and its PDF and font libraries
 * take about 24 MiB, which the app need not hold until a report is asked for (issue 13, memory).
 * pdfmake reads fonts by name from its in-memory file system; we put the shipped DejaVu fonts
 * there and forbid every other file and URL, so nothing in a report (a hostile host name, a
 * banner) can make pdfmake read the disk or the network.
 */
function loadPdfmake(): Promise<typeof PdfMake> {
  loaded ??= import('pdfmake').then(({ default: pdfmake }) => {
    installFonts(pdfmake);
    return pdfmake;
  });
  // A failed load (fonts missing) is tried again at the next PDF.
  loaded.catch(() => {
    loaded = null;
  });
  return loaded;
}

function installFonts(pdfmake: typeof PdfMake): void {
  const fonts = loadFonts();
  const vfs = (pdfmake as unknown as { virtualfs: VirtualFs }).virtualfs;
  for (const [style, data] of Object.entries(fonts)) vfs.writeFileSync(`pa-${style}.ttf`, data);
  pdfmake.setFonts({
    [FONT]: {
      normal: 'pa-normal.ttf',
      bold: 'pa-bold.ttf',
      italics: 'pa-italics.ttf',
      bolditalics: 'pa-bolditalics.ttf',
    },
  });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
}

type Say = (text: LocalizedText) => string;

/** A port's service as the page names it: "service non identifié", not the verdict's code `unknown`. */
function serviceText(p: ReportPort, say: Say): string {
  return say({
    fr: serviceLabel(p.service, 'fr', p.programPid),
    en: serviceLabel(p.service, 'en', p.programPid),
  });
}

/**
 * The software identified on a port (nmap -sV, our service detection), as the PDF prints it:
 * labelled as the page labels it ("Logiciel détecté") and quoted, since the words are the device's or the file's, not
 * Port Auditor's — a product like "✓ Règle vérifiée" must not read as the report's own verdict.
 * `product` was put on one line where it entered (app/report/model.ts); its quotation marks are
 * made single here so it cannot close the quote early.
 */
function detectedLine(product: string, say: Say): string {
  return say(bothLanguages('pdf:hostSection.detected', { text: quotable(product) }));
}

function sayFor(lang: Language): Say {
  return (text) => text[lang];
}

/**
 * A count as the report's language writes it, thousands grouped by Intl.NumberFormat through the
 * catalogue ("1 234" with U+202F in French, "1,234" in English). Port numbers are names, not
 * counts: they stay as nmap writes them (8080).
 */
function formatCount(count: number, say: Say): string {
  return say(bothLanguages('pdf:cover.tile.number', { count }));
}

function severityLabel(severity: Severity | null | undefined, say: Say): string {
  return severity ? say(SEVERITY_LABEL[severity]) : '—';
}

const pillLayout = {
  hLineWidth: () => 0,
  vLineWidth: () => 0,
  paddingTop: () => 1,
  paddingBottom: () => 1,
  paddingLeft: () => 2,
  paddingRight: () => 2,
};

/**
 * A coloured severity pill as tall as its label, at the top of its cell (a filled cell would paint
 * the whole height of a long reason): readable in greyscale thanks to the label.
 */
function severityPill(severity: Severity, say: Say): Content {
  return {
    table: {
      widths: ['*'],
      body: [
        [
          {
            text: say(SEVERITY_LABEL[severity]),
            bold: true,
            color: SEVERITY_COLORS[severity].chip.fg,
            fillColor: SEVERITY_COLORS[severity].chip.bg,
            alignment: 'center',
          },
        ],
      ],
    },
    layout: pillLayout,
  };
}

function severityCell(severity: Severity | undefined, say: Say): TableCell {
  return severity ? severityPill(severity, say) : { text: '—', color: MUTED };
}

/**
 * A port's severity: shown as mitigated when a Port Auditor rule closes it to every other device,
 * with what any other rule does under it (the reason's first sentence says it in full).
 */
function portSeverityCell(port: ReportPort, say: Say): TableCell {
  const effect = port.firewall?.effect;
  if (port.severity && isBlocked(port)) {
    return {
      text: `${say(SEVERITY_LABEL[port.severity])} → ${say(bothLanguages('pdf:words.mitigated'))}`,
      color: MUTED,
      fontSize: 7.5,
    };
  }
  if (port.severity && effect) {
    return {
      stack: [
        severityPill(port.severity, say),
        { text: say(COVERAGE_LABEL[effect]), color: MUTED, fontSize: 7, margin: [0, 2, 0, 0] },
      ],
    };
  }
  return severityCell(port.severity, say);
}

function heading(text: string, options: { pageBreak?: boolean } = {}): Content {
  return {
    stack: [
      { text, style: 'h1' },
      {
        canvas: [
          { type: 'line', x1: 0, y1: 2, x2: PAGE_WIDTH, y2: 2, lineWidth: 1.5, lineColor: ACCENT },
        ],
        margin: [0, 0, 0, 10],
      },
    ],
    ...(options.pageBreak ? { pageBreak: 'before' as const } : {}),
  };
}

/**
 * A port list the page may wrap only between items: pdfmake breaks a line at spaces, and a
 * "word" longer than the line anywhere, which cut "993" into "9" and "93".
 */
function breakable(list: string): string {
  return list.replace(/,\s*/g, ', ');
}

/** The file's label for a host's name a file gave (fileHostnameLabel), in both languages. */
function fileNameSaid(host: ReportHost): LocalizedText | undefined {
  const fr = fileHostnameLabel(host.hostnameMethod, 'fr');
  const en = fileHostnameLabel(host.hostnameMethod, 'en');
  return fr && en ? { fr, en } : undefined;
}

/**
 * A device's title as the page gives it (app/contract/devices.ts deviceHeading): This PC is
 * "Ce PC" whichever of its addresses has the ports, never an address with a name nmap gave
 * another of its addresses ("10.213.0.1 — localhost"); another device is its first address, with
 * that address's own name.
 */
function hostTitle(host: ReportHost, say: Say): string {
  if (deviceHeading({ isLocal: host.isLocal, hosts: [host], folded: [] }).thisPc)
    return say(bothLanguages('pdf:words.thisPc'));
  const address = zonedAddress(host);
  if (!host.hostname) return address;
  // A name a file gave is labelled as the file's, never shown as looked up by us (issue 15, N6).
  const fromFile = fileNameSaid(host);
  return `${address} — ${host.hostname}${fromFile ? ` (${say(fromFile)})` : ''}`;
}

function portLabel(p: Pick<ReportPort, 'port' | 'protocol'>): string {
  return `${p.port}/${p.protocol}`;
}

const tableLayout = {
  hLineWidth: (i: number) => (i === 1 ? 1 : 0.5),
  vLineWidth: () => 0,
  hLineColor: () => RULE,
  paddingLeft: () => 4,
  paddingRight: () => 4,
  paddingTop: () => 3,
  paddingBottom: () => 3,
};

function factsTable(rows: [string, string][]): Content {
  return {
    table: {
      widths: [150, '*'],
      body: rows.map(([label, value]) => [
        { text: label, color: MUTED },
        { text: value, bold: true },
      ]),
    },
    layout: {
      hLineWidth: () => 0.5,
      vLineWidth: () => 0,
      hLineColor: () => RULE,
      paddingTop: () => 5,
      paddingBottom: () => 5,
    },
  };
}

function tile(value: string, label: string, color: string): Content {
  return {
    table: {
      widths: ['*'],
      body: [
        [{ text: value, fontSize: 22, bold: true, color: '#ffffff', margin: [8, 6, 8, 0] }],
        [{ text: label, fontSize: 9, color: '#ffffff', margin: [8, 0, 8, 8] }],
      ],
    },
    layout: {
      hLineWidth: () => 0,
      vLineWidth: () => 0,
      fillColor: () => color,
    },
  };
}

function cover(model: ReportModel, lang: Language, say: Say): Content[] {
  const { scan } = model;
  const urgent = model.counts.critical + model.counts.high;
  const t = (key: string, params?: Record<string, unknown>) =>
    say(bothLanguages(`pdf:${key}`, params));
  // The PC the results are of: this PC, or the one that made a report file read back (N3).
  const coverPcName = model.filePc ? (model.filePc.name ?? t('cover.filePcUnnamed')) : model.pcName;
  const content: Content[] = [
    {
      table: {
        widths: ['*'],
        body: [
          [
            {
              stack: [
                {
                  text: APP_NAME.toUpperCase(),
                  fontSize: 10,
                  color: '#a9c4e4',
                  characterSpacing: 2,
                },
                {
                  text: t('cover.networkPortAuditReport'),
                  fontSize: 26,
                  bold: true,
                  color: '#ffffff',
                  margin: [0, 6, 0, 6],
                },
                { text: coverPcName, fontSize: 14, color: '#dbe7f5' },
              ],
              margin: [18, 22, 18, 22],
            },
          ],
        ],
      },
      layout: { hLineWidth: () => 0, vLineWidth: () => 0, fillColor: () => ACCENT },
      margin: [0, 0, 0, 24],
    },
    factsTable([
      [t('cover.dateAndTime'), formatLongDateTime(scan.startedAt, lang)],
      // A file made on another PC names that PC, as the file's (review N3).
      [model.filePc ? t('cover.filePcName') : t('cover.thisPcSName'), coverPcName],
      [
        t('cover.scannedTargets'),
        // An import's targets are words of the file's command line: quoted as the file's.
        scan.source?.kind === 'nmap' ||
        (scan.source?.kind === 'json-report' && scan.source.nmap !== undefined)
          ? t('cover.fileTargets', { targets: quotable(scan.request.targets) })
          : describeSpec(scan.request.targets, 'targets', lang),
      ],
      [t('cover.scannedPorts'), breakable(describeSpec(scan.request.ports, 'ports', lang))],
      [
        t('cover.scanDuration'),
        model.durationMs !== null
          ? formatDuration(model.durationMs, lang)
          : t(model.interrupted ? 'cover.durationInterrupted' : 'cover.durationUnknown'),
      ],
      [
        t('cover.addresses'),
        `${t('cover.addressesScanned', { count: scan.addresses })}, ${t('cover.addressesUp', { count: model.hostsUp })}`,
      ],
      [t('cover.reportLanguage'), t('cover.languageName')],
      [t('cover.producedBy'), `${APP_NAME} ${APP_VERSION}`],
    ]),
    {
      columns: [
        // Devices, not addresses: This PC's LAN address and 127.0.0.1 are one device.
        tile(
          t('cover.tile.number', { count: model.devicesUp }),
          t('cover.tile.devicesUp', { count: model.devicesUp }),
          ACCENT,
        ),
        tile(
          t('cover.tile.number', { count: model.openPorts }),
          t('cover.tile.openPorts', { count: model.openPorts }),
          '#37597d',
        ),
        model.assessed
          ? tile(
              t('cover.tile.number', { count: urgent }),
              t('cover.tile.urgentPorts', { count: urgent }),
              urgent > 0 ? SEVERITY_COLORS.critical.text.light : GOOD,
            )
          : tile('—', t('cover.severityNotAssessed'), SEVERITY_COLORS.info.text.light),
      ],
      columnGap: 10,
      margin: [0, 28, 0, 0],
    },
  ];
  content.push(inShort(model, say));
  if (scan.cancelled) {
    content.push({
      // nmap's run cut short is nobody's cancelling (rev13user F4).
      text: t(
        model.interrupted ? 'cover.scanInterruptedBeforeThe' : 'cover.scanCancelledBeforeThe',
      ),
      color: SEVERITY_COLORS.critical.text.light,
      bold: true,
      margin: [0, 18, 0, 0],
    });
  }
  for (const note of scan.notes)
    content.push({ text: `• ${say(note)}`, color: MUTED, margin: [0, 6, 0, 0] });
  return content;
}

/** The cover's plain-language verdict and where to read on, for whoever is handed the report. */
function inShort(model: ReportModel, say: Say): Content {
  const t = (key: string, params?: Record<string, unknown>) =>
    say(bothLanguages(`pdf:${key}`, params));
  const urgent = model.counts.critical + model.counts.high;
  const urgentHosts = model.hosts.filter(
    (h) => h.worst === 'critical' || h.worst === 'high',
  ).length;
  let verdict: string;
  if (!model.assessed) {
    verdict = t('inShort.unassessed', { count: model.openPorts });
  } else if (urgent > 0) {
    verdict = t('inShort.urgent', {
      ports: t('inShort.openPorts', { count: urgent }),
      devices: t('inShort.devices', { count: urgentHosts }),
    });
  } else if (model.openPorts > 0) {
    verdict = t('inShort.noOpenPortOf');
  } else {
    verdict = t('inShort.noOpenPortWas');
  }
  return {
    table: {
      widths: ['*'],
      body: [
        [
          {
            stack: [
              { text: t('inShort.inShort'), style: 'h3' },
              { text: verdict, bold: true, margin: [0, 0, 0, 6] },
              {
                text: t('inShort.theSummaryPageRanks'),
                color: MUTED,
                fontSize: 9,
              },
            ],
            margin: [12, 10, 12, 12],
          },
        ],
      ],
    },
    layout: {
      hLineWidth: () => 0,
      vLineWidth: (i: number) => (i === 0 ? 3 : 0),
      vLineColor: () => ACCENT,
      fillColor: () => '#f3f6fa',
    },
    margin: [0, 22, 0, 0],
  };
}

/** Horizontal bars, one per severity, drawn with pdfmake canvas rectangles. */
function severityChart(model: ReportModel, say: Say): Content {
  const max = Math.max(1, ...SEVERITIES.map((s) => model.counts[s]));
  const barWidth = 300;
  return {
    table: {
      widths: [80, barWidth, '*'],
      body: SEVERITIES.map((s) => [
        { text: say(SEVERITY_LABEL[s]), bold: true, color: INK },
        {
          canvas: [
            { type: 'rect', x: 0, y: 1, w: barWidth, h: 12, r: 2, color: '#eef1f5' },
            ...(model.counts[s] > 0
              ? [
                  {
                    type: 'rect' as const,
                    x: 0,
                    y: 1,
                    w: Math.max(3, (model.counts[s] / max) * barWidth),
                    h: 12,
                    r: 2,
                    color: SEVERITY_COLORS[s].chip.bg,
                  },
                ]
              : []),
          ],
        },
        { text: formatCount(model.counts[s], say), bold: true },
      ]),
    },
    layout: 'noBorders',
    margin: [0, 0, 0, model.blocked > 0 ? 4 : 14],
  };
}

/** The line under the chart when Port Auditor rules already close some ports. */
function blockedLine(model: ReportModel, say: Say): Content[] {
  if (model.blocked === 0) return [];
  const n = model.blocked;
  return [
    {
      text: say(bothLanguages('pdf:summary.blocked', { count: n })),
      color: MUTED,
      fontSize: 9,
      margin: [0, 0, 0, 14],
    },
  ];
}

/** Under the severity chart: a device answering on every port counts once, whatever its ports. */
function groupedLine(model: ReportModel, say: Say): Content[] {
  const grouped = model.hosts.filter((h) => h.answersEveryPort);
  if (grouped.length === 0) return [];
  const ports = grouped.reduce((n, h) => n + h.answersEveryPort!.open, 0);
  const n = grouped.length;
  return [
    {
      text: say(
        inBothLanguages('pdf:summary.grouped', (l) => ({
          count: n,
          ports: textFor(l, 'pdf')('inShort.openPorts', { count: ports }),
        })),
      ),
      color: MUTED,
      fontSize: 9,
      margin: [0, 0, 0, 14],
    },
  ];
}

function findingSentence(f: Finding, say: Say): string {
  // A device of several addresses: the ones the service was found open on.
  const addresses = f.port.addresses?.join(', ') ?? zonedAddress(f.host);
  const where = f.host.hostname ? `${addresses} (${f.host.hostname})` : addresses;
  const service = f.port.service ? ` (${serviceText(f.port, say)})` : '';
  const port = `${portLabel(f.port)}${service}`;
  if (!f.port.severity) {
    return say(bothLanguages('pdf:finding.unassessed', { where, port }));
  }
  // The severity is the coloured word just before the sentence.
  const why = f.port.reasons[0] ? say(f.port.reasons[0]) : '';
  return say(bothLanguages(`pdf:finding.${why ? 'because' : 'plain'}`, { where, port, why }));
}

function summary(model: ReportModel, say: Say): Content[] {
  const t = (key: string, params?: Record<string, unknown>) =>
    say(bothLanguages(`pdf:${key}`, params));
  const content: Content[] = [heading(t('summary.summary'), { pageBreak: true })];
  if (model.assessed) {
    content.push(
      { text: t('summary.openPortsBySeverity'), style: 'h2' },
      severityChart(model, say),
      ...blockedLine(model, say),
      ...groupedLine(model, say),
    );
  } else {
    content.push({
      text: t('summary.thisReportHoldsNo'),
      color: MUTED,
      margin: [0, 0, 0, 12],
    });
  }
  // A port Port Auditor already closes to every other device is no longer urgent, and an Info
  // port never is: a non-expert reads a numbered "most urgent" list as things to act on.
  const top = model.findings
    .filter((f) => !isBlocked(f.port) && f.port.severity !== 'info')
    .slice(0, 5);
  // A device answering on every port has one grouped verdict, not port findings: it is listed
  // too, or the page would say no open port was found next to its hundred open ports.
  const grouped = model.hosts.filter((h) => h.answersEveryPort);
  content.push({ text: t('summary.mostUrgentFindings'), style: 'h2' });
  if (top.length === 0 && grouped.length === 0) {
    content.push({
      text: model.openPorts > 0 ? t('summary.nothingToDealWith') : t('summary.noOpenPortWas'),
      margin: [0, 0, 0, 12],
    });
  } else {
    const groupedItems = grouped.map((h) => {
      const text = everyPortText(h.answersEveryPort!);
      return {
        text: [
          ...(model.assessed
            ? [
                {
                  text: `${severityLabel(EVERY_PORT_SEVERITY, say)}  `,
                  bold: true,
                  color: SEVERITY_COLORS[EVERY_PORT_SEVERITY].text.light,
                },
              ]
            : []),
          {
            text: `${hostTitle(h, say)}${say(bothLanguages('pdf:words.colon'))}${say(text.title)} — ${say(text.body)}`,
          },
        ],
        margin: [0, 0, 0, 5] as [number, number, number, number],
      };
    });
    content.push({
      ol: [
        ...top.map((f) => ({
          text: [
            ...(f.port.severity
              ? [
                  {
                    text: `${severityLabel(f.port.severity, say)}  `,
                    bold: true,
                    color: SEVERITY_COLORS[f.port.severity].text.light,
                  },
                ]
              : []),
            { text: findingSentence(f, say) },
          ],
          margin: [0, 0, 0, 5] as [number, number, number, number],
        })),
        ...groupedItems,
      ],
      margin: [0, 0, 0, 14],
    });
  }
  content.push({ text: t('summary.devices'), style: 'h2' });
  if (model.hosts.length === 0) {
    content.push({ text: t('summary.noDeviceUp') });
  } else {
    content.push({
      table: {
        headerRows: 1,
        dontBreakRows: true,
        widths: ['*', 60, 80],
        body: [
          [
            { text: t('summary.address'), style: 'th' },
            { text: t('summary.openPorts'), style: 'th' },
            { text: t('summary.worstSeverity'), style: 'th' },
          ],
          ...model.hosts.map((h): TableCell[] => [
            {
              text: [
                h.isLocal
                  ? { text: hostTitle(h, say), color: ACCENT, bold: true }
                  : { text: hostTitle(h, say) },
                ...(h.isLocal
                  ? [{ text: `  ${h.addresses.join(', ')}`, color: MUTED, fontSize: 8 }]
                  : []),
                ...(h.macMaker && h.macMaker.kind !== 'unknown'
                  ? [{ text: `  ${say(macMakerLabel(h.macMaker))}`, color: MUTED, fontSize: 8 }]
                  : []),
              ],
            },
            { text: formatCount(h.openCount, say), alignment: 'right' },
            severityCell(h.worst ?? undefined, say),
          ]),
        ],
      },
      layout: tableLayout,
      fontSize: 9,
    });
  }
  return content;
}

/**
 * Above this many open ports the report switches other devices to a compact layout (ports on one
 * line, reasons and advice given once per service at the end) so a /23 full of devices stays readable and
 * builds in seconds; this PC always keeps every detail.
 */
export const COMPACT_FROM_OPEN_PORTS = 400;

/** The references of a piece of advice, each a link when it has an address. */
function referencesLine(references: Reference[], say: Say): Content {
  return {
    text: [
      { text: say(bothLanguages('pdf:words.references')), color: MUTED },
      ...references.flatMap((r, i) => [
        ...(i > 0 ? [{ text: ' · ', color: MUTED }] : []),
        r.url ? { text: r.label, link: r.url, color: LINK } : { text: r.label, color: MUTED },
      ]),
    ],
    fontSize: 7.5,
    margin: [0, 1, 0, 0],
  };
}

/** Each distinct piece of advice once, worst first, with how many devices it concerns. */
function adviceByService(model: ReportModel, say: Say): Content[] {
  const t = (key: string, params?: Record<string, unknown>) =>
    say(bothLanguages(`pdf:${key}`, params));
  const groups = new Map<string, { port: ReportPort; hosts: number }>();
  for (const host of model.hosts) {
    if (host.isLocal) continue;
    for (const p of host.ports) {
      if (!isFinding(p) || !p.advice || !p.severity || p.severity === 'info') continue;
      const key = `${p.port}/${p.protocol}|${p.service}|${say(p.advice)}`;
      const group = groups.get(key);
      if (group) group.hosts += 1;
      else groups.set(key, { port: p, hosts: 1 });
    }
  }
  const sorted = [...groups.values()].sort(
    (a, b) =>
      compareSeverity(a.port.severity!, b.port.severity!) ||
      b.hosts - a.hosts ||
      a.port.port - b.port.port,
  );
  const content: Content[] = [
    heading(t('adviceByService.whatToDoBy'), { pageBreak: true }),
    {
      text: t('adviceByService.forTheOtherDevices'),
      color: MUTED,
      margin: [0, 0, 0, 8],
    },
  ];
  for (const { port: p, hosts } of sorted) {
    content.push({
      unbreakable: true,
      stack: [
        {
          text: [
            {
              text: `${severityLabel(p.severity, say)}  `,
              bold: true,
              color: SEVERITY_COLORS[p.severity!].text.light,
            },
            {
              text: `${portLabel(p)}${p.service ? ` (${serviceText(p, say)})` : ''} — `,
              bold: true,
            },
            { text: t('adviceByService.devices', { count: hosts }), color: MUTED },
            ...(p.reasons[0] ? [{ text: `${say(p.reasons[0])} ` }] : []),
            { text: say(p.advice!), bold: true },
          ],
        },
        ...(p.references.length > 0 ? [referencesLine(p.references, say)] : []),
      ],
      fontSize: 9,
      margin: [0, 0, 0, 6],
    });
  }
  return content;
}

/** Above this estimated height (points), a device's ports are left free to split across pages. */
const KEEP_TOGETHER_MAX_PT = 520;

/** Lines a text takes at a given number of characters per line (pessimistic: word wrap wastes). */
function lines(text: string, charsPerLine: number): number {
  return Math.max(1, Math.ceil((text.length * 1.15) / charsPerLine));
}

function rowHeight(
  reason: string,
  reasonChars: number,
  program: string | undefined,
  programChars: number,
): number {
  return Math.max(lines(reason, reasonChars), program ? lines(program, programChars) : 1) * 10 + 8;
}

function hostSection(host: ReportHost, lang: Language, say: Say, compact = false): Content[] {
  const t = (key: string, params?: Record<string, unknown>) =>
    say(bothLanguages(`pdf:${key}`, params));
  // Findings: open ports, and the ports this PC's own rule hides from the scan.
  const open = host.ports.filter(isFinding);
  const others = host.ports.filter((p) => !isFinding(p));
  const meta: string[] = [];
  if (host.isLocal || host.addresses.length > 1) {
    const list = host.addresses.join(', ');
    meta.push(t('hostSection.addressesList', { list }));
  }
  if (host.mac) {
    meta.push(`MAC ${host.mac}${host.macMaker ? ` — ${say(macMakerLabel(host.macMaker))}` : ''}`);
  }
  const why = say(HOST_REASON_LABEL[host.reason]);
  meta.push(
    host.status === 'up'
      ? t('hostSection.upWhy', { why })
      : host.status === 'unknown'
        ? t('hostSection.notScannedWhy', { why })
        : t('hostSection.downWhy', { why }),
  );
  // The page's and the CLI's sentence for what the scan left unlisted (the vocabulary's).
  const notShown = notShownText(host.hidden, (key, params) => say(bothLanguages(key, params)));
  if (notShown) meta.push(notShown);

  const content: Content[] = [
    {
      columns: [
        { text: hostTitle(host, say), style: 'h2', width: '*' },
        host.worst
          ? { width: 90, stack: [severityPill(host.worst, say)], fontSize: 9 }
          : { width: 90, text: '' },
      ],
      margin: [0, 10, 0, 0],
    },
    { text: meta.join('  ·  '), color: MUTED, fontSize: 8.5, margin: [0, 0, 0, 6] },
  ];
  // A pessimistic height estimate of the title and the ports: under a page, they are kept
  // together (pdfmake drops what overflows an unbreakable block, hence the safety margin).
  let height = 60 + lines(meta.join('  ·  '), 110) * 11;
  if (host.localError) {
    const text = say(host.localError.message);
    height += lines(text, 100) * 11;
    content.push({
      text,
      color: SEVERITY_COLORS.medium.text.light,
      fontSize: 9,
      margin: [0, 0, 0, 6],
    });
  }
  const every = host.answersEveryPort;
  if (every) {
    // A device answering for all its ports: one statement and the list, no per-port verdicts.
    const text = everyPortText(every);
    const list = `${t('hostSection.openPorts')}${breakable(compactPorts(open.map((p) => p.port).sort((a, b) => a - b)))}`;
    height += 20 + lines(say(text.body), 100) * 11 + lines(list, 110) * 11;
    content.push(
      {
        text: say(text.title),
        bold: true,
        color: SEVERITY_COLORS.medium.text.light,
        margin: [0, 0, 0, 2],
      },
      { text: say(text.body), fontSize: 9, margin: [0, 0, 0, 4] },
      { text: list, fontSize: 8.5, color: MUTED, margin: [0, 0, 0, 6] },
    );
  } else if (host.status === 'unknown') {
    // Nothing was probed: no port line to add.
  } else if (open.length === 0) {
    content.push({ text: t('hostSection.noOpenPort'), margin: [0, 0, 0, 6] });
  } else if (compact) {
    // One line of ports coloured by severity; the reasons and advice are in the by-service section.
    const labels = open.map(
      (p) =>
        `${portLabel(p)}${p.service ? ` ${serviceText(p, say)}` : ''}${
          p.firewall
            ? ` (${p.severity && !isBlocked(p) ? `${say(SEVERITY_LABEL[p.severity]).toLowerCase()}, ` : ''}${say(COVERAGE_LABEL[p.firewall.effect])})`
            : p.severity
              ? ` (${say(SEVERITY_LABEL[p.severity]).toLowerCase()})`
              : ''
        }`,
    );
    height += lines(labels.join('  ·  '), 80) * 11;
    content.push({
      text: open.flatMap((p, i) => [
        ...(i > 0 ? [{ text: '  ·  ', color: MUTED }] : []),
        {
          text: labels[i]!,
          // One port never splits across lines.
          noWrap: true,
          color: p.severity && !isBlocked(p) ? SEVERITY_COLORS[p.severity].text.light : INK,
          bold: !isBlocked(p) && (p.severity === 'critical' || p.severity === 'high'),
        },
      ]),
      fontSize: 8.5,
      margin: [0, 0, 0, 6],
    });
  } else {
    const withProgram = host.isLocal;
    const head: TableCell[] = [
      { text: 'Port', style: 'th' },
      { text: t('hostSection.protocol'), style: 'th' },
      { text: 'Service', style: 'th' },
      ...(withProgram ? [{ text: t('hostSection.program'), style: 'th' }] : []),
      { text: t('hostSection.severity'), style: 'th' },
      { text: t('hostSection.reason'), style: 'th' },
    ];
    const rows = open.map((p): TableCell[] => {
      const on =
        host.addresses.length > 1 && p.addresses
          ? t('hostSection.onV', { v1: p.addresses.join(', ') })
          : '';
      const reason =
        on +
        (p.reasons.length > 0
          ? p.reasons.map((r) => say(r)).join(' ')
          : say(portReasonText(p.reason)));
      // What the HTTP and TLS probes learnt, under the reasons: the server's words, quoted.
      const facts = [p.tlsText, p.httpText].filter((x) => x !== undefined).map((x) => say(x));
      height += rowHeight(
        facts.length > 0 ? `${reason}\n${facts.join('\n')}` : reason,
        withProgram ? 48 : 60,
        p.program,
        12,
      );
      return [
        { text: String(p.port), bold: true },
        p.protocol.toUpperCase(),
        // The software identified (nmap -sV, our service detection), under the service's name:
        // the device's (or the file's) own words, so labelled and quoted as the page and the CLI
        // do (review 15, F5).
        p.product
          ? {
              stack: [
                serviceText(p, say) || '—',
                { text: detectedLine(p.product, say), fontSize: 7.5, color: MUTED },
              ],
            }
          : serviceText(p, say) || '—',
        ...(withProgram ? [{ text: p.program ?? '—', color: p.program ? INK : MUTED }] : []),
        portSeverityCell(p, say),
        facts.length > 0
          ? {
              stack: [
                { text: reason, fontSize: 8 },
                ...facts.map((text) => ({ text, fontSize: 7.5, color: MUTED })),
              ],
            }
          : { text: reason, fontSize: 8 },
      ];
    });
    content.push({
      table: {
        headerRows: 1,
        // The service column as wide as its longest word: a name never wraps mid-word.
        widths: withProgram
          ? [32, 48, serviceWidth(open, say, 58), 72, 52, '*']
          : [32, 48, serviceWidth(open, say, 70), 52, '*'],
        body: [head, ...rows],
        dontBreakRows: true,
        keepWithHeaderRows: 1,
      },
      layout: tableLayout,
      fontSize: 8.5,
      margin: [0, 0, 0, 6],
    });
  }
  if (others.length > 0) {
    height += others.length * 11;
    content.push({
      text: `${t('hostSection.otherListedPorts')}${others
        .map(
          (p) =>
            `${portLabel(p)} ${say(PORT_STATE_LABEL[p.state])} (${say(portReasonText(p.reason))})`,
        )
        .join(', ')}`,
      fontSize: 8.5,
      color: MUTED,
      margin: [0, 0, 0, 6],
    });
  }
  const advised =
    compact || every
      ? []
      : open.filter((p) => p.advice && p.severity && p.severity !== 'info' && !isBlocked(p));
  const blocks: Content[] =
    height <= KEEP_TOGETHER_MAX_PT ? [{ stack: content, unbreakable: true }] : content;
  if (advised.length > 0) {
    // Each piece of advice stays whole; the heading stays with the first one.
    const items: Content[] = advised.map((p) => ({
      unbreakable: true,
      stack: [
        {
          text: [
            {
              text: `${portLabel(p)}${p.service ? ` (${serviceText(p, say)})` : ''} — `,
              bold: true,
            },
            { text: say(p.advice!) },
          ],
        },
        ...(p.references.length > 0 ? [referencesLine(p.references, say)] : []),
      ],
      fontSize: 9,
      margin: [0, 0, 0, 5],
    }));
    blocks.push({
      unbreakable: true,
      stack: [{ text: t('hostSection.whatToDo'), style: 'h3' }, items[0]!],
    });
    blocks.push(...items.slice(1));
  }
  return blocks;
}

/**
 * Whether the rule was found in the firewall at the last read, in the words of the Rules page and
 * `port-auditor rules`: a rule the firewall lost is "gone", not a bare "no" beside "active".
 */
function ruleInFirewall(rule: FirewallRule, say: Say): TableCell {
  if (rule.present === true)
    return { text: say(bothLanguages('pdf:words.yes')), color: GOOD, bold: true };
  if (rule.present === false)
    return {
      text: say(bothLanguages('pdf:words.goneFromTheFirewall')),
      color: SEVERITY_COLORS.critical.text.light,
      bold: true,
    };
  return { text: say(bothLanguages('pdf:words.notVerified')), color: MUTED };
}

function firewallSection(model: ReportModel, lang: Language, say: Say): Content[] {
  const t = (key: string, params?: Record<string, unknown>) =>
    say(bothLanguages(`pdf:${key}`, params));
  const content: Content[] = [heading(t('firewallSection.firewall'), { pageBreak: true })];
  const rules = model.firewallRules;
  if (!rules) {
    content.push({
      text: t('firewallSection.theListOfFirewall'),
      color: MUTED,
    });
    return content;
  }
  if (rules.length === 0) {
    content.push({
      text: t('firewallSection.appNameCreatedNo', { APP_NAME }),
    });
    return content;
  }
  content.push({
    text: t('firewallSection.blockingRulesAppName', { APP_NAME }),
    margin: [0, 0, 0, 8],
  });
  content.push({
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: [60, 50, 60, '*', 80, 70],
      body: [
        [
          { text: 'Port', style: 'th' },
          { text: t('firewallSection.direction'), style: 'th' },
          { text: t('firewallSection.state'), style: 'th' },
          { text: t('firewallSection.scope'), style: 'th' },
          { text: t('firewallSection.date'), style: 'th' },
          { text: t('firewallSection.inTheFirewall'), style: 'th' },
        ],
        ...rules.map((r): TableCell[] => [
          {
            text: `${r.portFrom === r.portTo ? r.portFrom : `${r.portFrom}-${r.portTo}`}/${r.protocol}`,
            bold: true,
          },
          r.direction === 'in' ? t('firewallSection.inbound') : t('firewallSection.outbound'),
          // A rule the firewall lost is not "active", whatever the journal says (as in `rules`):
          // a short word here, the next column saying where it is missing (d361d93). Otherwise
          // the Rules page's and `rules`' words, a found rule's note included (review 13 N7).
          r.present === false ? say(bothLanguages('pdf:words.gone')) : say(ruleStateText(r)),
          r.remote.length > 0 ? r.remote.join(', ') : say(ANY_REMOTE),
          say(ruleCreated(r)),
          ruleInFirewall(r, say),
        ]),
      ],
    },
    layout: tableLayout,
    fontSize: 8.5,
  });
  return content;
}

/** nmap's scan types (`<scaninfo type>`, nmap.dtd) in words a reader can follow. */
const NMAP_SCAN_TYPE: Record<string, LocalizedText> = {
  syn: bothLanguages('pdf:nmapScanType.syn'),
  connect: bothLanguages('pdf:nmapScanType.connect'),
  udp: bothLanguages('pdf:nmapScanType.udp'),
};

/** The method of a scan imported from an nmap file: nmap's, not this app's engine. */
function nmapMethod(
  source: Extract<ScanSource, { kind: 'nmap' }>,
  model: ReportModel,
  say: Say,
): Content[] {
  const t = (key: string, params?: Record<string, unknown>) =>
    say(bothLanguages(`pdf:${key}`, params));
  const p = (key: string, params?: Record<string, unknown>): Content => ({
    text: t(key, params),
    margin: [0, 0, 0, 7],
  });
  const version = source.version ? ` ${source.version}` : '';
  // The file's command line is the file's words: quoted in a paragraph of its own, labelled as
  // the file's, never part of our sentence (issue 15, F2).
  const command = quotable(source.args || 'nmap');
  const types = source.scanTypes.map((s) => {
    const known = NMAP_SCAN_TYPE[s.type];
    return known
      ? say(known)
      : t('nmapMethod.typeTypeProtocol', { type: s.type, protocol: s.protocol });
  });
  return [
    p('nmapMethod.source', {
      version,
      file: source.fileName ? t('nmapMethod.fileName', { name: quotable(source.fileName) }) : '',
    }),
    p('nmapMethod.fileCommand', { command }),
    ...(types.length > 0
      ? [p('nmapMethod.scanType', { types: types.join(t('nmapMethod.typeSeparator')) })]
      : []),
    p('nmapMethod.nmapSIntermediateStates'),
    p(model.scan.cancelled ? 'nmapMethod.resultsHoldCancelled' : 'nmapMethod.resultsHold'),
  ];
}

function methodSection(model: ReportModel, say: Say): Content[] {
  const t = (key: string, params?: Record<string, unknown>) =>
    say(bothLanguages(`pdf:${key}`, params));
  const p = (key: string, params?: Record<string, unknown>): Content => ({
    text: t(key, params),
    margin: [0, 0, 0, 7],
  });
  const source = model.scan.source;
  // The settings the engine ran with; older results without a source, today's defaults.
  const tuning = { ...defaultTuning, ...(source?.kind === 'engine' ? source : {}) };
  const seconds = (ms: number) => t('methodSection.seconds', { seconds: ms / 1000 });
  const udp = specHasUdp(model.scan.request.ports);
  const engine: Content[] = [
    p('methodSection.eachPortWasTested'),
    // What service detection sends (app/scan/service-detection): said, since the report shows
    // the HTTP answers and certificates it got (review 15 N4: never "no data sent").
    p('methodSection.serviceDetection', {
      httpPorts: [...HTTP_PORTS].join(', '),
      tlsPorts: [...TLS_PORTS].join(', '),
    }),
    p('methodSection.aPortIsCalled'),
    p('methodSection.timeoutsTheyFollowEach', {
      v1: seconds(tuning.minRtoMs),
      v2: seconds(tuning.maxRtoMs),
      v3: seconds(tuning.initialRtoMs),
      maxTries: tuning.maxTries,
      maxTriesCap: tuning.maxTriesCap,
    }),
    p('methodSection.loss', {
      quiet: seconds(tuning.quietMinRtoMs),
      rate: tuning.silentMaxRate,
    }),
    p(
      model.scan.request.skipDiscovery ? 'methodSection.discoveryOff' : 'methodSection.discoveryOn',
      { ports: tuning.discoveryPorts.join(', ') },
    ),
    // UDP ports (common-udp, U:…) are probed by the UDP phase (app/scan/udp): said when asked.
    ...(udp ? [p('methodSection.udp')] : []),
    p(udp ? 'methodSection.resultsHoldForTheUdp' : 'methodSection.resultsHoldForThe'),
  ];
  const content: Content[] = [
    // Right after the firewall section, which is often a line or two: no page of its own.
    { text: '', margin: [0, 22, 0, 0] },
    heading(t('methodSection.method')),
    ...(source?.kind === 'nmap'
      ? nmapMethod(source, model, say)
      : source?.kind === 'json-report'
        ? // Imported from a JSON report (issue 13, A15): said, then the nmap run it describes.
          [
            p('methodSection.fromJsonReport', { fileName: quotable(source.fileName ?? '') }),
            ...(source.nmap ? nmapMethod(source.nmap, model, say) : []),
          ]
        : model.fromFile
          ? [p('methodSection.fromFile')]
          : engine),
  ];
  if (model.assessed) {
    content.push(p('methodSection.eachOpenPortS'));
    if (model.programsMissing) {
      const why = model.programsMissing;
      content.push({
        text: say({ fr: programsMissingText(why, 'fr'), en: programsMissingText(why, 'en') }),
        margin: [0, 0, 0, 7],
      });
    }
  }
  content.push({
    table: {
      headerRows: 1,
      widths: [100, '*'],
      body: [
        [
          { text: t('methodSection.reason'), style: 'th' },
          { text: t('methodSection.meaning'), style: 'th' },
        ],
        // The answers in words, as the tables above give them ("a accepté la connexion"), never
        // the codes (syn-ack) that only the JSON, CSV and nmap XML keep (review 15b).
        ...Object.entries(PORT_REASON_LABEL).map(([code, text]): TableCell[] => [
          { text: say(text), bold: true },
          t(`methodSection.reasonMeaning.${code}`),
        ]),
      ],
    },
    layout: tableLayout,
    fontSize: 8.5,
    margin: [0, 6, 0, 0],
  });
  return content;
}

/**
 * The width (pt) of a table's service column that holds the longest word of its services and
 * detected products on one line, so none is cut mid-word ("microsoft-ds", "Port Auditor (ce
 * programme)"): at least `base`, at most SERVICE_MAX_WIDTH (a longer word is cut at
 * PDF_WORD_CHARS anyway). The advance is DejaVu Sans' widest usual glyphs at the table's 8.5 pt
 * (7.5 pt for the product line), plus the cell's padding.
 */
export function serviceWidth(ports: readonly ReportPort[], say: Say, base: number): number {
  const longest = (text: string) => Math.max(0, ...text.split(/\s+/).map((w) => w.length));
  let needed = base;
  for (const p of ports) {
    needed = Math.max(needed, longest(serviceText(p, say)) * SERVICE_CHAR_PT + SERVICE_PADDING_PT);
    if (p.product) {
      const line = detectedLine(p.product, say);
      needed = Math.max(needed, longest(line) * SERVICE_CHAR_PT * (7.5 / 8.5) + SERVICE_PADDING_PT);
    }
  }
  return Math.min(Math.ceil(needed), SERVICE_MAX_WIDTH);
}

/** One character's advance at 8.5 pt, generous (DejaVu Sans' m and w are wider than average). */
const SERVICE_CHAR_PT = 5.6;
/** The cell's left and right padding (tableLayout) and a margin for rounding. */
const SERVICE_PADDING_PT = 12;
/** A service column wider than this would leave the reasons too little room. */
const SERVICE_MAX_WIDTH = 170;

/** Characters of an unbroken word laid out on one line of the PDF at most. */
export const PDF_WORD_CHARS = 40;

/**
 * `text` with each run of more than PDF_WORD_CHARS non-space characters cut into lines of at most
 * that many: pdfmake fits an unbroken word by measuring ever shorter prefixes of it, line after
 * line, so one 50,000-character host name took minutes and gigabytes (review F1); cut, it costs
 * what its length does. A line ends after the last path separator (/ or \\) it may hold, so a
 * program's path is cut between folders and its file name stays whole ("…/bin/" then
 * "python3.11", not "…/bin/python3" then ".11": review 15, R7); a run with no separator is cut
 * at PDF_WORD_CHARS. Pure.
 */
export function withShortWords(text: string): string {
  if (text.length <= PDF_WORD_CHARS) return text;
  return text.replace(LONG_WORD, (word) => {
    const pieces: string[] = [];
    let at = 0;
    while (at < word.length) {
      // The next PDF_WORD_CHARS code points (never half a surrogate pair).
      const window = Array.from(word.slice(at, at + 2 * PDF_WORD_CHARS))
        .slice(0, PDF_WORD_CHARS)
        .join('');
      const whole = at + window.length >= word.length;
      const after = Math.max(window.lastIndexOf('/'), window.lastIndexOf('\\')) + 1;
      const cut = whole || after === 0 ? window.length : after;
      pieces.push(word.slice(at, at + cut));
      at += cut;
    }
    return pieces.join('\n');
  });
}

const LONG_WORD = new RegExp(`\\S{${PDF_WORD_CHARS + 1},}`, 'gu');

/** A content tree with every text it lays out (`text`, bare strings in lists) in withShortWords. */
function shortWords<T>(node: T): T {
  if (typeof node === 'string') return withShortWords(node) as T;
  if (Array.isArray(node)) return node.map((item: unknown) => shortWords(item)) as T;
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // Only what is laid out: styles, colours, widths and links are the app's own short words.
    const laidOut = ['text', 'stack', 'columns', 'table', 'body', 'ul', 'ol'].includes(key);
    out[key] = laidOut || (typeof value === 'object' && value !== null) ? shortWords(value) : value;
  }
  return out as T;
}

/** The whole document definition; exported so tests can inspect it without rendering. */
/**
 * Told how far a report has got (see ExportProgress in app/contract/report.ts): `step` devices
 * (hosts put in, of `total`), layout (PDF pages laid out, `total` null) or pages (PDF pages
 * written, of `total`). Called synchronously from the work itself, so it must be cheap.
 */
export type ReportProgress = (step: ExportProgressStep, done: number, total: number | null) => void;

export function pdfDefinition(
  model: ReportModel,
  lang: Language,
  progress?: ReportProgress,
): TDocumentDefinitions {
  const say = sayFor(lang);
  const t = (key: string, params?: Record<string, unknown>) =>
    say(bothLanguages(`pdf:${key}`, params));
  const title = t('pdfDefinition.networkPortAuditReport');
  const date = formatLongDateTime(model.scan.startedAt, lang);
  // The PC the results are of, as the cover names it; none when a file made elsewhere names none
  // (an nmap file never does): the title never gives this PC's name to another PC's results.
  const pcName = model.filePc ? model.filePc.name : model.pcName;
  const titled = pcName ? `${title} — ${pcName}` : title;
  const hosts: Content[] = [heading(t('pdfDefinition.detailsByDevice'), { pageBreak: true })];
  if (model.hosts.length === 0) hosts.push({ text: t('pdfDefinition.noDeviceUp') });
  const compact = model.findings.length >= COMPACT_FROM_OPEN_PORTS;
  progress?.('devices', 0, model.hosts.length);
  model.hosts.forEach((host, index) => {
    hosts.push(...hostSection(host, lang, say, compact && !host.isLocal));
    progress?.('devices', index + 1, model.hosts.length);
  });
  if (compact && model.assessed) hosts.push(...adviceByService(model, say));
  return {
    pageSize: 'A4',
    pageMargins: [40, 48, 40, 52],
    // pdfmake asks each new page's background as it lays the page out: the one hook inside its
    // layout, used to say how many pages are laid out (no background is drawn).
    ...(progress
      ? {
          background: (page: number) => {
            progress('layout', page, null);
            return null;
          },
        }
      : {}),
    info: {
      title: titled,
      author: APP_NAME,
      subject: `${model.scan.request.targets} · ${model.scan.request.ports}`,
      creator: `${APP_NAME} ${APP_VERSION}`,
      producer: `${APP_NAME} ${APP_VERSION}`,
    },
    language: bothLanguages('pdf:meta.languageTag')[lang],
    defaultStyle: { font: FONT, fontSize: 10, color: INK, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 18, bold: true, color: ACCENT },
      h2: { fontSize: 12.5, bold: true, color: INK, margin: [0, 6, 0, 6] },
      h3: { fontSize: 10, bold: true, color: ACCENT, margin: [0, 4, 0, 4] },
      th: { bold: true, color: MUTED, fontSize: 8 },
    },
    footer: (currentPage: number, pageCount: number): Content => ({
      columns: [
        { text: `${APP_NAME} — ${titled} — ${date}`, width: '*' },
        {
          text: t('pdfDefinition.pageCurrentpageOfPagecount', { currentPage, pageCount }),
          width: 90,
          alignment: 'right',
        },
      ],
      fontSize: 7.5,
      color: MUTED,
      margin: [40, 18, 40, 0],
    }),
    content: shortWords([
      ...cover(model, lang, say),
      ...summary(model, say),
      ...hosts,
      ...firewallSection(model, lang, say),
      ...methodSection(model, say),
    ]),
  };
}

/**
 * The PDF of `model` in `lang`. `progress`, when given, hears the devices put in, the pages laid
 * out, then the pages written (pdfmake's progress callback gives the share of drawn items, turned
 * into pages of the laid-out count; its last call is the whole).
 */
export async function renderPdf(
  model: ReportModel,
  lang: Language,
  progress?: ReportProgress,
): Promise<Buffer> {
  const pdfmake = await loadPdfmake();
  let pages = 0;
  const definition = pdfDefinition(
    model,
    lang,
    progress &&
      ((step, done, total) => {
        if (step === 'layout') pages = done;
        progress(step, done, total);
      }),
  );
  // The layout starts here, and its first part is silent: pdfmake first preprocesses and measures
  // the whole document (every text's glyphs), then places it page by page, and only then asks a
  // page's background (our page count below). Timed from this progress for the 5,000 devices of
  // test/lab/nmap-xml.ts (exportReport, a shared 2-core machine): devices all put in at 7.9 s,
  // first page placed at 18.3 s, last at 23.8 s, pages written at 33.9 s: ten seconds with
  // nothing to count. None of pdfmake's hooks reaches that part: `pageBreakBefore` is called per
  // node only after a whole layout (and a true answer lays the document out again), a background
  // function per page as the page is placed, header and footer per page once all are placed. A
  // count there would have to rely on pdfmake reading some undocumented property of our nodes
  // (a getter), which a pdfmake update may stop doing silently: not a count to show a user. So
  // the step is announced as it begins (0 pages laid out: the bar stays indeterminate, the words
  // say "laying out") rather than leaving the devices' 100 % on show through it (issue 13).
  progress?.('layout', 0, null);
  // pdfmake's callback is its singleton's, copied into each document's options by createPdf
  // (synchronously): set just for this document, then cleared for the next one.
  const noProgress = undefined as unknown as (share: number) => void;
  pdfmake.setProgressCallback(
    progress ? (share: number) => progress('pages', Math.floor(share * pages), pages) : noProgress,
  );
  let doc: ReturnType<typeof pdfmake.createPdf>;
  try {
    doc = pdfmake.createPdf(definition);
  } finally {
    pdfmake.setProgressCallback(noProgress);
  }
  const out = (await doc.getBuffer()) as unknown as Buffer | Uint8Array;
  return Buffer.isBuffer(out) ? out : Buffer.from(out);
}
