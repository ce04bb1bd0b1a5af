import type { Language, LocalizedText } from '../contract/index.js';
import type { Severity } from '../contract/risk.js';
import type { PortReason, PortState } from '../contract/scan.js';

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

export const STATE_LABEL: Record<PortState, LocalizedText> = {
  open: { fr: 'ouvert', en: 'open' },
  closed: { fr: 'fermé', en: 'closed' },
  filtered: { fr: 'filtré', en: 'filtered' },
};

/** What each probe answer means, in words a non-expert can follow. */
export const PORT_REASON_LABEL: Record<PortReason, LocalizedText> = {
  'syn-ack': { fr: 'a accepté la connexion', en: 'accepted the connection' },
  'conn-refused': { fr: 'a refusé la connexion', en: 'refused the connection' },
  'no-response': { fr: 'aucune réponse', en: 'no response' },
  'admin-prohibited': {
    fr: 'bloqué par un pare-feu (ICMP interdit)',
    en: 'blocked by a firewall (ICMP prohibited)',
  },
  'host-unreachable': { fr: 'hôte injoignable', en: 'host unreachable' },
  'net-unreachable': { fr: 'réseau injoignable', en: 'network unreachable' },
};

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
