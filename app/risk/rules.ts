import type { Language } from '../contract/app.js';
import type { LocalizedText } from '../contract/errors.js';
import type {
  Exposure,
  PortAssessment,
  ProgramInfo,
  Reference,
  RiskCategory,
  RiskReason,
  Severity,
} from '../contract/risk.js';
import type { PortResult, Protocol } from '../contract/scan.js';
import { identifyBanner } from './banners.js';
import { REGRESSHION_REFERENCE, regresshionVerdict } from './openssh-regresshion.js';
import type { KbEntry } from './kb-schema.js';
import { rangeOfPort } from './kb-schema.js';
import { ianaService, type KnowledgeBase } from './knowledge-base.js';
import { classifyProgram, isExpectedProgram, isWindowsCoreName } from './programs.js';
import { milder, shift, worse } from './severity.js';
import {
  OWN_OTHER_INSTANCE_SERVICE,
  OWN_OTHER_PROCESS_SERVICE,
  OWN_SERVICE,
  SEVERITY_LABEL,
} from '../contract/vocabulary.js';
import { inBothLanguages } from '../text/per-language.js';
import { OUTSIDE_WORDS_MAX, quoted, quotedProgram } from '../contract/outside-words.js';

/** The family of this PC's operating system, as far as a verdict's words depend on it. */
export type PcSystem = 'windows' | 'other';

/** Everything the rules may look at for one open port. */
export interface PortContext {
  port: number;
  protocol: Protocol;
  /** The port belongs to this PC (loopback or one of its interfaces). */
  isLocal: boolean;
  banner?: string;
  /**
   * The software identified on the port: our SSH banner parse (app/scan/service-detection/ssh.ts)
   * or an imported nmap -sV result. Its version decides version-bound rules (CVE-2024-6387).
   */
  detected?: PortResult['detected'];
  /** This PC only: how the listener is bound; `unknown` when no listener was found. */
  exposure?: Exposure;
  /**
   * This PC only: whether it runs Windows (`windows`) or another system (`other`), when known; a
   * port whose advice is about Windows' own service is advised otherwise elsewhere (KbEntry
   * otherSystemAdvice).
   */
  system?: PcSystem;
  /** This PC only: the program that owns the socket, when the OS told us. */
  program?: ProgramInfo;
  /**
   * This PC only, without `program`: a socket serves the port but the OS hid its owner for lack
   * of rights this process does not have (not elevated), so running as administrator would name
   * it; the reason then says so, and only then (issue 13 review, #2).
   */
  ownerHidden?: boolean;
  /**
   * The process id of Port Auditor itself (the process that assesses): its own listening port
   * (browser mode's page server) is named as Port Auditor's, never as an unknown service.
   */
  ownPid?: number;
  /**
   * The process id of the process giving this verdict: a port of Port Auditor whose owner is this
   * very process is "Port Auditor (ce programme)" (OWN_SERVICE); one of another process running
   * its executable is not (OWN_OTHER_PROCESS_SERVICE).
   */
  selfPid?: number;
  /**
   * With `ownPid`: that process is a running Port Auditor host recognised by its command line
   * (OwnPorts.instances); when it is not the process giving the verdict, the port is "Port
   * Auditor (autre instance, PID n)" (OWN_OTHER_INSTANCE_SERVICE).
   */
  ownInstance?: boolean;
}

/**
 * Plain-HTTP services: harmless-looking ("info") as a port, but what they serve crosses the network
 * unencrypted, so served on a network interface they are never shown as nothing to look at.
 */
const CLEARTEXT_WEB = new Set(['http']);

export const IANA_REFERENCE: Reference = {
  label: 'IANA Service Name and Transport Protocol Port Number Registry',
  url: 'https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xhtml',
};

/** Rule ids, stable so the UI and tests can refer to them. */
export const RULES = {
  kbKnownPort: 'kb.known-port',
  bannerConfirms: 'banner.confirms-service',
  bannerOther: 'banner.identifies-other-service',
  thisPc: 'context.this-pc',
  otherDevice: 'context.other-device',
  ianaRegistered: 'iana.registered-service',
  ianaUnassigned: 'iana.unassigned-port',
  dynamicLocal: 'dynamic.unknown-listener',
  dynamicDevice: 'dynamic.unknown-device-port',
  loopbackOnly: 'exposure.loopback-only',
  loopbackBackdoor: 'exposure.loopback-backdoor',
  allInterfaces: 'exposure.all-interfaces',
  specificInterface: 'exposure.specific-interface',
  programUnknown: 'program.unknown',
  programExpected: 'program.expected',
  programUnexpected: 'program.unexpected',
  programSystemOnBackdoor: 'program.windows-system-on-backdoor-port',
  programSystem: 'program.windows-system',
  programUserFolder: 'program.user-folder',
  programDisguised: 'program.disguised-as-windows',
  loopbackDisguised: 'exposure.loopback-disguised-program',
  cleartextWeb: 'exposure.cleartext-web',
  ownPort: 'program.port-auditor',
  programNamesService: 'program.names-service',
  programInstalled: 'program.installed',
  programIdentified: 'program.identified',
  opensshRegresshion: 'version.openssh-cve-2024-6387',
} as const;

/** Values of a sentence's `{{…}}` placeholders in one language. */
type Params = (language: Language) => Record<string, string>;

/**
 * The `risk:rules.<key>` sentence of the catalogue in both languages (the reasons and advice of a
 * verdict carry both, so the page, the CLI and the PDF each show the reader's).
 */
function rule(key: string, params: Params = () => ({})): LocalizedText {
  const fr = params('fr');
  const en = params('en');
  const memoKey = JSON.stringify([key, fr, en]);
  const known = SENTENCES.get(memoKey);
  // A copy: a verdict's texts are its own, whatever a caller does with them.
  if (known) return { fr: known.fr, en: known.en };
  const values: Record<Language, Record<string, string>> = { fr, en };
  const text = inBothLanguages(`risk:rules.${key}`, (language) => values[language]);
  if (SENTENCES.size >= SENTENCES_MAX) SENTENCES.delete(SENTENCES.keys().next().value as string);
  SENTENCES.set(memoKey, text);
  return { fr: text.fr, en: text.en };
}

/**
 * The sentences `rule` made, by their key and both languages' values (the catalogue is fixed, so
 * the same inputs give the same words): a kept scan of 256 hosts × 1,000 open ports says the same
 * few hundred sentences 256,000 times, and i18next's interpolation was most of reopening it
 * (review A2: profiled with bench/kept-prepare.ts, `fixedT` ≈ 70 % of the CPU of a first page).
 * Bounded: the oldest is dropped past SENTENCES_MAX (a port's IANA name makes a sentence per
 * port number, 65,536 at most; the cap keeps the memo to a few MB).
 */
const SENTENCES = new Map<string, LocalizedText>();
const SENTENCES_MAX = 8_192;

/** A severity inside a sentence: the vocabulary's label, in lower case ("élevé", "high"). */
function sev(severity: Severity, language: Language): string {
  return SEVERITY_LABEL[severity][language].toLowerCase();
}

/** Why a loopback-only listener concerns no other device. */
const LOOPBACK_ONLY = rule('loopbackOnly', () => ({ change: '' }));

/**
 * The sentences saying who can reach a port of this PC, by rule id: `reachable` as the listener
 * alone decides, `closed` once a Port Auditor rule read in the firewall stops every other device
 * (app/risk/firewall-verdicts.ts swaps one for the other, so a blocked port's reasons never say
 * that other devices can connect).
 */
export const EXPOSURE_REASON: Record<
  typeof RULES.allInterfaces | typeof RULES.specificInterface,
  { reachable: LocalizedText; closed: LocalizedText }
> = {
  [RULES.allInterfaces]: {
    reachable: rule('allInterfaces.reachable'),
    closed: rule('allInterfaces.closed'),
  },
  [RULES.specificInterface]: {
    reachable: rule('specificInterface.reachable'),
    closed: rule('specificInterface.closed'),
  },
};

/**
 * The words for a severity change made by a rule, in a language, appended to that rule's reason so
 * the reasons, read in order, end at the severity shown ("" when the rule left it as it was).
 */
function lowered(before: Severity, after: Severity): (language: Language) => string {
  if (before === after) return () => '';
  const words = rule('lowered', (language) => ({
    before: sev(before, language),
    after: sev(after, language),
  }));
  return (language) => words[language];
}

interface Verdict {
  severity: Severity;
  advice: LocalizedText;
}

/**
 * Rates one open port. Pure: the same context always gives the same verdict, and every rule that
 * changed or explained the verdict is listed in `reasons`, in the order it applied.
 */
export function assessPort(ctx: PortContext, kb: KnowledgeBase): PortAssessment {
  const range = rangeOfPort(ctx.port);
  if (ctx.isLocal && ctx.program && ctx.ownPid !== undefined && ctx.program.pid === ctx.ownPid) {
    return ownPort(ctx, range);
  }
  const portEntry = kb.byPort(ctx.port, ctx.protocol);
  const bannerService = identifyBanner(ctx.banner);
  const bannerEntry = bannerService ? kb.byService(bannerService) : undefined;

  const reasons: RiskReason[] = [];
  const say = (ruleId: string, text: LocalizedText) => reasons.push({ ruleId, text });

  let entry: KbEntry | undefined = portEntry;
  if (bannerEntry && bannerEntry !== portEntry) {
    // What the service says about itself beats what its port number suggests.
    entry = bannerEntry;
    say(
      RULES.bannerOther,
      rule('bannerOther', () => ({ service: bannerEntry.service })),
    );
  }

  const verdict: Verdict = entry
    ? fromKnowledgeBase(entry, ctx, say)
    : fromRegistry(ctx, range, say);
  if (entry && CLEARTEXT_WEB.has(entry.service)) applyCleartextWeb(ctx, verdict, say);
  if (bannerEntry && bannerEntry === portEntry) {
    say(
      RULES.bannerConfirms,
      rule('bannerConfirms', () => ({ service: bannerEntry.service })),
    );
  }

  const cve = applyVersionRules(ctx, verdict, say);

  const category: RiskCategory = entry?.category ?? 'other';
  if (ctx.isLocal) applyLocalRules(ctx, entry, category, verdict, say);

  // A program we identified says what this port is better than IANA's registry does (Chromium's
  // 9222 is its debugging port, not "teamcoherence").
  const named = !entry && ctx.isLocal && ctx.program ? programService(ctx.program) : undefined;
  const iana = named ? null : ianaService(ctx.port, ctx.protocol);
  const service = entry?.service ?? named ?? iana?.name ?? 'unknown';
  // IANA's registry describes services in English only: both languages show its words.
  const description: LocalizedText | undefined =
    !entry && iana ? { fr: iana.description, en: iana.description } : undefined;
  return {
    port: ctx.port,
    protocol: ctx.protocol,
    severity: verdict.severity,
    service,
    ...(description ? { description } : {}),
    category,
    range,
    ...(ctx.isLocal ? { exposure: ctx.exposure ?? 'unknown' } : {}),
    ...(ctx.program ? { program: ctx.program } : {}),
    ...(ctx.banner ? { banner: ctx.banner } : {}),
    reasons,
    advice: verdict.advice,
    references: [...(entry ? entry.references : [IANA_REFERENCE]), ...cve],
  };
}

type Say = (ruleId: string, text: LocalizedText) => void;

/** A program's name as a service name: "chrome" for chrome.exe, "node" for node. */
function programService(program: ProgramInfo): string | undefined {
  const name = program.name
    .trim()
    .replace(/\.exe$/i, '')
    .toLowerCase();
  return name || undefined;
}

/**
 * Port Auditor's own port (browser mode serves its page there, on 127.0.0.1 only): named as ours,
 * Info while only this PC can reach it; anything wider keeps the exposure's own verdict.
 */
function ownPort(ctx: PortContext, range: ReturnType<typeof rangeOfPort>): PortAssessment {
  const exposure = ctx.exposure ?? 'unknown';
  const loopback = exposure === 'loopback-only';
  const reasons: RiskReason[] = [
    {
      ruleId: RULES.ownPort,
      // Name and PID as clauses, not "(« node » (PID 12315))": no nested parentheses (review 15 N8).
      // Another instance's port is not "the page you are using" (issue 15, F6).
      text: rule(
        ctx.ownInstance && ctx.ownPid !== ctx.selfPid ? 'ownPortOtherInstance' : 'ownPort',
        (language) => ({
          name: quoted(ctx.program!.name, language),
          pid: String(ctx.program!.pid),
        }),
      ),
    },
  ];
  if (loopback) {
    reasons.push({ ruleId: RULES.loopbackOnly, text: LOOPBACK_ONLY });
  } else if (exposure === 'all-interfaces' || exposure === 'specific-interface') {
    reasons.push({
      ruleId: exposure === 'all-interfaces' ? RULES.allInterfaces : RULES.specificInterface,
      text: EXPOSURE_REASON[
        exposure === 'all-interfaces' ? RULES.allInterfaces : RULES.specificInterface
      ].reachable,
    });
  }
  return {
    port: ctx.port,
    protocol: ctx.protocol,
    severity: loopback ? 'info' : 'medium',
    service:
      ctx.ownPid === ctx.selfPid
        ? OWN_SERVICE
        : ctx.ownInstance
          ? OWN_OTHER_INSTANCE_SERVICE
          : OWN_OTHER_PROCESS_SERVICE,
    category: 'other',
    range,
    exposure,
    ...(ctx.program ? { program: ctx.program } : {}),
    ...(ctx.banner ? { banner: ctx.banner } : {}),
    reasons,
    advice: rule(loopback ? 'ownPortAdvice.loopback' : 'ownPortAdvice.exposed'),
    references: [],
  };
}

/**
 * Rules on the version the service announced (issue 16): OpenSSH in CVE-2024-6387's range
 * (app/risk/openssh-regresshion.ts) makes the port at least High, the version quoted as evidence
 * and the CVE said to be possible only (a distribution may have backported the fix); a revision
 * known to carry the fix, another version, or no version at all: the CVE is not claimed. Returns
 * the references the verdict adds.
 */
function applyVersionRules(ctx: PortContext, verdict: Verdict, say: Say): Reference[] {
  const regresshion = regresshionVerdict(ctx.detected);
  if (regresshion.status !== 'possible') return [];
  const before = verdict.severity;
  verdict.severity = worse(verdict.severity, 'high');
  const after = verdict.severity;
  const software = `OpenSSH ${regresshion.version}`;
  const change = raised(before, after);
  say(
    RULES.opensshRegresshion,
    rule('opensshRegresshion', (language) => ({
      software: quoted(software, language),
      change: change(language),
    })),
  );
  const usual = verdict.advice;
  verdict.advice = rule('opensshRegresshionAdvice', (language) => ({ then: usual[language] }));
  return [REGRESSHION_REFERENCE];
}

/** Like lowered, for a rule that made the severity worse ("" when it left it as it was). */
function raised(before: Severity, after: Severity): (language: Language) => string {
  if (before === after) return () => '';
  const words = rule('raised', (language) => ({
    before: sev(before, language),
    after: sev(after, language),
  }));
  return (language) => words[language];
}

/** Plain HTTP served to the network: at least Low on this PC, whatever the port alone says. */
function applyCleartextWeb(ctx: PortContext, verdict: Verdict, say: Say): void {
  const exposed = ctx.exposure === 'all-interfaces' || ctx.exposure === 'specific-interface';
  if (!ctx.isLocal || !exposed || verdict.severity !== 'info') return;
  verdict.severity = 'low';
  say(RULES.cleartextWeb, rule('cleartextWeb'));
}

function fromKnowledgeBase(entry: KbEntry, ctx: PortContext, say: Say): Verdict {
  say(RULES.kbKnownPort, entry.reason);
  let severity = entry.severity;
  if (ctx.isLocal && entry.localSeverity && entry.localSeverity !== severity) {
    severity = entry.localSeverity;
    const usual = entry.severity;
    const local = severity;
    say(
      RULES.thisPc,
      rule('thisPc', (language) => ({
        severity: sev(local, language),
        usual: sev(usual, language),
      })),
    );
  }
  if (!ctx.isLocal && entry.deviceSeverity && entry.deviceSeverity !== severity) {
    severity = entry.deviceSeverity;
    const device = severity;
    say(
      RULES.otherDevice,
      rule('otherDevice', (language) => ({ severity: sev(device, language) })),
    );
  }
  // This PC's system is known: Windows' own service is not what serves the port elsewhere.
  const advice =
    ctx.isLocal && ctx.system === 'other' && entry.otherSystemAdvice
      ? entry.otherSystemAdvice
      : entry.advice;
  return { severity, advice };
}

function fromRegistry(ctx: PortContext, range: ReturnType<typeof rangeOfPort>, say: Say): Verdict {
  const iana = ianaService(ctx.port, ctx.protocol);
  const identify = rule('identifyAdvice');
  if (range === 'dynamic') {
    if (ctx.isLocal) {
      say(RULES.dynamicLocal, rule('dynamicLocal'));
      return { severity: 'medium', advice: identify };
    }
    say(RULES.dynamicDevice, rule('dynamicDevice'));
    return { severity: 'low', advice: identify };
  }
  if (ctx.isLocal && ctx.program) {
    // The program is named in the sentence itself: the PDF's urgent list, the wizard and a
    // collapsed row show this reason alone, with nothing "below" it (review 15, #12).
    const program = ctx.program;
    say(
      RULES.programNamesService,
      rule('programNamesService', (language) => ({ name: quoted(program.name, language) })),
    );
    return { severity: 'low', advice: identify };
  }
  if (iana) {
    say(
      RULES.ianaRegistered,
      rule('ianaRegistered', () => ({ name: iana.name, description: iana.description })),
    );
    return { severity: 'low', advice: identify };
  }
  say(RULES.ianaUnassigned, rule('ianaUnassigned'));
  return { severity: ctx.isLocal ? 'medium' : 'low', advice: identify };
}

function applyLocalRules(
  ctx: PortContext,
  entry: KbEntry | undefined,
  category: RiskCategory,
  verdict: Verdict,
  say: Say,
): void {
  const backdoor = category === 'backdoor';
  const exposure = ctx.exposure ?? 'unknown';
  const kind = classifyProgram(ctx.program);
  // svchost.exe, lsass.exe… only ever run from Windows' own folders: the same name in a user folder
  // is a disguise, however "expected" that name is on this port.
  const disguised =
    kind === 'user-folder' && ctx.program !== undefined && isWindowsCoreName(ctx.program.name);

  // Program rules first: they judge *what* listens; exposure then judges *who can reach it*.
  if (!ctx.program) {
    say(RULES.programUnknown, rule(ctx.ownerHidden ? 'programUnknownHidden' : 'programUnknown'));
  } else {
    // A program's name and path are its owner's words: neutralised where they become a sentence's
    // parameters, so a line feed or U+202E in a folder name cannot forge or reverse our sentence.
    // Quoted in the language's marks and capped (app/contract/outside-words.ts): a process can
    // name itself "Port Auditor", 10,000 characters or a sentence of its own (issue 15, N1).
    const program = ctx.program;
    const who = (language: Language): string => quotedProgram(program, language);
    const path = (language: Language): string =>
      quoted(program.path ?? '', language, OUTSIDE_WORDS_MAX.path);
    const expected =
      entry?.expectedPrograms || entry?.expectedServices
        ? isExpectedProgram(ctx.program, entry.expectedPrograms, entry.expectedServices)
        : null;
    // Only a port Windows itself normally serves makes another owner suspicious (impersonation);
    // a database or web port served by some other program is ordinary.
    const windowsOwnedPort = Boolean(entry?.expectedPrograms?.some(isWindowsCoreName));
    if (disguised) {
      const before = verdict.severity;
      verdict.severity = worse(shift(verdict.severity, 1), 'high');
      const after = verdict.severity;
      verdict.advice = rule('disguisedAdvice');
      say(
        RULES.programDisguised,
        rule('programDisguised', (language) => ({
          who: who(language),
          path: path(language),
          before: sev(before, language),
          after: sev(after, language),
        })),
      );
    } else if (expected === true) {
      say(
        RULES.programExpected,
        rule('programExpected', (language) => ({ who: who(language) })),
      );
    } else if (expected === false && windowsOwnedPort && !backdoor) {
      const before = verdict.severity;
      verdict.severity = worse(shift(verdict.severity, 1), 'medium');
      const after = verdict.severity;
      say(
        RULES.programUnexpected,
        rule('programUnexpected', (language) => ({
          who: who(language),
          before: sev(before, language),
          after: sev(after, language),
        })),
      );
    }
    if (disguised) {
      // Already judged above: neither a Windows component nor an ordinary user-folder program.
    } else if (kind === 'windows-system' && expected !== true) {
      const before = verdict.severity;
      if (backdoor) {
        verdict.severity = milder(verdict.severity, 'medium');
        const change = lowered(before, verdict.severity);
        say(
          RULES.programSystemOnBackdoor,
          rule('programSystemOnBackdoor', (language) => ({
            who: who(language),
            change: change(language),
          })),
        );
      } else {
        if (!entry) verdict.severity = milder(verdict.severity, 'low');
        const change = lowered(before, verdict.severity);
        say(
          RULES.programSystem,
          rule('programSystem', (language) => ({ who: who(language), change: change(language) })),
        );
      }
    } else if (kind === 'user-folder') {
      const before = verdict.severity;
      verdict.severity = worse(shift(verdict.severity, 1), 'medium');
      const after = verdict.severity;
      say(
        RULES.programUserFolder,
        rule('programUserFolder', (language) => ({
          who: who(language),
          path: path(language),
          before: sev(before, language),
          after: sev(after, language),
        })),
      );
    } else if (expected === null || (expected === false && !windowsOwnedPort)) {
      // A named program resolves the "unknown listener" doubt of an unlisted dynamic port.
      const before = verdict.severity;
      if (!entry && rangeOfPort(ctx.port) === 'dynamic') {
        verdict.severity = milder(verdict.severity, 'low');
      }
      const change = lowered(before, verdict.severity);
      if (kind === 'installed') {
        say(
          RULES.programInstalled,
          rule('programInstalled', (language) => ({
            who: who(language),
            path: path(language),
            change: change(language),
          })),
        );
      } else {
        say(
          RULES.programIdentified,
          rule('programIdentified', (language) => ({
            who: who(language),
            change: change(language),
          })),
        );
      }
    }
  }

  if (exposure === 'loopback-only') {
    if (disguised) {
      say(RULES.loopbackDisguised, rule('loopbackDisguised'));
    } else if (backdoor) {
      say(RULES.loopbackBackdoor, rule('loopbackBackdoor'));
    } else {
      const before = verdict.severity;
      verdict.severity = 'info';
      verdict.advice = rule('loopbackAdvice');
      const change = lowered(before, verdict.severity);
      say(
        RULES.loopbackOnly,
        rule('loopbackOnly', (language) => ({ change: change(language) })),
      );
    }
  } else if (exposure === 'all-interfaces') {
    say(RULES.allInterfaces, EXPOSURE_REASON[RULES.allInterfaces].reachable);
  } else if (exposure === 'specific-interface') {
    say(RULES.specificInterface, EXPOSURE_REASON[RULES.specificInterface].reachable);
  }
}
