import type { LocalizedText } from '../contract/errors.js';
import { sentence, type Sentence } from '../text/sentence.js';

/** Windows Firewall's profiles, the only names the catalogue translates (firewall.json `profile`). */
const PROFILES: ReadonlySet<string> = new Set(['domain', 'private', 'public']);

/**
 * A firewall profile's name as a value of a deferred sentence: Windows' `domain`, `private` and
 * `public` as their catalogue words (firewall.json `profile.*`), any other name as it is. No
 * catalogue here: the elevated helper shares netsh.ts, which names profiles in its warnings, and
 * must stay free of the i18n library (see app/text/sentence.ts).
 */
export function profileName(name: string): Sentence | LocalizedText {
  return PROFILES.has(name) ? sentence(`firewall:profile.${name}`) : { fr: name, en: name };
}
