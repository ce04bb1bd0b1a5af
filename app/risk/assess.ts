import type {
  Exposure,
  HostAssessment,
  Listener,
  ProgramInfo,
  RiskAssessResult,
} from '../contract/risk.js';
import { oneLine } from '../text/control-characters.js';
import type { HostResult, Protocol } from '../contract/scan.js';
import type { FirewallRule } from '../contract/firewall.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { kindOfValue, parseIp, splitZone, type IpValue } from '../net/address.js';
import { assessPort, type PcSystem } from './rules.js';
import { isFilePc } from '../contract/devices.js';
import {
  applyFirewallRules,
  type RulesUndoneSince,
  type SeenOpenLookup,
} from './firewall-verdicts.js';
import { emptyCounts, summariseHost, summariseHosts } from './summary.js';

/** The system family of a Node `process.platform` value: `win32` is Windows. */
export function systemOf(platform: NodeJS.Platform): PcSystem {
  return platform === 'win32' ? 'windows' : 'other';
}

/** An address without brackets or zone, IPv4-mapped IPv6 folded into IPv4 (app/net/address.ts). */
function parseAddress(text: string): IpValue | null {
  return parseIp(splitZone(text.replace(/^\[|\]$/g, '')).address);
}

function isWildcard(addr: IpValue): boolean {
  return kindOfValue(addr.family, addr.value) === 'unspecified';
}

function isLoopback(addr: IpValue): boolean {
  return kindOfValue(addr.family, addr.value) === 'loopback';
}

export interface LocalPortInfo {
  exposure: Exposure;
  program?: ProgramInfo;
  /**
   * Set when this process itself named the port Port Auditor's (the pid it named): a kept scan's
   * claims of this process (reassess.ts OwnClaims) carry it, so the scan shown after it ends still
   * names the page's port as ours. Never read from the store (a file the user's programs can edit).
   */
  ownPid?: number;
  /** With `ownPid`: that pid is another running Port Auditor host (OwnPorts.instances). */
  ownInstance?: boolean;
}

/**
 * Ties a port seen open on one of this PC's addresses to the sockets behind it. Only a socket that
 * serves that address (bound to it exactly, or to the wildcard 0.0.0.0 / ::) can be behind it: a
 * port seen on 127.0.0.5 is never credited to a program listening on 127.0.0.1 only, "any
 * loopback" is no match (issue 13 review, #4: an imported 127.0.0.5 port was lowered to Info on
 * the word of another socket); with no such socket, nothing is known (`unknown`). When one does,
 * exposure looks at every socket on that port: one wildcard bind makes it reachable from the
 * network even if the scan happened to hit it through 127.0.0.1. Pure.
 */
export function matchListener(
  address: string,
  port: number,
  protocol: Protocol,
  listeners: readonly Listener[],
): LocalPortInfo {
  const target = parseAddress(address);
  const candidates = listeners
    .filter((l) => l.port === port && l.protocol === protocol)
    .map((l) => ({ listener: l, addr: parseAddress(l.address) }))
    .filter((c): c is { listener: Listener; addr: IpValue } => c.addr !== null);
  const serving = candidates.filter((c) => servesAddress(c.addr, target));
  if (serving.length === 0) return { exposure: 'unknown' };

  let exposure: Exposure;
  if (candidates.some((c) => isWildcard(c.addr))) exposure = 'all-interfaces';
  else if (candidates.every((c) => isLoopback(c.addr))) exposure = 'loopback-only';
  else exposure = 'specific-interface';

  const owner = serving.find((c) => c.listener.program);
  return owner?.listener.program ? { exposure, program: owner.listener.program } : { exposure };
}

/**
 * Whether a socket bound to `bound` accepts connections to `target`: the same address, or a
 * wildcard bind of its family (an IPv6 wildcard also accepts IPv4 unless it is v6-only, which we
 * cannot see). Never another address of the same loopback range.
 */
function servesAddress(bound: IpValue, target: IpValue | null): boolean {
  if (!target) return false;
  if (isWildcard(bound)) return bound.family === target.family || bound.family === 6;
  return bound.family === target.family && bound.value === target.value;
}

/**
 * Port Auditor's own listening sockets: its process id and the TCP ports it serves (browser
 * mode's page), and, where the app runs as its own program (the desktop app, whose GPU and
 * network processes share its executable), that program's path. In that case a listener of this
 * PC owned by the app's process or by a process of that executable is Port Auditor's too,
 * whatever its port. Without `executable` (a host under node) only the served ports are: another
 * socket of a node process (an `--inspect` debugger) must keep its own verdict, and every other
 * node program shares the executable.
 */
export interface OwnPorts {
  pid: number;
  ports: readonly number[];
  executable?: string;
  /**
   * Process ids of the running Port Auditor hosts of this installation among this PC's listener
   * owners (ListenersResult.portAuditorHosts): every port of theirs is Port Auditor's, named as
   * another instance's unless the pid is `pid` (issue 15, F6).
   */
  instances?: readonly number[];
}

/**
 * The process id to name as Port Auditor's for one open port of this PC: ours when the port is
 * one we serve (TCP) and its listener, when known, is our process, or, for the desktop app, when the listener's owner is its process or runs
 * its executable (see OwnPorts); undefined otherwise.
 */
export function ownerIfOurs(
  port: number,
  protocol: Protocol,
  program: ProgramInfo | undefined,
  own: OwnPorts | undefined,
): number | undefined {
  if (!own) return undefined;
  // A port number we serve is ours only when its socket is ours: another program may listen on
  // the same number elsewhere (on `[::]` only, say), reachable from the network (review 13 A3).
  if (protocol === 'tcp' && own.ports.includes(port) && (!program || program.pid === own.pid)) {
    return own.pid;
  }
  if (program && own.instances?.includes(program.pid)) return program.pid;
  if (!program || !own.executable) return undefined;
  if (program.pid === own.pid) return own.pid;
  // Listeners' paths come neutralised (listeners.ts shownProgram): compare like with like.
  if (program.path === own.executable || program.path === oneLine(own.executable))
    return program.pid;
  return undefined;
}

/**
 * Turns scan results into verdicts: open ports only, worst first within a host, this PC's
 * addresses first, then hosts by their worst port. `listeners` are this PC's sockets (may be
 * empty when they could not be read); they only matter for hosts marked `isLocal`. `rules` are
 * Port Auditor's firewall rules as last read from the firewall: see applyFirewallRules for what
 * they change (a port a rule closes to every other device is mitigated, out of the counts; a
 * device port this PC's own outbound rule hides from the scan stays a finding). `own`: Port
 * Auditor's own process id and the TCP ports it serves (browser mode's page), named as Port
 * Auditor's; another port of the same process (a library's, a test's) is judged like any other.
 * `programsComplete`: false when the OS hid some sockets' owners from this process and running it
 * as administrator would show them (not elevated already); the result says so
 * (`programsMissing: 'not-elevated'`) only when one of its listed open ports lacks its program.
 * `undone`: the scan's time window and the rules removed since (see applyFirewallRules).
 * `system`: whether this PC (the hosts marked `isLocal`) runs Windows; by default the system this
 * process runs on.
 */
export function assessHosts(
  hosts: readonly HostResult[],
  listeners: readonly Listener[],
  kb: KnowledgeBase,
  programsComplete = true,
  rules: readonly FirewallRule[] = [],
  seenOpen?: SeenOpenLookup,
  own?: OwnPorts,
  undone?: RulesUndoneSince,
  system: PcSystem = systemOf(process.platform),
): RiskAssessResult {
  return assessWith(
    hosts,
    (address, port, protocol) => matchListener(address, port, protocol, listeners),
    kb,
    programsComplete,
    rules,
    seenOpen,
    own,
    undone,
    system,
  );
}

/**
 * assessHosts with this PC's ports tied to their exposure and program by `local` (called for
 * hosts marked `isLocal` only; null when nothing is known), instead of from live sockets: a kept
 * scan's verdicts are worked out again from what was recorded of them when it was made (its
 * `isLocal` hosts are this PC: `system` is this PC's, as in assessHosts).
 */
export function assessWith(
  hosts: readonly HostResult[],
  local: (address: string, port: number, protocol: Protocol) => LocalPortInfo | null,
  kb: KnowledgeBase,
  programsComplete = true,
  rules: readonly FirewallRule[] = [],
  seenOpen?: SeenOpenLookup,
  own?: OwnPorts,
  undone?: RulesUndoneSince,
  system: PcSystem = systemOf(process.platform),
): RiskAssessResult {
  const assessed = hosts.map((host): HostAssessment => {
    const ports = host.ports
      .filter((p) => p.state === 'open')
      .map((p) => {
        const found = host.isLocal ? local(host.address, p.port, p.protocol) : null;
        const ownPid = found?.ownPid ?? ownerIfOurs(p.port, p.protocol, found?.program, own);
        const ownInstance =
          ownPid !== undefined &&
          (found?.ownPid !== undefined
            ? found.ownInstance === true
            : own?.instances?.includes(ownPid) === true);
        // A socket serves it, its owner hidden for lack of rights: administrator rights would help.
        const ownerHidden =
          !programsComplete && found !== null && found.exposure !== 'unknown' && !found.program;
        return assessPort(
          {
            port: p.port,
            protocol: p.protocol,
            isLocal: host.isLocal,
            ...(host.isLocal ? { system } : {}),
            ...(p.banner ? { banner: p.banner } : {}),
            ...(p.detected ? { detected: p.detected } : {}),
            ...(found ? { exposure: found.exposure } : {}),
            ...(found?.program ? { program: found.program } : {}),
            ...(ownPid !== undefined ? { ownPid, selfPid: own?.pid ?? process.pid } : {}),
            ...(ownInstance ? { ownInstance } : {}),
            ...(ownerHidden ? { ownerHidden } : {}),
          },
          kb,
        );
      });
    return summariseHost({
      address: host.address,
      ...(host.hostname ? { hostname: host.hostname } : {}),
      isLocal: host.isLocal,
      ...(host.mac ? { mac: host.mac } : {}),
      // The file's own machine's addresses are one device, counted once (devices.ts isFilePc).
      ...(isFilePc(host) ? { reason: host.reason } : {}),
      worst: null,
      counts: emptyCounts(),
      blocked: 0,
      ports,
      ...(host.answersEveryPort ? { answersEveryPort: host.answersEveryPort } : {}),
    });
  });
  // Owners hidden from view matter only when a port this result lists is one of them.
  const lacking = assessed.some((h) => h.isLocal && h.ports.some((p) => !p.program));
  const complete = programsComplete || !lacking;
  const base: RiskAssessResult = {
    hosts: assessed,
    ...summariseHosts(assessed),
    programsComplete: complete,
    ...(complete ? {} : { programsMissing: 'not-elevated' as const }),
  };
  return applyFirewallRules(hosts, base, rules, kb, seenOpen, undone);
}
