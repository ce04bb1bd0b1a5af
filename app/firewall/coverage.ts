import ipaddr from 'ipaddr.js';
import type { LocalizedText } from '../contract/errors.js';
import type { FirewallRule } from '../contract/firewall.js';
import type { CoverageEffect, FirewallCoverage } from '../contract/risk.js';
import { kindOfValue, parseIp, splitZone } from '../net/address.js';

/** A scanned port: this PC's (`isLocal`) or a device's, open or seen filtered. */
export interface CoveredTarget {
  address: string;
  isLocal: boolean;
  port: number;
  protocol: 'tcp' | 'udp';
  /** `filtered` only matters for a device's port that this PC's own outbound rule may hide. */
  state?: 'open' | 'filtered';
}

function inScope(address: string, remote: readonly string[]): boolean {
  if (remote.length === 0) return true;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.process(address.replace(/%.*$/, ''));
  } catch {
    return false;
  }
  return remote.some((scope) => {
    try {
      const [net, len] = scope.includes('/')
        ? ipaddr.parseCIDR(scope)
        : [ipaddr.parse(scope), scope.includes(':') ? 128 : 32];
      return net.kind() === addr.kind() && addr.match(net, len);
    } catch {
      return false;
    }
  });
}

/** 127.0.0.0/8 and ::1 (IPv4-mapped forms included): the rules never filter them, on purpose. */
export function isLoopbackAddress(address: string): boolean {
  const ip = parseIp(splitZone(address.replace(/^\[|\]$/g, '')).address);
  return ip !== null && kindOfValue(ip.family, ip.value) === 'loopback';
}

/** Verified effects first: a rule read in the firewall says more than one that could not be. */
const RANK: Record<CoverageEffect, number> = {
  blocked: 0,
  loopback: 1,
  partial: 2,
  'this-pc-only': 3,
  'scan-blocked': 4,
  unverified: 5,
  vanished: 6,
};

/** Whether the effect closes the port to every other device: its risk is mitigated. */
export function mitigates(effect: CoverageEffect | undefined): boolean {
  return effect === 'blocked' || effect === 'loopback';
}

/**
 * The Port Auditor rule that acts on a scanned port, and what it does there, or null (see
 * CoverageEffect in app/contract/risk.ts for each effect). Only an active rule read in the
 * firewall (`present: true`) blocks anything; one the firewall no longer holds (`false`, a reboot
 * or a reload erased it) acts on nothing and is named as `vanished`, so the port's row says the
 * block is gone and offers to put it back; one that could not be read back (`null`) is
 * `unverified`. An inbound rule never acts on loopback traffic (docs/firewall-rules.md), so
 * through 127.0.0.1 or ::1 it is `loopback`.
 */
export function ruleCovering(
  rules: readonly FirewallRule[],
  target: CoveredTarget,
): FirewallCoverage | null {
  const filtered = target.state === 'filtered';
  const found: FirewallCoverage[] = [];
  const offer = (rule: FirewallRule, effect: CoverageEffect) =>
    found.push({ ruleId: rule.id, name: rule.name, effect });
  for (const rule of rules) {
    if (rule.state !== 'active') continue;
    if (rule.protocol !== target.protocol) continue;
    if (target.port < rule.portFrom || target.port > rule.portTo) continue;
    if (rule.present === false) {
      // Gone from the firewall: said on the ports it would act on (a filtered port is not one).
      const acts =
        !filtered &&
        (rule.direction === 'in'
          ? target.isLocal
          : !target.isLocal && inScope(target.address, rule.remote));
      if (acts) offer(rule, 'vanished');
      continue;
    }
    if (rule.direction === 'in' && target.isLocal && !filtered) {
      if (rule.present === null) offer(rule, 'unverified');
      else if (rule.remote.length > 0) offer(rule, 'partial');
      else offer(rule, isLoopbackAddress(target.address) ? 'loopback' : 'blocked');
    } else if (
      rule.direction === 'out' &&
      !target.isLocal &&
      inScope(target.address, rule.remote)
    ) {
      // A filtered port is news only when our own rule is known to be what filters it.
      if (filtered) {
        if (rule.present === true) offer(rule, 'scan-blocked');
      } else {
        offer(rule, rule.present === null ? 'unverified' : 'this-pc-only');
      }
    }
  }
  // Stable: among rules of one effect, the first listed (the oldest) is named.
  return found.sort((a, b) => RANK[a.effect] - RANK[b.effect])[0] ?? null;
}

/**
 * The device a port belongs to, for counting: this PC's addresses (loopback included) are one
 * device; another address is counted as its own device, since nothing tells which addresses
 * share one.
 */
export function deviceKey(host: { address: string; isLocal: boolean }): string {
  return host.isLocal ? 'this-pc' : host.address;
}

/** "10.0.0.5", "10.0.0.5 et 10.0.1.0/24", "a, b et c". */
function addressList(addresses: readonly string[], lang: 'fr' | 'en'): string {
  if (addresses.length <= 1) return addresses.join('');
  const and = lang === 'fr' ? ' et ' : ' and ';
  return `${addresses.slice(0, -1).join(', ')}${and}${addresses.at(-1)}`;
}

/**
 * Short words for each effect: the CLI's risk column, the PDF's severity cell. The UI's chips say
 * the same from the renderer's catalogue (risk.json, `firewall.*`).
 */
export const COVERAGE_LABEL: Record<CoverageEffect, LocalizedText> = {
  blocked: { fr: 'bloqué par Port Auditor', en: 'blocked by Port Auditor' },
  loopback: { fr: 'bouclage, non filtré', en: 'loopback, not filtered' },
  partial: { fr: 'bloqué pour certaines adresses', en: 'blocked for some addresses' },
  'this-pc-only': { fr: 'bloqué depuis ce PC', en: 'blocked from this PC' },
  'scan-blocked': { fr: 'masqué par une règle de ce PC', en: 'hidden by this PC’s rule' },
  unverified: { fr: 'blocage non vérifié', en: 'block not verified' },
  vanished: { fr: 'règle disparue du pare-feu', en: 'rule gone from the firewall' },
};

/**
 * What the rule does to the port, in one sentence: the first reason of the port's verdict, so
 * the UI's details, the CLI, the PDF, the JSON and the CSV all say it the same way. `rule` gives
 * the addresses of a partial rule.
 */
export function coverageReason(
  coverage: FirewallCoverage,
  rule: (Pick<FirewallRule, 'remote'> & Partial<Pick<FirewallRule, 'direction'>>) | undefined,
): LocalizedText {
  const name = coverage.name;
  switch (coverage.effect) {
    case 'blocked':
      return {
        fr: `Bloqué par Port Auditor (règle ${name}, relue dans le pare-feu) : les autres appareils ne peuvent plus s’y connecter ; risque atténué.`,
        en: `Blocked by Port Auditor (rule ${name}, read back from the firewall): other devices can no longer connect to it; risk mitigated.`,
      };
    case 'loopback':
      return {
        fr: `Adresse de bouclage : la règle Port Auditor ${name} bloque ce port pour les autres appareils, mais le trafic local (127.0.0.1, ::1) n’est volontairement jamais filtré ; seuls les programmes de ce PC passent par cette adresse. Risque atténué.`,
        en: `Loopback address: Port Auditor’s rule ${name} blocks this port for other devices, but local traffic (127.0.0.1, ::1) is deliberately never filtered; only programs of this PC use this address. Risk mitigated.`,
      };
    case 'partial': {
      const remote = rule?.remote ?? [];
      return {
        fr: `Bloqué par Port Auditor pour les connexions depuis ${remote.length > 1 ? 'les adresses' : 'l’adresse'} ${addressList(remote, 'fr')} seulement (règle ${name}) : les autres adresses, y compris celles du même appareil en IPv6, peuvent encore s’y connecter.`,
        en: `Blocked by Port Auditor for connections from ${remote.length > 1 ? 'the addresses' : 'the address'} ${addressList(remote, 'en')} only (rule ${name}): other addresses, the same device’s IPv6 addresses included, can still connect to it.`,
      };
    }
    case 'this-pc-only':
      return {
        fr: `Les programmes de ce PC ne s’y connectent plus (règle ${name}) ; le port reste ouvert sur l’appareil pour les autres appareils, et les conteneurs ou machines virtuelles hébergés par ce PC ne sont pas concernés.`,
        en: `Programs of this PC no longer connect to it (rule ${name}); the port stays open on the device for other devices, and containers or virtual machines this PC hosts are not covered.`,
      };
    case 'scan-blocked':
      return {
        fr: `Ce PC bloque ses propres connexions vers ce port (règle ${name}) : l’analyse ne peut pas voir au-delà et le voit filtré. Les autres appareils peuvent probablement encore s’y connecter : il est jugé comme s’il était ouvert.`,
        en: `This PC blocks its own connections to this port (rule ${name}): the scan cannot see past it and sees it filtered. Other devices can probably still connect to it: it is rated as if it were open.`,
      };
    case 'vanished':
      // An outbound rule only ever stopped this PC's programs: its loss reopens nothing for others.
      if (rule?.direction === 'out')
        return {
          fr: `La règle Port Auditor ${name}, qui empêchait les programmes de ce PC de s’y connecter, a disparu du pare-feu (un redémarrage, un rechargement du pare-feu ?) : ils peuvent de nouveau s’y connecter ; risque inchangé. Ré-appliquer la remet (port-auditor reapply --all en ligne de commande).`,
          en: `Port Auditor’s rule ${name}, which kept this PC’s programs from connecting to it, is gone from the firewall (a restart, a firewall reload?): they can connect again; risk unchanged. Re-apply puts it back (port-auditor reapply --all on the command line).`,
        };
      return {
        fr: `Bloqué par Port Auditor jusqu’ici (règle ${name}) : la règle a disparu du pare-feu (un redémarrage, un rechargement du pare-feu ?), le port est de nouveau joignable ; risque inchangé. Ré-appliquer la remet (port-auditor reapply --all en ligne de commande).`,
        en: `Blocked by Port Auditor until now (rule ${name}): the rule is gone from the firewall (a restart, a firewall reload?), so the port can be reached again; risk unchanged. Re-apply puts it back (port-auditor reapply --all on the command line).`,
      };
    case 'unverified':
      return {
        fr: `Une règle Port Auditor (${name}) devrait bloquer ce port ; le pare-feu n’a pas pu être lu pour le confirmer. Risque inchangé tant que ce n’est pas vérifié.`,
        en: `A Port Auditor rule (${name}) should block this port; the firewall could not be read to confirm it. Risk unchanged until it is checked.`,
      };
  }
}
