import type {
  BlockRequest,
  FirewallBackendKind,
  FirewallVerification,
  LocalizedText,
} from '../contract/index.js';
import type { BackendStatus, FirewallInspection, LiveRule, PortForward } from './backend.js';
import { portText, sameRequest } from './request.js';
import { profileLabel } from './labels.js';

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
 * filtered), and an outbound block never closes the device's port for anyone else.
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
    problems.push({
      fr: 'La règle est introuvable dans le pare-feu après son écriture : le blocage n’a pas eu lieu.',
      en: 'The rule cannot be found in the firewall after writing it: the block did not happen.',
    });
  } else if (readBack === null) {
    unconfirmed = true;
    notChecked.push({
      fr: 'Le pare-feu n’a pas pu être relu : la présence de la règle n’est pas vérifiée.',
      en: 'The firewall could not be read back: the rule’s presence is not checked.',
    });
  }

  const relevant = status.profiles.filter((p) => p.active !== false);
  let firewallOn: boolean | null =
    status.available && status.profiles.length > 0 ? relevant.every((p) => p.enabled) : null;
  if (firewallOn === false) {
    failed = true;
    for (const p of relevant.filter((x) => !x.enabled)) {
      problems.push({
        fr: `Le pare-feu est désactivé pour le profil ${profileLabel(p.name).fr} : la règle n’y a aucun effet.`,
        en: `The firewall is off for the ${p.name} profile: the rule has no effect there.`,
      });
    }
  } else if (firewallOn === null) {
    firewallOn = null;
    unconfirmed = true;
    notChecked.push({
      fr: 'L’état du pare-feu n’a pas pu être lu.',
      en: 'The firewall’s state could not be read.',
    });
  }

  const merges = relevant.map((p) => p.localRulesApplied).filter((v): v is boolean => v !== null);
  const localRulesApplied = merges.length === 0 ? null : merges.every(Boolean);
  if (localRulesApplied === false) {
    failed = true;
    problems.push({
      fr: 'Une stratégie de groupe ignore les règles locales du pare-feu : la règle est créée mais pas appliquée.',
      en: 'Group Policy ignores local firewall rules: the rule is created but not enforced.',
    });
  }

  if (status.thirdParty === null) {
    unconfirmed = true;
    notChecked.push({
      fr: 'La liste des produits de sécurité qui gèrent le pare-feu n’a pas pu être lue : un autre pare-feu pourrait remplacer le Pare-feu Windows.',
      en: 'The list of security products managing the firewall could not be read: another firewall could be standing in for Windows Firewall.',
    });
  }
  for (const product of status.thirdParty ?? []) {
    unconfirmed = true;
    problems.push({
      fr: `${product} gère le pare-feu de ce PC à la place du Pare-feu Windows : la règle peut ne pas s’appliquer.`,
      en: `${product} manages this PC’s firewall instead of Windows Firewall: the rule may not apply.`,
    });
  }
  for (const p of relevant.filter((x) => (x.excludedInterfaces ?? []).length > 0)) {
    unconfirmed = true;
    problems.push({
      fr: `Le profil ${profileLabel(p.name).fr} ne filtre pas les interfaces ${(p.excludedInterfaces ?? []).join(', ')} : la règle n’y a aucun effet.`,
      en: `The ${p.name} profile does not filter interfaces ${(p.excludedInterfaces ?? []).join(', ')}: the rule has no effect there.`,
    });
  }

  if (rule.direction === 'in' && backend === 'nftables') {
    if (!inspection) {
      unconfirmed = true;
      notChecked.push({
        fr: 'Les redirections de port du pare-feu n’ont pas pu être lues.',
        en: 'The firewall’s port forwards could not be read.',
      });
    } else {
      const covering = forwardsCovering(rule, inspection.forwards);
      // A rule of an earlier version only drops the port asked for on packets addressed to this
      // PC: a forward also takes packets sent to any other address routed through this PC.
      const byOriginalPort = rules?.find((r) => r.name === rule.name)?.forwards !== false;
      for (const { forward, covered } of covering) {
        if (covered === 'before' && !byOriginalPort) {
          unconfirmed = true;
          problems.push({
            fr: `Redirection de port ${forwardText(forward)} : la règle ne bloque le port demandé que vers les adresses de ce PC, un appareil peut passer par une autre adresse. Débloquez puis bloquez à nouveau ce port.`,
            en: `Port forward ${forwardText(forward)}: the rule blocks the port asked for only toward this PC’s addresses, a device can go through another address. Unblock and block this port again.`,
          });
          continue;
        }
        checked.push(
          covered === 'before'
            ? {
                fr: `Redirection de port ${forwardText(forward)} : couverte, la règle bloque le port demandé avant et après la redirection, quelle que soit l’adresse visée.`,
                en: `Port forward ${forwardText(forward)}: covered, the rule blocks the port asked for before and after the forward, whatever address it is sent to.`,
              }
            : {
                fr: `Redirection de port ${forwardText(forward)} : couverte, la règle bloque aussi le port d’arrivée.`,
                en: `Port forward ${forwardText(forward)}: covered, the rule also blocks the port it lands on.`,
              },
        );
      }
      if (covering.length === 0) {
        checked.push({
          fr: 'Aucune redirection de port ne contourne la règle.',
          en: 'No port forward goes around the rule.',
        });
      }
      for (const bypass of inspection.bypasses) {
        unconfirmed = true;
        problems.push({
          fr: `La chaîne réseau ${bypass} renvoie des paquets avant les règles IP : l’effet de la règle ne peut pas être confirmé.`,
          en: `Network chain ${bypass} sends packets elsewhere before the IP rules: the rule’s effect cannot be confirmed.`,
        });
      }
    }
  }

  const port = `${portText(rule)} (${rule.protocol.toUpperCase()})`;
  notChecked.push(
    rule.direction === 'in'
      ? {
          fr: `Une connexion depuis un autre appareil : ce PC ne peut pas tester son propre blocage (le trafic local n’est pas filtré). Pour le voir, analysez le port ${port} de ce PC depuis un autre appareil.`,
          en: `A connection from another device: this PC cannot test its own block (local traffic is not filtered). To see it, scan port ${port} of this PC from another device.`,
        }
      : {
          fr: `Le port ${port} reste ouvert sur l’appareil pour les autres appareils : Port Auditor ne peut pas le fermer sur l’appareil lui-même.`,
          en: `Port ${port} stays open on the device for other devices: Port Auditor cannot close it on the device itself.`,
        },
  );

  const effective: FirewallVerification['effective'] = failed
    ? 'no'
    : unconfirmed
      ? 'unknown'
      : 'yes';
  return { readBack, firewallOn, localRulesApplied, effective, checked, notChecked, problems };
}
