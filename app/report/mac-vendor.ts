import { createRequire } from 'node:module';
import { isLocallyAdministeredMac, type MacMaker } from '../contract/devices.js';
import { normaliseMac } from '../net/mac.js';

type OuiTable = Record<string, string | undefined>;
let table: OuiTable | null = null;

/**
 * The one OUI lookup every output uses (the card through HostResult.macVendor, the CLI, the PDF,
 * CSV, JSON and nmap XML exports): who made the device with MAC address `mac` (any form
 * normaliseMac reads). `vendor` with the manufacturer registered with the IEEE (oui-data, the
 * IEEE MA-L registry; first line only: the table also holds the postal address); `private` for a
 * locally administered address (U/L bit, IEEE 802-2014 §8.2.2), which phones and PCs randomise for
 * privacy and which belongs to no manufacturer; `unknown` for an unregistered OUI. Null when `mac`
 * is not a MAC address.
 */
export function macMaker(mac: string): MacMaker | null {
  const normal = normaliseMac(mac);
  if (!normal) return null;
  if (isLocallyAdministeredMac(normal)) return { kind: 'private' };
  // Loaded on first use: the table is several megabytes and most reports have no MAC addresses.
  table ??= createRequire(import.meta.url)('oui-data') as OuiTable;
  const entry = table[normal.replace(/:/g, '').slice(0, 6).toUpperCase()];
  const name = entry?.split('\n')[0]?.trim();
  return name ? { kind: 'vendor', name } : { kind: 'unknown' };
}

/**
 * The registered manufacturer's name alone (macMaker's `vendor`), for fields that hold a maker's
 * name (HostResult.macVendor, nmap XML's `vendor`, the CSV's `mac_vendor`): null otherwise.
 */
export function macVendor(mac: string): string | null {
  const maker = macMaker(mac);
  return maker?.kind === 'vendor' ? maker.name : null;
}

/**
 * `host` with `macVendor` set to its MAC address's registered maker (macVendor), for a client
 * that cannot look it up (the page: the table is a Node-only megabyte file). The same object when
 * it has no MAC address or no registered maker; an older `macVendor` is replaced, not trusted.
 */
export function withMacVendor<
  H extends { mac?: string | undefined; macVendor?: string | undefined },
>(host: H): H {
  const vendor = host.mac ? macVendor(host.mac) : null;
  if (vendor) return { ...host, macVendor: vendor };
  if (host.macVendor === undefined) return host;
  const { macVendor: _dropped, ...rest } = host;
  return rest as H;
}
