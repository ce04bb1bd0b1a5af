import { describe, expect, it } from 'vitest';
import type { PortAssessment } from '../../app/contract/risk.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { assessPort, RULES, type PortContext } from '../../app/risk/rules.js';
import { classifyProgram } from '../../app/risk/programs.js';
import { identifyBanner } from '../../app/risk/banners.js';
import { cleanBanner } from '../../app/scan/prober.js';

const kb = knowledgeBase();
const rate = (ctx: Partial<PortContext> & { port: number }): PortAssessment =>
  assessPort({ protocol: 'tcp', isLocal: false, ...ctx }, kb);
const rules = (a: PortAssessment) => a.reasons.map((r) => r.ruleId);

const svchost = (services: string[]) => ({
  pid: 1044,
  name: 'svchost.exe',
  path: 'C:\\Windows\\System32\\svchost.exe',
  services,
  session: 0,
});
const userExe = {
  pid: 6660,
  name: 'update.exe',
  path: 'C:\\Users\\Marie\\AppData\\Roaming\\upd\\update.exe',
};
const installed = { pid: 321, name: 'node', path: '/usr/bin/node' };

describe('risk rules', () => {
  it('says the same words for the same port again, as texts of each verdict its own', () => {
    // The sentences are remembered by their inputs (rule's memo): a second verdict reads as the
    // first, and changing one verdict's text changes no other.
    const ports = [445, 8080, 49_999, 1, 0x7fff];
    const first = ports.map((port) => rate({ port }));
    const again = ports.map((port) => rate({ port }));
    expect(again).toEqual(first);
    const dynamic = again[2]!.reasons[0]!;
    expect(dynamic.ruleId).toBe(RULES.dynamicDevice);
    const said = dynamic.text.fr;
    dynamic.text.fr = 'changé';
    expect(rate({ port: 49_999 }).reasons[0]?.text.fr).toBe(said);
    expect(first[2]!.reasons[0]!.text.fr).toBe(said);
  });

  it('rates a known port from the knowledge base and explains it in both languages', () => {
    const a = rate({ port: 445 });
    expect(a.severity).toBe('high');
    expect(a.service).toBe('smb');
    expect(rules(a)).toEqual([RULES.kbKnownPort]);
    expect(a.reasons[0]?.text.fr).toMatch(/WannaCry/);
    expect(a.reasons[0]?.text.en).toMatch(/WannaCry/);
    expect(a.references.map((r) => r.label)).toContain('MS17-010');
    expect(a.exposure).toBeUndefined();
  });

  it('rates the same port differently on this PC and on another device', () => {
    expect(rate({ port: 53, protocol: 'udp' }).severity).toBe('info');
    const local = rate({
      port: 53,
      protocol: 'udp',
      isLocal: true,
      exposure: 'all-interfaces',
      program: installed,
    });
    expect(local.severity).toBe('low');
    expect(rules(local)).toContain(RULES.thisPc);

    const dhcpDevice = rate({ port: 67, protocol: 'udp' });
    expect(dhcpDevice.severity).toBe('info');
    expect(rules(dhcpDevice)).toContain(RULES.otherDevice);
    expect(
      rate({
        port: 67,
        protocol: 'udp',
        isLocal: true,
        exposure: 'all-interfaces',
        program: installed,
      }).severity,
    ).toBe('medium');
  });

  it('lowers a service that listens on loopback only, but not a backdoor port', () => {
    const redisAll = rate({
      port: 6379,
      isLocal: true,
      exposure: 'all-interfaces',
      program: installed,
    });
    expect(redisAll.severity).toBe('critical');
    expect(rules(redisAll)).toContain(RULES.allInterfaces);

    const redisLo = rate({
      port: 6379,
      isLocal: true,
      exposure: 'loopback-only',
      program: installed,
    });
    expect(redisLo.severity).toBe('info');
    expect(rules(redisLo)).toContain(RULES.loopbackOnly);
    expect(redisLo.advice.en).toMatch(/Only programs on this PC/);

    const backdoorLo = rate({
      port: 4444,
      isLocal: true,
      exposure: 'loopback-only',
      program: installed,
    });
    expect(backdoorLo.severity).toBe('critical');
    expect(rules(backdoorLo)).toEqual([
      RULES.kbKnownPort,
      RULES.programInstalled,
      RULES.loopbackBackdoor,
    ]);
  });

  it('keeps a specific-interface bind at its knowledge-base rating and says so', () => {
    const mysqld = { pid: 812, name: 'mysqld', path: '/usr/sbin/mysqld' };
    const a = rate({ port: 3306, isLocal: true, exposure: 'specific-interface', program: mysqld });
    expect(a.severity).toBe('high');
    expect(rules(a)).toEqual([RULES.kbKnownPort, RULES.programExpected, RULES.specificInterface]);
  });

  it('re-rates a port from its banner when the banner names another service', () => {
    const ssh = rate({ port: 4444, banner: 'SSH-2.0-OpenSSH_9.6' });
    expect(ssh.service).toBe('ssh');
    expect(ssh.severity).toBe('medium');
    expect(rules(ssh)).toEqual([RULES.bannerOther, RULES.kbKnownPort]);

    const confirmed = rate({ port: 22, banner: 'SSH-2.0-OpenSSH_9.6' });
    expect(confirmed.severity).toBe('medium');
    expect(rules(confirmed)).toEqual([RULES.kbKnownPort, RULES.bannerConfirms]);

    const vncOnHighPort = rate({ port: 40000, banner: 'RFB 003.008\n' });
    expect(vncOnHighPort.service).toBe('vnc');
    expect(vncOnHighPort.severity).toBe('high');
  });

  it('trusts the Windows component that normally owns a port, and distrusts any other owner', () => {
    const rdp = rate({
      port: 3389,
      isLocal: true,
      exposure: 'all-interfaces',
      program: svchost(['TermService']),
    });
    expect(rdp.severity).toBe('high');
    expect(rules(rdp)).toContain(RULES.programExpected);
    expect(rdp.reasons.find((r) => r.ruleId === RULES.programExpected)?.text.en).toMatch(
      /“svchost\.exe” \(PID 1044\) — “TermService”/,
    );

    const fake = rate({
      port: 3389,
      isLocal: true,
      exposure: 'all-interfaces',
      program: {
        pid: 77,
        name: 'rdpwrap.exe',
        path: 'C:\\Program Files\\RDP Wrapper\\rdpwrap.exe',
      },
    });
    expect(fake.severity).toBe('critical');
    expect(rules(fake)).toContain(RULES.programUnexpected);
  });

  it('does not distrust another program serving an ordinary port (database, web)', () => {
    const mysqlByNode = rate({
      port: 3306,
      isLocal: true,
      exposure: 'all-interfaces',
      program: installed,
    });
    expect(mysqlByNode.severity).toBe('high');
    expect(rules(mysqlByNode)).toEqual([
      RULES.kbKnownPort,
      RULES.programInstalled,
      RULES.allInterfaces,
    ]);
    const https = rate({ port: 443, isLocal: true, exposure: 'loopback-only', program: installed });
    expect(https.severity).toBe('info');
    expect(rules(https)).toEqual([RULES.kbKnownPort, RULES.programInstalled, RULES.loopbackOnly]);
    const smbByOther = rate({
      port: 445,
      isLocal: true,
      exposure: 'all-interfaces',
      program: installed,
    });
    expect(smbByOther.severity).toBe('critical');
    expect(rules(smbByOther)).toContain(RULES.programUnexpected);
  });

  it('lowers a backdoor port owned by a Windows component, raises anything run from a user folder', () => {
    const sys = rate({
      port: 1337,
      isLocal: true,
      exposure: 'all-interfaces',
      program: svchost(['SomeSvc']),
    });
    expect(sys.severity).toBe('medium');
    expect(rules(sys)).toContain(RULES.programSystemOnBackdoor);

    const dropped = rate({
      port: 8080,
      isLocal: true,
      exposure: 'all-interfaces',
      program: userExe,
    });
    expect(dropped.severity).toBe('medium');
    expect(rules(dropped)).toContain(RULES.programUserFolder);
    expect(dropped.reasons.find((r) => r.ruleId === RULES.programUserFolder)?.text.fr).toMatch(
      /AppData/,
    );

    const ssh = rate({ port: 22, isLocal: true, exposure: 'all-interfaces', program: userExe });
    expect(ssh.severity).toBe('high');
  });

  it('rates the same port by its owner: the Windows service, an installed program, a user-folder executable', () => {
    const port = { port: 135, isLocal: true, exposure: 'all-interfaces' as const };
    const rpc = rate({ ...port, program: svchost(['RpcSs']) });
    expect(rpc.severity).toBe('high');
    expect(rules(rpc)).toEqual([RULES.kbKnownPort, RULES.programExpected, RULES.allInterfaces]);

    const other = rate({ ...port, program: installed });
    expect(other.severity).toBe('critical');
    expect(rules(other)).toEqual([RULES.kbKnownPort, RULES.programUnexpected, RULES.allInterfaces]);
    expect(other.reasons[1]?.text.en).toMatch(
      /^Opened by “node” \(PID 321\), which is not the usual/,
    );

    // Windows' own process that does not usually serve this port: said, not raised.
    const system = rate({ ...port, program: { pid: 4, name: 'System', session: 0 } });
    expect(system.severity).toBe('critical');
    expect(rules(system)).toContain(RULES.programSystem);
    const wsd = rate({
      port: 5357,
      isLocal: true,
      exposure: 'all-interfaces',
      program: svchost([]),
    });
    expect(wsd.severity).toBe('medium');
    expect(rules(wsd)).toEqual([
      RULES.kbKnownPort,
      RULES.programUnexpected,
      RULES.programSystem,
      RULES.allInterfaces,
    ]);

    const dropped = rate({
      port: 5040,
      isLocal: true,
      exposure: 'all-interfaces',
      program: userExe,
    });
    expect(kb.byPort(5040, 'tcp')?.severity).toBe('info');
    // Two doubts add up: not Windows' own program on a Windows port, and run from a user folder.
    expect(dropped.severity).toBe('high');
    expect(rules(dropped)).toEqual([
      RULES.kbKnownPort,
      RULES.programUnexpected,
      RULES.programUserFolder,
      RULES.allInterfaces,
    ]);
  });

  it('treats a Windows process name running from a user folder as a disguise, even on loopback', () => {
    const fake = {
      pid: 6661,
      name: 'svchost.exe',
      path: 'C:\\Users\\Marie\\AppData\\Local\\Temp\\svchost.exe',
    };
    // The name is the one the knowledge base expects on 135, the folder is not.
    const rpc = rate({ port: 135, isLocal: true, exposure: 'all-interfaces', program: fake });
    expect(rpc.severity).toBe('critical');
    expect(rules(rpc)).toEqual([RULES.kbKnownPort, RULES.programDisguised, RULES.allInterfaces]);
    const why = rpc.reasons.find((r) => r.ruleId === RULES.programDisguised)!.text;
    expect(why.fr).toMatch(/nom d’un composant de Windows.*AppData\\Local\\Temp/);
    expect(why.en).toMatch(/name of a Windows component.*AppData\\Local\\Temp/);
    expect(rpc.advice.en).toMatch(/antivirus/);

    const hidden = rate({ port: 5040, isLocal: true, exposure: 'loopback-only', program: fake });
    expect(hidden.severity).toBe('high');
    expect(rules(hidden)).toEqual([
      RULES.kbKnownPort,
      RULES.programDisguised,
      RULES.loopbackDisguised,
    ]);
    expect(hidden.advice.fr).toMatch(/antivirus/);
  });

  it('names a program whose executable path the OS did not give', () => {
    const a = rate({
      port: 8080,
      isLocal: true,
      exposure: 'specific-interface',
      program: { pid: 99, name: 'java' },
    });
    expect(rules(a)).toEqual([RULES.kbKnownPort, RULES.programIdentified, RULES.specificInterface]);
    expect(a.reasons[1]?.text.en).toBe('Opened by “java” (PID 99) (executable location unknown).');
    expect(a.reasons[1]?.text.fr).toBe(
      'Ouvert par «\u00a0java\u00a0» (PID 99) (emplacement de l’exécutable inconnu).',
    );
  });

  it('quotes a hostile program name and path as outside words: no control, no reversal, no forged sentence, capped', () => {
    // Any process of this user can name itself anything (issue 15, N1): a quote that closes ours,
    // a line feed that starts a line of its own, U+202E that reverses the rest, "Port Auditor",
    // and 10,000 characters.
    const name = 'Port Auditor ». Risque : aucun\n\u202e' + 'x'.repeat(10_000);
    const path =
      'C:\\Users\\Marie\\AppData\\Local\\Temp\\”\u0007' + 'y'.repeat(10_000) + '\\update.exe';
    const a = rate({
      port: 3389,
      isLocal: true,
      exposure: 'all-interfaces',
      program: { pid: 77, name, path },
    });
    const reason = a.reasons.find((r) => r.ruleId === RULES.programUserFolder);
    expect(reason).toBeDefined();
    for (const [language, open, close] of [
      ['fr', '«\u00a0', '\u00a0»'],
      ['en', '“', '”'],
    ] as const) {
      const text = reason!.text[language];
      expect(['\n', '\u0007', '\u202e'].filter((c) => text.includes(c))).toEqual([]);
      // The name is in our quotes, its own closing marks made single, cut at 64 code points.
      const shownName = `${open}Port Auditor ›. Risque : aucun \uFFFD${'x'.repeat(64 - 33)}…${close} (PID 77)`;
      expect(text).toContain(shownName);
      // The path, cut at 260 code points, in the same quotes.
      const pathStart = text.indexOf(`${open}C:\\Users`) + open.length;
      const quotedPath = text.slice(pathStart, text.indexOf(close, pathStart));
      expect(Array.from(quotedPath)).toHaveLength(260);
      expect(quotedPath.startsWith('C:\\Users\\Marie\\AppData\\Local\\Temp\\’\uFFFD')).toBe(true);
      expect(quotedPath.endsWith('y…')).toBe(true);
      expect(text.length).toBeLessThan(700);
    }
  });

  it('says why the program is missing for a known port on this PC', () => {
    const a = rate({ port: 3389, isLocal: true, exposure: 'all-interfaces' });
    expect(a.severity).toBe('high');
    expect(rules(a)).toEqual([RULES.kbKnownPort, RULES.programUnknown, RULES.allInterfaces]);
    expect(a.program).toBeUndefined();
  });

  it('uses the banner on this PC too, before the program and exposure rules', () => {
    const a = rate({
      port: 4444,
      isLocal: true,
      exposure: 'all-interfaces',
      banner: 'SSH-2.0-OpenSSH_9.6',
      program: { pid: 812, name: 'sshd', path: '/usr/sbin/sshd' },
    });
    expect(a.service).toBe('ssh');
    expect(a.banner).toBe('SSH-2.0-OpenSSH_9.6');
    expect(rules(a)).toEqual([
      RULES.bannerOther,
      RULES.kbKnownPort,
      RULES.programInstalled,
      RULES.allInterfaces,
    ]);
    expect(a.severity).toBe(kb.byService('ssh')!.localSeverity ?? kb.byService('ssh')!.severity);
  });

  it('rates an unknown dynamic-range listener medium until its program is known', () => {
    const unknown = rate({ port: 51234, isLocal: true, exposure: 'unknown' });
    expect(unknown.severity).toBe('medium');
    expect(rules(unknown)).toEqual([RULES.dynamicLocal, RULES.programUnknown]);
    expect(unknown.range).toBe('dynamic');
    expect(unknown.exposure).toBe('unknown');

    const known = rate({
      port: 51234,
      isLocal: true,
      exposure: 'all-interfaces',
      program: installed,
    });
    expect(known.severity).toBe('low');
    expect(rules(known)).toContain(RULES.programInstalled);

    const system = rate({
      port: 49668,
      isLocal: true,
      exposure: 'all-interfaces',
      program: { pid: 720, name: 'lsass.exe', session: 0 },
    });
    expect(system.severity).toBe('low');
    expect(rules(system)).toContain(RULES.programSystem);

    const fromUserFolder = rate({
      port: 51234,
      isLocal: true,
      exposure: 'all-interfaces',
      program: userExe,
    });
    expect(fromUserFolder.severity).toBe('high');

    const device = rate({ port: 51234 });
    expect(device.severity).toBe('low');
    expect(rules(device)).toEqual([RULES.dynamicDevice]);
  });

  it('names an unlisted registered port from IANA and rates it low; unassigned ports a notch higher on this PC', () => {
    const a = rate({ port: 6600 }); // mshvlm at IANA, not in the knowledge base
    expect(kb.byPort(6600, 'tcp')).toBeUndefined();
    expect(a.service).toBe('mshvlm');
    expect(a.severity).toBe('low');
    expect(rules(a)).toEqual([RULES.ianaRegistered]);
    expect(a.references[0]?.url).toMatch(/iana\.org/);
    expect(a.description?.en).toBeTruthy();

    expect(rate({ port: 4, isLocal: true, exposure: 'all-interfaces' }).severity).toBe('medium');
    expect(rate({ port: 4 }).severity).toBe('low');
    expect(rules(rate({ port: 4 }))).toEqual([RULES.ianaUnassigned]);
  });
});

describe('program classification', () => {
  it('tells Windows components, user-folder executables and installed programs apart', () => {
    expect(classifyProgram({ pid: 4, name: 'System', session: 0 })).toBe('windows-system');
    expect(classifyProgram({ pid: 900, name: 'svchost.exe', session: 0 })).toBe('windows-system');
    // A name alone, in a user's session, proves nothing: any program can call itself svchost.exe.
    expect(classifyProgram({ pid: 901, name: 'svchost.exe', session: 1 })).toBe('unknown');
    expect(classifyProgram({ pid: 902, name: 'svchost.exe' })).toBe('unknown');
    // Folders under C:\Windows that every user may write to prove nothing either.
    expect(
      classifyProgram({
        pid: 903,
        name: 'svchost.exe',
        path: 'C:\\Windows\\System32\\spool\\drivers\\color\\svchost.exe',
      }),
    ).toBe('user-folder');
    expect(classifyProgram({ pid: 904, name: 'x.exe', path: 'C:\\Windows\\Tasks\\x.exe' })).toBe(
      'user-folder',
    );
    expect(classifyProgram(svchost([]))).toBe('windows-system');
    // A Windows folder's program in a user's session that is no service: any user can make a
    // W:\\Windows\\System32 (subst, a USB stick) or fake the path their process reports.
    const disguised = { pid: 906, name: 'svchost.exe', session: 1 };
    expect(classifyProgram({ ...disguised, path: 'W:\\Windows\\System32\\svchost.exe' })).toBe(
      'installed',
    );
    expect(
      classifyProgram({
        ...disguised,
        path: 'C:\\Windows\\System32\\svchost.exe',
        services: ['CDPUserSvc_4a1b2'],
      }),
    ).toBe('windows-system');
    expect(
      classifyProgram({
        ...disguised,
        session: 0,
        path: 'C:\\Windows\\System32\\..\\..\\Users\\bob\\e.exe',
      }),
    ).toBe('unknown');
    expect(classifyProgram(userExe)).toBe('user-folder');
    expect(classifyProgram({ pid: 5, name: 'x', path: '/tmp/x' })).toBe('user-folder');
    expect(classifyProgram({ pid: 5, name: 'x', path: '/home/bob/bin/x' })).toBe('user-folder');
    expect(classifyProgram({ pid: 5, name: 'sshd', path: '/usr/sbin/sshd' })).toBe('installed');
    expect(classifyProgram({ pid: 5, name: 'a.exe', path: 'C:\\Program Files\\A\\a.exe' })).toBe(
      'installed',
    );
    expect(classifyProgram({ pid: 5, name: 'mystery' })).toBe('unknown');
    expect(classifyProgram(undefined)).toBe('unknown');
  });

  it('never lets a reason contradict the severity shown: the last change said is the final level', () => {
    // Review of issue 13, F13: SMB on loopback only, opened by an unusual program, was shown Low
    // under "risk raised from high to critical".
    const systemd = { pid: 1, name: 'systemd', path: '/usr/lib/systemd/systemd' };
    const smb = rate({ port: 445, isLocal: true, exposure: 'loopback-only', program: systemd });
    // A listener on loopback only is Info (issue 15), whatever raised it before.
    expect(smb.severity).toBe('info');
    expect(rules(smb)).toEqual([RULES.kbKnownPort, RULES.programUnexpected, RULES.loopbackOnly]);
    expect(smb.reasons[1]?.text.en).toMatch(/raised from “high” to “critical”/);
    expect(smb.reasons[2]?.text.en).toMatch(/lowered from “critical” to “info”\)\.$/);
    expect(smb.reasons[2]?.text.fr).toMatch(
      /abaissé de «\u00a0critique\u00a0» à «\u00a0info\u00a0»\)\.$/,
    );

    // The same rule over many contexts: every severity a reason names as the new level, read in
    // order, ends at the one shown.
    const programs = [
      undefined,
      systemd,
      installed,
      userExe,
      svchost(['RpcSs']),
      svchost([]),
      { pid: 4, name: 'System', session: 0 },
      { pid: 9, name: 'svchost.exe', path: 'C:\\Users\\Marie\\svchost.exe' },
      { pid: 7, name: 'mystery' },
    ];
    const exposures = ['loopback-only', 'all-interfaces', 'specific-interface', 'unknown'] as const;
    const ports = [21, 23, 135, 139, 445, 3389, 5040, 5357, 6379, 31337, 50000, 12345, 44444];
    const named = /(?:→|to|rated) "(critical|high|medium|low|info)"/g;
    for (const port of ports)
      for (const exposure of exposures)
        for (const program of programs) {
          const a = rate({ port, isLocal: true, exposure, ...(program ? { program } : {}) });
          const said = a.reasons.flatMap((r) => [...r.text.en.matchAll(named)].map((m) => m[1]));
          if (said.length > 0)
            expect([port, exposure, program?.name, said.at(-1)]).toEqual([
              port,
              exposure,
              program?.name,
              a.severity,
            ]);
        }
  });

  it('recognises services from their banners', () => {
    expect(identifyBanner('SSH-2.0-dropbear')).toBe('ssh');
    expect(identifyBanner('220 mail.example.org ESMTP Postfix')).toBe('smtp');
    expect(identifyBanner('220 (vsFTPd 3.0.3)')).toBe('ftp');
    // A telnet greeting as the prober keeps it (review of issue 14, F6: the raw-byte signature
    // never saw raw bytes, the banner had become dots first).
    const greeting = cleanBanner(
      Buffer.from([0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03, 0xff, 0xfd, 0x18]),
    );
    expect(greeting).toBe('IAC WILL 1 IAC WILL 3 IAC DO 24');
    expect(identifyBanner(greeting)).toBe('telnet');
    expect(cleanBanner(Buffer.from('\xff\xfd\x18login: ', 'latin1'))).toBe('IAC DO 24 login:');
    // Escapes and control bytes stay dots; a lone IAC is not a negotiation.
    expect(cleanBanner(Buffer.from('\x1b[31mhi\r\n', 'latin1'))).toBe('.[31mhi');
    expect(identifyBanner(cleanBanner(Buffer.from([0xff, 0x41])))).toBeNull();
    expect(cleanBanner(Buffer.from('\r\n'))).toBeUndefined();
    expect(identifyBanner('hello')).toBeNull();
    expect(identifyBanner(undefined)).toBeNull();
  });
});

describe('our own and known programs first (issue 15)', () => {
  const chromium = { pid: 777, name: 'chromium', path: '/usr/lib/chromium/chromium' };

  it('names Port Auditor’s own port as ours, Info on loopback', () => {
    const own = rate({
      port: 8081,
      isLocal: true,
      exposure: 'loopback-only',
      program: { pid: 4242, name: 'node', path: '/usr/bin/node' },
      ownPid: 4242,
      selfPid: 4242,
    });
    expect(own.severity).toBe('info');
    expect(own.service).toBe('port-auditor');
    expect(own.description).toBeUndefined();
    expect(rules(own)).toEqual([RULES.ownPort, RULES.loopbackOnly]);
    expect(own.reasons[0]?.text.fr).toContain('Port Auditor lui-même');
    // Another process on the same port is judged as any program.
    const other = rate({
      port: 8081,
      isLocal: true,
      exposure: 'loopback-only',
      program: installed,
      ownPid: 4242,
    });
    expect(other.service).not.toBe('port-auditor');
  });

  it('does not call our own port harmless when it is served to the network', () => {
    const own = rate({
      port: 8081,
      isLocal: true,
      exposure: 'all-interfaces',
      program: { pid: 4242, name: 'node' },
      ownPid: 4242,
    });
    expect(own.severity).toBe('medium');
    expect(rules(own)).toEqual([RULES.ownPort, RULES.allInterfaces]);
  });

  it('lets a known program name the port instead of IANA’s registry', () => {
    const devtools = rate({
      port: 9222,
      isLocal: true,
      exposure: 'loopback-only',
      program: chromium,
    });
    expect(devtools.service).toBe('chromium');
    expect(devtools.description).toBeUndefined();
    expect(rules(devtools)).not.toContain(RULES.ianaRegistered);
    expect(JSON.stringify(devtools.reasons)).not.toContain('teamcoherence');
    // Without a program, IANA's name is all there is.
    expect(rate({ port: 9222, isLocal: true }).service).toBe('teamcoherence');
  });

  it('rates a loopback-only listener Info, not Low', () => {
    const unknown = rate({
      port: 9222,
      isLocal: true,
      exposure: 'loopback-only',
      program: chromium,
    });
    expect(unknown.severity).toBe('info');
    expect(rules(unknown)).toContain(RULES.loopbackOnly);
  });

  it('never says a database listening on loopback only is reachable from the network (review N6)', () => {
    const postgres = { pid: 812, name: 'postgres', path: '/usr/lib/postgresql/15/bin/postgres' };
    const loopback = rate({
      port: 5432,
      isLocal: true,
      exposure: 'loopback-only',
      program: postgres,
    });
    expect(loopback.severity).toBe('info');
    expect(rules(loopback)).toEqual([RULES.kbKnownPort, RULES.programExpected, RULES.loopbackOnly]);
    const said = loopback.reasons.map((r) => `${r.text.fr} ${r.text.en}`).join(' ');
    expect(said).not.toMatch(/joignable (sur|depuis) le réseau|reachable from the network/);
    expect(loopback.reasons.at(-1)?.text.fr).toMatch(
      /^Il n’écoute que sur l’adresse locale de ce PC\u00a0: aucun autre appareil du réseau ne peut s’y connecter \(risque abaissé de «\u00a0élevé\u00a0» à «\u00a0info\u00a0»\)\.$/,
    );
    expect(loopback.advice.en).toBe(
      'Only programs on this PC can reach it: nothing to do unless you do not recognise the program.',
    );
    // The same words for the same database served to every interface, which stays High.
    const everywhere = rate({
      port: 5432,
      isLocal: true,
      exposure: 'all-interfaces',
      program: postgres,
    });
    expect(everywhere.severity).toBe('high');
    expect(everywhere.reasons[0]?.text).toEqual(loopback.reasons[0]?.text);
    expect(rules(everywhere)).toContain(RULES.allInterfaces);
    // No other entry of the knowledge base claims a reach the listener may not have.
    for (const entry of kb.entries) {
      expect(`${entry.reason.fr} ${entry.reason.en}`, `${entry.port}`).not.toMatch(
        /joignable (sur|depuis) le réseau|reachable from the network|accessibles? depuis le réseau|present and reachable|présent et joignable/,
      );
    }
  });

  it('advises port 135 of a PC that does not run Windows as what it is there (review N13)', () => {
    const linux = rate({ port: 135, isLocal: true, exposure: 'all-interfaces', system: 'other' });
    expect(linux.advice.fr).not.toMatch(/PC Windows\s: laissez-le/);
    expect(linux.advice.fr).toMatch(
      /^Sur un PC qui n’est pas sous Windows, ce port n’est pas celui du système\u00a0: c’est en général Samba/,
    );
    expect(linux.advice.en).toMatch(/^On a PC that does not run Windows .* Samba \(rpcd_epmapper/);
    const windows = rate({
      port: 135,
      isLocal: true,
      exposure: 'all-interfaces',
      system: 'windows',
    });
    expect(windows.advice.fr).toMatch(/^Normal sur un PC Windows\s: laissez-le/);
    // Another device's system is not known: the usual advice, whatever this PC runs.
    expect(rate({ port: 135, system: 'other' }).advice).toEqual(windows.advice);
    expect(linux.severity).toBe(windows.severity);
  });

  it('never rates plain HTTP served to the network as Info', () => {
    const everywhere = rate({
      port: 80,
      isLocal: true,
      exposure: 'all-interfaces',
      program: installed,
    });
    expect(everywhere.severity).toBe('low');
    expect(rules(everywhere)).toContain(RULES.cleartextWeb);
    const local = rate({ port: 80, isLocal: true, exposure: 'loopback-only', program: installed });
    expect(local.severity).toBe('info');
    // HTTPS stays Info: it is encrypted.
    expect(
      rate({ port: 443, isLocal: true, exposure: 'all-interfaces', program: installed }).severity,
    ).toBe('info');
  });

  describe('the OpenSSH version and CVE-2024-6387 (issue 16)', () => {
    const ssh = (version: string) => ({
      port: 22,
      banner: `SSH-2.0-OpenSSH_${version}`,
      detected: { service: 'ssh', product: 'OpenSSH', version, extraInfo: 'protocol 2.0' },
    });
    const cited = (a: PortAssessment) => a.references.some((r) => r.label === 'CVE-2024-6387');

    it('cites the CVE as possible, with the version, and rates the port High', () => {
      const a = rate(ssh('9.2p1 Debian-2'));
      expect(a.severity).toBe('high');
      expect(rules(a)).toEqual([RULES.kbKnownPort, RULES.bannerConfirms, RULES.opensshRegresshion]);
      expect(cited(a)).toBe(true);
      const reason = a.reasons.at(-1)!.text;
      expect(reason.fr).toContain('«\u00a0OpenSSH 9.2p1 Debian-2\u00a0»');
      expect(reason.fr).toMatch(
        /CVE-2024-6387.*possible.*«\u00a0moyen\u00a0» à «\u00a0élevé\u00a0»/,
      );
      expect(reason.en).toContain('“OpenSSH 9.2p1 Debian-2”');
      expect(reason.en).toMatch(/possible, not certain/);
      expect(a.advice.en).toMatch(/^Update OpenSSH \(9\.8p1 or later.*allow keys only/);
    });

    it('does not claim it for a fixed Debian revision, another version or no version', () => {
      for (const ctx of [
        ssh('9.2p1 Debian-2+deb12u3'),
        ssh('9.8p1'),
        { port: 22, banner: 'SSH-2.0-OpenSSH_9.2p1' },
        { port: 22 },
      ]) {
        const a = rate(ctx);
        expect(a.severity).toBe('medium');
        expect(rules(a)).not.toContain(RULES.opensshRegresshion);
        expect(cited(a)).toBe(false);
      }
    });

    it('judges the version on any port the banner says is SSH, and on this PC too', () => {
      expect(rate({ ...ssh('8.9p1'), port: 2222 }).severity).toBe('high');
      const local = rate({ ...ssh('8.9p1'), isLocal: true, exposure: 'loopback-only' });
      expect(local.severity).toBe('info');
      expect(rules(local)).toContain(RULES.opensshRegresshion);
    });
  });
});
