import type { BlockRequest, LocalizedText } from '../contract/index.js';

function ports(request: BlockRequest): LocalizedText {
  const proto = request.protocol.toUpperCase();
  if (request.portFrom === request.portTo) {
    return {
      fr: `au port ${request.portFrom} (${proto})`,
      en: `to port ${request.portFrom} (${proto})`,
    };
  }
  return {
    fr: `aux ports ${request.portFrom} à ${request.portTo} (${proto})`,
    en: `to ports ${request.portFrom} to ${request.portTo} (${proto})`,
  };
}

function list(addresses: string[], lang: 'fr' | 'en'): string {
  if (addresses.length <= 1) return addresses.join('');
  const and = lang === 'fr' ? ' et ' : ' and ';
  return `${addresses.slice(0, -1).join(', ')}${and}${addresses.at(-1)}`;
}

/**
 * What a block does, in one sentence a non-expert can act on, shown before anything technical
 * (wizard, `block --dry-run`). Inbound: other devices can no longer connect to this PC's port
 * (from the given addresses only, when scoped: the rule matches addresses, not devices); this
 * PC's own connections keep working (replies pass).
 * Outbound: this PC can no longer open one to the device's port, which stays open for everyone else.
 */
export function changeSummary(request: BlockRequest): LocalizedText {
  const p = ports(request);
  const who = request.remote;
  if (request.direction === 'in') {
    if (who.length === 0) {
      return {
        fr: `Les autres appareils ne pourront plus se connecter ${p.fr} de ce PC. Ce PC lui-même n’est pas affecté.`,
        en: `Other devices will no longer be able to connect ${p.en} of this PC. This PC itself is not affected.`,
      };
    }
    // The rule matches addresses, not devices: a device reached over another address (its IPv6
    // one, say) is not concerned, and the sentence says so.
    const many = who.length > 1;
    return {
      fr: `Les appareils ne pourront plus se connecter ${p.fr} de ce PC depuis ${many ? 'les adresses' : 'l’adresse'} ${list(who, 'fr')}. Depuis toute autre adresse (même celle d’un même appareil, en IPv6 par exemple), rien ne change ; ce PC lui-même n’est pas affecté.`,
      en: `Devices will no longer be able to connect ${p.en} of this PC from ${many ? 'addresses' : 'address'} ${list(who, 'en')}. From any other address (even another address of the same device, IPv6 for instance), nothing changes; this PC itself is not affected.`,
    };
  }
  if (who.length === 0) {
    return {
      fr: `Ce PC ne pourra plus se connecter ${p.fr} d’aucun appareil. Cela ne ferme ce port sur aucun appareil : les autres appareils pourront toujours s’y connecter.`,
      en: `This PC will no longer be able to connect ${p.en} of any device. This closes the port on no device: other devices can still connect to it.`,
    };
  }
  return {
    fr: `Ce PC ne pourra plus se connecter ${p.fr} ${who.length > 1 ? 'des adresses' : 'de l’adresse'} ${list(who, 'fr')}. Cela ne ferme pas ce port sur l’appareil : les autres appareils pourront toujours s’y connecter.`,
    en: `This PC will no longer be able to connect ${p.en} at ${who.length > 1 ? 'addresses' : 'address'} ${list(who, 'en')}. This does not close the port on the device: other devices can still connect to it.`,
  };
}

/**
 * UDP ports local network discovery uses, where this PC asks from the port itself and the answers
 * come from other devices' addresses (multicast or broadcast questions): for the firewall, those
 * answers are not replies to anything, so an inbound block of the port drops them. Sources:
 * RFC 6762 §5.2/§6 (mDNS, 5353), RFC 4795 §2 (LLMNR, 5355), RFC 1002 §4.2/§4.4 (NetBIOS, 137, 138),
 * UPnP Device Architecture 2.0 §1.3 (SSDP, 1900), RFC 8415 §7.2 (DHCPv6, 546 and 547).
 */
const DISCOVERY_PORTS: readonly [number, LocalizedText][] = [
  [137, { fr: 'NetBIOS : noms des PC Windows', en: 'NetBIOS: Windows PC names' }],
  [138, { fr: 'NetBIOS : voisinage réseau', en: 'NetBIOS: network neighbourhood' }],
  [546, { fr: 'DHCPv6 : l’adresse IPv6 de ce PC', en: 'DHCPv6: this PC’s IPv6 address' }],
  [547, { fr: 'DHCPv6 : serveur ou relais', en: 'DHCPv6: server or relay' }],
  [1900, { fr: 'SSDP : appareils UPnP', en: 'SSDP: UPnP devices' }],
  [
    5353,
    { fr: 'mDNS : noms .local, imprimantes, partages', en: 'mDNS: .local names, printers, shares' },
  ],
  [5355, { fr: 'LLMNR : noms des PC voisins', en: 'LLMNR: names of nearby PCs' }],
];

/**
 * The warning for an inbound UDP block that covers a discovery port (see DISCOVERY_PORTS): this
 * PC's own questions from that port stop getting answers. Null for any other request.
 */
export function discoveryWarning(request: BlockRequest): LocalizedText | null {
  if (request.direction !== 'in' || request.protocol !== 'udp') return null;
  const hit = DISCOVERY_PORTS.filter(([p]) => p >= request.portFrom && p <= request.portTo);
  if (hit.length === 0) return null;
  const many = hit.length > 1;
  const numbers = hit.map(([p]) => String(p));
  const names = (lang: 'fr' | 'en') => hit.map(([, n]) => n[lang]).join(' ; ');
  return {
    fr: `${many ? 'Les ports' : 'Le port'} ${list(numbers, 'fr')} (UDP) ${many ? 'servent' : 'sert'} aussi à ce PC lui-même pour découvrir le réseau local (${names('fr')}) : les réponses des autres appareils aux questions que ce PC envoie depuis ${many ? 'ces ports' : 'ce port'} seront bloquées aussi, et cette découverte ne fonctionnera plus sur ce PC.`,
    en: `${many ? 'Ports' : 'Port'} ${list(numbers, 'en')} (UDP) ${many ? 'are' : 'is'} also used by this PC itself to discover the local network (${names('en').replace(/ ; /g, '; ')}): the other devices’ answers to the questions this PC sends from ${many ? 'these ports' : 'this port'} will be blocked too, and that discovery will stop working on this PC.`,
  };
}
