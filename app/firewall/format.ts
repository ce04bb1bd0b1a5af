import type {
  FirewallPreview,
  FirewallRule,
  FirewallStatus,
  FirewallVerification,
  Language,
  LocalizedText,
} from '../contract/index.js';
import { resolveDataDir } from '../store/data-dir.js';
import { RULE_STATE_LABEL } from './labels.js';
import { portText } from './request.js';
import { FirewallService } from './service.js';

/** The service as the CLI uses it: the user's data dir, repairs reported before anything else. */
export async function openFirewallService(
  write: (text: LocalizedText) => void,
): Promise<FirewallService> {
  const service = new FirewallService({ dataDir: resolveDataDir() });
  await service.init();
  for (const repair of service.repairsMade()) write(repair);
  return service;
}

export function formatRule(rule: FirewallRule, lang: Language): string {
  const dir =
    rule.direction === 'in' ? { fr: 'entrant', en: 'inbound' } : { fr: 'sortant', en: 'outbound' };
  const remote = rule.remote.length > 0 ? rule.remote.join(',') : lang === 'fr' ? 'toutes' : 'any';
  const present =
    rule.present === null
      ? { fr: 'non vérifiée', en: 'not verified' }
      : rule.present
        ? { fr: 'présente', en: 'present' }
        : { fr: 'ABSENTE du pare-feu', en: 'MISSING from the firewall' };
  const label = lang === 'fr' ? 'distant' : 'remote';
  const found =
    rule.origin === 'found'
      ? lang === 'fr'
        ? ', trouvée dans le pare-feu, absente du journal'
        : ', found in the firewall, not in the journal'
      : '';
  return `${rule.id}  ${rule.protocol.toUpperCase()} ${portText(rule)}  ${dir[lang]}  ${label}=${remote}  ${RULE_STATE_LABEL[rule.state][lang]}, ${present[lang]}${found}  ${rule.createdAt}`;
}

export function formatPreview(preview: FirewallPreview, lang: Language): string {
  const lines = [
    lang === 'fr' ? `Règle ${preview.name} — commandes :` : `Rule ${preview.name} — commands:`,
    ...preview.commands.map((c) => `  ${c.display}`),
    ...preview.notes.map((n) => `- ${n[lang]}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function formatVerification(v: FirewallVerification, lang: Language): string {
  const yesNo = (b: boolean | null) =>
    b === null
      ? lang === 'fr'
        ? 'inconnu'
        : 'unknown'
      : b
        ? lang === 'fr'
          ? 'oui'
          : 'yes'
        : lang === 'fr'
          ? 'NON'
          : 'NO';
  const lines = [
    `${lang === 'fr' ? 'Relue dans le pare-feu' : 'Read back from the firewall'}: ${yesNo(v.readBack)}`,
    `${lang === 'fr' ? 'Pare-feu actif' : 'Firewall on'}: ${yesNo(v.firewallOn)}`,
    ...(v.localRulesApplied === null
      ? []
      : [
          `${lang === 'fr' ? 'Règles locales appliquées' : 'Local rules applied'}: ${yesNo(v.localRulesApplied)}`,
        ]),
    ...v.problems.map((p) => `! ${p[lang]}`),
  ];
  return `${lines.join('\n')}\n`;
}

const ELEVATION: Record<FirewallStatus['elevation'], LocalizedText> = {
  none: { fr: 'droits déjà suffisants', en: 'rights already held' },
  pkexec: { fr: 'demande polkit à chaque modification', en: 'polkit prompt for each change' },
  uac: { fr: 'demande UAC à chaque modification', en: 'UAC prompt for each change' },
  unavailable: { fr: 'impossible', en: 'impossible' },
};

export function formatStatus(s: FirewallStatus, lang: Language): string {
  const fr = lang === 'fr';
  const yn = (b: boolean) => (b ? (fr ? 'oui' : 'yes') : fr ? 'non' : 'no');
  const lines = [
    `${fr ? 'Pare-feu' : 'Firewall'}: ${s.backend} (${s.platform})`,
    `${fr ? 'Disponible' : 'Available'}: ${yn(s.available)}`,
    `${fr ? 'Administrateur' : 'Elevated'}: ${yn(s.elevated)}`,
    `${fr ? 'Modification possible' : 'Can change'}: ${yn(s.canChange)}${
      s.canChange ? ` (${ELEVATION[s.elevation][lang]})` : ''
    }`,
    `${fr ? 'Lecture possible' : 'Can read'}: ${yn(s.canRead)}`,
    ...s.profiles.map(
      (p) =>
        `  ${fr ? 'profil' : 'profile'} ${p.name}: ${p.enabled ? (fr ? 'actif' : 'on') : fr ? 'DÉSACTIVÉ' : 'OFF'}${
          p.active === true ? (fr ? ' (réseau connecté)' : ' (connected network)') : ''
        }${p.localRulesApplied === false ? (fr ? ', règles locales IGNORÉES' : ', local rules IGNORED') : ''}`,
    ),
    `${fr ? 'Sauvegarde' : 'Backup'}: ${s.backupPath ?? (fr ? 'aucune (prise avant la première modification)' : 'none yet (taken before the first change)')}`,
    ...s.warnings.map((w) => `! ${w[lang]}`),
  ];
  return `${lines.join('\n')}\n`;
}
