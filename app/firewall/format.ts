import type {
  FirewallPreview,
  FirewallRule,
  FirewallStatus,
  FirewallVerification,
  Language,
} from '../contract/index.js';
import { textFor } from '../text/catalogue.js';
import { ANY_REMOTE, profileLabel, ruleCreated } from './labels.js';
import { ruleStateText } from '../contract/vocabulary.js';
import { OUTSIDE_WORDS_MAX, quotable } from '../contract/outside-words.js';
import { portText } from './request.js';
import { codePointLength } from '../text/control-characters.js';

/**
 * `port-auditor rules` / `reapply` as a table: a header line, then one row per rule — id,
 * protocol and port, direction, remote addresses, journal state and whether the firewall holds
 * it, creation date in local time — columns padded to their widest cell (code points). Words from
 * the catalogue (firewall.json `cli.rule.*`). `reapplying`: the lines `reapply` prints before it
 * puts the rules back, where "to re-apply (port-auditor reapply <id>)" would only repeat the
 * command being run. Returns the lines without line feeds.
 */
export function formatRuleTable(
  rules: readonly FirewallRule[],
  lang: Language,
  options: { reapplying?: boolean } = {},
): string[] {
  const t = textFor(lang, 'firewall');
  const cell = (rule: FirewallRule): string[] => {
    // The state in the words of the Rules page and the PDF (vocabulary `ruleStateText`), with what
    // the firewall said, the table having no column for it; a lost rule of ours gets the command
    // that puts it back, except in `reapply`'s own lines. A rule only found in the firewall is
    // never "to re-apply" (issue 15, N3).
    const state = ruleStateText(rule, { presence: true })[lang];
    const words =
      rule.present === false && rule.origin !== 'found' && !options.reapplying
        ? t('cli.rule.gone', { state, id: rule.id })
        : state;
    return [
      rule.id,
      `${rule.protocol.toUpperCase()} ${portText(rule)}`,
      t(`rules.dir.${rule.direction}`),
      rule.remote.length > 0 ? rule.remote.join(', ') : ANY_REMOTE[lang],
      words,
      ruleCreated(rule)[lang],
    ];
  };
  const head = ['id', 'port', 'direction', 'remote', 'state', 'createdAt'].map((key) =>
    t(`cli.rule.head.${key}`),
  );
  const rows = [head, ...rules.map(cell)];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => codePointLength(r[i]!))));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - codePointLength(c))))
      .join('  '),
  );
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
  const t = textFor(lang, 'firewall');
  const lines = [
    preview.summary[lang],
    ...preview.notes.map((n) => `- ${n[lang]}`),
    '',
    t('cli.preview.technical', { name: preview.name }),
    ...preview.commands.flatMap((c) => c.display.split('\n').map((l) => `  ${l}`)),
    '',
    t('cli.preview.apply', { command: applyCommand(preview) }),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * What was checked after a block, what was not, and what went wrong, in the CLI's language: the
 * wizard's check labels and values (firewall.json `wizard.check.*`), the verdict in a few words
 * (`cli.verification.*`). ✓ passed, ✗ failed, ○ could not be checked.
 */
export function formatVerification(
  v: FirewallVerification,
  lang: Language,
  backend?: FirewallRule['backend'],
): string {
  const t = textFor(lang, 'firewall');
  const check = (label: string, value: boolean | null) =>
    `  ${value === null ? '○' : value ? '✓' : '✗'} ${t('wizard.check.line', {
      label: t(`wizard.check.${label}`),
      value: t(`wizard.check.${value === null ? 'unknown' : value ? 'yes' : 'no'}`),
    })}`;
  const lines = [
    t(`cli.verification.${v.effective}`),
    check('readBack', v.readBack),
    // Profiles are Windows' notion; on Linux the check is that nftables filters.
    check(backend === 'nftables' ? 'firewallOnNftables' : 'firewallOn', v.firewallOn),
    ...(v.localRulesApplied === null ? [] : [check('localRules', v.localRulesApplied)]),
    ...v.checked.map((c) => `  ✓ ${c[lang]}`),
    ...v.problems.map((p) => `  ✗ ${p[lang]}`),
    ...(v.notChecked.length > 0 ? [t('cli.verification.notChecked')] : []),
    ...v.notChecked.map((n) => `  ○ ${n[lang]}`),
    ...(v.limits.length > 0 ? [t('cli.verification.limits')] : []),
    ...v.limits.map((n) => `  · ${n[lang]}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The one sentence the CLI says about rules the firewall lost (a restart, a firewall reload), in
 * `rules`, `firewall-status` and `scan` alike, with the command that puts them back; null for 0.
 */
export function vanishedRulesLine(count: number, lang: Language): string | null {
  if (count <= 0) return null;
  return textFor(lang, 'firewall')('cli.vanished', { count });
}

/**
 * `port-auditor firewall-status`: which firewall, what this user can read and change and how
 * (elevation), Windows' profiles, the backup, and the warnings, one fact per line
 * (firewall.json `cli.status.*`).
 */
export function formatStatus(s: FirewallStatus, lang: Language): string {
  const t = textFor(lang, 'firewall');
  const yn = (b: boolean) => t(b ? 'cli.status.yes' : 'cli.status.no');
  const profile = (p: FirewallStatus['profiles'][number]) => {
    let state = t(p.enabled ? 'cli.status.profileOn' : 'cli.status.profileOff');
    if (p.active === true) state = t('cli.status.connected', { state });
    if (p.localRulesApplied === false) state = t('cli.status.localRulesIgnored', { state });
    return `  ${t('cli.status.profile', { name: profileLabel(p.name)[lang], state })}`;
  };
  const lines = [
    t('cli.status.backend', {
      backend: s.backend,
      // The system's name, not Node's code for it (linux, win32).
      platform: t(`cli.status.platformName.${s.platform}`, { defaultValue: s.platform }),
    }),
    t('cli.status.available', { value: yn(s.available) }),
    t('cli.status.elevated', { value: yn(s.elevated) }),
    s.canChange
      ? t('cli.status.canChangeHow', {
          value: yn(true),
          how: t(`cli.status.elevation.${s.elevation}`),
        })
      : t('cli.status.canChange', { value: yn(false) }),
    t('cli.status.canRead', { value: yn(s.canRead) }),
    // Profiles are Windows Firewall's (domain, private, public); nftables has none to show.
    ...(s.backend === 'netsh' ? s.profiles : []).map(profile),
    // A path is outside words: one line, whatever it holds (review 13, A3; ad2ce99).
    s.backupPath
      ? t('cli.status.backup', { path: quotable(s.backupPath, OUTSIDE_WORDS_MAX.path) })
      : t('cli.status.noBackup'),
    ...s.warnings.map((w) => `! ${w[lang]}`),
  ];
  const vanished = vanishedRulesLine(s.missing, lang);
  if (vanished) lines.push(`! ${vanished}`);
  return `${lines.join('\n')}\n`;
}
