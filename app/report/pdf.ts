import pdfmake from 'pdfmake';
import type { Content, TableCell } from 'pdfmake';
type TDocumentDefinitions = Parameters<typeof pdfmake.createPdf>[0];
import { APP_NAME, APP_VERSION } from '../identity.js';
import type { Language, LocalizedText } from '../contract/index.js';
import type { FirewallRule } from '../contract/firewall.js';
import type { ScanSource } from '../contract/scan.js';
import { ANY_REMOTE } from '../firewall/labels.js';
import { COVERAGE_LABEL } from '../firewall/coverage.js';
import { formatDateTime } from '../contract/datetime.js';
import { deviceHeading, zonedAddress } from '../contract/devices.js';
import { EVERY_PORT_SEVERITY, type Reference, type Severity } from '../contract/risk.js';
import { defaultTuning } from '../scan/engine.js';
import { loadFonts } from './fonts.js';
import {
  describeSpec,
  everyPortText,
  formatDateTime as formatLongDateTime,
  formatDuration,
} from './labels.js';
import {
  compareSeverity,
  HOST_REASON_LABEL,
  PORT_REASON_LABEL,
  PORT_STATE_LABEL,
  RULE_STATE_LABEL,
  SEVERITIES,
  SEVERITY_COLORS,
  SEVERITY_LABEL,
} from '../contract/vocabulary.js';
import {
  isBlocked,
  isFinding,
  type Finding,
  type ReportHost,
  type ReportModel,
  type ReportPort,
} from './model.js';
import { counted, pluralWord } from '../text/plural.js';
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

let fontsInstalled = false;

/**
 * pdfmake reads fonts by name from its in-memory file system; we put the shipped DejaVu fonts
 * there and forbid every other file and URL, so nothing in a report (a hostile host name, a
 * banner) can make pdfmake read the disk or the network.
 */
function installFonts(): void {
  if (fontsInstalled) return;
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
  fontsInstalled = true;
}

type Say = (text: LocalizedText) => string;

function sayFor(lang: Language): Say {
  return (text) => text[lang];
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
      text: `${say(SEVERITY_LABEL[port.severity])} → ${say({ fr: 'atténué', en: 'mitigated' })}`,
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

/**
 * A device's title as the page gives it (app/contract/devices.ts deviceHeading): This PC is
 * "Ce PC" whichever of its addresses has the ports, never an address with a name nmap gave
 * another of its addresses ("10.213.0.1 — localhost"); another device is its first address, with
 * that address's own name.
 */
function hostTitle(host: ReportHost, say: Say): string {
  if (deviceHeading({ isLocal: host.isLocal, hosts: [host], folded: [] }).thisPc)
    return say({ fr: 'Ce PC', en: 'This PC' });
  const address = zonedAddress(host);
  return host.hostname ? `${address} — ${host.hostname}` : address;
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
  const t = (fr: string, en: string) => say({ fr, en });
  // A tile's label agrees with its figure: "1 appareil actif", "2 appareils actifs".
  const label = (n: number, fr: [string, string], en: [string, string]) =>
    say({ fr: pluralWord(n, 'fr', ...fr), en: pluralWord(n, 'en', ...en) });
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
                  text: t('Rapport d’audit des ports réseau', 'Network port audit report'),
                  fontSize: 26,
                  bold: true,
                  color: '#ffffff',
                  margin: [0, 6, 0, 6],
                },
                { text: model.pcName, fontSize: 14, color: '#dbe7f5' },
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
      [t('Date et heure', 'Date and time'), formatLongDateTime(scan.startedAt, lang)],
      [t('Nom de ce PC', 'This PC’s name'), model.pcName],
      [
        t('Cibles analysées', 'Scanned targets'),
        describeSpec(scan.request.targets, 'targets', lang),
      ],
      [
        t('Ports analysés', 'Scanned ports'),
        breakable(describeSpec(scan.request.ports, 'ports', lang)),
      ],
      [t('Durée de l’analyse', 'Scan duration'), formatDuration(model.durationMs, lang)],
      [
        t('Adresses', 'Addresses'),
        t(
          `${counted(scan.addresses, 'fr', 'analysée', 'analysées')}, ${counted(model.hostsUp, 'fr', 'active', 'actives')}`,
          `${counted(scan.addresses, 'en', 'scanned', 'scanned')}, ${counted(model.hostsUp, 'en', 'up', 'up')}`,
        ),
      ],
      [t('Langue du rapport', 'Report language'), lang === 'fr' ? 'Français' : 'English'],
      [t('Produit par', 'Produced by'), `${APP_NAME} ${APP_VERSION}`],
    ]),
    {
      columns: [
        // Devices, not addresses: This PC's LAN address and 127.0.0.1 are one device.
        tile(
          String(model.devicesUp),
          label(
            model.devicesUp,
            ['appareil actif', 'appareils actifs'],
            ['device up', 'devices up'],
          ),
          ACCENT,
        ),
        tile(
          String(model.openPorts),
          label(model.openPorts, ['port ouvert', 'ports ouverts'], ['open port', 'open ports']),
          '#37597d',
        ),
        model.assessed
          ? tile(
              String(urgent),
              label(
                urgent,
                ['port critique ou élevé', 'ports critiques ou élevés'],
                ['critical or high port', 'critical or high ports'],
              ),
              urgent > 0 ? SEVERITY_COLORS.critical.text.light : GOOD,
            )
          : tile(
              '—',
              t('gravité non évaluée', 'severity not assessed'),
              SEVERITY_COLORS.info.text.light,
            ),
      ],
      columnGap: 10,
      margin: [0, 28, 0, 0],
    },
  ];
  content.push(inShort(model, say));
  if (scan.cancelled) {
    content.push({
      text: t(
        'Analyse annulée avant la fin : ce rapport ne contient que les résultats partiels.',
        'Scan cancelled before the end: this report holds partial results only.',
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
  const t = (fr: string, en: string) => say({ fr, en });
  const urgent = model.counts.critical + model.counts.high;
  const urgentHosts = model.hosts.filter(
    (h) => h.worst === 'critical' || h.worst === 'high',
  ).length;
  let verdict: string;
  if (!model.assessed) {
    verdict = t(
      `${counted(model.openPorts, 'fr', 'port ouvert trouvé', 'ports ouverts trouvés')} ; leur gravité n’a pas été évaluée dans ce rapport.`,
      `${counted(model.openPorts, 'en', 'open port', 'open ports')} found; their severity was not assessed in this report.`,
    );
  } else if (urgent > 0) {
    verdict = t(
      `${counted(urgent, 'fr', 'port ouvert', 'ports ouverts')} de gravité critique ou élevée sur ${counted(urgentHosts, 'fr', 'appareil', 'appareils')} : à traiter en priorité.`,
      `${counted(urgent, 'en', 'open port', 'open ports')} of critical or high severity on ${counted(urgentHosts, 'en', 'device', 'devices')}: deal with them first.`,
    );
  } else if (model.openPorts > 0) {
    verdict = t(
      'Aucun port ouvert de gravité critique ou élevée. Les autres ports ouverts sont expliqués appareil par appareil.',
      'No open port of critical or high severity. The other open ports are explained device by device.',
    );
  } else {
    verdict = t('Aucun port ouvert n’a été trouvé.', 'No open port was found.');
  }
  return {
    table: {
      widths: ['*'],
      body: [
        [
          {
            stack: [
              { text: t('En bref', 'In short'), style: 'h3' },
              { text: verdict, bold: true, margin: [0, 0, 0, 6] },
              {
                text: t(
                  'La synthèse (page 2) classe les constats du plus urgent au moins urgent. Le détail par appareil donne, pour chaque port ouvert, pourquoi il compte et quoi faire ; viennent ensuite les règles de pare-feu créées par l’application et la méthode d’analyse.',
                  'The summary (page 2) ranks the findings from most to least urgent. The details by device say, for each open port, why it matters and what to do; then come the firewall rules the app created and how the scan was done.',
                ),
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
        { text: String(model.counts[s]), bold: true },
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
      text: say({
        fr: `${n} ${n > 1 ? 'autres ports ouverts sont bloqués' : 'autre port ouvert est bloqué'} par Port Auditor : les autres appareils ne peuvent plus s’y connecter (risque atténué, hors des comptes ci-dessus).`,
        en: `${n} other open ${n > 1 ? 'ports are' : 'port is'} blocked by Port Auditor: other devices can no longer connect to ${n > 1 ? 'them' : 'it'} (risk mitigated, left out of the counts above).`,
      }),
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
      text: say({
        fr: `${counted(n, 'fr', 'appareil répond', 'appareils répondent')} sur tout port : ${n > 1 ? 'chacun compte' : 'il compte'} pour un seul verdict (${counted(ports, 'fr', 'port ouvert', 'ports ouverts')} en tout), pas un par port.`,
        en: `${counted(n, 'en', 'device answers', 'devices answer')} on every port: ${n > 1 ? 'each counts' : 'it counts'} as one verdict (${counted(ports, 'en', 'open port', 'open ports')} in all), not one per port.`,
      }),
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
  const service = f.port.service ? ` (${f.port.service})` : '';
  const port = `${portLabel(f.port)}${service}`;
  if (!f.port.severity) {
    return say({
      fr: `${where} : le port ${port} est ouvert ; sa gravité n’a pas été évaluée.`,
      en: `${where}: port ${port} is open; its severity was not assessed.`,
    });
  }
  // The severity is the coloured word just before the sentence.
  const why = f.port.reasons[0] ? say(f.port.reasons[0]) : '';
  return say({
    fr: `${where} : port ${port}${why ? ` — ${why}` : '.'}`,
    en: `${where}: port ${port}${why ? ` — ${why}` : '.'}`,
  });
}

function summary(model: ReportModel, say: Say): Content[] {
  const t = (fr: string, en: string) => say({ fr, en });
  const content: Content[] = [heading(t('Synthèse', 'Summary'), { pageBreak: true })];
  if (model.assessed) {
    content.push(
      { text: t('Ports ouverts par gravité', 'Open ports by severity'), style: 'h2' },
      severityChart(model, say),
      ...blockedLine(model, say),
      ...groupedLine(model, say),
    );
  } else {
    content.push({
      text: t(
        'Ce rapport ne contient pas d’évaluation des risques : les ports ouverts sont listés sans gravité.',
        'This report holds no risk assessment: open ports are listed without a severity.',
      ),
      color: MUTED,
      margin: [0, 0, 0, 12],
    });
  }
  // A port Port Auditor already closes to every other device is no longer urgent.
  const top = model.findings.filter((f) => !isBlocked(f.port)).slice(0, 5);
  // A device answering on every port has one grouped verdict, not port findings: it is listed
  // too, or the page would say no open port was found next to its hundred open ports.
  const grouped = model.hosts.filter((h) => h.answersEveryPort);
  content.push({ text: t('Les constats les plus urgents', 'Most urgent findings'), style: 'h2' });
  if (top.length === 0 && grouped.length === 0) {
    content.push({
      text:
        model.openPorts > 0
          ? t(
              'Aucun constat à traiter en priorité ; le détail par appareil liste les ports ouverts.',
              'Nothing to deal with first; the details by device list the open ports.',
            )
          : t('Aucun port ouvert n’a été trouvé.', 'No open port was found.'),
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
            text: `${hostTitle(h, say)}${say({ fr: ' : ', en: ': ' })}${say(text.title)} — ${say(text.body)}`,
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
  content.push({ text: t('Appareils', 'Devices'), style: 'h2' });
  if (model.hosts.length === 0) {
    content.push({ text: t('Aucun appareil actif.', 'No device up.') });
  } else {
    content.push({
      table: {
        headerRows: 1,
        dontBreakRows: true,
        widths: ['*', 60, 80],
        body: [
          [
            { text: t('Adresse', 'Address'), style: 'th' },
            { text: t('Ports ouverts', 'Open ports'), style: 'th' },
            { text: t('Pire gravité', 'Worst severity'), style: 'th' },
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
                ...(h.macVendor ? [{ text: `  ${h.macVendor}`, color: MUTED, fontSize: 8 }] : []),
              ],
            },
            { text: String(h.openCount), alignment: 'right' },
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
      { text: say({ fr: 'Références : ', en: 'References: ' }), color: MUTED },
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
  const t = (fr: string, en: string) => say({ fr, en });
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
    heading(t('Que faire, par service', 'What to do, by service'), { pageBreak: true }),
    {
      text: t(
        'Pour les autres appareils, chaque conseil est donné une fois par service, avec le nombre d’appareils concernés.',
        'For the other devices, each piece of advice is given once per service, with the number of devices it concerns.',
      ),
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
            { text: `${portLabel(p)}${p.service ? ` (${p.service})` : ''} — `, bold: true },
            { text: t(`${hosts} appareil(s). `, `${hosts} device(s). `), color: MUTED },
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
  const t = (fr: string, en: string) => say({ fr, en });
  // Findings: open ports, and the ports this PC's own rule hides from the scan.
  const open = host.ports.filter(isFinding);
  const others = host.ports.filter((p) => !isFinding(p));
  const meta: string[] = [];
  if (host.isLocal || host.addresses.length > 1) {
    const list = host.addresses.join(', ');
    meta.push(t(`adresses : ${list}`, `addresses: ${list}`));
  }
  if (host.mac) meta.push(`MAC ${host.mac}${host.macVendor ? ` (${host.macVendor})` : ''}`);
  const why = say(HOST_REASON_LABEL[host.hostReason]);
  meta.push(
    host.status === 'up'
      ? t(`actif : ${why}`, `up: ${why}`)
      : host.status === 'unknown'
        ? t(`non analysé : ${why}`, `not scanned: ${why}`)
        : t(`inactif : ${why}`, `down: ${why}`),
  );
  const hiddenParts = (['closed', 'filtered', 'open'] as const)
    .filter((s) => host.hidden[s] > 0)
    .map(
      (s) =>
        `${host.hidden[s]} ${say(PORT_STATE_LABEL[s])}${lang === 'fr' && host.hidden[s] > 1 ? 's' : ''}`,
    );
  if (hiddenParts.length > 0)
    meta.push(t(`non listés : ${hiddenParts.join(', ')}`, `not listed: ${hiddenParts.join(', ')}`));

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
    const list = `${t('Ports ouverts : ', 'Open ports: ')}${breakable(compactPorts(open.map((p) => p.port).sort((a, b) => a - b)))}`;
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
    content.push({ text: t('Aucun port ouvert.', 'No open port.'), margin: [0, 0, 0, 6] });
  } else if (compact) {
    // One line of ports coloured by severity; the reasons and advice are in the by-service section.
    const labels = open.map(
      (p) =>
        `${portLabel(p)}${p.service ? ` ${p.service}` : ''}${
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
      { text: t('Protocole', 'Protocol'), style: 'th' },
      { text: 'Service', style: 'th' },
      ...(withProgram ? [{ text: t('Programme', 'Program'), style: 'th' }] : []),
      { text: t('Gravité', 'Severity'), style: 'th' },
      { text: t('Raison', 'Reason'), style: 'th' },
    ];
    const rows = open.map((p): TableCell[] => {
      const on =
        host.addresses.length > 1 && p.addresses
          ? t(`Sur ${p.addresses.join(', ')}. `, `On ${p.addresses.join(', ')}. `)
          : '';
      const reason =
        on +
        (p.reasons.length > 0
          ? p.reasons.map((r) => say(r)).join(' ')
          : say(PORT_REASON_LABEL[p.reason]));
      height += rowHeight(reason, withProgram ? 48 : 60, p.program, 12);
      return [
        { text: String(p.port), bold: true },
        p.protocol.toUpperCase(),
        // The software nmap -sV identified, under the service's name.
        p.product
          ? { stack: [p.service || '—', { text: p.product, fontSize: 7.5, color: MUTED }] }
          : p.service || '—',
        ...(withProgram ? [{ text: p.program ?? '—', color: p.program ? INK : MUTED }] : []),
        portSeverityCell(p, say),
        { text: reason, fontSize: 8 },
      ];
    });
    content.push({
      table: {
        headerRows: 1,
        widths: withProgram ? [32, 48, 58, 72, 52, '*'] : [32, 48, 70, 52, '*'],
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
      text: `${t('Autres ports listés : ', 'Other listed ports: ')}${others
        .map(
          (p) =>
            `${portLabel(p)} ${say(PORT_STATE_LABEL[p.state])} (${say(PORT_REASON_LABEL[p.reason])})`,
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
            { text: `${portLabel(p)}${p.service ? ` (${p.service})` : ''} — `, bold: true },
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
      stack: [{ text: t('Que faire', 'What to do'), style: 'h3' }, items[0]!],
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
    return { text: say({ fr: 'oui', en: 'yes' }), color: GOOD, bold: true };
  if (rule.present === false)
    return {
      text: say({ fr: 'disparue du pare-feu', en: 'gone from the firewall' }),
      color: SEVERITY_COLORS.critical.text.light,
      bold: true,
    };
  return { text: say({ fr: 'non vérifié', en: 'not verified' }), color: MUTED };
}

function firewallSection(model: ReportModel, lang: Language, say: Say): Content[] {
  const t = (fr: string, en: string) => say({ fr, en });
  const content: Content[] = [heading(t('Pare-feu', 'Firewall'), { pageBreak: true })];
  const rules = model.firewallRules;
  if (!rules) {
    content.push({
      text: t(
        'La liste des règles de pare-feu n’a pas été jointe à ce rapport.',
        'The list of firewall rules was not included in this report.',
      ),
      color: MUTED,
    });
    return content;
  }
  if (rules.length === 0) {
    content.push({
      text: t(
        `${APP_NAME} n’a créé aucune règle de pare-feu sur ce PC.`,
        `${APP_NAME} created no firewall rule on this PC.`,
      ),
    });
    return content;
  }
  content.push({
    text: t(
      `Règles de blocage créées par ${APP_NAME} sur ce PC, et si elles ont été retrouvées dans le pare-feu à la dernière vérification.`,
      `Blocking rules ${APP_NAME} created on this PC, and whether they were found in the firewall at the last check.`,
    ),
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
          { text: t('Sens', 'Direction'), style: 'th' },
          { text: t('État', 'State'), style: 'th' },
          { text: t('Portée', 'Scope'), style: 'th' },
          { text: t('Date', 'Date'), style: 'th' },
          { text: t('Dans le pare-feu', 'In the firewall'), style: 'th' },
        ],
        ...rules.map((r): TableCell[] => [
          {
            text: `${r.portFrom === r.portTo ? r.portFrom : `${r.portFrom}-${r.portTo}`}/${r.protocol}`,
            bold: true,
          },
          r.direction === 'in' ? t('entrant', 'inbound') : t('sortant', 'outbound'),
          // A rule the firewall lost is not "active", whatever the journal says (as in `rules`).
          r.present === false
            ? say({ fr: 'disparue', en: 'gone' })
            : say(RULE_STATE_LABEL[r.state]),
          r.remote.length > 0 ? r.remote.join(', ') : say(ANY_REMOTE),
          formatDateTime(r.createdAt, lang),
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
  syn: {
    fr: 'SYN (nmap -sS) : une demi-connexion TCP, envoyée avec les droits d’administrateur ; un port est ouvert quand l’appareil répond SYN-ACK, fermé quand il répond RST',
    en: 'SYN (nmap -sS): a TCP half-open connection, sent with administrator rights; a port is open when the device answers SYN-ACK, closed when it answers RST',
  },
  connect: {
    fr: 'TCP connect (nmap -sT) : une connexion TCP complète ; un port est ouvert quand la connexion est acceptée, fermé quand l’appareil la refuse',
    en: 'TCP connect (nmap -sT): a full TCP connection; a port is open when the connection is accepted, closed when the device refuses it',
  },
  udp: {
    fr: 'UDP (nmap -sU) : un paquet UDP par port ; ouvert quand une réponse revient, fermé sur un ICMP « port injoignable » ; nmap dit « open|filtered » d’un port muet, ce rapport « filtré »',
    en: 'UDP (nmap -sU): one UDP packet per port; open when a reply comes back, closed on an ICMP “port unreachable”; nmap calls a silent port “open|filtered”, this report “filtered”',
  },
};

/** The method of a scan imported from an nmap file: nmap's, not this app's engine. */
function nmapMethod(
  source: Extract<ScanSource, { kind: 'nmap' }>,
  model: ReportModel,
  say: Say,
): Content[] {
  const t = (fr: string, en: string) => say({ fr, en });
  const p = (fr: string, en: string): Content => ({ text: t(fr, en), margin: [0, 0, 0, 7] });
  const file = source.fileName ? ` « ${source.fileName} »` : '';
  const fileEn = source.fileName ? ` “${source.fileName}”` : '';
  const version = source.version ? ` ${source.version}` : '';
  const command = source.args || 'nmap';
  const types = source.scanTypes.map((s) => {
    const known = NMAP_SCAN_TYPE[s.type];
    return known
      ? say(known)
      : t(`type « ${s.type} » (${s.protocol})`, `type “${s.type}” (${s.protocol})`);
  });
  return [
    p(
      `Ces résultats ne viennent pas d’une analyse de Port Auditor : ils ont été lus dans le fichier XML de nmap${version}${file}, produit par la commande « ${command} ». Port Auditor n’a envoyé aucune sonde ; les délais, les reprises et la découverte des appareils sont ceux de nmap.`,
      `These results do not come from a Port Auditor scan: they were read from the nmap${version} XML file${fileEn}, made by the command “${command}”. Port Auditor sent no probe; timeouts, retries and device discovery are nmap’s.`,
    ),
    ...(types.length > 0
      ? [p(`Type d’analyse : ${types.join(' ; ')}.`, `Scan type: ${types.join('; ')}.`)]
      : []),
    p(
      `Les états intermédiaires de nmap sont ramenés aux trois de ce rapport : « open|filtered » et « closed|filtered » deviennent filtré, « unfiltered » devient fermé. Un port filtré n’a pas répondu, ou un pare-feu l’a refusé : cela ne dit pas si un service écoute derrière.`,
      `nmap’s intermediate states are brought to this report’s three: “open|filtered” and “closed|filtered” become filtered, “unfiltered” becomes closed. A filtered port did not answer, or a firewall refused it: that says nothing about whether a service listens behind it.`,
    ),
    p(
      `Les résultats valent pour le moment de l’analyse et vus depuis le PC qui a lancé nmap${model.scan.cancelled ? ' ; l’analyse n’est pas allée à son terme' : ''}.`,
      `Results hold for the time of the scan and as seen from the PC that ran nmap${model.scan.cancelled ? '; the scan did not run to its end' : ''}.`,
    ),
  ];
}

function methodSection(model: ReportModel, say: Say): Content[] {
  const t = (fr: string, en: string) => say({ fr, en });
  const p = (fr: string, en: string): Content => ({ text: t(fr, en), margin: [0, 0, 0, 7] });
  const source = model.scan.source;
  // The settings the engine ran with; older results without a source, today's defaults.
  const tuning = { ...defaultTuning, ...(source?.kind === 'engine' ? source : {}) };
  const seconds = (ms: number) =>
    t(`${String(ms / 1000).replace('.', ',')} s`, `${String(ms / 1000)} s`);
  const engine: Content[] = [
    p(
      `Chaque port a été testé par une connexion TCP complète depuis ce PC (« TCP connect », comme nmap -sT), sans privilège particulier et sans envoyer de données au service. Un port est ouvert quand la connexion est acceptée, fermé quand l’appareil la refuse.`,
      `Each port was tested with a full TCP connection from this PC (“TCP connect”, like nmap -sT), without special privileges and without sending data to the service. A port is open when the connection is accepted, closed when the device refuses it.`,
    ),
    p(
      `Un port est dit filtré quand rien ne répond avant la fin du délai d’attente, ou quand un routeur ou un pare-feu renvoie un refus administratif : un pare-feu bloque alors l’accès, ce qui ne dit pas si un service écoute derrière.`,
      `A port is called filtered when nothing answers before the timeout, or when a router or firewall sends back an administrative refusal: a firewall then blocks access, which says nothing about whether a service listens behind it.`,
    ),
    p(
      `Délais d’attente : ils suivent le temps de réponse mesuré de chaque appareil, comme TCP le fait (RFC 6298), entre ${seconds(tuning.minRtoMs)} et ${seconds(tuning.maxRtoMs)} par tentative (${seconds(tuning.initialRtoMs)} avant la première mesure). Un port muet est essayé ${tuning.maxTries} fois au moins, et jusqu’à ${tuning.maxTriesCap} fois sur un appareil qui perd des réponses, avant d’être déclaré filtré.`,
      `Timeouts: they follow each device’s measured response time, as TCP does (RFC 6298), between ${seconds(tuning.minRtoMs)} and ${seconds(tuning.maxRtoMs)} per attempt (${seconds(tuning.initialRtoMs)} before the first measurement). A silent port is tried at least ${tuning.maxTries} times, and up to ${tuning.maxTriesCap} times on a device that drops answers, before it is declared filtered.`,
    ),
    p(
      `Pertes et limitation : quand les réponses n’arrivent qu’aux nouvelles tentatives, l’appareil perd ou limite ses réponses ; l’analyse ralentit alors à son rythme au lieu de conclure « filtré », et un port muet n’est déclaré filtré que si aucune perte n’a été constatée pendant ses tentatives. Sur un appareil du réseau local dont un port répond, ce port est sondé régulièrement pendant les silences : tant qu’il répond, l’analyse va plus vite (délais jusqu’à ${seconds(tuning.quietMinRtoMs)}, au plus ${String(tuning.silentMaxRate).replace(/\B(?=(\d{3})+$)/g, ' ')} sondes par seconde). Si ce PC ne peut pas envoyer de sonde (pas de route, adresse inutilisable), l’adresse est dite non analysée, ni active ni inactive.`,
      `Loss and rate limiting: when answers only come to retries, the device drops or limits its answers; the scan then slows down to its pace instead of concluding “filtered”, and a silent port is declared filtered only if no loss was seen during its attempts. On a local-network device with a port that answers, that port is probed now and then during silences: while it answers, the scan goes faster (timeouts down to ${seconds(tuning.quietMinRtoMs)}, at most ${String(tuning.silentMaxRate).replace(/\B(?=(\d{3})+$)/g, ',')} probes a second). When this PC cannot send a probe (no route, unusable address), the address is reported as not scanned, neither up nor down.`,
    ),
    p(
      model.scan.request.skipDiscovery
        ? `La découverte des appareils a été désactivée : chaque adresse demandée a été analysée comme si elle était active.`
        : `Avant l’analyse des ports, chaque adresse a été sondée (connexions vers les ports ${tuning.discoveryPorts.join(', ')} et table des voisins du réseau local) pour savoir si un appareil y répond ; seules les adresses actives ont été analysées en détail.`,
      model.scan.request.skipDiscovery
        ? `Device discovery was turned off: every requested address was scanned as if it were up.`
        : `Before the port scan, each address was probed (connections to ports ${tuning.discoveryPorts.join(', ')} and the local network’s neighbour table) to learn whether a device answers there; only addresses that were up were scanned in detail.`,
    ),
    p(
      `Les résultats valent pour le moment de l’analyse et vus depuis ce PC : un port fermé ici peut être ouvert vu d’un autre réseau. Seuls les ports TCP ont été analysés.`,
      `Results hold for the time of the scan and as seen from this PC: a port closed from here may be open from another network. Only TCP ports were scanned.`,
    ),
  ];
  const content: Content[] = [
    // Right after the firewall section, which is often a line or two: no page of its own.
    { text: '', margin: [0, 22, 0, 0] },
    heading(t('Méthode', 'Method')),
    ...(source?.kind === 'nmap' ? nmapMethod(source, model, say) : engine),
  ];
  if (model.assessed) {
    content.push(
      p(
        `La gravité de chaque port ouvert vient d’une base de connaissances des services à risque, ajustée selon le contexte : appareil (ce PC ou un autre), interface d’écoute, programme propriétaire du port et bannière renvoyée par le service. Chaque raison listée dans le tableau correspond à une règle appliquée.`,
        `Each open port’s severity comes from a knowledge base of risky services, adjusted for context: device (this PC or another), listening interface, program owning the port and the banner the service sent. Each reason listed in the table is one rule that applied.`,
      ),
    );
    if (!model.programsComplete) {
      content.push(
        p(
          `Certains ports de ce PC n’ont pas pu être reliés à leur programme (droits d’administrateur nécessaires).`,
          `Some ports of this PC could not be tied to their program (administrator rights needed).`,
        ),
      );
    }
  }
  content.push({
    table: {
      headerRows: 1,
      widths: [100, '*'],
      body: [
        [
          { text: t('Raison', 'Reason'), style: 'th' },
          { text: t('Signification', 'Meaning'), style: 'th' },
        ],
        ...Object.entries(PORT_REASON_LABEL).map(([code, text]): TableCell[] => [
          { text: code, bold: true },
          say(text),
        ]),
      ],
    },
    layout: tableLayout,
    fontSize: 8.5,
    margin: [0, 6, 0, 0],
  });
  return content;
}

/** Characters of an unbroken word laid out on one line of the PDF at most. */
export const PDF_WORD_CHARS = 40;

/**
 * `text` with each run of more than PDF_WORD_CHARS non-space characters cut into lines of that
 * many: pdfmake fits an unbroken word by measuring ever shorter prefixes of it, line after line,
 * so one 50,000-character host name took minutes and gigabytes (review F1); cut, it costs what
 * its length does. Pure.
 */
export function withShortWords(text: string): string {
  if (text.length <= PDF_WORD_CHARS) return text;
  return text.replace(LONG_WORD, (word) => (word.match(WORD_PIECE) ?? [word]).join('\n'));
}

const LONG_WORD = new RegExp(`\\S{${PDF_WORD_CHARS + 1},}`, 'gu');
const WORD_PIECE = new RegExp(`\\S{1,${PDF_WORD_CHARS}}`, 'gu');

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
export function pdfDefinition(model: ReportModel, lang: Language): TDocumentDefinitions {
  const say = sayFor(lang);
  const t = (fr: string, en: string) => say({ fr, en });
  const title = t('Rapport d’audit des ports réseau', 'Network port audit report');
  const date = formatLongDateTime(model.scan.startedAt, lang);
  const hosts: Content[] = [
    heading(t('Détail par appareil', 'Details by device'), { pageBreak: true }),
  ];
  if (model.hosts.length === 0) hosts.push({ text: t('Aucun appareil actif.', 'No device up.') });
  const compact = model.findings.length >= COMPACT_FROM_OPEN_PORTS;
  for (const host of model.hosts)
    hosts.push(...hostSection(host, lang, say, compact && !host.isLocal));
  if (compact && model.assessed) hosts.push(...adviceByService(model, say));
  return {
    pageSize: 'A4',
    pageMargins: [40, 48, 40, 52],
    info: {
      title: `${title} — ${model.pcName}`,
      author: APP_NAME,
      subject: `${model.scan.request.targets} · ${model.scan.request.ports}`,
      creator: `${APP_NAME} ${APP_VERSION}`,
      producer: `${APP_NAME} ${APP_VERSION}`,
    },
    language: lang === 'fr' ? 'fr-FR' : 'en-GB',
    defaultStyle: { font: FONT, fontSize: 10, color: INK, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 18, bold: true, color: ACCENT },
      h2: { fontSize: 12.5, bold: true, color: INK, margin: [0, 6, 0, 6] },
      h3: { fontSize: 10, bold: true, color: ACCENT, margin: [0, 4, 0, 4] },
      th: { bold: true, color: MUTED, fontSize: 8 },
    },
    footer: (currentPage: number, pageCount: number): Content => ({
      columns: [
        { text: `${APP_NAME} — ${title} — ${model.pcName} — ${date}`, width: '*' },
        {
          text: t(`Page ${currentPage} sur ${pageCount}`, `Page ${currentPage} of ${pageCount}`),
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

export async function renderPdf(model: ReportModel, lang: Language): Promise<Buffer> {
  installFonts();
  const doc = pdfmake.createPdf(pdfDefinition(model, lang));
  const out = (await doc.getBuffer()) as unknown as Buffer | Uint8Array;
  return Buffer.isBuffer(out) ? out : Buffer.from(out);
}
