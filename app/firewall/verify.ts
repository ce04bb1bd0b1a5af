import type {
  BlockRequest,
  FirewallBackendKind,
  FirewallVerification,
  LocalizedText,
} from '../contract/index.js';
import type { BackendStatus, FirewallInspection, LiveRule, PortForward } from './backend.js';
import { portText, sameRequest } from './request.js';
import { profileLabel } from './labels.js';
import { bothLanguages } from '../text/catalogue.js';
import { inBothLanguages } from '../text/per-language.js';

function overlaps(text: string, rule: BlockRequest): boolean {
  const [from, to] = text.split('-').map(Number);
  if (from === undefined || Number.isNaN(from)) return false;
  return from <= rule.portTo && (to ?? from) >= rule.portFrom;
}

function forwardText(f: PortForward): string {
  return `${f.protocol.toUpperCase()} ${f.port} → ${f.to}`;
}

/**
 * Port forwards that concern an inbound rule, and how the rule covers each: `before` when the rule
 * matches the port a device asks for (in prerouting before destination NAT for this PC's
 * addresses, and in forward and input by the connection's original port, whatever address the
 * device sent to), `after` when a redirect to this PC lands on the rule's port (the input chain
 * sees the rewritten port).
 */
export function forwardsCovering(
  rule: BlockRequest,
  forwards: readonly PortForward[],
): { forward: PortForward; covered: 'before' | 'after' }[] {
  if (rule.direction !== 'in') return [];
  const out: { forward: PortForward; covered: 'before' | 'after' }[] = [];
  for (const forward of forwards) {
    if (forward.protocol !== rule.protocol) continue;
    if (overlaps(forward.port, rule)) out.push({ forward, covered: 'before' });
    else if (forward.kind === 'redirect' && overlaps(forward.to.slice(1), rule)) {
      out.push({ forward, covered: 'after' });
    }
  }
  return out;
}

/**
 * What "it worked" means, checked and said plainly. A failed check (rule not read back, firewall
 * off on an active profile, Group Policy ignoring local rules) makes the result `no`; a check that
 * could not run, or something that could carry traffic past the rule (a netdev ingress `fwd`),
 * makes it `unknown` ("not confirmed") with the reason; `yes` otherwise. What cannot be checked from
 * this PC is always said: an inbound block is only visible from another device (loopback is never
 * filtered), and an outbound block never closes the device's port for anyone else. Sentences from
 * the catalogue, in both languages (firewall.json `verify.*`).
 */
export function verifyRule(input: {
  rule: BlockRequest & { name: string };
  rules: LiveRule[] | null;
  inspection: FirewallInspection | null;
  status: BackendStatus;
  backend: FirewallBackendKind;
}): FirewallVerification {
  const { rule, rules, inspection, status, backend } = input;
  const checked: LocalizedText[] = [];
  const notChecked: LocalizedText[] = [];
  const problems: LocalizedText[] = [];
  let failed = false;
  let unconfirmed = false;

  // Under its name and with the content written (a backend that does not read content: by name).
  const readBack =
    rules === null
      ? null
      : rules.some(
          (r) =>
            r.name === rule.name &&
            (r.details === undefined || (!!r.details && sameRequest(r.details, rule))),
        );
  if (readBack === false) {
    failed = true;
    problems.push(bothLanguages('firewall:verify.notReadBack'));
  } else if (readBack === null) {
    unconfirmed = true;
    notChecked.push(bothLanguages('firewall:verify.readBackUnknown'));
  }

  const relevant = status.profiles.filter((p) => p.active !== false);
  let firewallOn: boolean | null =
    status.available && status.profiles.length > 0 ? relevant.every((p) => p.enabled) : null;
  if (firewallOn === false) {
    failed = true;
    for (const p of relevant.filter((x) => !x.enabled)) {
      problems.push(
        inBothLanguages('firewall:verify.profileOff', (l) => ({
          profile: profileLabel(p.name)[l],
        })),
      );
    }
  } else if (firewallOn === null) {
    firewallOn = null;
    unconfirmed = true;
    notChecked.push(bothLanguages('firewall:verify.stateUnreadable'));
  }

  const merges = relevant.map((p) => p.localRulesApplied).filter((v): v is boolean => v !== null);
  const localRulesApplied = merges.length === 0 ? null : merges.every(Boolean);
  if (localRulesApplied === false) {
    failed = true;
    problems.push(bothLanguages('firewall:verify.localRulesIgnored'));
  }

  if (status.thirdParty === null) {
    unconfirmed = true;
    notChecked.push(bothLanguages('firewall:verify.productsUnreadable'));
  }
  for (const product of status.thirdParty ?? []) {
    unconfirmed = true;
    problems.push(bothLanguages('firewall:verify.thirdParty', { product }));
  }
  for (const p of relevant.filter((x) => (x.excludedInterfaces ?? []).length > 0)) {
    unconfirmed = true;
    problems.push(
      inBothLanguages('firewall:verify.excludedInterfaces', (l) => ({
        profile: profileLabel(p.name)[l],
        interfaces: (p.excludedInterfaces ?? []).join(', '),
      })),
    );
  }

  if (rule.direction === 'in' && backend === 'nftables') {
    if (!inspection) {
      unconfirmed = true;
      notChecked.push(bothLanguages('firewall:verify.forwardsUnreadable'));
    } else {
      const covering = forwardsCovering(rule, inspection.forwards);
      // A rule of an earlier version only drops the port asked for on packets addressed to this
      // PC: a forward also takes packets sent to any other address routed through this PC.
      const byOriginalPort = rules?.find((r) => r.name === rule.name)?.forwards !== false;
      for (const { forward, covered } of covering) {
        if (covered === 'before' && !byOriginalPort) {
          unconfirmed = true;
          problems.push(
            bothLanguages('firewall:verify.forwardOldRule', { forward: forwardText(forward) }),
          );
          continue;
        }
        checked.push(
          bothLanguages(
            covered === 'before' ? 'firewall:verify.forwardBefore' : 'firewall:verify.forwardAfter',
            { forward: forwardText(forward) },
          ),
        );
      }
      if (covering.length === 0) {
        checked.push(bothLanguages('firewall:verify.noForward'));
      }
      for (const bypass of inspection.bypasses) {
        unconfirmed = true;
        problems.push(bothLanguages('firewall:verify.bypass', { chain: bypass }));
      }
    }
  }

  const port = `${portText(rule)} (${rule.protocol.toUpperCase()})`;
  // Inbound: only another device can see the block. Outbound: certain, not a check left undone.
  const limits: LocalizedText[] = [];
  if (rule.direction === 'in') notChecked.push(bothLanguages('firewall:verify.inbound', { port }));
  else limits.push(bothLanguages('firewall:verify.outbound', { port }));

  const effective: FirewallVerification['effective'] = failed
    ? 'no'
    : unconfirmed
      ? 'unknown'
      : 'yes';
  return {
    readBack,
    firewallOn,
    localRulesApplied,
    effective,
    checked,
    notChecked,
    limits,
    problems,
  };
}
