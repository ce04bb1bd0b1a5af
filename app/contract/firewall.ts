import { z } from 'zod';
import { LocalizedText } from './errors.js';

/**
 * What the UI or the CLI asks to block, as typed. Fields are loose strings on purpose: the app
 * validates them itself (app/firewall/request.ts) so every host gets the same precise fr/en error
 * for `80; flush ruleset`, `all`, `1e3` or unicode digits instead of a generic contract message.
 */
export const BlockRequestInput = z
  .object({
    protocol: z.string().max(20),
    port: z.union([z.number(), z.string().max(40)]),
    direction: z.string().max(20).default('in'),
    remote: z.string().max(400).optional(),
    /** The id a preview reserved, so the rule applied is the one the preview named. */
    ruleId: z.string().max(40).optional(),
  })
  .strict();
export type BlockRequestInput = z.input<typeof BlockRequestInput>;

export const FirewallDirection = z.enum(['in', 'out']);
export type FirewallDirection = z.infer<typeof FirewallDirection>;

export const FirewallProtocol = z.enum(['tcp', 'udp']);
export type FirewallProtocol = z.infer<typeof FirewallProtocol>;

export const FirewallBackendKind = z.enum(['netsh', 'nftables', 'unsupported']);
export type FirewallBackendKind = z.infer<typeof FirewallBackendKind>;

/** A validated request: ports as numbers, the remote scope as canonical addresses. */
export const BlockRequest = z.object({
  protocol: FirewallProtocol,
  portFrom: z.number().int().min(1).max(65535),
  portTo: z.number().int().min(1).max(65535),
  direction: FirewallDirection,
  /** Canonical IP or CIDR strings; empty = any remote address. */
  remote: z.array(z.string()).max(16),
});
export type BlockRequest = z.infer<typeof BlockRequest>;

/**
 * A rule's state in the journal. `unknown`: a change ran but its outcome could not be read back
 * (helper killed, firewall unreadable); the app checks again at the next read and never calls it
 * failed or removed meanwhile. `cancelled`: the user declined the permission prompt.
 */
export const RuleState = z.enum([
  'pending-add',
  'active',
  'pending-remove',
  'removed',
  'failed',
  'unknown',
  'cancelled',
]);
export type RuleState = z.infer<typeof RuleState>;

export const FirewallRule = BlockRequest.extend({
  /** The uuid; the rule's name in the firewall is `PortAuditor-<id>`. */
  id: z.string(),
  name: z.string(),
  backend: FirewallBackendKind,
  state: RuleState,
  createdAt: z.string(),
  /**
   * False when nothing says when the rule was made: it was found in the firewall without its
   * journal row (data folder deleted, store refused) and its name does not carry the time (ids
   * made before they were UUIDs of version 7); `createdAt` is then when it was found. Absent:
   * known (a rule the app made).
   */
  createdKnown: z.boolean().optional(),
  updatedAt: z.string(),
  /** Whether the last read of the firewall found it; null when the firewall could not be read. */
  present: z.boolean().nullable(),
  /**
   * `found`: the rule carries Port Auditor's name but was found in the firewall without a journal
   * entry (data folder deleted, policy restored): the app lists it so it can be undone.
   */
  origin: z.enum(['app', 'found']).default('app'),
});
export type FirewallRule = z.infer<typeof FirewallRule>;

export const FirewallProfile = z.object({
  /** `domain` / `private` / `public` on Windows; `nftables` on Linux. */
  name: z.string(),
  enabled: z.boolean(),
  /** The profile of a connected network right now (Windows); null when unknown. */
  active: z.boolean().nullable(),
  /** False when Group Policy says local rules are not applied (AllowLocalFirewallRules). */
  localRulesApplied: z.boolean().nullable(),
  /** Windows: interfaces this profile does not filter (DisabledInterfaceAliases). */
  excludedInterfaces: z.array(z.string()).optional(),
});
export type FirewallProfile = z.infer<typeof FirewallProfile>;

export const FirewallStatus = z.object({
  backend: FirewallBackendKind,
  platform: z.string(),
  /** The firewall tool exists and answered. */
  available: z.boolean(),
  /** This process runs as administrator/root. */
  elevated: z.boolean(),
  /** A change can be made: elevated already, or an elevation prompt is available. */
  canChange: z.boolean(),
  /** The firewall could be read (nft needs root to list). */
  canRead: z.boolean(),
  profiles: z.array(FirewallProfile),
  /** Other firewall managers (ufw, firewalld) or policy problems the user should know about. */
  warnings: z.array(LocalizedText),
  /** Where the policy backup taken before the app's first change lives, once taken. */
  backupPath: z.string().nullable(),
  /** Interrupted changes found in the journal and what was done about them. */
  repairs: z.array(LocalizedText),
  /**
   * Active rules of the journal that the firewall no longer holds (a reboot flushed nftables, a
   * firewall reset): the Rules page offers to apply them again. 0 when the firewall was not read.
   */
  missing: z.number().int().nonnegative(),
  /** How a change would get administrator rights now (`unavailable`: see `warnings`). */
  elevation: z.enum(['none', 'pkexec', 'uac', 'unavailable']),
});
export type FirewallStatus = z.infer<typeof FirewallStatus>;

export const FirewallCommand = z.object({
  /** Program and arguments exactly as they are passed to execFile. */
  argv: z.array(z.string()),
  /** Data written on the program's standard input (nft JSON), when any. */
  stdin: z.string().optional(),
  /** One line a user can read or paste. */
  display: z.string(),
});
export type FirewallCommand = z.infer<typeof FirewallCommand>;

export const FirewallPreview = z.object({
  request: BlockRequest,
  /** The id this preview reserved: pass it as `ruleId` to block, and the rule is this one. */
  id: z.string(),
  name: z.string(),
  /** What the change does, in one plain sentence for a non-expert. */
  summary: LocalizedText,
  backend: FirewallBackendKind,
  commands: z.array(FirewallCommand),
  /** How the change will be authorised: none (already elevated), pkexec, or UAC. */
  elevation: z.enum(['none', 'pkexec', 'uac', 'unavailable']),
  /** Plain-language notes, e.g. that loopback traffic is never filtered. */
  notes: z.array(LocalizedText),
});
export type FirewallPreview = z.infer<typeof FirewallPreview>;

export const FirewallVerification = z.object({
  /** The rule was read back from the firewall; null when the firewall could not be read. */
  readBack: z.boolean().nullable(),
  /** The firewall filters on every active profile; null when unknown. */
  firewallOn: z.boolean().nullable(),
  /** Local rules are applied (not overridden by Group Policy); null when not applicable. */
  localRulesApplied: z.boolean().nullable(),
  /**
   * `yes` only when every check passed and nothing could make the rule ineffective; `no` when a
   * check failed; `unknown` ("not confirmed") when a check could not run or something in the
   * firewall could carry traffic past the rule (`problems` says what).
   */
  effective: z.enum(['yes', 'no', 'unknown']),
  /** Further checks that passed, beside the three above (port forwards covered…), in plain words. */
  checked: z.array(LocalizedText).default([]),
  /** What cannot be checked from this PC, and how the user can check it. */
  notChecked: z.array(LocalizedText).default([]),
  /**
   * What the rule does not do, said for certain (not a check that could not run): an outbound
   * rule leaves the device's port open to the other devices. Kept apart from `notChecked` so a
   * certain sentence is not shown under "cannot be checked from here" (issue 11 nit).
   */
  limits: z.array(LocalizedText).default([]),
  /** Failed checks, or why the effect is not confirmed. */
  problems: z.array(LocalizedText),
});
export type FirewallVerification = z.infer<typeof FirewallVerification>;

/**
 * A change ran and was verified, or the user declined the elevation prompt, or it ran but its
 * outcome could not be read back (`unknown`: the rule is kept as such and checked again later).
 */
export const FirewallBlockOutcome = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('applied'),
    rule: FirewallRule,
    verification: FirewallVerification,
    backupPath: z.string().nullable(),
    /** True when the rule was not created but put back: it had vanished from the firewall. */
    restored: z.boolean().optional(),
  }),
  z.object({ outcome: z.literal('cancelled'), message: LocalizedText }),
  z.object({ outcome: z.literal('unknown'), rule: FirewallRule, message: LocalizedText }),
]);
export type FirewallBlockOutcome = z.infer<typeof FirewallBlockOutcome>;

export const FirewallRemoveOutcome = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('applied'),
    removed: z.array(z.string()),
    /** Rules still present after the change (read back), normally empty. */
    stillPresent: z.array(z.string()),
    /** Rules whose removal could not be read back: kept as `unknown`, checked again later. */
    unknown: z.array(z.string()).default([]),
  }),
  z.object({ outcome: z.literal('cancelled'), message: LocalizedText }),
]);
export type FirewallRemoveOutcome = z.infer<typeof FirewallRemoveOutcome>;

export const FirewallReapplyOutcome = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('applied'),
    /** Rules back in the firewall (read back). */
    reapplied: z.array(z.string()),
    /** Rules still missing after the change. */
    stillMissing: z.array(z.string()),
    /** Why some were not put back (root has no record of them with that content, …). */
    problems: z.array(LocalizedText).optional(),
    /**
     * Each rule put back, by id, checked as `block` checks a new rule (read back, filtering on,
     * port forwards it covers, what cannot be checked from here).
     */
    verifications: z.record(z.string(), FirewallVerification).optional(),
  }),
  z.object({ outcome: z.literal('cancelled'), message: LocalizedText }),
]);
export type FirewallReapplyOutcome = z.infer<typeof FirewallReapplyOutcome>;

/**
 * What a host should tell the user before a firewall command: why the journal is only in memory
 * (a damaged or read-only store), the interrupted changes repaired since the app started, and —
 * when asked, since finding it may read the system — how a change would get its rights, so a host
 * can say a permission prompt is coming (null when not asked).
 */
export const FirewallNotices = z.object({
  notices: z.array(LocalizedText),
  elevation: z.enum(['none', 'pkexec', 'uac', 'unavailable']).nullable(),
});
export type FirewallNotices = z.infer<typeof FirewallNotices>;

export const FirewallRuleList = z.object({
  rules: z.array(FirewallRule),
  /** False when the firewall could not be read and the list comes from the journal alone. */
  verified: z.boolean(),
});
export type FirewallRuleList = z.infer<typeof FirewallRuleList>;

export const RuleId = z.string().regex(/^[0-9a-f-]{36}$/);
