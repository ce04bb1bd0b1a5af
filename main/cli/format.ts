import type {
  HostResult,
  Language,
  PortState,
  Protocol,
  ScanEvent,
  ScanResult,
} from '../../app/contract/index.js';

type ServiceLookup = (port: number, protocol: Protocol) => string | undefined;

const STATE: Record<PortState, { fr: string; en: string }> = {
  open: { fr: 'ouvert', en: 'open' },
  closed: { fr: 'fermé', en: 'closed' },
  filtered: { fr: 'filtré', en: 'filtered' },
};

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function hiddenLine(host: HostResult, language: Language): string | null {
  const parts = (['closed', 'filtered', 'open'] as const)
    .filter((state) => host.hidden[state] > 0)
    .map((state) =>
      language === 'fr'
        ? `${plural(host.hidden[state], 'port', 'ports')} ${STATE[state].fr}${host.hidden[state] > 1 ? 's' : ''}`
        : `${host.hidden[state]} ${state} ${host.hidden[state] === 1 ? 'port' : 'ports'}`,
    );
  if (parts.length === 0) return null;
  return language === 'fr'
    ? `Non affichés : ${parts.join(', ')}`
    : `Not shown: ${parts.join(', ')}`;
}

function formatHost(host: HostResult, language: Language, service: ServiceLookup): string[] {
  const status =
    language === 'fr'
      ? `${host.status === 'up' ? 'actif' : 'inactif'} (${host.reason})`
      : `${host.status} (${host.reason})`;
  const name = host.hostname ? ` (${host.hostname})` : '';
  const lines = [`${host.address}${name}  ${status}`];
  if (host.ports.length > 0) {
    const head =
      language === 'fr'
        ? ['PORT', 'ÉTAT', 'RAISON', 'SERVICE']
        : ['PORT', 'STATE', 'REASON', 'SERVICE'];
    const rows = host.ports.map((p) => [
      `${p.port}/${p.protocol}`,
      STATE[p.state][language],
      p.reason,
      service(p.port, p.protocol) ?? '',
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)) + 2);
    for (const row of [head, ...rows]) {
      lines.push(
        `  ${row
          .map((cell, i) => pad(cell, widths[i]!))
          .join('')
          .trimEnd()}`,
      );
    }
  } else if (host.status === 'up') {
    lines.push(language === 'fr' ? '  Aucun port à signaler.' : '  No port to report.');
  }
  const hidden = hiddenLine(host, language);
  if (hidden) lines.push(`  ${hidden}`);
  return lines;
}

/** The readable report of a finished scan: one block per host that is up, then a summary. */
export function formatScanResult(
  result: ScanResult,
  language: Language,
  service: ServiceLookup = () => undefined,
): string {
  const up = result.hosts.filter((h) => h.status === 'up' || result.request.skipDiscovery);
  const blocks = up.map((host) => formatHost(host, language, service).join('\n'));
  const open = result.hosts.reduce(
    (n, h) => n + h.ports.filter((p) => p.state === 'open').length + h.hidden.open,
    0,
  );
  const upCount = result.hosts.filter((h) => h.status === 'up').length;
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  const time = Number.isFinite(seconds) ? seconds.toFixed(1) : '?';
  const summary =
    language === 'fr'
      ? `${plural(result.addresses, 'adresse analysée', 'adresses analysées')}, ${plural(upCount, 'active', 'actives')}, ${plural(open, 'port ouvert', 'ports ouverts')} en ${time.replace('.', ',')} s${result.cancelled ? ' (analyse annulée : résultats partiels)' : ''}.`
      : `${plural(result.addresses, 'address', 'addresses')} scanned, ${upCount} up, ${plural(open, 'open port', 'open ports')} in ${time} s${result.cancelled ? ' (scan cancelled: partial results)' : ''}.`;
  const notes = result.notes.map((note) => `! ${note}`);
  return `${[...blocks, [...notes, summary].join('\n')].join('\n\n')}\n`;
}

/** One progress line for a terminal: percent, probes, open ports found, time left. */
export function formatProgress(
  event: Extract<ScanEvent, { type: 'progress' }>,
  language: Language,
): string {
  const percent = event.total > 0 ? Math.floor((event.done / event.total) * 100) : 0;
  const eta =
    event.etaMs === undefined
      ? ''
      : language === 'fr'
        ? ` — reste ~${Math.ceil(event.etaMs / 1000)} s`
        : ` — ~${Math.ceil(event.etaMs / 1000)} s left`;
  return language === 'fr'
    ? `Analyse : ${percent} % (${event.done}/${event.total}), ${plural(event.openFound, 'port ouvert', 'ports ouverts')}${eta}`
    : `Scanning: ${percent}% (${event.done}/${event.total}), ${plural(event.openFound, 'open port', 'open ports')}${eta}`;
}
