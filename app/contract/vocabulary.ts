import type { Language } from './app.js';
import type { LocalizedText } from './errors.js';
import type { FirewallRule } from './firewall.js';
import type { RiskAssessResult, Severity } from './risk.js';
import type { MacMaker } from './devices.js';
import type { HostnameMethod, HostReason, PortReason, PortState } from './scan.js';
import { CATALOGUE } from '../text/locales/index.js';

/**
 * The product's vocabulary: what the page, the CLI, the PDF and the exports all name — severities
 * (order, labels, colours), port states and probe reasons, host reasons, firewall rule states and
 * the order of hosts — written once here. Labels live in the catalogue's `vocabulary` namespace
 * (app/text/locales/{fr,en}/vocabulary.json), read here without i18next so that this pure module
 * serves the renderer as it serves Node. Service names need IANA's table (a Node-only dependency):
 * their one lookup is app/risk/knowledge-base.ts's `serviceName`.
 */

/** Severities from worst to mildest: the one order every list and table uses. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** A severity's sort rank: 0 for critical … 4 for info. */
export const SEVERITY_ORDER: Record<Severity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

/** Rank for sorting, a missing severity (no verdict yet, nothing open) after every severity. */
export function severityRank(severity: Severity | null | undefined): number {
  return severity ? SEVERITY_ORDER[severity] : SEVERITIES.length;
}

/** Negative when `a` is worse than `b` (sorts the worst first); 0 when equal. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_ORDER[a] - SEVERITY_ORDER[b];
}

/** A count per severity, all zero. */
export function emptySeverityCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** The worst of some severities, null for none. */
export function worstSeverity(severities: Iterable<Severity>): Severity | null {
  let worst: Severity | null = null;
  for (const s of severities) if (worst === null || compareSeverity(s, worst) < 0) worst = s;
  return worst;
}

/**
 * A severity's colours, the same in the page's theme chips and the PDF: `chip` is a filled chip or
 * pill (its `fg` text on its `bg`), `text` the colour of the severity's words on a page background
 * — `light` on the light theme and on paper (print, the PDF), `dark` on the dark theme. Every pair
 * reaches 4.5:1 (WCAG 2.2 SC 1.4.3, text of any size), checked by the unit tests against
 * PAGE_BACKGROUNDS.
 */
export interface SeverityColors {
  chip: { bg: string; fg: string };
  text: { light: string; dark: string };
}

export const SEVERITY_COLORS: Record<Severity, SeverityColors> = {
  critical: { chip: { bg: '#b71c1c', fg: '#ffffff' }, text: { light: '#b71c1c', dark: '#ff8a80' } },
  // #e65100 gave 3.8:1 with white, under 4.5:1 for a chip's small text.
  high: { chip: { bg: '#c2410c', fg: '#ffffff' }, text: { light: '#c2410c', dark: '#ffab91' } },
  // Amber is too pale to carry white text or to be read as words on white: dark text on it, and a
  // darker amber for words.
  medium: { chip: { bg: '#f9a825', fg: '#1a1a1a' }, text: { light: '#a15c00', dark: '#ffd54f' } },
  // Blue, not green: green reads as "safe", and a low risk is still a risk.
  low: { chip: { bg: '#1565c0', fg: '#ffffff' }, text: { light: '#1565c0', dark: '#90caf9' } },
  info: { chip: { bg: '#616161', fg: '#ffffff' }, text: { light: '#616161', dark: '#bdbdbd' } },
};

/**
 * The backgrounds severity words are written on: the light theme's page and paper, the dark
 * theme's (renderer/theme.ts), and paper for print and the PDF.
 */
export const PAGE_BACKGROUNDS = {
  light: ['#f3f5fa', '#ffffff'],
  dark: ['#0f1420', '#161d2d'],
  print: ['#ffffff'],
} as const;

function luminance(hex: string): number {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/**
 * WCAG 2.2's contrast ratio of two #rrggbb colours, from 1 to 21 (relative luminance as defined
 * in the WCAG 2.2 glossary, "contrast ratio" and "relative luminance").
 */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

type RuleState = FirewallRule['state'];

/** The `vocabulary` namespace's shape (both languages have every key: test/unit/catalogue). */
interface VocabularyTable {
  severity: Record<Severity, string>;
  portState: Record<PortState, string>;
  portStateHelp: Partial<Record<PortState, string>>;
  portReason: Record<PortReason, string>;
  hostReason: Record<HostReason, string>;
  ruleState: Record<RuleState, string>;
  ruleStatus: Record<'inFirewall' | 'unverified' | 'found' | 'missing' | 'foundMissing', string>;
  service: { unknown: string; thisProgram: string; otherProcess: string; otherInstance: string };
  programsMissing: Record<ProgramsMissing, string>;
  term: { program: string; portReasonNone: string };
  macMaker: Record<Exclude<MacMaker['kind'], 'vendor'>, string>;
  hostnameMethod: Record<HostnameMethod, string>;
}

type ProgramsMissing = NonNullable<RiskAssessResult['programsMissing']>;

function table(language: Language): VocabularyTable {
  return CATALOGUE[language].vocabulary as unknown as VocabularyTable;
}

function both<K extends string>(group: keyof VocabularyTable, key: K): LocalizedText {
  const fr = table('fr')[group] as Record<string, string>;
  const en = table('en')[group] as Record<string, string>;
  return { fr: fr[key] ?? key, en: en[key] ?? key };
}

/** "Élevé" / "High". */
export function severityLabel(severity: Severity, language: Language): string {
  return table(language).severity[severity];
}

/**
 * Every port state, in the order lists and summaries give them: what is open first, then what
 * may be open (`open|filtered`, a silent UDP port), then what something blocked, then closed.
 * Summaries count each on its own: `open|filtered` is never added to open nor to closed.
 */
export const PORT_STATES: readonly PortState[] = ['open', 'open|filtered', 'filtered', 'closed'];

/**
 * The order "not listed" counts are given in (the page, the CLI, the PDF): the usual bulk
 * (closed, filtered) first, then silent UDP ports, then open ports a tarpit's host hides.
 */
export const HIDDEN_ORDER: readonly PortState[] = ['closed', 'filtered', 'open|filtered', 'open'];

/** A count per port state, all zero (a host's `hidden`, with `open|filtered` present). */
export function emptyPortStateCounts(): Record<PortState, number> {
  return { open: 0, 'open|filtered': 0, filtered: 0, closed: 0 };
}

/**
 * A host's `hidden` from a count per state: `open|filtered` only when some port has it, so a
 * TCP scan's result keeps the shape it had before the state existed (and older readers read it).
 */
export function hiddenOfCounts(
  counts: Record<PortState, number>,
): Record<Exclude<PortState, 'open|filtered'>, number> & { 'open|filtered'?: number } {
  const { 'open|filtered': silent, ...rest } = counts;
  return silent > 0 ? { ...rest, 'open|filtered': silent } : rest;
}

/**
 * How many of a host's unlisted ports are in `state`: `hidden['open|filtered']` is absent in
 * results made before that state existed (JSON report format 1 and 2, older kept scans), read 0.
 */
export function hiddenCount(
  hidden: Partial<Record<PortState, number>> | undefined,
  state: PortState,
): number {
  return hidden?.[state] ?? 0;
}

/** "ouvert" / "open". */
export function portStateLabel(state: PortState, language: Language): string {
  return table(language).portState[state];
}

/**
 * What a state means for a reader who does not know nmap, when its name is not enough: only
 * `open|filtered` has one (why silence proves nothing over UDP); undefined for the others.
 */
export function portStateHelp(state: PortState, language: Language): string | undefined {
  return table(language).portStateHelp[state];
}

/**
 * Why a port is in its state, for a reader who does not know nmap's codes (syn-ack…); "non
 * indiquée" / "not given" when the port has none (PortResult.reason absent).
 */
export function portReasonLabel(reason: PortReason | undefined, language: Language): string {
  return reason ? table(language).portReason[reason] : table(language).term.portReasonNone;
}

/** Why a host was counted as up (or not), in words (localhost, neighbour…). */
export function hostReasonLabel(reason: HostReason, language: Language): string {
  return table(language).hostReason[reason];
}

/**
 * A device's maker as every output words it: the registered name ("Raspberry Pi Foundation"),
 * "adresse MAC privée (aléatoire)" / "private (randomised) MAC address" for a locally
 * administered address (never "unknown maker": no maker exists), "fabricant inconnu" / "unknown
 * maker" for an unregistered OUI. `maker` comes from macMakerOf (devices.ts) or the app's
 * `macMaker` (app/report/mac-vendor.ts).
 */
export function macMakerText(maker: MacMaker, language: Language): string {
  return maker.kind === 'vendor' ? maker.name : table(language).macMaker[maker.kind];
}

/**
 * How a host's name was found, in words: "nom DNS (PTR)" / "DNS name (PTR)" for this PC's reverse
 * lookup, "nom mDNS" / "mDNS name" and "nom NetBIOS" / "NetBIOS name" for the device's own answer, "… selon le fichier nmap" /
 * "… per the nmap file" for an imported file's name.
 */
export function hostnameMethodLabel(method: HostnameMethod, language: Language): string {
  return table(language).hostnameMethod[method];
}

/**
 * The label a name read from a file carries wherever it is shown, so it is never taken for one
 * this PC looked up (issue 15, N6): "nom dans le fichier", "nom DNS (PTR) selon le fichier nmap"…;
 * undefined for a name of ours (typed, or this PC's PTR lookup) or none.
 */
export function fileHostnameLabel(
  method: HostnameMethod | undefined,
  language: Language,
): string | undefined {
  return method === 'file' || method === 'nmap-user' || method === 'nmap-ptr'
    ? hostnameMethodLabel(method, language)
    : undefined;
}

/** macMakerText in both languages, for code that carries LocalizedText (the PDF). */
export function macMakerLabel(maker: MacMaker): LocalizedText {
  return { fr: macMakerText(maker, 'fr'), en: macMakerText(maker, 'en') };
}

/** A Port Auditor rule's journal state in words ("échouée" / "failed"). */
export function ruleStateLabel(state: RuleState, language: Language): string {
  return table(language).ruleState[state];
}

/**
 * The service code a risk verdict gives a port that neither the knowledge base, a known program
 * nor IANA names (app/risk/rules.ts). Exports keep this code; what people read uses serviceLabel.
 */
export const UNKNOWN_SERVICE = 'unknown';

/**
 * The service code of a port served by the very process that gives the verdict (browser mode's
 * page server, the desktop app): "Port Auditor (ce programme)" / "Port Auditor (this program)".
 */
export const OWN_SERVICE = 'port-auditor';

/**
 * The service code of a port of another process running Port Auditor's executable (the desktop
 * app's helper processes, another copy of it): "Port Auditor (autre processus)" — never called
 * "this program", which only the process giving the verdict is.
 */
export const OWN_OTHER_PROCESS_SERVICE = 'port-auditor-process';

/**
 * The service code of a port held by another running Port Auditor host of this installation
 * (browser mode or the desktop app started apart from the process giving the verdict), recognised
 * by its command line (app/system/own-instance.ts): "Port Auditor (autre instance, PID n)" /
 * "Port Auditor (another instance, PID n)" — the PID is the port's program's (issue 15, F6).
 */
export const OWN_OTHER_INSTANCE_SERVICE = 'port-auditor-instance';

/**
 * Whether `service` is one of Port Auditor's own service codes (OWN_SERVICE,
 * OWN_OTHER_PROCESS_SERVICE, OWN_OTHER_INSTANCE_SERVICE): names of this product, which every
 * output, exports included, words through serviceLabel rather than printing the code.
 */
export function isOwnService(service: string): boolean {
  return (
    service === OWN_SERVICE ||
    service === OWN_OTHER_PROCESS_SERVICE ||
    service === OWN_OTHER_INSTANCE_SERVICE
  );
}

/**
 * A port's service name for people: a name as given ("ssh", "python3"), the verdict's codes
 * `unknown` ("service non identifié" / "unidentified service") and Port Auditor's own
 * ("Port Auditor (ce programme)", "Port Auditor (autre instance, PID n)" with `pid` the port's
 * program's process id) as the page words them, and an empty string (nothing known) left empty.
 */
export function serviceLabel(service: string, language: Language, pid?: number): string {
  if (service === UNKNOWN_SERVICE) return table(language).service.unknown;
  if (service === OWN_SERVICE) return table(language).service.thisProgram;
  if (service === OWN_OTHER_PROCESS_SERVICE) return table(language).service.otherProcess;
  if (service === OWN_OTHER_INSTANCE_SERVICE) {
    // A PID is an identifier, never grouped ("PID 17000", not "PID 17 000"); without it (a file
    // that lost the program) the other instance is still named, its PID left out.
    const text = table(language).service.otherInstance;
    return pid !== undefined && pid > 0
      ? text.replace('{{pid}}', () => String(pid))
      : text.replace(/, PID \{\{pid\}\}/, '');
  }
  return service;
}

/**
 * The one sentence the page, the CLI and the PDF give when some listed ports of this PC have no
 * program (RiskAssessResult.programsMissing says why).
 */
export function programsMissingText(why: ProgramsMissing, language: Language): string {
  return table(language).programsMissing[why];
}

/**
 * A program that owns a port, as the page, the CLI, the PDF and the exports name it: "python3
 * (PID 15391)" — the catalogue's `vocabulary:term.program`, the same in both languages (checked by
 * test/unit/vocabulary-terms), so language-free exports use it too. The PID is written as a
 * number the system prints (no thousands separator); a PID of 0 (unknown) gives the name alone.
 */
export function programLabel(name: string, pid: number): string {
  if (!(pid > 0)) return name;
  return table('en')
    .term.program.replace('{{name}}', () => name)
    .replace('{{pid}}', () => String(pid));
}

/** What a scan did not list for one address: counts of closed, filtered and open ports. */
export interface HiddenPortCounts {
  closed: number;
  filtered: number;
  open: number;
}

/**
 * "Ports non affichés : 1 027 ports fermés, 2 ports filtrés" — the one sentence the page, the CLI
 * and the PDF give for the ports a scan left unlisted; null when none. `t` is the caller's
 * i18next translate function (plural forms and Intl number formatting need i18next, which this
 * pure module does not load); `address` names the address when a device has several.
 */
export function notShownText(
  hidden: HiddenPortCounts,
  t: (key: string, params?: Record<string, unknown>) => string,
  address?: string,
): string | null {
  const parts = HIDDEN_ORDER.filter((state) => hiddenCount(hidden, state) > 0)
    .map((state) => t(`vocabulary:hiddenPorts.${state}`, { count: hiddenCount(hidden, state) }))
    .join(t('vocabulary:term.listSeparator'));
  if (parts.length === 0) return null;
  return address
    ? t('vocabulary:term.notShownOn', { address, parts })
    : t('vocabulary:term.notShown', { parts });
}

function bothOf<K extends string>(group: keyof VocabularyTable): Record<K, LocalizedText> {
  const keys = Object.keys(table('en')[group]);
  return Object.fromEntries(keys.map((k) => [k, both(group, k)])) as Record<K, LocalizedText>;
}

/** The same labels in both languages, for code that carries LocalizedText. */
export const SEVERITY_LABEL = bothOf<Severity>('severity');
export const RULE_STATE_LABEL = bothOf<RuleState>('ruleState');
export const PORT_STATE_LABEL = bothOf<PortState>('portState');
export const PORT_STATE_HELP = bothOf<'open|filtered'>('portStateHelp');
export const PORT_REASON_LABEL = bothOf<PortReason>('portReason');
export const HOST_REASON_LABEL = bothOf<HostReason>('hostReason');

/**
 * A rule's state in the one vocabulary of the Rules page, the PDF and `port-auditor rules`, one
 * short phrase per fact (review 13 N7), from the catalogue (vocabulary.json `ruleState`,
 * `ruleStatus`):
 * - the firewall lost it (`present` false): "dans le journal, introuvable dans le pare-feu" —
 *   the journal's word, not a fact about the firewall (f1314f4) — with "; Port Auditor ne l’avait
 *   pas créée" for a rule only found there (`origin` `found`), never to re-apply;
 * - otherwise its journal state ("active"); with `presence`, what the last read of the firewall
 *   said ("dans le pare-feu", "non vérifiée" when it could not be read), for lists that have no
 *   column of their own for it (the CLI);
 * - a rule found in the firewall that Port Auditor's history did not know (`origin` `found`:
 *   data folder deleted or damaged, firewall restored, or another program) adds
 *   "(trouvée dans le pare-feu ; l’historique de Port Auditor ne la connaissait pas)", which
 *   already says it is in the firewall. It does not say the history "lost" it: nothing tells a
 *   lost row from a rule another program named like ours.
 */
export function ruleStateText(
  rule: Pick<FirewallRule, 'state' | 'present' | 'origin'>,
  options: { presence?: boolean } = {},
): LocalizedText {
  const found = rule.origin === 'found';
  if (rule.present === false) return both('ruleStatus', found ? 'foundMissing' : 'missing');
  const say = (lang: Language) => {
    const words = table(lang).ruleStatus;
    const presence =
      !options.presence || (found && rule.present) // "found in the firewall" says it already
        ? ''
        : `, ${rule.present === null ? words.unverified : words.inFirewall}`;
    const note = found ? ` (${words.found})` : '';
    return `${table(lang).ruleState[rule.state]}${presence}${note}`;
  };
  return { fr: say('fr'), en: say('en') };
}

/**
 * A port's reason in words ("a refusé la connexion" / "refused the connection"), or "non indiquée"
 * / "not given" when the port has none (PortResult.reason absent: an imported file gave none, or
 * one that contradicts the state), so no explanation is shown that nothing gave.
 */
export function portReasonText(reason: PortReason | undefined): LocalizedText {
  return reason ? PORT_REASON_LABEL[reason] : both('term', 'portReasonNone');
}

/**
 * An address as a key that sorts numerically as text: IPv4 as 4 + four 3-digit octets, IPv6 as
 * 6 + eight 4-digit hex groups ('::' expanded, a trailing dotted IPv4 as two groups); a zone
 * (%eth0) and brackets are left out. Anything else keys as itself after a 9.
 */
function addressKey(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bare)) {
    return `4${bare
      .split('.')
      .map((o) => o.padStart(3, '0'))
      .join('')}`;
  }
  if (bare.includes(':')) {
    const ipv4Tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
    let text = bare;
    if (ipv4Tail?.[1]) {
      const [o1, o2, o3, o4] = ipv4Tail[1].split('.').map(Number) as [
        number,
        number,
        number,
        number,
      ];
      const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
      text = `${bare.slice(0, -ipv4Tail[1].length)}${hex(o1, o2)}:${hex(o3, o4)}`;
    }
    const [head = '', tail] = text.split('::');
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const missing = tail === undefined ? 0 : 8 - left.length - right.length;
    const groups = [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
    return `6${groups.map((g) => g.toLowerCase().padStart(4, '0')).join('')}`;
  }
  return `9${address}`;
}

/**
 * Address order: IPv4 before IPv6, each numerically (10.0.0.9 before 10.0.0.10, fe80::2 before
 * fe80::10); the same address in two zones by its zone.
 */
export function compareAddresses(a: string, b: string): number {
  const ka = addressKey(a);
  const kb = addressKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What orders hosts: where they are, their worst open port's severity, their address. */
export interface HostOrderKey {
  address: string;
  isLocal: boolean;
  /** The worst severity among its open ports; null or undefined when none (yet). */
  worst?: Severity | null;
}

/**
 * The one order of hosts in the page, the CLI and the PDF: this PC first, then the worst verdict
 * first, then by address (compareAddresses), so hosts of equal severity read the same everywhere.
 */
export function compareHostsByRisk(a: HostOrderKey, b: HostOrderKey): number {
  if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
  return severityRank(a.worst) - severityRank(b.worst) || compareAddresses(a.address, b.address);
}
