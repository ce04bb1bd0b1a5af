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
import type { Protocol } from '../contract/scan.js';
import { identifyBanner } from './banners.js';
import type { KbEntry } from './kb-schema.js';
import { rangeOfPort } from './kb-schema.js';
import { ianaService, type KnowledgeBase } from './knowledge-base.js';
import {
  classifyProgram,
  describeProgram,
  isExpectedProgram,
  isWindowsCoreName,
} from './programs.js';
import { milder, shift, worse } from './severity.js';
import { SEVERITIES, SEVERITY_LABEL } from '../contract/vocabulary.js';

/** Everything the rules may look at for one open port. */
export interface PortContext {
  port: number;
  protocol: Protocol;
  /** The port belongs to this PC (loopback or one of its interfaces). */
  isLocal: boolean;
  banner?: string;
  /** This PC only: how the listener is bound; `unknown` when no listener was found. */
  exposure?: Exposure;
  /** This PC only: the program that owns the socket, when the OS told us. */
  program?: ProgramInfo;
  /**
   * The process id of Port Auditor itself (the process that assesses): its own listening port
   * (browser mode's page server) is named as Port Auditor's, never as an unknown service.
   */
  ownPid?: number;
}

/** The service name given to Port Auditor's own listening port. */
export const OWN_SERVICE = 'port-auditor';

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
} as const;

const T = (fr: string, en: string): LocalizedText => ({ fr, en });

/** Why a loopback-only listener concerns no other device. */
const LOOPBACK_ONLY = T(
  'Il n’écoute que sur l’adresse locale de ce PC : aucun autre appareil du réseau ne peut s’y connecter.',
  'It listens on this PC’s local address only: no other device on the network can connect to it.',
);

/** Severity words inside a French sentence: the vocabulary's labels, in lower case. */
const SEV_FR = Object.fromEntries(
  SEVERITIES.map((s) => [s, SEVERITY_LABEL[s].fr.toLowerCase()]),
) as Record<Severity, string>;

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
    reachable: T(
      'Il écoute sur toutes les interfaces réseau : les autres appareils du réseau peuvent s’y connecter si le pare-feu le permet.',
      'It listens on every network interface: other devices on the network can connect to it if the firewall allows.',
    ),
    closed: T(
      'Il écoute sur toutes les interfaces réseau, mais la règle Port Auditor empêche les autres appareils de s’y connecter.',
      'It listens on every network interface, but the Port Auditor rule stops other devices from connecting to it.',
    ),
  },
  [RULES.specificInterface]: {
    reachable: T(
      'Il écoute sur une adresse réseau précise de ce PC : les appareils de ce réseau peuvent s’y connecter.',
      'It listens on one specific network address of this PC: devices on that network can connect to it.',
    ),
    closed: T(
      'Il écoute sur une adresse réseau précise de ce PC, mais la règle Port Auditor empêche les autres appareils de s’y connecter.',
      'It listens on one specific network address of this PC, but the Port Auditor rule stops other devices from connecting to it.',
    ),
  },
};

/**
 * The words for a severity change made by a rule, appended to that rule's reason so the reasons,
 * read in order, end at the severity shown ("" when the rule left it as it was).
 */
function lowered(before: Severity, after: Severity): LocalizedText {
  return before === after
    ? T('', '')
    : T(
        ` (risque abaissé de « ${SEV_FR[before]} » à « ${SEV_FR[after]} »)`,
        ` (risk lowered from "${before}" to "${after}")`,
      );
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
      T(
        `La bannière du service l’identifie comme ${bannerEntry.service}, pas comme le service habituel de ce port : il est évalué comme tel.`,
        `The service's banner identifies it as ${bannerEntry.service}, not the usual service of this port: it is rated as such.`,
      ),
    );
  }

  const verdict: Verdict = entry
    ? fromKnowledgeBase(entry, ctx, say)
    : fromRegistry(ctx, range, say);
  if (entry && CLEARTEXT_WEB.has(entry.service)) applyCleartextWeb(ctx, verdict, say);
  if (bannerEntry && bannerEntry === portEntry) {
    say(
      RULES.bannerConfirms,
      T(
        `La bannière reçue confirme le service ${bannerEntry.service}.`,
        `The banner received confirms the ${bannerEntry.service} service.`,
      ),
    );
  }

  const category: RiskCategory = entry?.category ?? 'other';
  if (ctx.isLocal) applyLocalRules(ctx, entry, category, verdict, say);

  // A program we identified says what this port is better than IANA's registry does (Chromium's
  // 9222 is its debugging port, not "teamcoherence").
  const named = !entry && ctx.isLocal && ctx.program ? programService(ctx.program) : undefined;
  const iana = named ? null : ianaService(ctx.port, ctx.protocol);
  const service = entry?.service ?? named ?? iana?.name ?? 'unknown';
  const description = !entry && iana ? T(iana.description, iana.description) : undefined;
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
    references: entry ? entry.references : [IANA_REFERENCE],
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
      text: T(
        `C’est le port de Port Auditor lui-même (${describeProgram(ctx.program!)}) : la page que vous utilisez en mode navigateur.`,
        `This is Port Auditor’s own port (${describeProgram(ctx.program!)}): the page you are using in browser mode.`,
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
    service: OWN_SERVICE,
    category: 'other',
    range,
    exposure,
    ...(ctx.program ? { program: ctx.program } : {}),
    ...(ctx.banner ? { banner: ctx.banner } : {}),
    reasons,
    advice: loopback
      ? T(
          'Rien à faire : il se ferme quand vous quittez Port Auditor.',
          'Nothing to do: it closes when you quit Port Auditor.',
        )
      : T(
          'Relancez Port Auditor sans l’ouvrir au réseau : sa page ne doit être joignable que depuis ce PC.',
          'Start Port Auditor again without opening it to the network: its page should be reachable from this PC only.',
        ),
    references: [],
  };
}

/** Plain HTTP served to the network: at least Low on this PC, whatever the port alone says. */
function applyCleartextWeb(ctx: PortContext, verdict: Verdict, say: Say): void {
  const exposed = ctx.exposure === 'all-interfaces' || ctx.exposure === 'specific-interface';
  if (!ctx.isLocal || !exposed || verdict.severity !== 'info') return;
  verdict.severity = 'low';
  say(
    RULES.cleartextWeb,
    T(
      'Ce serveur web non chiffré (HTTP) est joignable depuis le réseau : ce qu’il sert y circule en clair. Vérifiez que vous savez ce qu’il publie.',
      'This unencrypted (HTTP) web server can be reached from the network: what it serves crosses it in clear text. Check that you know what it publishes.',
    ),
  );
}

function fromKnowledgeBase(entry: KbEntry, ctx: PortContext, say: Say): Verdict {
  say(RULES.kbKnownPort, entry.reason);
  let severity = entry.severity;
  if (ctx.isLocal && entry.localSeverity && entry.localSeverity !== severity) {
    severity = entry.localSeverity;
    say(
      RULES.thisPc,
      T(
        `Sur ce PC, ce service est jugé « ${SEV_FR[severity]} » plutôt que « ${SEV_FR[entry.severity]} ».`,
        `On this PC this service is rated "${severity}" rather than "${entry.severity}".`,
      ),
    );
  }
  if (!ctx.isLocal && entry.deviceSeverity && entry.deviceSeverity !== severity) {
    severity = entry.deviceSeverity;
    say(
      RULES.otherDevice,
      T(
        `Sur un autre appareil du réseau (box, caméra, imprimante…), ce service est jugé « ${SEV_FR[severity]} ».`,
        `On another device of the network (router, camera, printer…) this service is rated "${severity}".`,
      ),
    );
  }
  return { severity, advice: entry.advice };
}

function fromRegistry(ctx: PortContext, range: ReturnType<typeof rangeOfPort>, say: Say): Verdict {
  const iana = ianaService(ctx.port, ctx.protocol);
  const identify = T(
    'Identifiez le programme ou l’appareil qui ouvre ce port ; s’il ne sert à rien, arrêtez-le ou bloquez le port dans le pare-feu.',
    'Identify the program or device that opens this port; if it serves no purpose, stop it or block the port in the firewall.',
  );
  if (range === 'dynamic') {
    if (ctx.isLocal) {
      say(
        RULES.dynamicLocal,
        T(
          'Port de la plage dynamique (49152-65535) qui n’appartient à aucun service connu : un programme inconnu écoute ici tant qu’on ne sait pas lequel.',
          'Port in the dynamic range (49152-65535) that belongs to no known service: an unknown program listens here until we know which one.',
        ),
      );
      return { severity: 'medium', advice: identify };
    }
    say(
      RULES.dynamicDevice,
      T(
        'Port de la plage dynamique ouvert sur un autre appareil : service non identifié, souvent propre au fabricant.',
        'Dynamic-range port open on another device: an unidentified service, often specific to the manufacturer.',
      ),
    );
    return { severity: 'low', advice: identify };
  }
  if (ctx.isLocal && ctx.program) {
    say(
      RULES.programNamesService,
      T(
        'Ce port ne figure pas parmi les services à risque connus ; le programme qui l’ouvre est identifié ci-dessous.',
        'This port is not among the known risky services; the program that opens it is named below.',
      ),
    );
    return { severity: 'low', advice: identify };
  }
  if (iana) {
    say(
      RULES.ianaRegistered,
      T(
        `Port enregistré à l’IANA pour « ${iana.name} » (${iana.description}) ; ce service ne figure pas parmi les services à risque connus.`,
        `Port registered at IANA for "${iana.name}" (${iana.description}); this service is not among the known risky services.`,
      ),
    );
    return { severity: 'low', advice: identify };
  }
  say(
    RULES.ianaUnassigned,
    T(
      'Aucun service n’est enregistré à l’IANA pour ce port : ce qui l’ouvre n’est pas un service standard.',
      'No service is registered at IANA for this port: whatever opens it is not a standard service.',
    ),
  );
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
    say(
      RULES.programUnknown,
      T(
        'Le programme qui écoute n’a pas pu être identifié (il appartient peut-être à un autre utilisateur : relancez en administrateur).',
        'The listening program could not be identified (it may belong to another user: run again as administrator).',
      ),
    );
  } else {
    const who = describeProgram(ctx.program);
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
      verdict.advice = T(
        'Faites analyser ce fichier par votre antivirus sans attendre. Si c’est un logiciel malveillant, débranchez le PC du réseau, bloquez le port et faites nettoyer le PC.',
        'Have your antivirus scan this file right away. If it is malware, disconnect the PC from the network, block the port and have the PC cleaned.',
      );
      say(
        RULES.programDisguised,
        T(
          `Ouvert par ${who}, qui porte le nom d’un composant de Windows mais s’exécute depuis un dossier utilisateur (${ctx.program.path ?? ''}) au lieu de C:\\Windows\\System32 : c’est un déguisement courant des logiciels malveillants (risque « ${SEV_FR[before]} » → « ${SEV_FR[verdict.severity]} »).`,
          `Opened by ${who}, which carries the name of a Windows component but runs from a user folder (${ctx.program.path ?? ''}) instead of C:\\Windows\\System32: a common disguise of malware (risk "${before}" → "${verdict.severity}").`,
        ),
      );
    } else if (expected === true) {
      say(
        RULES.programExpected,
        T(
          `Ouvert par ${who}, le programme qui fournit normalement ce service.`,
          `Opened by ${who}, the program that normally provides this service.`,
        ),
      );
    } else if (expected === false && windowsOwnedPort && !backdoor) {
      const before = verdict.severity;
      verdict.severity = worse(shift(verdict.severity, 1), 'medium');
      say(
        RULES.programUnexpected,
        T(
          `Ouvert par ${who}, qui n’est pas le programme habituel de ce service (risque relevé de « ${SEV_FR[before]} » à « ${SEV_FR[verdict.severity]} »).`,
          `Opened by ${who}, which is not the usual program for this service (risk raised from "${before}" to "${verdict.severity}").`,
        ),
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
          T(
            `Le port est connu pour des portes dérobées, mais il est ouvert par un composant de Windows (${who}) : probablement un usage légitime${change.fr}.`,
            `The port is known for backdoors, but a Windows component owns it (${who}): probably a legitimate use${change.en}.`,
          ),
        );
      } else {
        if (!entry) verdict.severity = milder(verdict.severity, 'low');
        const change = lowered(before, verdict.severity);
        say(
          RULES.programSystem,
          T(
            `Ouvert par un composant de Windows (${who})${change.fr}.`,
            `Opened by a Windows component (${who})${change.en}.`,
          ),
        );
      }
    } else if (kind === 'user-folder') {
      const before = verdict.severity;
      verdict.severity = worse(shift(verdict.severity, 1), 'medium');
      say(
        RULES.programUserFolder,
        T(
          `Ouvert par ${who}, un exécutable situé dans un dossier utilisateur (${ctx.program.path ?? ''}) : c’est là que s’installent les logiciels malveillants (risque « ${SEV_FR[before]} » → « ${SEV_FR[verdict.severity]} »).`,
          `Opened by ${who}, an executable in a user folder (${ctx.program.path ?? ''}): that is where malware installs itself (risk "${before}" → "${verdict.severity}").`,
        ),
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
          T(
            `Ouvert par ${who}, exécutable ${ctx.program.path ?? ''}${change.fr}.`,
            `Opened by ${who}, executable ${ctx.program.path ?? ''}${change.en}.`,
          ),
        );
      } else {
        say(
          RULES.programIdentified,
          T(
            `Ouvert par ${who} (emplacement de l’exécutable inconnu)${change.fr}.`,
            `Opened by ${who} (executable location unknown)${change.en}.`,
          ),
        );
      }
    }
  }

  if (exposure === 'loopback-only') {
    if (disguised) {
      say(
        RULES.loopbackDisguised,
        T(
          'Il n’écoute que sur l’adresse locale (127.0.0.1), mais un programme déguisé en composant de Windows est suspect en soi.',
          'It listens on the local address (127.0.0.1) only, but a program disguised as a Windows component is suspicious in itself.',
        ),
      );
    } else if (backdoor) {
      say(
        RULES.loopbackBackdoor,
        T(
          'Il n’écoute que sur l’adresse locale (127.0.0.1), mais un programme à l’écoute sur un port de porte dérobée est suspect en soi.',
          'It listens on the local address (127.0.0.1) only, but a program listening on a backdoor port is suspicious in itself.',
        ),
      );
    } else {
      const before = verdict.severity;
      verdict.severity = 'info';
      verdict.advice = T(
        'Seuls les programmes de ce PC peuvent le joindre : rien à faire, sauf si vous ne reconnaissez pas le programme.',
        'Only programs on this PC can reach it: nothing to do unless you do not recognise the program.',
      );
      const change = lowered(before, verdict.severity);
      say(
        RULES.loopbackOnly,
        T(
          `Il n’écoute que sur l’adresse locale de ce PC : aucun autre appareil du réseau ne peut s’y connecter${change.fr}.`,
          `It listens on this PC’s local address only: no other device on the network can connect to it${change.en}.`,
        ),
      );
    }
  } else if (exposure === 'all-interfaces') {
    say(RULES.allInterfaces, EXPOSURE_REASON[RULES.allInterfaces].reachable);
  } else if (exposure === 'specific-interface') {
    say(RULES.specificInterface, EXPOSURE_REASON[RULES.specificInterface].reachable);
  }
}
