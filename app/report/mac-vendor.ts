import { createRequire } from 'node:module';
import { normaliseMac } from '../net/mac.js';

type OuiTable = Record<string, string | undefined>;
let table: OuiTable | null = null;

/**
 * The manufacturer registered with the IEEE for a MAC address (oui-data), first line only: the
 * table also holds the postal address. Null for unknown or locally administered addresses, which
 * phones and PCs randomise for privacy and which belong to no manufacturer.
 */
export function macVendor(mac: string): string | null {
  const normal = normaliseMac(mac);
  if (!normal) return null;
  const firstOctet = Number.parseInt(normal.slice(0, 2), 16);
  if ((firstOctet & 0x02) !== 0) return null;
  // Loaded on first use: the table is several megabytes and most reports have no MAC addresses.
  table ??= createRequire(import.meta.url)('oui-data') as OuiTable;
  const entry = table[normal.replace(/:/g, '').slice(0, 6).toUpperCase()];
  const name = entry?.split('\n')[0]?.trim();
  return name ? name : null;
}
