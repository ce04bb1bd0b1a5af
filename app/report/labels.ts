import type { Language, LocalizedText } from '../contract/index.js';
import type { Severity } from '../contract/risk.js';
import type { HostReason, PortReason, PortState } from '../contract/scan.js';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export const SEVERITY_LABEL: Record<Severity, LocalizedText> = {
  critical: { fr: 'Critique', en: 'Critical' },
  high: { fr: 'Élevée', en: 'High' },
  medium: { fr: 'Moyenne', en: 'Medium' },
  low: { fr: 'Faible', en: 'Low' },
  info: { fr: 'Info', en: 'Info' },
};

/** Print colours per severity: strong enough on white, distinct in greyscale too. */
export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#b71c1c',
  high: '#e65100',
  medium: '#f9a825',
  low: '#2e7d32',
  info: '#546e7a',
};

/** Colours for text on white: the medium amber is too pale for words, so it darkens. */
export const SEVERITY_TEXT_COLOR: Record<Severity, string> = {
  ...SEVERITY_COLOR,
  medium: '#a15c00',
};

export const STATE_LABEL: Record<PortState, LocalizedText> = {
  open: { fr: 'ouvert', en: 'open' },
  closed: { fr: 'fermé', en: 'closed' },
  filtered: { fr: 'filtré', en: 'filtered' },
};

/** What each probe answer means, in words a non-expert can follow. */
export const PORT_REASON_LABEL: Record<PortReason, LocalizedText> = {
  'syn-ack': { fr: 'a accepté la connexion', en: 'accepted the connection' },
  'conn-refused': { fr: 'a refusé la connexion', en: 'refused the connection' },
  'udp-response': { fr: 'a répondu (UDP)', en: 'answered (UDP)' },
  'port-unreach': {
    fr: 'a répondu « port injoignable » (ICMP)',
    en: 'answered “port unreachable” (ICMP)',
  },
  'no-response': { fr: 'aucune réponse', en: 'no response' },
  'admin-prohibited': {
    fr: 'bloqué par un pare-feu (ICMP interdit)',
    en: 'blocked by a firewall (ICMP prohibited)',
  },
  'host-unreachable': { fr: 'hôte injoignable', en: 'host unreachable' },
  'net-unreachable': { fr: 'réseau injoignable', en: 'network unreachable' },
  'local-error': {
    fr: 'non envoyé : ce PC a refusé la sonde',
    en: 'not sent: this PC refused the probe',
  },
};

/** Why a device was counted as up (or not), for a reader who does not know nmap's codes. */
export const HOST_REASON_LABEL: Record<HostReason, LocalizedText> = {
  localhost: { fr: 'adresse de ce PC', en: 'this PC’s address' },
  scanner: { fr: 'le PC qui a lancé nmap', en: 'the PC that ran nmap' },
  'syn-ack': { fr: 'a accepté une connexion', en: 'accepted a connection' },
  'conn-refused': { fr: 'a refusé une connexion', en: 'refused a connection' },
  neighbour: {
    fr: 'vu sur le réseau local (table ARP/NDP)',
    en: 'seen on the local network (ARP/NDP table)',
  },
  'nmap-neighbour': {
    fr: 'a répondu à nmap (ARP/NDP, sur le réseau du PC qui a lancé nmap)',
    en: 'answered nmap (ARP/NDP, on the network of the PC that ran nmap)',
  },
  'no-response': { fr: 'aucune réponse', en: 'no response' },
  'user-set': {
    fr: 'considéré actif à la demande (découverte désactivée)',
    en: 'taken as up on request (discovery turned off)',
  },
  'host-unreachable': { fr: 'injoignable', en: 'unreachable' },
  'local-error': {
    fr: 'non analysé : ce PC ne peut pas le joindre',
    en: 'not scanned: this PC cannot reach it',
  },
};

/**
 * What to tell about a host that answers open on (nearly) every port (HostResult.answersEveryPort):
 * the CLI and the PDF show this once instead of one verdict per port.
 */
export function everyPortText(every: { open: number; probed: number }): {
  title: LocalizedText;
  body: LocalizedText;
} {
  return {
    title: {
      fr: 'Tout port répond : pare-feu, proxy ou piège',
      en: 'Every port answers: firewall, proxy or trap',
    },
    body: {
      fr: `${every.open} des ${every.probed} ports sondés ont accepté la connexion. Ce ne sont pas ${every.open} services : cet appareil accepte toute connexion (pare-feu ou proxy qui répond pour tous les ports, ou piège à scanners). Ses verdicts sont regroupés ; vérifiez ce qu’est cet appareil.`,
      en: `${every.open} of the ${every.probed} probed ports accepted the connection. These are not ${every.open} services: this device accepts any connection (a firewall or proxy answering for every port, or a trap for scanners). Its verdicts are grouped; check what this device is.`,
    },
  };
}

export function say(text: LocalizedText, lang: Language): string {
  return text[lang];
}

/** Date and time as a reader of that language writes them, with the offset so it is unambiguous. */
export function formatDateTime(iso: string, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  }).format(date);
}

const NAMED_TARGETS: Record<string, LocalizedText> = {
  'this-pc': { fr: 'ce PC', en: 'this PC' },
  'local-network': { fr: 'le réseau local', en: 'the local network' },
};

const NAMED_PORTS: Record<string, LocalizedText> = {
  top100: { fr: 'les 100 ports les plus courants', en: 'the 100 most common ports' },
  top1000: { fr: 'les 1 000 ports les plus courants', en: 'the 1,000 most common ports' },
  '-': { fr: 'tous les ports (1-65535)', en: 'every port (1-65535)' },
};

/**
 * The user's target or port text with the named sets spelled out ("this-pc" → "this PC
 * (this-pc)"), so the cover reads as a sentence yet keeps what was typed.
 */
export function describeSpec(spec: string, kind: 'targets' | 'ports', lang: Language): string {
  const named = kind === 'targets' ? NAMED_TARGETS : NAMED_PORTS;
  const tokens = spec.split(/[\s,]+/).filter(Boolean);
  if (!tokens.some((token) => named[token.toLowerCase()])) return spec;
  return tokens
    .map((token) => {
      const label = named[token.toLowerCase()];
      return label ? `${label[lang]} (${token})` : token;
    })
    .join(', ');
}

export function formatDuration(ms: number, lang: Language): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const seconds = ms / 1000;
  if (seconds < 60) {
    const text = seconds.toFixed(1);
    return `${lang === 'fr' ? text.replace('.', ',') : text} s`;
  }
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return `${minutes} min ${rest} s`;
}
