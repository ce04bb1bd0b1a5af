import ipaddr from 'ipaddr.js';
import type { BlockRequest, FirewallCommand, FirewallProfile } from '../contract/index.js';
import { AppFailure } from '../failure.js';
import { sentence, type Sentence } from '../text/sentence.js';
import {
  displayArgv,
  readBackRequest,
  runCommand,
  type BackendStatus,
  type FirewallBackend,
  type LiveRule,
  type RunResult,
  type Runner,
} from './backend.js';
import { minimalWindowsEnv, powershellArgv, system32Program } from '../system/windows-paths.js';
import { isRuleName, portText, RULE_PREFIX, type PlannedRule } from './request.js';
import { profileName } from './profile-name.js';

export function netshPath(system32?: string): string {
  return system32Program('netsh.exe', system32);
}

/**
 * netsh keywords are English in every locale; the values are generated (name) or validated
 * (protocol, ports, addresses), so no user text reaches netsh. Inbound blocks this PC's port
 * (`localport`), outbound blocks a device's port (`remoteport`).
 */
export function addRuleArgs(rule: PlannedRule): string[] {
  const args = [
    'advfirewall',
    'firewall',
    'add',
    'rule',
    `name=${rule.name}`,
    `dir=${rule.direction}`,
    'action=block',
    `protocol=${rule.protocol.toUpperCase()}`,
    rule.direction === 'in' ? `localport=${portText(rule)}` : `remoteport=${portText(rule)}`,
  ];
  if (rule.remote.length > 0) args.push(`remoteip=${rule.remote.join(',')}`);
  args.push(
    'profile=any',
    'enable=yes',
    `description=Port Auditor: ${rule.direction === 'in' ? 'inbound' : 'outbound'} ${rule.protocol.toUpperCase()} ${portText(rule)}`,
  );
  return args;
}

export function deleteRuleArgs(name: string): string[] {
  return ['advfirewall', 'firewall', 'delete', 'rule', `name=${name}`];
}

/** Exit 0 when a rule of that name exists, 1 when none does, in every locale. */
export function showRuleArgs(name: string): string[] {
  return ['advfirewall', 'firewall', 'show', 'rule', `name=${name}`];
}

export function exportArgs(file: string): string[] {
  return ['advfirewall', 'export', file];
}

/**
 * Windows' own NetSecurity module, by absolute path under $PSHOME (found from powershell.exe's own
 * folder), before any cmdlet runs: a module of that name in the user's Documents folder or in a
 * PSModulePath another program set would otherwise be auto-loaded instead. Cmdlets are then called
 * module-qualified (`NetSecurity\\Get-NetFirewallRule`).
 */
const IMPORT_NETSECURITY = `Import-Module (Join-Path $PSHOME 'Modules\\NetSecurity\\NetSecurity.psd1')`;

/**
 * The COM object behind Windows Defender Firewall's rules. Its rules are read property by property
 * in one pass (`LocalPorts`, `RemoteAddresses`… are plain strings there), where NetSecurity's
 * Get-NetFirewallRule then Get-NetFirewall*Filter per rule took 48-70 s on a PC with about 1,100
 * rules, against 17 s for one COM pass (reference facts). COM `Name` is netsh's `name=`.
 */
const COM_RULE_FIELDS = `[pscustomobject]@{
    Name = [string]$r.Name
    Enabled = [bool]$r.Enabled
    Direction = [int]$r.Direction
    Action = [int]$r.Action
    Protocol = [int]$r.Protocol
    LocalPorts = [string]$r.LocalPorts
    RemotePorts = [string]$r.RemotePorts
    RemoteAddresses = [string]$r.RemoteAddresses
    LocalAddresses = [string]$r.LocalAddresses
    Profiles = [int]$r.Profiles
    InterfaceTypes = [string]$r.InterfaceTypes
    Interfaces = [string](@($r.Interfaces) -join ',')
    ApplicationName = [string]$r.ApplicationName
    ServiceName = [string]$r.serviceName
  }`;

/**
 * Our rules by name, each looked up with `Rules.Item(name)` (no pass over the PC's other rules, so
 * the time does not grow with them). The names come from the environment variable
 * PORT_AUDITOR_RULE_NAMES (generated names only, comma-separated), never spliced into the script.
 * Only "not found" (HRESULT 0x80070002, ERROR_FILE_NOT_FOUND: -2147024894) means a rule is absent;
 * any other failure (the firewall service stopped: 0x800706D9) fails the whole read, and the
 * collection is touched first so a dead service never reads as "no rule".
 */
export const LIST_NAMED_SCRIPT = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$fw = New-Object -ComObject HNetCfg.FwPolicy2
$rules = $fw.Rules
$null = $rules.Count
$names = @($env:PORT_AUDITOR_RULE_NAMES -split ',' | Where-Object { $_ -like '${RULE_PREFIX}*' })
$out = @(foreach ($n in $names) {
  $r = $null
  try { $r = $rules.Item($n) } catch {
    $e = $_.Exception
    $codes = @($e.HResult, $(if ($e.InnerException) { $e.InnerException.HResult }))
    if ($codes -notcontains -2147024894) { throw }
  }
  if ($r -ne $null) {
  ${COM_RULE_FIELDS}
  }
})
ConvertTo-Json -InputObject $out -Depth 3 -Compress`;

/**
 * Every rule named like ours, in one pass over the firewall's rules: to find rules of ours the
 * journal does not know (its data folder was deleted), once per start of the app.
 */
export const LIST_ALL_SCRIPT = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$fw = New-Object -ComObject HNetCfg.FwPolicy2
$out = @(foreach ($r in $fw.Rules) {
  if ([string]$r.Name -like '${RULE_PREFIX}*') {
  ${COM_RULE_FIELDS}
  }
})
ConvertTo-Json -InputObject $out -Depth 3 -Compress`;

/**
 * Per-profile state from the active store (what is enforced, Group Policy included), whether this
 * token is elevated (IsInRole is false under UAC's filtered token), and the Windows Firewall
 * service's state, read first: with MpsSvc stopped the NetSecurity cmdlets fail (0x800706D9) and
 * the profiles stay empty, but the service state still comes back.
 */
export const STATUS_SCRIPT = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
${IMPORT_NETSECURITY}
$service = [string](Microsoft.PowerShell.Management\\Get-Service -Name 'MpsSvc' -ErrorAction SilentlyContinue).Status
$profiles = @()
$active = @()
try {
  $profiles = @(NetSecurity\\Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object {
    [pscustomobject]@{
      Name = [string]$_.Name
      Enabled = [string]$_.Enabled
      AllowLocalFirewallRules = [string]$_.AllowLocalFirewallRules
      DisabledInterfaceAliases = @($_.DisabledInterfaceAliases | ForEach-Object { [string]$_ })
    }
  })
  Import-Module (Join-Path $PSHOME 'Modules\\NetConnection\\NetConnection.psd1')
  $active = @(NetConnection\\Get-NetConnectionProfile -ErrorAction SilentlyContinue | ForEach-Object { [string]$_.NetworkCategory })
} catch {
  $profiles = @()
}
$products = $null
try {
  $products = @(foreach ($p in (New-Object -ComObject HNetCfg.FwProducts)) {
    [pscustomobject]@{
      Name = [string]$p.DisplayName
      Categories = @($p.RuleCategories | ForEach-Object { [int]$_ })
    }
  })
} catch {
  $products = $null
}
ConvertTo-Json -InputObject ([pscustomobject]@{
  Elevated = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
  Service = $service
  Profiles = $profiles
  ActiveCategories = $active
  Products = $products
}) -Depth 4 -Compress`;

/** One rule as the COM scripts print it (NET_FW_RULE_DIRECTION, NET_FW_ACTION as numbers). */
export interface WindowsRuleJson {
  /** Rules of ours narrowed afterwards (a profile, an interface, a program) are not ours to trust. */
  LocalAddresses: string;
  /** NET_FW_PROFILE2 bit mask; NET_FW_PROFILE2_ALL = 0x7FFFFFFF for `profile=any`. */
  Profiles: number;
  /** `All`, or some of `Lan`, `Wireless`, `RemoteAccess`. */
  InterfaceTypes: string;
  /** Interface names the rule is limited to, comma-separated; empty for every interface. */
  Interfaces: string;
  ApplicationName: string;
  ServiceName: string;
  Name: string;
  Enabled: boolean;
  /** 1 inbound, 2 outbound (NET_FW_RULE_DIR_IN / _OUT). */
  Direction: number;
  /** 0 block, 1 allow (NET_FW_ACTION_BLOCK / _ALLOW). */
  Action: number;
  /** IANA protocol number: 6 TCP, 17 UDP. */
  Protocol: number;
  LocalPorts: string;
  RemotePorts: string;
  /** `*`, or addresses and subnets separated by commas (`10.0.0.0/255.255.255.0`). */
  RemoteAddresses: string;
}

function asStringArray(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** PowerShell 5.1 may unwrap one-element arrays and print an empty list as nothing at all. */
function parseJsonArray(text: string): unknown[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return [];
  const parsed: unknown = JSON.parse(trimmed);
  if (Array.isArray(parsed)) return parsed;
  // An array that carries extended properties comes out as { value: [...], Count: n }.
  const o = parsed as { value?: unknown; Count?: unknown } | null;
  if (o && Array.isArray(o.value) && 'Count' in o) return o.value;
  return [parsed];
}

export function parseRuleList(text: string): WindowsRuleJson[] {
  return parseJsonArray(text).map((item) => {
    const o = item as Record<string, unknown>;
    return {
      Name: String(o.Name ?? ''),
      Enabled: o.Enabled === true || o.Enabled === 'True',
      Direction: Number(o.Direction),
      Action: Number(o.Action),
      Protocol: Number(o.Protocol),
      LocalPorts: String(o.LocalPorts ?? ''),
      RemotePorts: String(o.RemotePorts ?? ''),
      RemoteAddresses: String(o.RemoteAddresses ?? ''),
      // Absent fields (another script's output) read as narrowed: never trusted as ours.
      LocalAddresses: String(o.LocalAddresses ?? '?'),
      Profiles: Number(o.Profiles ?? 0),
      InterfaceTypes: String(o.InterfaceTypes ?? '?'),
      Interfaces: String(o.Interfaces ?? '?'),
      ApplicationName: String(o.ApplicationName ?? '?'),
      ServiceName: String(o.ServiceName ?? '?'),
    };
  });
}

/** NET_FW_PROFILE2_ALL: domain, private and public, as `profile=any` creates it. */
const ALL_PROFILES = 0x7fffffff;

/**
 * "192.168.1.0/255.255.255.0" (how Windows shows a subnet) as "192.168.1.0/24", a host's
 * "/255.255.255.255" dropped; others as they are.
 */
function windowsAddress(text: string): string {
  const [addr, mask] = text.split('/');
  if (!mask || !mask.includes('.') || !ipaddr.IPv4.isValidFourPartDecimal(mask)) return text;
  const len = ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask();
  return len === null ? text : len === 32 ? `${addr}` : `${addr}/${len}`;
}

const PROTOCOL: Record<number, string> = { 6: 'tcp', 17: 'udp' };

/** The request a listed rule blocks, as addRuleArgs() writes it; null for any other shape. */
export function windowsRuleRequest(rule: WindowsRuleJson): BlockRequest | null {
  const direction = rule.Direction === 1 ? 'in' : rule.Direction === 2 ? 'out' : '';
  const ports = direction === 'in' ? rule.LocalPorts : rule.RemotePorts;
  const otherPorts = direction === 'in' ? rule.RemotePorts : rule.LocalPorts;
  if (rule.Action !== 0 || !ports || ports.includes(',') || ports === '*') return null;
  // Narrowed after we made it (a profile, an interface, a local address, a program, the other
  // side's port): it no longer blocks what the journal says.
  const narrowed =
    (otherPorts !== '*' && otherPorts !== '') ||
    (rule.LocalAddresses !== '*' && rule.LocalAddresses !== '') ||
    rule.Profiles !== ALL_PROFILES ||
    rule.InterfaceTypes !== 'All' ||
    rule.Interfaces !== '' ||
    rule.ApplicationName !== '' ||
    rule.ServiceName !== '';
  if (narrowed) return null;
  const remote =
    rule.RemoteAddresses === '*' || rule.RemoteAddresses === ''
      ? []
      : rule.RemoteAddresses.split(',').map(windowsAddress);
  return readBackRequest({
    protocol: PROTOCOL[rule.Protocol] ?? String(rule.Protocol),
    port: ports,
    direction,
    remote,
  });
}

/** Names per LIST_NAMED_SCRIPT run: 400 × 48 characters stay far under 32,767. */
const NAMES_PER_READ = 400;

export interface WindowsStatusJson {
  elevated: boolean;
  profiles: FirewallProfile[];
  /** MpsSvc is Running (true), in any other state (false), or was not found (null). */
  serviceRunning: boolean | null;
  /**
   * Security products registered as owning the firewall category (INetFwProducts, category
   * NET_FW_RULE_CATEGORY_FIREWALL = 2): Windows Defender Firewall's rules may then not apply.
   * Null when the list could not be read.
   */
  thirdParty: string[] | null;
}

const CATEGORY_TO_PROFILE: Record<string, string> = {
  Public: 'public',
  Private: 'private',
  DomainAuthenticated: 'domain',
};

/** The enums arrive as their names ("True", "NotConfigured"); numbers mean a caller forgot [string]. */
function gpoBoolean(value: unknown): boolean | null {
  const v = String(value);
  if (v === 'True' || v === '1' || v === 'true') return true;
  if (v === 'False' || v === '0' || v === 'false') return false;
  return null;
}

export function parseStatus(text: string): WindowsStatusJson {
  const o = JSON.parse(text.replace(/^\uFEFF/, '').trim()) as Record<string, unknown>;
  const activeProfiles = new Set(
    asStringArray(o.ActiveCategories).map((c) => CATEGORY_TO_PROFILE[c] ?? c.toLowerCase()),
  );
  const known = asStringArray(o.ActiveCategories).length > 0;
  const profiles = parseJsonArray(JSON.stringify(o.Profiles ?? [])).map((p) => {
    const profile = p as Record<string, unknown>;
    const name = String(profile.Name ?? '').toLowerCase();
    // NotConfigured in the active store means the local default, which applies local rules.
    const merge = gpoBoolean(profile.AllowLocalFirewallRules);
    return {
      name,
      enabled: gpoBoolean(profile.Enabled) === true,
      active: known ? activeProfiles.has(name) : null,
      localRulesApplied: merge === null ? true : merge,
      excludedInterfaces: asStringArray(profile.DisabledInterfaceAliases).filter(
        (a) => a && a !== 'NotConfigured',
      ),
    };
  });
  const FIREWALL_CATEGORY = 2;
  const thirdParty =
    o.Products === null || o.Products === undefined
      ? null
      : parseJsonArray(JSON.stringify(o.Products))
          .map((p) => p as Record<string, unknown>)
          .filter((p) => asStringArray(p.Categories).map(Number).includes(FIREWALL_CATEGORY))
          .map((p) => String(p.Name ?? ''))
          .filter(Boolean);
  const service = typeof o.Service === 'string' ? o.Service : '';
  return {
    elevated: o.Elevated === true || o.Elevated === 'True',
    profiles,
    serviceRunning: service === '' ? null : service === 'Running',
    thirdParty,
  };
}

/** Windows' "access denied" as a number, wherever PowerShell or Win32 put it. */
const ACCESS_DENIED = 5;

/** The Windows Firewall service is stopped: netsh and NetSecurity fail, nothing can change. */
export function serviceStopped(): AppFailure {
  return new AppFailure('firewall.service-stopped');
}

/**
 * Decides what a failed netsh write means from facts, not from its localized text: a stopped
 * firewall service first, then a token that is not elevated, then a plain failure.
 */
export function netshWriteFailure(
  action: string,
  result: RunResult,
  status: Pick<WindowsStatusJson, 'elevated' | 'serviceRunning'> | null,
): AppFailure {
  if (status?.serviceRunning === false) return serviceStopped();
  if (status?.elevated === false || result.code === ACCESS_DENIED) {
    return new AppFailure('firewall.not-elevated');
  }
  return new AppFailure(
    'firewall.command-failed',
    { action, code: result.code },
    { variant: 'netsh' },
  );
}

export interface NetshOptions {
  /** Windows' System32 folder (tests pass one; found from ntdll.dll otherwise). */
  system32?: string;
  /**
   * In the elevated helper: netsh only, never PowerShell (a .NET process that an environment set
   * by the user could make load a profiler DLL as administrator), so no read of rule contents.
   */
  elevatedHelper?: boolean;
}

export class NetshBackend implements FirewallBackend {
  readonly kind = 'netsh' as const;
  readonly readsContent: boolean;
  private readonly system32: string | undefined;
  private readonly helper: boolean;
  constructor(
    private readonly run: Runner = runCommand,
    options: NetshOptions = {},
  ) {
    this.system32 = options.system32;
    this.helper = options.elevatedHelper ?? false;
    this.readsContent = !this.helper;
  }

  /** Every program we start gets this environment, never the user's (see minimalWindowsEnv). */
  private get env(): NodeJS.ProcessEnv {
    return minimalWindowsEnv(this.system32);
  }

  private netsh(args: string[]) {
    return this.run([netshPath(this.system32), ...args], { timeoutMs: 120_000, env: this.env });
  }

  private async powershell(script: string, data: Record<string, string> = {}): Promise<RunResult> {
    if (this.helper) return { code: 1, stdout: '', stderr: 'no PowerShell in the elevated helper' };
    // One pass over a thousand rules still takes a while (17 s measured): a generous limit.
    return this.run(powershellArgv(script, this.system32), {
      timeoutMs: 180_000,
      env: { ...this.env, ...data },
    });
  }

  private async readStatus(): Promise<WindowsStatusJson | null> {
    const result = await this.powershell(STATUS_SCRIPT);
    if (result.code !== 0) return null;
    try {
      return parseStatus(result.stdout);
    } catch {
      return null;
    }
  }

  /** Why a write failed, from a fresh read of the service and token state. */
  private async writeFailure(action: string, result: RunResult): Promise<AppFailure> {
    return netshWriteFailure(action, result, await this.readStatus());
  }

  async status(): Promise<BackendStatus> {
    const status = await this.readStatus();
    const warnings: Sentence[] = [];
    if (!status) {
      warnings.push(sentence('messages:firewall.windows.stateUnreadable'));
      return {
        available: false,
        elevated: false,
        canRead: false,
        profiles: [],
        warnings,
        serviceRunning: null,
      };
    }
    if (status.serviceRunning === false) warnings.push(serviceStopped().sentence as Sentence);
    if (status.thirdParty === null) {
      warnings.push(sentence('messages:firewall.windows.productsUnreadable'));
    }
    for (const product of status.thirdParty ?? []) {
      warnings.push(sentence('messages:firewall.windows.thirdParty', { product }));
    }
    for (const p of status.profiles.filter((x) => (x.excludedInterfaces ?? []).length > 0)) {
      warnings.push(
        sentence('messages:firewall.windows.excludedInterfaces', {
          profile: profileName(p.name),
          interfaces: (p.excludedInterfaces ?? []).join(', '),
        }),
      );
    }
    for (const p of status.profiles) {
      if (!p.enabled) {
        warnings.push(
          sentence('messages:firewall.windows.profileOff', {
            profile: profileName(p.name),
          }),
        );
      }
      if (p.localRulesApplied === false) {
        warnings.push(
          sentence('messages:firewall.windows.localRulesIgnored', {
            profile: profileName(p.name),
          }),
        );
      }
    }
    return {
      available: status.serviceRunning !== false,
      elevated: status.elevated,
      canRead: status.serviceRunning !== false,
      profiles: status.profiles,
      warnings,
      serviceRunning: status.serviceRunning,
      thirdParty: status.thirdParty,
    };
  }

  preview(rule: PlannedRule): FirewallCommand[] {
    const argv = [netshPath(this.system32), ...addRuleArgs(rule)];
    return [{ argv, display: displayArgv(['netsh', ...addRuleArgs(rule)]) }];
  }

  private async exists(name: string): Promise<boolean> {
    return (await this.netsh(showRuleArgs(name))).code === 0;
  }

  async block(rule: PlannedRule): Promise<{ ref: string }> {
    const result = await this.netsh(addRuleArgs(rule));
    if (result.code !== 0) throw await this.writeFailure('add rule', result);
    // Tools have reported success after a cancelled prompt: only a rule that reads back counts.
    if (!(await this.exists(rule.name))) {
      throw new AppFailure('firewall.not-applied', undefined, { variant: 'netshMissing' });
    }
    return { ref: rule.name };
  }

  async remove(name: string): Promise<void> {
    if (!isRuleName(name)) throw new Error(`not a generated rule name: ${name}`);
    if (!(await this.exists(name))) {
      // `show rule` exits 1 for "no such rule" and for a stopped service alike: only the second
      // is a failure, and it must not be taken for a rule already gone.
      if ((await this.readStatus())?.serviceRunning === false) throw serviceStopped();
      return;
    }
    const result = await this.netsh(deleteRuleArgs(name));
    if (result.code !== 0) throw await this.writeFailure('delete rule', result);
    if (await this.exists(name)) {
      throw new AppFailure('firewall.not-applied', undefined, { variant: 'stillPresent' });
    }
  }

  async list(names?: readonly string[]): Promise<LiveRule[] | null> {
    const known = names?.filter(isRuleName);
    if (known && known.length === 0) return [];
    const rules: WindowsRuleJson[] = [];
    // An environment variable holds at most 32,767 characters: names go in batches well under it.
    const batches = known
      ? Array.from({ length: Math.ceil(known.length / NAMES_PER_READ) }, (_, i) =>
          known.slice(i * NAMES_PER_READ, (i + 1) * NAMES_PER_READ),
        )
      : [null];
    for (const batch of batches) {
      const result = batch
        ? await this.powershell(LIST_NAMED_SCRIPT, { PORT_AUDITOR_RULE_NAMES: batch.join(',') })
        : await this.powershell(LIST_ALL_SCRIPT);
      if (result.code !== 0) return null;
      try {
        rules.push(...parseRuleList(result.stdout));
      } catch {
        return null;
      }
    }
    return rules
      .filter((r) => isRuleName(r.Name))
      .map((r) => ({
        name: r.Name,
        ref: r.Name,
        enabled: r.Enabled,
        details: windowsRuleRequest(r),
      }));
  }

  async backup(file: string): Promise<void> {
    const result = await this.netsh(exportArgs(file));
    if (result.code !== 0) throw await this.writeFailure('export', result);
  }
}
