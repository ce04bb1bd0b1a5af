import type { LocalizedText } from '../contract/index.js';

/** A rule with no remote scope: it concerns every address (Rules page, PDF, `port-auditor rules`). */
export const ANY_REMOTE: LocalizedText = { fr: 'toutes les adresses', en: 'all addresses' };

/**
 * A firewall profile's name as the user reads it: Windows' `domain`, `private` and `public` in the
 * words Windows' own French settings use (« réseau privé », « profil public »); any other name
 * (`nftables` on Linux) as it is.
 */
export function profileLabel(name: string): LocalizedText {
  const words: Record<string, LocalizedText> = {
    domain: { fr: 'domaine', en: 'domain' },
    private: { fr: 'privé', en: 'private' },
    public: { fr: 'public', en: 'public' },
  };
  return words[name] ?? { fr: name, en: name };
}
