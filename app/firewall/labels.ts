import { formatDateTime } from '../contract/datetime.js';
import type { FirewallRule, LocalizedText } from '../contract/index.js';
import { bothLanguages, textFor } from '../text/catalogue.js';
import { isSentence } from '../text/sentence.js';
import { profileName } from './profile-name.js';

/** A rule with no remote scope: it concerns every address (Rules page, PDF, `port-auditor rules`). */
export const ANY_REMOTE: LocalizedText = bothLanguages('firewall:rules.anyRemote');

/**
 * A firewall profile's name as the user reads it: Windows' `domain`, `private` and `public` in the
 * words Windows' own French settings use (« réseau privé », « profil public »), from the catalogue
 * (firewall.json `profile.*`); any other name (`nftables` on Linux) as it is.
 */
export function profileLabel(name: string): LocalizedText {
  const value = profileName(name);
  return isSentence(value) ? bothLanguages(value.key) : value;
}

/**
 * How sentences name one of Port Auditor's rules: by when it was made and the port it blocks,
 * "du 2 déc. 2026, 10:14 pour le port 23/tcp" / "of 2 Dec 2026, 10:14 for port 23/tcp", to follow
 * "la règle" / "the rule"; "trouvée le …" / "found on …" when nothing records when it was made
 * (`createdKnown` false). No parenthesis of its own, so a sentence that names the rule inside
 * one ("(règle du …, relue dans le pare-feu)") never nests them (issue 15). Never its UUID name,
 * which only the technical details, the JSON and the CLI's `--json` keep.
 */
export function ruleCalled(
  rule: Pick<FirewallRule, 'createdAt' | 'createdKnown' | 'protocol' | 'portFrom' | 'portTo'>,
): LocalizedText {
  const ports =
    rule.portFrom === rule.portTo ? String(rule.portFrom) : `${rule.portFrom}-${rule.portTo}`;
  const count = rule.portFrom === rule.portTo ? 1 : 2;
  const called = (lang: 'fr' | 'en') =>
    String(
      // A rule whose making nothing records is called by when it was found (review 13 N6).
      textFor(lang, 'vocabulary')(
        rule.createdKnown === false ? 'term.ruleCalledFound' : 'term.ruleCalled',
        {
          date: formatDateTime(rule.createdAt, lang),
          ports,
          protocol: rule.protocol,
          count,
        },
      ),
    );
  return { fr: called('fr'), en: called('en') };
}

/**
 * When a rule was made, as the lists show it (Rules page, PDF, `port-auditor rules`): its date and
 * time; or, for a rule found in the firewall whose making nothing records (`createdKnown` false),
 * "inconnue (trouvée le …)" / "unknown (found on …)" with when it was found (review 13 N6), never
 * the finding passed off as the making.
 */
export function ruleCreated(rule: Pick<FirewallRule, 'createdAt' | 'createdKnown'>): LocalizedText {
  const created = (lang: 'fr' | 'en') => {
    const date = formatDateTime(rule.createdAt, lang);
    return rule.createdKnown === false
      ? String(textFor(lang, 'firewall')('rules.createdUnknown', { found: date }))
      : date;
  };
  return { fr: created('fr'), en: created('en') };
}
