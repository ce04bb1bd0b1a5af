import type {
  FirewallRule,
  HostResult,
  ListenersResult,
  RiskAssessResult,
} from '../contract/index.js';
import { assessHosts } from '../risk/assess.js';
import type { SeenOpen } from '../risk/firewall-verdicts.js';
import { knowledgeBase } from '../risk/knowledge-base.js';
import { ownersHidden } from '../risk/reassess.js';
import { listListeners } from '../system/listeners.js';
import type { Handlers } from './dispatcher.js';

export interface RiskHandlerOptions {
  /** Where this PC's listeners come from; the real OS by default. */
  listeners?: () => Promise<ListenersResult>;
  /**
   * Port Auditor's firewall rules as last read from the firewall, so verdicts show the ports they
   * block (only rules read there block anything); none by default.
   */
  firewallRules?: () => readonly FirewallRule[];
  /**
   * Outbound rules of Port Auditor's the user removed (journal rows, state `removed`), so a kept
   * scan's device port one of them hid stays a finding; none by default.
   */
  removedRules?: () => readonly FirewallRule[];
  /**
   * How long one read of this PC's listeners answers for (ms): a running scan's verdicts are
   * given every second or so, and on Windows a read is a PowerShell run. 0 reads every time.
   */
  listenersFreshMs?: number;
  /** Milliseconds clock for listenersFreshMs. */
  now?: () => number;
  /**
   * The TCP ports this process serves to the user (browser mode's page server), named as Port
   * Auditor's own in verdicts; none by default.
   */
  ownPorts?: () => readonly number[];
  /**
   * This app's own program (the desktop app's executable): listeners of processes running it
   * are named Port Auditor's (see OwnPorts). Unset for hosts under a shared runtime (node).
   */
  ownExecutable?: string;
}

/** Enough for every port of a few /22 networks; the oldest sightings go first. */
const SEEN_OPEN_MAX = 100_000;

/** Gives verdicts for scan results, with this PC's programs and Port Auditor's rules. */
export interface Assessor {
  /** Verdicts of `hosts`' open ports (and device ports this PC's own rule hides). Never throws for a listeners read. */
  assess(hosts: readonly HostResult[]): Promise<RiskAssessResult>;
  /** Port Auditor's rules as last read from the firewall (none when it cannot be read). */
  rules(): readonly FirewallRule[];
  /** Port Auditor's removed outbound rules (none when the journal cannot be read). */
  removedRules(): readonly FirewallRule[];
  listeners(): Promise<ListenersResult>;
}

/**
 * The app's one verdict giver: scans kept by the app and `risk.assess` both use it, so a port seen
 * open once (its banner) is remembered for later verdicts of the same process.
 */
export function createAssessor(options: RiskHandlerOptions = {}): Assessor {
  const readListeners = options.listeners ?? (() => listListeners());
  const freshMs = options.listenersFreshMs ?? 0;
  const now = options.now ?? (() => performance.now());
  let lastRead: { at: number; value: Promise<ListenersResult> } | null = null;
  const listeners = (): Promise<ListenersResult> => {
    const at = now();
    if (lastRead && freshMs > 0 && at - lastRead.at < freshMs) return lastRead.value;
    const value = readListeners();
    lastRead = { at, value };
    // A failed read is not reused.
    value.catch(() => {
      if (lastRead?.value === value) lastRead = null;
    });
    return value;
  };
  const rules = (): readonly FirewallRule[] => {
    try {
      return options.firewallRules?.() ?? [];
    } catch {
      // The firewall journal could not be read: verdicts without rules, never a failed scan.
      return [];
    }
  };
  const removedRules = (): readonly FirewallRule[] => {
    try {
      return options.removedRules?.() ?? [];
    } catch {
      // As for rules(): the verdicts are still given, without what removed rules hid.
      return [];
    }
  };
  // Devices' ports seen open by earlier scans of this process: a port our own outbound rule later
  // hides is rated from what it said when it was still visible (its banner).
  const seenOpen = new Map<string, SeenOpen>();
  const key = (address: string, port: number, protocol: string) => `${address}|${port}/${protocol}`;
  return {
    rules,
    removedRules,
    listeners,
    async assess(hosts) {
      const needsPrograms = hosts.some((h) => h.isLocal && h.ports.some((p) => p.state === 'open'));
      let found: ListenersResult['listeners'] = [];
      let complete = true;
      let instances: readonly number[] = [];
      if (needsPrograms) {
        try {
          const result = await listeners();
          found = result.listeners;
          instances = result.portAuditorHosts ?? [];
          // Already root: running again as administrator would show no more owners.
          complete = !ownersHidden(result);
        } catch {
          // Verdicts are still worth showing without programs. Running as administrator would not
          // help a read that failed, so the advice is not given (issue 13 review, #2).
          complete = true;
        }
      }
      const result = assessHosts(
        hosts,
        found,
        knowledgeBase(),
        complete,
        rules(),
        (a, p, proto) => seenOpen.get(key(a, p, proto)),
        {
          pid: process.pid,
          ports: options.ownPorts?.() ?? [],
          ...(options.ownExecutable ? { executable: options.ownExecutable } : {}),
          instances,
        },
      );
      const at = new Date().toISOString();
      for (const host of hosts) {
        if (host.isLocal) continue;
        for (const p of host.ports) {
          if (p.state !== 'open') continue;
          const k = key(host.address, p.port, p.protocol);
          seenOpen.delete(k);
          seenOpen.set(k, {
            at,
            ...(p.banner ? { banner: p.banner } : {}),
            ...(p.detected ? { detected: p.detected } : {}),
          });
        }
      }
      // The oldest first, with one iterator: a new one per deletion walks again over the slots
      // already deleted, quadratic for the 196,000 open ports of a 65,536-host report (A15).
      let excess = seenOpen.size - SEEN_OPEN_MAX;
      for (const k of seenOpen.keys()) {
        if (excess-- <= 0) break;
        seenOpen.delete(k);
      }
      return result;
    },
  };
}

export function riskHandlers(
  options: RiskHandlerOptions | Assessor = {},
): Pick<Handlers, 'risk.assess' | 'system.listeners'> {
  const assessor = 'assess' in options ? options : createAssessor(options);
  return {
    'risk.assess': async ({ hosts }) => assessor.assess(hosts),
    'system.listeners': async () => assessor.listeners(),
  };
}
