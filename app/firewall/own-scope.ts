import { networkInterfaces } from 'node:os';
import type { BlockRequest } from '../contract/index.js';
import { AppFailure } from '../errors.js';
import { addressKind, canonicalIp, splitZone } from '../net/address.js';

/**
 * This PC's own addresses, canonical (app/net/address.ts), zones dropped: what os.networkInterfaces()
 * lists now, loopback included.
 */
export function thisPcAddressSet(
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): Set<string> {
  const set = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      const address = canonicalIp(splitZone(info.address).address);
      if (address) set.add(address);
    }
  }
  return set;
}

/**
 * The single addresses of a rule's remote scope that are this PC itself: a loopback address
 * (127.0.0.0/8, ::1: RFC 1122 §3.2.1.3, RFC 4291 §2.5.3) or one of `own`. This PC's traffic with
 * itself goes through loopback, which a rule never filters (docs/firewall-rules.md), so a scope
 * limited to such an address blocks nothing. Networks are matched only when wholly loopback
 * (127.0.0.0/8 or narrower): a /24 holding this PC's LAN address still scopes other devices. `remote` is the validated request's (canonical, bare
 * addresses for /32 and /128).
 */
export function ownScopeEntries(remote: readonly string[], own: ReadonlySet<string>): string[] {
  return remote.filter((entry) => {
    const [address = entry, prefix] = entry.split('/');
    if (prefix === undefined) return own.has(entry) || addressKind(entry) === 'loopback';
    // A network wholly inside 127.0.0.0/8 (or ::1/128) is loopback only, like its addresses.
    const bits = Number(prefix);
    const minimum = address.includes(':') ? 128 : 8;
    return addressKind(address) === 'loopback' && bits >= minimum;
  });
}

/**
 * Refuses a request whose remote scope names this PC itself (see ownScopeEntries), with the
 * addresses and the way out, before anything is shown as "will be blocked" or changed: the CLI and
 * the wizard get the same refusal from the service. Throws AppFailure `firewall.own-address`.
 */
export function refuseOwnScope(
  request: Pick<BlockRequest, 'remote'>,
  own: ReadonlySet<string>,
): void {
  const entries = ownScopeEntries(request.remote, own);
  if (entries.length === 0) return;
  const list = (lang: 'fr' | 'en') =>
    new Intl.ListFormat(lang, { type: 'conjunction' }).format(entries);
  const one = entries.length === 1;
  throw new AppFailure(
    'firewall.own-address',
    {
      fr: one
        ? `${list('fr')} est une adresse de ce PC, pas d’un autre appareil : le trafic de ce PC avec lui-même n’est jamais filtré, une règle limitée à cette adresse ne changerait rien. Rien n’a été modifié. Pour bloquer les autres appareils, n’indiquez pas d’adresse, ou indiquez les leurs.`
        : `${list('fr')} sont des adresses de ce PC, pas d’autres appareils : le trafic de ce PC avec lui-même n’est jamais filtré, une règle limitée à ces adresses ne changerait rien. Rien n’a été modifié. Pour bloquer les autres appareils, n’indiquez pas d’adresse, ou indiquez les leurs.`,
      en: one
        ? `${list('en')} is an address of this PC, not of another device: this PC’s traffic with itself is never filtered, so a rule limited to it would change nothing. Nothing was changed. To block other devices, give no address, or give theirs.`
        : `${list('en')} are addresses of this PC, not of other devices: this PC’s traffic with itself is never filtered, so a rule limited to them would change nothing. Nothing was changed. To block other devices, give no address, or give theirs.`,
    },
    { addresses: entries.join(',') },
  );
}
