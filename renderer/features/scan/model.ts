import { foldDevices, programLookup, type ProgramLookup } from '../../../app/contract/devices.js';
import type { AppError } from '../../../app/contract/errors.js';
import type { ScanHostPorts, ScanUpdate } from '../../../app/contract/history.js';
import type {
  HostReason,
  HostResult,
  HostStatus,
  PortResult,
  ScanRequestInput,
} from '../../../app/contract/scan.js';
import { compareHostsByRisk } from '../../../app/contract/vocabulary.js';
import { COMMON_UDP_SET, withCommonUdp } from '../../../app/contract/port-spec.js';

/** The scan screen's pure logic (no UI, no transport), so it can be tested on its own. */

export type TargetMode = 'this-pc' | 'local-network' | 'custom';
export type PortMode = 'top1000' | 'all' | 'custom';
export type ScanPhase = 'idle' | 'starting' | 'running' | 'cancelling' | 'finished' | 'failed';

/** One IP address as the results show it: filled live from events, or a kept scan's host. */
export interface HostView {
  /** The address alone: the key of `hosts`, verdicts and block wizards. */
  address: string;
  /** A link-local address's zone (HostResult.zone): shown with it, `zonedAddress`. */
  zone?: string;
  family: 'ipv4' | 'ipv6';
  isLocal: boolean;
  hostname?: string;
  /** How `hostname` was found (HostResult.hostnameMethod). */
  hostnameMethod?: HostResult['hostnameMethod'];
  /** From the neighbour table or the file: two addresses with one MAC are one device. */
  mac?: string;
  /** The registered maker of `mac` the app sent with it (HostResult.macVendor): macMakerOf reads it. */
  macVendor?: string;
  status: HostStatus;
  reason: HostReason;
  ports: PortResult[];
  hidden?: HostResult['hidden'];
  /** Every scanned port's state, when the kept scan has them (HostResult.portStates). */
  portStates?: HostResult['portStates'];
  /** What this PC could not do for this address (status `unknown`, or some ports). */
  localError?: HostResult['localError'];
  /** (Nearly) every probed port answered open: one device answering for all. */
  answersEveryPort?: HostResult['answersEveryPort'];
  /** Listed ports a kept scan's page left out (ScanPage.portsLeftOut): counted, not shown. */
  portsLeftOut?: { open: number; others: number };
  /** A running scan's ports the app did not send (a `portsLeftOut` event): listed at its end. */
  livePortsLeftOut?: true;
}

export interface ScanProgress {
  done: number;
  total: number;
  etaMs?: number;
  openFound: number;
}

/**
 * The part of the scan state that a running scan's events change: `hosts` are the live ones (the
 * kept scan shown once it ends is paged from the app, see stores/scan.ts).
 */
export interface ScanSnapshot {
  phase: ScanPhase;
  progress: ScanProgress | null;
  hosts: Record<string, HostView>;
  error: AppError | null;
}

export interface ScanForm {
  targetMode: TargetMode;
  customTargets: string;
  portMode: PortMode;
  customPorts: string;
  /** "Services UDP courants": the named set `common-udp` added to the TCP choice. */
  udp: boolean;
}

export const ALL_PORTS = '1-65535';
export const CONFIRMATION_REQUIRED = 'scan.confirmationRequired';

export function buildRequest(form: ScanForm): ScanRequestInput {
  const tcp =
    form.portMode === 'custom'
      ? form.customPorts.trim()
      : form.portMode === 'all'
        ? ALL_PORTS
        : 'top1000';
  return {
    targets: form.targetMode === 'custom' ? form.customTargets.trim() : form.targetMode,
    // Without the box, the spec is the TCP choice as before (a custom `U:53` stays the user's).
    ports: form.udp ? withCommonUdp(tcp, true) : tcp,
  };
}

/**
 * The form that asks for `request` again (buildRequest's inverse): a kept scan of the app shown
 * after a reload or reopened from the history sets the form to what it covered, so the form never
 * contradicts it ("Ports courants" above a scan of 1,028 ports).
 */
export function formOfRequest(request: { targets: string; ports: string }): ScanForm {
  const targets = request.targets.trim();
  const asked = request.ports.trim();
  const udp = asked.split(',').some((t) => t.trim().toLowerCase() === COMMON_UDP_SET);
  const ports = udp ? withCommonUdp(asked, false) : asked;
  return {
    targetMode: targets === 'this-pc' || targets === 'local-network' ? targets : 'custom',
    customTargets: targets === 'this-pc' || targets === 'local-network' ? '' : targets,
    portMode: ports === 'top1000' ? 'top1000' : ports === ALL_PORTS ? 'all' : 'custom',
    customPorts: ports === 'top1000' || ports === ALL_PORTS ? '' : ports,
    udp,
  };
}

export function isBusy(phase: ScanPhase): boolean {
  return phase === 'starting' || phase === 'running' || phase === 'cancelling';
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return address.includes(':') ? 'ipv6' : 'ipv4';
}

/** Before any verdict: this PC first, then IPv4 before IPv6, each in numeric order. */
export function compareHosts(a: HostView, b: HostView): number {
  return compareHostsByRisk(a, b);
}

/** Open ports first, by number; the other listed states after. */
export function comparePorts(a: PortResult, b: PortResult): number {
  const rank = (p: PortResult) => (p.state === 'open' ? 0 : 1);
  return rank(a) - rank(b) || a.port - b.port || a.protocol.localeCompare(b.protocol);
}

function upsertPort(host: HostView, result: PortResult): HostView {
  const ports = host.ports.filter(
    (p) => !(p.port === result.port && p.protocol === result.protocol),
  );
  ports.push(result);
  ports.sort(comparePorts);
  return { ...host, ports };
}

function emptyHost(address: string, isLocal = false): HostView {
  return {
    address,
    family: familyOf(address),
    isLocal,
    status: 'up',
    reason: 'syn-ack',
    ports: [],
  };
}

/** A kept scan's host as the results show it, `portsLeftOut` of its ports not sent with the page. */
export function hostView(h: HostResult, portsLeftOut?: { open: number; others: number }): HostView {
  return {
    address: h.address,
    ...(h.zone ? { zone: h.zone } : {}),
    family: h.family,
    isLocal: h.isLocal,
    status: h.status,
    reason: h.reason,
    ports: [...h.ports].sort(comparePorts),
    hidden: h.hidden,
    ...(h.portStates ? { portStates: h.portStates } : {}),
    ...(h.hostname ? { hostname: h.hostname } : {}),
    ...(h.hostname && h.hostnameMethod ? { hostnameMethod: h.hostnameMethod } : {}),
    ...(h.mac ? { mac: h.mac } : {}),
    ...(h.macVendor ? { macVendor: h.macVendor } : {}),
    ...(h.localError ? { localError: h.localError } : {}),
    ...(h.answersEveryPort ? { answersEveryPort: h.answersEveryPort } : {}),
    ...(portsLeftOut ? { portsLeftOut } : {}),
  };
}

/**
 * `host` with `more` of its ports appended after those it has (kept in the app's page order: open
 * ones first), and what is still left out counted down; `portsLeftOut` gone once none is.
 */
export function withMorePorts(host: HostView, more: ScanHostPorts): HostView {
  const left = host.portsLeftOut ?? { open: 0, others: 0 };
  const open = more.ports.filter((p) => p.state === 'open').length;
  const rest = {
    open: Math.max(0, left.open - open),
    others: Math.max(0, left.others - (more.ports.length - open)),
  };
  const known = new Set(host.ports.map((p) => `${p.protocol}/${p.port}`));
  const { portsLeftOut: _was, ...kept } = host;
  return {
    ...kept,
    ports: [...host.ports, ...more.ports.filter((p) => !known.has(`${p.protocol}/${p.port}`))],
    ...(rest.open + rest.others > 0 && more.ports.length > 0 ? { portsLeftOut: rest } : {}),
  };
}

/**
 * The open ports found so far, counted as the kept scan's summary counts them (app/store/scans.ts):
 * once per device and service, so This PC's 8080 on five addresses is one. The engine's own
 * `openFound` counts per address and would drop at the end. `programs` (programLookup over the
 * verdicts so far) makes a port two programs hold two services, as the cards list them.
 */
export function openServicesSoFar(
  hosts: Readonly<Record<string, HostView>>,
  programs: ProgramLookup = programLookup([]),
): number {
  return foldDevices(Object.values(hosts), programs).reduce((n, d) => n + d.services.length, 0);
}

/**
 * Pure reducer from one event of a running scan to the next state, so it can be tested without a
 * UI. `verdicts` are the risk store's; `finished` only ends the phase (the kept scan is then asked
 * for by id).
 */
export function applyScanEvent<S extends ScanSnapshot>(state: S, event: ScanUpdate): S {
  switch (event.type) {
    case 'started':
      return {
        ...state,
        phase: state.phase === 'cancelling' ? 'cancelling' : 'running',
        progress: { done: 0, total: event.totalProbes, openFound: 0 },
      };
    case 'host': {
      const previous = state.hosts[event.address] ?? emptyHost(event.address, event.isLocal);
      const host: HostView = {
        ...previous,
        ...(event.zone ? { zone: event.zone } : {}),
        isLocal: event.isLocal,
        status: event.status,
        reason: event.reason,
        ...(event.hostname ? { hostname: event.hostname } : {}),
        ...(event.hostname && event.hostnameMethod ? { hostnameMethod: event.hostnameMethod } : {}),
        ...(event.mac ? { mac: event.mac } : {}),
        ...(event.macVendor ? { macVendor: event.macVendor } : {}),
        ...(event.localError ? { localError: event.localError } : {}),
        ...(event.answersEveryPort ? { answersEveryPort: event.answersEveryPort } : {}),
      };
      return { ...state, hosts: { ...state.hosts, [event.address]: host } };
    }
    case 'port': {
      const previous = state.hosts[event.address] ?? emptyHost(event.address);
      return {
        ...state,
        hosts: { ...state.hosts, [event.address]: upsertPort(previous, event.result) },
      };
    }
    case 'progress':
      return {
        ...state,
        progress: {
          done: event.done,
          total: event.total,
          openFound: event.openFound,
          ...(event.etaMs !== undefined ? { etaMs: event.etaMs } : {}),
        },
      };
    case 'finished':
      return { ...state, phase: 'finished', progress: null };
    case 'verdicts':
      return state;
    case 'portsLeftOut': {
      const previous = state.hosts[event.address] ?? emptyHost(event.address);
      return {
        ...state,
        hosts: { ...state.hosts, [event.address]: { ...previous, livePortsLeftOut: true } },
      };
    }
    case 'failed':
      return { ...state, phase: 'failed', progress: null, error: event.error };
  }
}
