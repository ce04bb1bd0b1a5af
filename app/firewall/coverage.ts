import ipaddr from 'ipaddr.js';
import type { LocalizedText } from '../contract/errors.js';
import type { FirewallRule } from '../contract/firewall.js';
import { CoverageEffect, type FirewallCoverage } from '../contract/risk.js';
import { kindOfValue, parseIp, splitZone } from '../net/address.js';
import { bothLanguages } from '../text/catalogue.js';
import { inBothLanguages } from '../text/per-language.js';
import { ruleCalled } from './labels.js';

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
    found.push({ ruleId: rule.id, name: rule.name, called: ruleCalled(rule), effect });
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

/**
 * Short words for each effect: the CLI's risk column, the PDF's severity cell (firewall.json
 * `coverage.label.*`, lower case as they follow other words). The UI's chips say the same,
 * capitalised, from risk.json `firewall.*`.
 */
export const COVERAGE_LABEL: Record<CoverageEffect, LocalizedText> = Object.fromEntries(
  CoverageEffect.options.map((effect) => [
    effect,
    bothLanguages(`firewall:coverage.label.${effect}`),
  ]),
) as Record<CoverageEffect, LocalizedText>;

/**
 * What the rule does to the port, in one sentence: the first reason of the port's verdict, so
 * the UI's details, the CLI, the PDF, the JSON and the CSV all say it the same way
 * (firewall.json `coverage.reason.*`). `rule` gives the addresses of a partial rule (listed by
 * Intl.ListFormat) and the direction of a vanished one.
 */
export function coverageReason(
  coverage: FirewallCoverage,
  rule: (Pick<FirewallRule, 'remote'> & Partial<Pick<FirewallRule, 'direction'>>) | undefined,
): LocalizedText {
  // The rule by its date and port in each language (its UUID name only for verdicts kept before).
  const say = (key: string, params: Record<string, unknown> = {}) =>
    inBothLanguages(`firewall:coverage.reason.${key}`, (l) => ({
      ...params,
      name: coverage.called?.[l] ?? coverage.name,
    }));
  switch (coverage.effect) {
    case 'partial': {
      const addresses = rule?.remote ?? [];
      return say('partial', { addresses, count: addresses.length });
    }
    case 'vanished': {
      // An outbound rule only ever stopped this PC's programs: its loss reopens nothing for others.
      if (rule?.direction === 'out') return say('vanishedOut');
      // A scoped rule only ever closed the port to its addresses: only those get it back.
      const addresses = rule?.remote ?? [];
      return addresses.length > 0 ? say('vanishedPartial', { addresses }) : say('vanished');
    }
    default:
      return say(coverage.effect);
  }
}
