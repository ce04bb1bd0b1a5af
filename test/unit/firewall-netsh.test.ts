import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult, Runner } from '../../app/firewall/backend.js';
import {
  addRuleArgs,
  deleteRuleArgs,
  exportArgs,
  LIST_ALL_SCRIPT,
  LIST_NAMED_SCRIPT,
  NetshBackend,
  netshWriteFailure,
  parseRuleList,
  parseStatus,
  serviceStopped,
  showRuleArgs,
  STATUS_SCRIPT,
  windowsRuleRequest,
} from '../../app/firewall/netsh.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';
import { AppFailure } from '../../app/errors.js';
import { sentenceInBoth } from '../../app/text/catalogue.js';
import { POWERSHELL, psScript, SYSTEM32 } from './support/powershell.js';
import { typeset } from './support/typography.js';

const FIX = path.resolve(__dirname, '../fixtures/firewall/windows');
/** netsh's localized text (OEM code page) as bytes; our scripts' JSON as UTF-8, as runCommand reads it. */
const fixture = (name: string) =>
  readFileSync(
    path.join(FIX, name),
    name.endsWith('.stdout') && !name.startsWith('netsh-') ? 'utf8' : 'latin1',
  );
const ID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const NAME = `PortAuditor-${ID}`;
const NETSH = `${SYSTEM32}\\netsh.exe`;

const rule = (input: Record<string, unknown>) => planRule(validateBlockRequest(input), ID);

/** Plays Windows: answers each expected argv with a recorded result, and records the calls. */
function scripted(answers: { match: (argv: string[]) => boolean; result: RunResult }[]) {
  const calls: string[][] = [];
  const run: Runner = async (argv) => {
    calls.push(argv);
    const answer = answers.find((a) => a.match(argv));
    if (!answer) throw new Error(`unexpected command ${argv.join(' ')}`);
    return answer.result;
  };
  return { run, calls };
}
const isNetsh = (verb: string) => (argv: string[]) => argv[0] === NETSH && argv[3] === verb;
const isPs = (script: string) => (argv: string[]) => argv[0] === POWERSHELL && argv[4] === script;

describe('netsh argv', () => {
  it('inbound TCP port, any remote', () => {
    expect(addRuleArgs(rule({ protocol: 'tcp', port: 3389 }))).toEqual([
      'advfirewall',
      'firewall',
      'add',
      'rule',
      `name=${NAME}`,
      'dir=in',
      'action=block',
      'protocol=TCP',
      'localport=3389',
      'profile=any',
      'enable=yes',
      'description=Port Auditor: inbound TCP 3389',
    ]);
  });

  it('inbound UDP range scoped to a subnet', () => {
    expect(
      addRuleArgs(rule({ protocol: 'udp', port: '5000-5010', remote: '192.168.1.9/24' })),
    ).toEqual([
      'advfirewall',
      'firewall',
      'add',
      'rule',
      `name=${NAME}`,
      'dir=in',
      'action=block',
      'protocol=UDP',
      'localport=5000-5010',
      'remoteip=192.168.1.0/24',
      'profile=any',
      'enable=yes',
      'description=Port Auditor: inbound UDP 5000-5010',
    ]);
  });

  it('outbound to devices blocks their port (remoteport) for the listed addresses', () => {
    expect(
      addRuleArgs(
        rule({ protocol: 'tcp', port: 23, direction: 'out', remote: '10.0.0.7,10.0.1.0/24' }),
      ),
    ).toEqual([
      'advfirewall',
      'firewall',
      'add',
      'rule',
      `name=${NAME}`,
      'dir=out',
      'action=block',
      'protocol=TCP',
      'remoteport=23',
      'remoteip=10.0.0.7,10.0.1.0/24',
      'profile=any',
      'enable=yes',
      'description=Port Auditor: outbound TCP 23',
    ]);
  });

  it('delete, show and export', () => {
    expect(deleteRuleArgs(NAME)).toEqual([
      'advfirewall',
      'firewall',
      'delete',
      'rule',
      `name=${NAME}`,
    ]);
    expect(showRuleArgs(NAME)).toEqual(['advfirewall', 'firewall', 'show', 'rule', `name=${NAME}`]);
    expect(exportArgs('C:\\Users\\a b\\x.wfw')).toEqual([
      'advfirewall',
      'export',
      'C:\\Users\\a b\\x.wfw',
    ]);
  });

  it('powershell reads run as plain -Command text, Windows PowerShell 5.1 by absolute path', async () => {
    const calls: string[][] = [];
    await new NetshBackend(
      async (argv) => {
        calls.push(argv);
        return { code: 1, stdout: '', stderr: '' };
      },
      { system32: SYSTEM32 },
    ).list();
    expect(psScript(calls[0] as string[])).toBe(LIST_ALL_SCRIPT);
    // One COM pass (17 s on 1,100 rules where NetSecurity took a minute), or lookups by name.
    expect(LIST_ALL_SCRIPT).toContain('New-Object -ComObject HNetCfg.FwPolicy2');
    expect(LIST_NAMED_SCRIPT).toContain('$rules.Item($n)');
    expect(LIST_NAMED_SCRIPT).toContain('$env:PORT_AUDITOR_RULE_NAMES');
    for (const script of [LIST_ALL_SCRIPT, LIST_NAMED_SCRIPT]) {
      expect(script).toContain('ConvertTo-Json -InputObject $out');
    }
    expect(STATUS_SCRIPT).toContain('Get-NetFirewallProfile -PolicyStore ActiveStore');
    // Windows' own modules by absolute path, cmdlets module-qualified: a module of the same name
    // in the user's Documents or PSModulePath is never loaded instead.
    for (const script of [STATUS_SCRIPT]) {
      expect(script).toContain(
        "Import-Module (Join-Path $PSHOME 'Modules\\NetSecurity\\NetSecurity.psd1')",
      );
      for (const use of script.match(/[\w.\\]*Get-\w+/g) ?? []) expect(use).toContain('\\');
      expect(script).not.toContain('"');
    }
  });
});

describe('PowerShell 5.1 JSON parsers', () => {
  it('list: one rule is an array of one, after a BOM, before CRLF; a lone object or { value, Count } reads the same', () => {
    const one = {
      Name: NAME,
      Enabled: true,
      Direction: 1,
      Action: 0,
      Protocol: 6,
      LocalPorts: '3389',
      RemotePorts: '*',
      RemoteAddresses: '*',
      LocalAddresses: '*',
      Profiles: 0x7fffffff,
      InterfaceTypes: 'All',
      Interfaces: '',
      ApplicationName: '',
      ServiceName: '',
    };
    const text = fixture('list-one.stdout');
    expect(text.startsWith('\uFEFF[')).toBe(true);
    expect(parseRuleList(text)).toEqual([one]);
    // Defensive: not what LIST_*_SCRIPT prints (ConvertTo-Json -InputObject of an @() array), but
    // what 5.1 makes of a single item piped in, or of an array wrapped in a PSObject.
    expect(parseRuleList(JSON.stringify(one))).toEqual([one]);
    expect(parseRuleList(JSON.stringify({ value: [one], Count: 1 }))).toEqual([one]);
  });

  it('list: a rule of ours narrowed afterwards (profile, interface, program…) is not ours to trust', () => {
    const [inbound] = parseRuleList(fixture('list-many.stdout'));
    expect(windowsRuleRequest(inbound!)).not.toBeNull();
    for (const narrowed of [
      { Profiles: 4 },
      { InterfaceTypes: 'Wireless' },
      { Interfaces: 'Ethernet' },
      { LocalAddresses: '192.168.1.23' },
      { ApplicationName: 'C:\\Windows\\System32\\svchost.exe' },
      { ServiceName: 'LanmanServer' },
      { RemotePorts: '1024-65535' },
    ])
      expect(windowsRuleRequest({ ...inbound!, ...narrowed }), JSON.stringify(narrowed)).toBeNull();
    // Another script's output without those fields is never taken for ours either.
    const [bare] = parseRuleList(
      JSON.stringify([
        {
          Name: NAME,
          Enabled: true,
          Direction: 1,
          Action: 0,
          Protocol: 6,
          LocalPorts: '22',
          RemotePorts: '*',
          RemoteAddresses: '*',
        },
      ]),
    );
    expect(windowsRuleRequest(bare!)).toBeNull();
  });

  it('list: a rule that is not shaped like ours has no readable request', () => {
    const [inbound] = parseRuleList(fixture('list-many.stdout'));
    expect(windowsRuleRequest(inbound!)).toEqual({
      protocol: 'tcp',
      portFrom: 3389,
      portTo: 3389,
      direction: 'in',
      remote: [],
    });
    expect(windowsRuleRequest({ ...inbound!, Action: 1 })).toBeNull();
    expect(windowsRuleRequest({ ...inbound!, LocalPorts: '80,443' })).toBeNull();
    expect(windowsRuleRequest({ ...inbound!, Protocol: 1 })).toBeNull();
    expect(windowsRuleRequest({ ...inbound!, LocalPorts: 'RPC' })).toBeNull();
  });

  it('list: several rules, masks in dotted form, an empty list; blank output (defensive) is none', () => {
    const rules = parseRuleList(fixture('list-many.stdout'));
    expect(rules).toHaveLength(3);
    expect(windowsRuleRequest(rules[1]!)?.remote).toEqual(['192.168.1.0/24', '10.0.0.7']);
    expect(rules[1]?.Enabled).toBe(false);
    expect(parseRuleList(fixture('list-empty.stdout'))).toEqual([]);
    expect(parseRuleList('\r\n')).toEqual([]);
  });

  it('status: a third-party firewall and interfaces a profile does not filter', () => {
    const status = parseStatus(fixture('status-third-party.stdout'));
    expect(status.thirdParty).toEqual(['Contoso Internet Security']);
    expect(status.profiles.map((p) => [p.name, p.excludedInterfaces])).toEqual([
      ['domain', []],
      ['private', ['vEthernet (WSL)']],
      ['public', []],
    ]);
  });

  it('status: per-profile state, active profiles, Group Policy ignoring local rules', () => {
    expect(parseStatus(fixture('status-fr-public-gpo.stdout'))).toEqual({
      elevated: false,
      serviceRunning: true,
      profiles: [
        {
          name: 'domain',
          enabled: true,
          active: false,
          localRulesApplied: true,
          excludedInterfaces: [],
        },
        {
          name: 'private',
          enabled: true,
          active: false,
          localRulesApplied: true,
          excludedInterfaces: [],
        },
        {
          name: 'public',
          enabled: true,
          active: true,
          localRulesApplied: false,
          excludedInterfaces: [],
        },
      ],
      thirdParty: [],
    });
    expect(parseStatus(fixture('status-elevated-private-off.stdout'))).toEqual({
      elevated: true,
      serviceRunning: true,
      profiles: [
        {
          name: 'domain',
          enabled: true,
          active: true,
          localRulesApplied: true,
          excludedInterfaces: [],
        },
        {
          name: 'private',
          enabled: false,
          active: true,
          localRulesApplied: true,
          excludedInterfaces: [],
        },
        {
          name: 'public',
          enabled: true,
          active: false,
          localRulesApplied: true,
          excludedInterfaces: [],
        },
      ],
      thirdParty: [],
    });
  });
});

describe('NetshBackend decisions (exit codes and read-back, never localized text)', () => {
  const statusOk = { code: 0, stdout: fixture('status-elevated-private-off.stdout'), stderr: '' };
  const statusUser = { code: 0, stdout: fixture('status-fr-public-gpo.stdout'), stderr: '' };

  it('add: success only when the rule reads back', async () => {
    const { run, calls } = scripted([
      {
        match: isNetsh('add'),
        result: { code: 0, stdout: fixture('netsh-add-ok.en.stdout'), stderr: '' },
      },
      { match: isNetsh('show'), result: { code: 0, stdout: 'Nom de la règle: …', stderr: '' } },
    ]);
    const backend = new NetshBackend(run, { system32: SYSTEM32 });
    await expect(backend.block(rule({ protocol: 'tcp', port: 3389 }))).resolves.toEqual({
      ref: NAME,
    });
    expect(calls).toEqual([
      [NETSH, ...addRuleArgs(rule({ protocol: 'tcp', port: 3389 }))],
      [NETSH, ...showRuleArgs(NAME)],
    ]);
  });

  it('add: exit 0 without a rule afterwards is a failure, not a success', async () => {
    const { run } = scripted([
      { match: isNetsh('add'), result: { code: 0, stdout: '', stderr: '' } },
      {
        match: isNetsh('show'),
        result: { code: 1, stdout: fixture('netsh-show-none.fr-oem850.stdout'), stderr: '' },
      },
    ]);
    await expect(
      new NetshBackend(run, { system32: SYSTEM32 }).block(rule({ protocol: 'tcp', port: 80 })),
    ).rejects.toMatchObject({
      appError: { code: 'firewall.not-applied' },
    });
  });

  it.each([['netsh-add-not-elevated.en.stdout'], ['netsh-add-not-elevated.fr-oem850.stdout']])(
    'add without elevation (%s) is firewall.not-elevated whatever the language',
    async (file) => {
      const { run } = scripted([
        { match: isNetsh('add'), result: { code: 1, stdout: fixture(file), stderr: '' } },
        { match: isPs(STATUS_SCRIPT), result: statusUser },
      ]);
      const error = await new NetshBackend(run, { system32: SYSTEM32 })
        .block(rule({ protocol: 'tcp', port: 80 }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppFailure);
      expect((error as AppFailure).appError.code).toBe('firewall.not-elevated');
      expect((error as AppFailure).appError.message.fr).toContain('administrateur');
    },
  );

  it('delete without elevation is firewall.not-elevated, decided from the status, not the text', async () => {
    const { run } = scripted([
      { match: isNetsh('show'), result: { code: 0, stdout: '', stderr: '' } },
      {
        match: isNetsh('delete'),
        result: { code: 1, stdout: fixture('netsh-add-not-elevated.fr-oem850.stdout'), stderr: '' },
      },
      { match: isPs(STATUS_SCRIPT), result: statusUser },
    ]);
    await expect(new NetshBackend(run, { system32: SYSTEM32 }).remove(NAME)).rejects.toMatchObject({
      appError: { code: 'firewall.not-elevated' },
    });
  });

  it('a failure while elevated is a command failure with its exit code', () => {
    const failure = netshWriteFailure(
      'add rule',
      { code: 87, stdout: '', stderr: '' },
      { elevated: true, serviceRunning: true },
    );
    expect(failure.appError).toMatchObject({
      code: 'firewall.command-failed',
      params: { code: 87 },
    });
  });

  it('delete: runs only when the rule exists, then checks it is gone', async () => {
    let present = true;
    const { run, calls } = scripted([
      { match: isNetsh('show'), result: { code: 0, stdout: '', stderr: '' } },
      { match: isNetsh('delete'), result: { code: 0, stdout: '', stderr: '' } },
    ]);
    const wrapped: Runner = async (argv, o) => {
      if (argv[3] === 'show') return { code: present ? 0 : 1, stdout: '', stderr: '' };
      if (argv[3] === 'delete') present = false;
      return run(argv, o);
    };
    await new NetshBackend(wrapped, { system32: SYSTEM32 }).remove(NAME);
    expect(calls).toEqual([[NETSH, ...deleteRuleArgs(NAME)]]);
    expect(present).toBe(false);
    await expect(new NetshBackend(run, { system32: SYSTEM32 }).remove('all')).rejects.toThrow();
  });

  it('list and status through PowerShell', async () => {
    const { run } = scripted([
      {
        match: isPs(LIST_ALL_SCRIPT),
        result: { code: 0, stdout: fixture('list-many.stdout'), stderr: '' },
      },
      { match: isPs(STATUS_SCRIPT), result: statusOk },
    ]);
    const backend = new NetshBackend(run, { system32: SYSTEM32 });
    // What each rule blocks is read back too, so a rule unknown to the journal can be listed.
    expect(await backend.list()).toEqual([
      {
        name: NAME,
        ref: NAME,
        enabled: true,
        details: { protocol: 'tcp', portFrom: 3389, portTo: 3389, direction: 'in', remote: [] },
      },
      {
        name: 'PortAuditor-a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        ref: 'PortAuditor-a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        enabled: false,
        details: {
          protocol: 'udp',
          portFrom: 5000,
          portTo: 5010,
          direction: 'out',
          remote: ['192.168.1.0/24', '10.0.0.7'],
        },
      },
    ]);
    const status = await backend.status();
    expect(status.elevated).toBe(true);
    // The backend names its warnings; the app writes them where shown.
    const warnings = status.warnings.map(sentenceInBoth);
    expect(warnings.map((w) => w.en).join(' ')).toContain('off for the private profile');
    // In French the profile is named as Windows' French settings name it.
    expect(warnings.map((w) => w.fr).join(' ')).toContain(
      typeset('désactivé pour le profil privé :'),
    );
    expect(warnings.map((w) => w.fr).join(' ')).not.toMatch(/profil (private|public|domain)/);
  });

  it('list failure (PermissionDenied, exit 1) is unreadable, not empty', async () => {
    const { run } = scripted([
      { match: isPs(LIST_ALL_SCRIPT), result: { code: 1, stdout: '', stderr: 'PermissionDenied' } },
    ]);
    expect(await new NetshBackend(run, { system32: SYSTEM32 }).list()).toBeNull();
  });
});

describe('Windows Firewall service stopped (MpsSvc)', () => {
  // netsh exits 1 both for "no rule matches" and for a stopped service (0x6D9): only the status
  // read tells them apart.
  const statusStopped = { code: 0, stdout: fixture('status-service-stopped.stdout'), stderr: '' };
  const showFails = {
    code: 1,
    stdout: fixture('netsh-service-stopped.fr-oem850.stdout'),
    stderr: '',
  };

  it('the status says the service is stopped, with its own warning, and nothing is available', async () => {
    expect(parseStatus(fixture('status-service-stopped.stdout'))).toMatchObject({
      elevated: true,
      serviceRunning: false,
      profiles: [],
    });
    const { run } = scripted([{ match: isPs(STATUS_SCRIPT), result: statusStopped }]);
    const status = await new NetshBackend(run, { system32: SYSTEM32 }).status();
    expect(status).toMatchObject({ available: false, canRead: false, serviceRunning: false });
    expect(sentenceInBoth(status.warnings[0]!)).toEqual(serviceStopped().appError.message);
  });

  it('a delete whose rule "does not exist" because the service is stopped is a failure, not removed', async () => {
    const { run } = scripted([
      { match: isNetsh('show'), result: showFails },
      { match: isPs(STATUS_SCRIPT), result: statusStopped },
    ]);
    await expect(new NetshBackend(run, { system32: SYSTEM32 }).remove(NAME)).rejects.toMatchObject({
      appError: { code: 'firewall.service-stopped' },
    });
  });

  it('an elevated add that fails while the service is stopped is not called "needs administrator rights"', async () => {
    const { run } = scripted([
      { match: isNetsh('add'), result: showFails },
      { match: isPs(STATUS_SCRIPT), result: statusStopped },
    ]);
    await expect(
      new NetshBackend(run, { system32: SYSTEM32 }).block(rule({ protocol: 'tcp', port: 80 })),
    ).rejects.toMatchObject({ appError: { code: 'firewall.service-stopped' } });
  });
});
