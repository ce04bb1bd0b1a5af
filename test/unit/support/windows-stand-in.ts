import type { RunResult, Runner } from '../../../app/firewall/backend.js';
import { helperArgsFromAppArgv, UAC_SCRIPT } from '../../../app/firewall/elevation.js';
import { parseHelperArgv } from '../../../app/firewall/helper-argv.js';
import { LIST_ALL_SCRIPT, LIST_NAMED_SCRIPT, STATUS_SCRIPT } from '../../../app/firewall/netsh.js';
import { portText } from '../../../app/firewall/request.js';
import { commandLineToArgv } from './command-line-to-argv.js';
import { POWERSHELL } from './powershell.js';

interface StandInRule {
  name: string;
  direction: 'in' | 'out';
  protocol: 'tcp' | 'udp';
  port: string;
  remote: string[];
}

/**
 * Plays Windows for the firewall service, since Windows cannot run here: answers our PowerShell
 * status and list scripts in the JSON Windows PowerShell 5.1 prints for them (BOM, arrays even of
 * one item, CRLF), and the UAC launcher with the
 * exit codes 5.1 gives (1223 when declined, else the helper's), applying what the helper's
 * command line says. Every command line the helper receives is split back with CommandLineToArgvW's
 * rules, as Windows would. Each behaviour can be switched to what a real PC may do instead.
 */
export class WindowsStandIn {
  rules: StandInRule[] = [];
  serviceRunning = true;
  elevated = false;
  /** What the next UAC prompts do. */
  uac: 'accept' | 'decline' = 'accept';
  /** Whether reading the rules works (a 70 s Get-NetFirewallRule past its timeout does not). */
  listWorks = true;
  /** Helper command lines received, split as the helper sees them. */
  helperArgv: string[][] = [];
  /** Each rule list read: the names looked up, or null for a pass over every rule. */
  listCalls: (string[] | null)[] = [];
  /** Start and end of each UAC launch, to check that changes never overlap. */
  launches: { start: number; end: number }[] = [];
  private clock = 0;

  readonly run: Runner = async (argv, options) => {
    if (argv[0] !== POWERSHELL) throw new Error(`unexpected command ${argv.join(' ')}`);
    const script = argv[4];
    if (script === STATUS_SCRIPT) return this.status();
    if (script === LIST_ALL_SCRIPT) return this.list(null);
    if (script === LIST_NAMED_SCRIPT) {
      return this.list(String(options?.env?.PORT_AUDITOR_RULE_NAMES ?? '').split(','));
    }
    if (script === UAC_SCRIPT) return this.launch(options?.env ?? {});
    throw new Error(`unexpected script ${String(script).slice(0, 60)}`);
  };

  private status(): RunResult {
    const profiles = this.serviceRunning
      ? ['Domain', 'Private', 'Public'].map((Name) => ({
          Name,
          Enabled: 'True',
          AllowLocalFirewallRules: 'NotConfigured',
          DisabledInterfaceAliases: ['NotConfigured'],
        }))
      : [];
    return {
      code: 0,
      stdout: `\uFEFF${JSON.stringify({
        Elevated: this.elevated,
        Service: this.serviceRunning ? 'Running' : 'Stopped',
        Profiles: profiles,
        ActiveCategories: this.serviceRunning ? ['Private'] : [],
        Products: [],
      })}\r\n`,
      stderr: '',
    };
  }

  /** Lists looked up by name see only those; a pass over all sees every rule (null). */
  private list(names: string[] | null): RunResult {
    this.listCalls.push(names);
    if (!this.listWorks || !this.serviceRunning) {
      return { code: 1, stdout: '', stderr: 'timeout' };
    }
    const rows = this.rules
      .filter((r) => names === null || names.includes(r.name))
      .map((r) => ({
        Name: r.name,
        Enabled: true,
        Direction: r.direction === 'in' ? 1 : 2,
        Action: 0,
        Protocol: r.protocol === 'tcp' ? 6 : 17,
        LocalPorts: r.direction === 'in' ? r.port : '*',
        RemotePorts: r.direction === 'out' ? r.port : '*',
        RemoteAddresses:
          r.remote.length === 0
            ? '*'
            : r.remote
                .map((a) => (a.includes('/') || a.includes(':') ? a : `${a}/255.255.255.255`))
                .join(','),
        LocalAddresses: '*',
        Profiles: 0x7fffffff,
        InterfaceTypes: 'All',
        Interfaces: '',
        ApplicationName: '',
        ServiceName: '',
      }));
    // ConvertTo-Json -InputObject of an @() array: an array even of one rule, or of none.
    return { code: 0, stdout: `\uFEFF${JSON.stringify(rows)}\r\n`, stderr: '' };
  }

  private async launch(env: NodeJS.ProcessEnv): Promise<RunResult> {
    const start = ++this.clock;
    // Other work may run while the prompt is open: give it the chance.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      if (this.uac === 'decline') return { code: 1223, stdout: '', stderr: '' };
      const argv = helperArgsFromAppArgv([
        String(env.PORT_AUDITOR_HELPER_EXE),
        ...commandLineToArgv(String(env.PORT_AUDITOR_HELPER_ARGS)),
      ]);
      if (!argv) return { code: 1, stdout: '', stderr: '' };
      this.helperArgv.push(argv);
      if (!this.serviceRunning) return { code: 21, stdout: '', stderr: '' };
      for (const op of parseHelperArgv(argv).ops) {
        if (op.op === 'block') {
          this.rules.push({
            name: op.rule.name,
            direction: op.rule.direction,
            protocol: op.rule.protocol,
            port: portText(op.rule),
            remote: op.rule.remote,
          });
        } else if (op.op === 'unblock') {
          this.rules = this.rules.filter((r) => r.name !== op.rule.name);
        }
      }
      return { code: 0, stdout: '', stderr: '' };
    } finally {
      this.launches.push({ start, end: ++this.clock });
    }
  }
}
