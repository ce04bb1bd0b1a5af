import type { LocalizedText } from '../contract/index.js';
import { bothLanguages } from '../text/catalogue.js';

/** A rule with no remote scope: it concerns every address (Rules page, PDF, `port-auditor rules`). */
export const ANY_REMOTE: LocalizedText = bothLanguages('firewall:rules.anyRemote');

/** Windows Firewall's profiles, the only names the catalogue translates (firewall.json `profile`). */
const PROFILES: ReadonlySet<string> = new Set(['domain', 'private', 'public']);

/**
 * A firewall profile's name as the user reads it: Windows' `domain`, `private` and `public` in the
 * words Windows' own French settings use (« réseau privé », « profil public »), from the catalogue
 * (firewall.json `profile.*`); any other name (`nftables` on Linux) as it is.
 */
export function profileLabel(name: string): LocalizedText {
  return PROFILES.has(name) ? bothLanguages(`firewall:profile.${name}`) : { fr: name, en: name };
}
