import type { LocalizedText } from '../contract/index.js';
import { bothLanguages } from '../text/catalogue.js';
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
