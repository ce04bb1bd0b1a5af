import type { Language, LocalizedText } from '../contract/index.js';

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
