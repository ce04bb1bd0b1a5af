import type {
  FirewallPreview,
  FirewallRule,
  FirewallStatus,
  FirewallVerification,
  Language,
  LocalizedText,
} from '../contract/index.js';
import { formatDateTime } from '../contract/datetime.js';
import { ANY_REMOTE, profileLabel } from './labels.js';
import { RULE_STATE_LABEL } from '../contract/vocabulary.js';
import { portText } from './request.js';

export function formatRule(rule: FirewallRule, lang: Language): string {
  const dir =
    rule.direction === 'in' ? { fr: 'entrant', en: 'inbound' } : { fr: 'sortant', en: 'outbound' };
  const remote = rule.remote.length > 0 ? rule.remote.join(',') : ANY_REMOTE[lang];
  const present =
    rule.present === null
      ? { fr: 'non vérifiée', en: 'not verified' }
      : rule.present
        ? { fr: 'présente', en: 'present' }
        : {
            fr: `DISPARUE du pare-feu, à ré-appliquer (port-auditor reapply ${rule.id})`,
            en: `GONE from the firewall, to re-apply (port-auditor reapply ${rule.id})`,
          };
  const label = lang === 'fr' ? 'distant' : 'remote';
  const found =
    rule.origin === 'found'
      ? lang === 'fr'
        ? ', trouvée dans le pare-feu, absente du journal'
        : ', found in the firewall, not in the journal'
      : '';
  // A rule the firewall lost is not "active", whatever the journal says: its state is that loss.
  const state =
    rule.present === false
      ? present[lang]
      : `${RULE_STATE_LABEL[rule.state][lang]}, ${present[lang]}`;
  return `${rule.id}  ${rule.protocol.toUpperCase()} ${portText(rule)}  ${dir[lang]}  ${label}=${remote}  ${state}${found}  ${formatDateTime(rule.createdAt, lang)}`;
}

/** The command that applies exactly the rule a preview showed: its options and its reserved id. */
export function applyCommand(preview: FirewallPreview): string {
  const r = preview.request;
  return [
    'port-auditor block',
    `--port ${portText(r)}`,
    `--proto ${r.protocol}`,
    `--dir ${r.direction}`,
    ...(r.remote.length > 0 ? [`--remote ${r.remote.join(',')}`] : []),
    `--rule-id ${preview.id}`,
  ].join(' ');
}

/** `block --dry-run`: the same as the wizard's preview, the sentence first, then the details. */
export function formatPreview(preview: FirewallPreview, lang: Language): string {
  const fr = lang === 'fr';
  const lines = [
    preview.summary[lang],
    ...preview.notes.map((n) => `- ${n[lang]}`),
    '',
    fr
      ? `Détails techniques (règle ${preview.name}) :`
      : `Technical details (rule ${preview.name}):`,
    ...preview.commands.flatMap((c) => c.display.split('\n').map((l) => `  ${l}`)),
    '',
    `${fr ? 'Pour appliquer exactement cette règle :' : 'To apply exactly this rule:'} ${applyCommand(preview)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** What was checked after a block, what was not, and what went wrong, in the CLI's language. */
export function formatVerification(
  v: FirewallVerification,
  lang: Language,
  backend?: FirewallRule['backend'],
): string {
  const fr = lang === 'fr';
  const verdict =
    v.effective === 'yes'
      ? fr
        ? 'Blocage en place.'
        : 'Block in place.'
      : v.effective === 'no'
        ? fr
          ? 'Le blocage NE fait PAS effet.'
          : 'The block does NOT take effect.'
        : fr
          ? 'Blocage non confirmé.'
          : 'Block not confirmed.';
  const check = (label: LocalizedText, value: boolean | null) =>
    `  ${value === null ? '○' : value ? '✓' : '✗'} ${label[lang]}${fr ? ' : ' : ': '}${
      value === null
        ? fr
          ? 'impossible à vérifier'
          : 'cannot be checked'
        : value
          ? fr
            ? 'oui'
            : 'yes'
          : fr
            ? 'NON'
            : 'NO'
    }`;
  const lines = [
    verdict,
    check(
      { fr: 'Règle relue dans le pare-feu', en: 'Rule read back from the firewall' },
      v.readBack,
    ),
    // Profiles are Windows' notion; on Linux the check is that nftables filters.
    check(
      backend === 'nftables'
        ? {
            fr: 'Filtrage nftables disponible (pare-feu de Linux)',
            en: 'nftables filtering available (Linux firewall)',
          }
        : {
            fr: 'Pare-feu actif pour les profils en cours',
            en: 'Firewall on for the current profiles',
          },
      v.firewallOn,
    ),
    ...(v.localRulesApplied === null
      ? []
      : [
          check(
            { fr: 'Règles locales appliquées', en: 'Local rules applied' },
            v.localRulesApplied,
          ),
        ]),
    ...v.checked.map((c) => `  ✓ ${c[lang]}`),
    ...v.problems.map((p) => `  ✗ ${p[lang]}`),
    ...(v.notChecked.length > 0
      ? [fr ? 'Non vérifiable d’ici :' : 'Cannot be checked from here:']
      : []),
    ...v.notChecked.map((n) => `  ○ ${n[lang]}`),
  ];
  return `${lines.join('\n')}\n`;
}

const ELEVATION: Record<FirewallStatus['elevation'], LocalizedText> = {
  none: { fr: 'droits déjà suffisants', en: 'rights already held' },
  // The policy is auth_admin_keep for the active session: polkit keeps an approval a few minutes.
  pkexec: {
    fr: 'demande polkit pour une modification (l’accord est gardé quelques minutes)',
    en: 'polkit prompt for a change (the approval is kept a few minutes)',
  },
  uac: { fr: 'demande UAC à chaque modification', en: 'UAC prompt for each change' },
  unavailable: { fr: 'impossible', en: 'impossible' },
};

/**
 * The one sentence the CLI says about rules the firewall lost (a restart, a firewall reload), in
 * `rules`, `firewall-status` and `scan` alike, with the command that puts them back; null for 0.
 */
export function vanishedRulesLine(count: number, lang: Language): string | null {
  if (count <= 0) return null;
  const text: LocalizedText =
    count === 1
      ? {
          fr: '1 règle Port Auditor a disparu du pare-feu (redémarrage ?) : port-auditor reapply --all la remet.',
          en: '1 Port Auditor rule vanished from the firewall (a restart?): port-auditor reapply --all puts it back.',
        }
      : {
          fr: `${count} règles Port Auditor ont disparu du pare-feu (redémarrage ?) : port-auditor reapply --all les remet.`,
          en: `${count} Port Auditor rules vanished from the firewall (a restart?): port-auditor reapply --all puts them back.`,
        };
  return text[lang];
}

export function formatStatus(s: FirewallStatus, lang: Language): string {
  const fr = lang === 'fr';
  const colon = fr ? ' : ' : ': ';
  const yn = (b: boolean) => (b ? (fr ? 'oui' : 'yes') : fr ? 'non' : 'no');
  const lines = [
    `${fr ? 'Pare-feu' : 'Firewall'}${colon}${s.backend} (${s.platform})`,
    `${fr ? 'Disponible' : 'Available'}${colon}${yn(s.available)}`,
    `${fr ? 'Administrateur' : 'Elevated'}${colon}${yn(s.elevated)}`,
    `${fr ? 'Modification possible' : 'Can change'}${colon}${yn(s.canChange)}${
      s.canChange ? ` (${ELEVATION[s.elevation][lang]})` : ''
    }`,
    `${fr ? 'Lecture possible' : 'Can read'}${colon}${yn(s.canRead)}`,
    // Profiles are Windows Firewall's (domain, private, public); nftables has none to show.
    ...(s.backend === 'netsh' ? s.profiles : []).map(
      (p) =>
        `  ${fr ? 'profil' : 'profile'} ${profileLabel(p.name)[lang]}${colon}${p.enabled ? (fr ? 'actif' : 'on') : fr ? 'DÉSACTIVÉ' : 'OFF'}${
          p.active === true ? (fr ? ' (réseau connecté)' : ' (connected network)') : ''
        }${p.localRulesApplied === false ? (fr ? ', règles locales IGNORÉES' : ', local rules IGNORED') : ''}`,
    ),
    `${fr ? 'Sauvegarde' : 'Backup'}${colon}${s.backupPath ?? (fr ? 'aucune (prise avant la première modification)' : 'none yet (taken before the first change)')}`,
    ...s.warnings.map((w) => `! ${w[lang]}`),
  ];
  const vanished = vanishedRulesLine(s.missing, lang);
  if (vanished) lines.push(`! ${vanished}`);
  return `${lines.join('\n')}\n`;
}
