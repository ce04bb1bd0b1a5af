import type { BlockRequest, Language, LocalizedText } from '../contract/index.js';
import { textFor } from '../text/catalogue.js';
import { inBothLanguages } from '../text/per-language.js';

/** "au port 22 (TCP)" / "to ports 1000 to 2000 (TCP)": the ports of a request, as the sentence's object. */
function ports(request: BlockRequest, language: Language): string {
  const t = textFor(language, 'firewall');
  const protocol = request.protocol.toUpperCase();
  return request.portFrom === request.portTo
    ? t('summary.port', { port: request.portFrom, protocol })
    : t('summary.portRange', { from: request.portFrom, to: request.portTo, protocol });
}

/**
 * What a block does, in one sentence a non-expert can act on, shown before anything technical
 * (wizard, `block --dry-run`), from the catalogue (firewall.json `summary.*`). Inbound: other
 * devices can no longer connect to this PC's port (from the given addresses only, when scoped: the
 * rule matches addresses, not devices, so a device reached over another address — its IPv6 one,
 * say — is not concerned, and the sentence says so); this PC's own connections keep working
 * (replies pass). Outbound: this PC can no longer open one to the device's port, which stays open
 * for everyone else. Addresses are listed by Intl.ListFormat.
 */
export function changeSummary(request: BlockRequest): LocalizedText {
  const addresses = request.remote;
  const scoped = addresses.length > 0;
  const key =
    request.direction === 'in'
      ? scoped
        ? 'firewall:summary.inScoped'
        : 'firewall:summary.in'
      : scoped
        ? 'firewall:summary.outScoped'
        : 'firewall:summary.out';
  return inBothLanguages(key, (language) => ({
    ports: ports(request, language),
    ...(scoped ? { addresses, count: addresses.length } : {}),
  }));
}

/**
 * UDP ports local network discovery uses, where this PC asks from the port itself and the answers
 * come from other devices' addresses (multicast or broadcast questions): for the firewall, those
 * answers are not replies to anything, so an inbound block of the port drops them. Each is named
 * in firewall.json `summary.discovery.names.<port>`. Sources: RFC 6762 §5.2/§6 (mDNS, 5353),
 * RFC 4795 §2 (LLMNR, 5355), RFC 1002 §4.2/§4.4 (NetBIOS, 137, 138), UPnP Device Architecture 2.0
 * §1.3 (SSDP, 1900), RFC 8415 §7.2 (DHCPv6, 546 and 547).
 */
const DISCOVERY_PORTS: readonly number[] = [137, 138, 546, 547, 1900, 5353, 5355];

/**
 * The warning for an inbound UDP block that covers a discovery port (see DISCOVERY_PORTS): this
 * PC's own questions from that port stop getting answers. Null for any other request.
 */
export function discoveryWarning(request: BlockRequest): LocalizedText | null {
  if (request.direction !== 'in' || request.protocol !== 'udp') return null;
  const hit = DISCOVERY_PORTS.filter((p) => p >= request.portFrom && p <= request.portTo);
  if (hit.length === 0) return null;
  return inBothLanguages('firewall:summary.discovery.warning', (language) => {
    const t = textFor(language, 'firewall');
    return {
      count: hit.length,
      ports: hit.map(String),
      names: hit
        .map((p) => t(`summary.discovery.names.${p}`))
        .join(t('summary.discovery.separator')),
    };
  });
}
