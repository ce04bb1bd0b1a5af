import { z } from 'zod';
import { LocalizedText } from './errors.js';
import { FirewallRule } from './firewall.js';
import { HostReason, HostResult, Protocol } from './scan.js';

/** Ordered from worst to mildest; app/contract/vocabulary.ts gives the order, labels and colours. */
export const Severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export type Severity = z.infer<typeof Severity>;

/** IANA's three port ranges: 0-1023, 1024-49151, 49152-65535. */
export const PortRange = z.enum(['well-known', 'registered', 'dynamic']);
export type PortRange = z.infer<typeof PortRange>;

export const RiskCategory = z.enum([
  'remote-admin',
  'file-sharing',
  'database',
  'backdoor',
  'iot',
  'amplification',
  'web',
  'mail',
  'printing',
  'infrastructure',
  'messaging',
  'media',
  'development',
  'other',
]);
export type RiskCategory = z.infer<typeof RiskCategory>;

/**
 * A source a verdict cites. Its link is `https:` only: a JSON report read back (`port-auditor
 * report`, an import) may come from anyone, and a `javascript:`, `file:` or plain `http:` link would
 * be made clickable in the UI and the PDF.
 */
export const Reference = z.object({
  label: z.string().min(1).max(300),
  url: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .optional(),
});
export type Reference = z.infer<typeof Reference>;

/** A program that owns a socket on this PC. `path` is absent when the OS would not tell us. */
export const ProgramInfo = z.object({
  pid: z.number().int().nonnegative(),
  name: z.string(),
  path: z.string().optional(),
  /** Windows service names hosted by this process (svchost hosts several). */
  services: z.array(z.string()).optional(),
  /** Windows: the session it runs in; 0 is the services' session, no user program runs there. */
  session: z.number().int().nonnegative().optional(),
});
export type ProgramInfo = z.infer<typeof ProgramInfo>;

/** One listening TCP socket or bound UDP socket of this PC. */
export const Listener = z.object({
  protocol: Protocol,
  /** As the OS reports it: `0.0.0.0` / `::` mean every interface. */
  address: z.string(),
  port: z.number().int().min(0).max(65535),
  program: ProgramInfo.optional(),
});
export type Listener = z.infer<typeof Listener>;

export const ListenersResult = z.object({
  platform: z.string(),
  listeners: z.array(Listener),
  /**
   * False when some sockets could not be tied to a program (another user's process without
   * administrator rights), so the UI can say why a program is missing.
   */
  complete: z.boolean(),
  /**
   * True when this process already runs as root (Linux, macOS: effective uid 0), so running it
   * again as administrator would show no more programs; absent when not known (Windows).
   */
  elevated: z.boolean().optional(),
  /**
   * Process ids among the listeners' owners recognised as running a Port Auditor host of this
   * installation (app/system/own-instance.ts: Linux, by /proc/<pid>/exe and cmdline); absent
   * where the system's listener data has no command line (Windows, macOS today).
   */
  portAuditorHosts: z.array(z.number().int().nonnegative()).optional(),
});
export type ListenersResult = z.infer<typeof ListenersResult>;

/** How a port of this PC is reachable, decided from the listeners behind it. */
export const Exposure = z.enum([
  'all-interfaces',
  'specific-interface',
  'loopback-only',
  'unknown',
]);
export type Exposure = z.infer<typeof Exposure>;

/** One rule that contributed to a verdict, with the sentence that explains its part. */
export const RiskReason = z.object({
  ruleId: z.string(),
  text: LocalizedText,
});
export type RiskReason = z.infer<typeof RiskReason>;

/**
 * What a Port Auditor firewall rule does to a port (app/firewall/coverage.ts decides it):
 * - `blocked`: this PC's port, closed to every other device by a rule read in the firewall — risk
 *   mitigated;
 * - `loopback`: the same, seen through this PC's loopback address (127.0.0.1, ::1), which the rule
 *   deliberately leaves open to this PC's own programs — risk mitigated, never called "blocked";
 * - `partial`: this PC's port, closed to some addresses only;
 * - `this-pc-only`: an outbound rule — the programs of this PC no longer connect to the device's
 *   port, which stays open on the device for everyone else (risk unchanged);
 * - `scan-blocked`: a device's port this PC's own outbound rule hides from the scan (seen filtered):
 *   still a finding, at the severity its service has when open;
 * - `unverified`: a rule that should act on the port, but the firewall could not be read to
 *   confirm it holds the rule — never "blocked", never mitigating.
 */
export const CoverageEffect = z.enum([
  'blocked',
  'loopback',
  'partial',
  'this-pc-only',
  'scan-blocked',
  'unverified',
  'vanished',
]);
export type CoverageEffect = z.infer<typeof CoverageEffect>;

export const FirewallCoverage = z.object({
  ruleId: z.string(),
  name: z.string(),
  /**
   * How sentences name the rule: "du 2 déc. 2026, 10:14 pour le port 23/tcp" (app/firewall/labels.ts
   * ruleCalled), never its UUID `name`. Absent in verdicts kept before it.
   */
  called: LocalizedText.optional(),
  effect: CoverageEffect,
});
export type FirewallCoverage = z.infer<typeof FirewallCoverage>;

export const PortAssessment = z.object({
  port: z.number().int().min(0).max(65535),
  protocol: Protocol,
  severity: Severity,
  /** Short service name (KB, banner, or IANA registry). */
  service: z.string(),
  /** Longer service description when one is known. */
  description: LocalizedText.optional(),
  category: RiskCategory,
  range: PortRange,
  /** Only for this PC. */
  exposure: Exposure.optional(),
  program: ProgramInfo.optional(),
  banner: z.string().optional(),
  reasons: z.array(RiskReason).min(1),
  advice: LocalizedText,
  references: z.array(Reference),
  /**
   * The Port Auditor rule acting on this port, when one does. Only `scan-blocked` verdicts are of
   * ports the scan saw filtered; every other verdict is of an open port.
   */
  firewall: FirewallCoverage.optional(),
});
export type PortAssessment = z.infer<typeof PortAssessment>;

/**
 * The one verdict of a host that answers open on (nearly) every port (HostResult.answersEveryPort):
 * a firewall, proxy or tarpit, not that many services — worth a look, not a hundred alarms.
 */
export const EVERY_PORT_SEVERITY: Severity = 'medium';

export const HostAssessment = z.object({
  address: z.string(),
  hostname: z.string().optional(),
  isLocal: z.boolean(),
  /**
   * The address's MAC address, as the scan read it (HostResult.mac): two addresses with the same
   * one are one device, whose services `counts` counts once (app/contract/devices.ts).
   */
  mac: z.string().max(64).optional(),
  /**
   * Why the address is up (HostResult.reason), when it names the machine that made an imported
   * file (`scanner`, `reporter`): its addresses are one device, whose services `counts` counts
   * once (app/contract/devices.ts isFilePc). Absent otherwise, and in verdicts kept before it.
   */
  reason: HostReason.optional(),
  /** Worst severity among its ports not blocked by Port Auditor; null when there is none. */
  worst: Severity.nullable(),
  /**
   * Per severity, ports a Port Auditor rule blocks left out (they are in `blocked`); a host
   * answering on every port counts once, at EVERY_PORT_SEVERITY.
   */
  counts: z.record(Severity, z.number().int().nonnegative()),
  /** Ports of this address whose risk a Port Auditor rule mitigates (`blocked`, `loopback`). */
  blocked: z.number().int().nonnegative().default(0),
  /** Each open port's verdict (for the details, even when grouped). */
  ports: z.array(PortAssessment),
  /** Set when the host answers open on (nearly) every port: its verdicts are grouped as one. */
  answersEveryPort: z
    .object({ open: z.number().int().nonnegative(), probed: z.number().int().positive() })
    .optional(),
});
export type HostAssessment = z.infer<typeof HostAssessment>;

export const RiskAssessRequest = z
  .object({
    hosts: z.array(HostResult).max(65_536),
  })
  .strict();
export type RiskAssessRequest = z.infer<typeof RiskAssessRequest>;

export const RiskAssessResult = z.object({
  hosts: z.array(HostAssessment),
  /**
   * Open services per severity, once per device and service (app/contract/devices.ts
   * countServices): this PC's port open on several of its addresses counts once, at its worst.
   */
  counts: z.record(Severity, z.number().int().nonnegative()),
  /**
   * Ports a Port Auditor rule closes to every other device, counted once per device and port: this
   * PC's addresses (loopback included) are one device.
   */
  blocked: z.number().int().nonnegative().default(0),
  /**
   * False when some open port of this PC listed in the result has no program while the OS hid
   * some sockets' owners (other users' processes) and this process was not elevated.
   */
  programsComplete: z.boolean(),
  /**
   * Why some listed open ports of this PC have no program, when the user can act on it or should
   * know it (vocabulary `programsMissing.*`, one sentence for the page, the CLI and the PDF):
   * `not-elevated`: run Port Auditor as administrator to see them (only when the OS hid owners for
   * lack of rights this process does not have); `kept`: a reopened scan, some of whose recorded
   * programs no longer listen the same way on this PC. Absent: nothing to say.
   */
  programsMissing: z.enum(['not-elevated', 'kept']).optional(),
  /**
   * The Port Auditor rules the `firewall` of each verdict was worked out from, as last read from
   * the firewall: a report made with them says what the screen says.
   */
  firewallRules: z.array(FirewallRule).max(100_000).optional(),
});
export type RiskAssessResult = z.infer<typeof RiskAssessResult>;
