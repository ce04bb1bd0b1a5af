import i18next from 'i18next';
import { beforeAll, describe, expect, test } from 'vitest';
import { CATALOGUE, NAMESPACES } from '../../app/text/locales/index.js';
import { asAppError, connectionError } from '../../renderer/api/errors.js';
import { inBothLanguages } from '../../renderer/i18n/both.js';
import { typeset } from './support/typography.js';

// The page's own i18next instance, initialised as renderer/i18n initI18n does (without the DOM).
beforeAll(async () => {
  await i18next.init({
    resources: CATALOGUE,
    ns: [...NAMESPACES],
    defaultNS: 'common',
    lng: 'fr',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
});

describe('the page’s own messages come from the catalogue, in both languages', () => {
  test('a connection refused or stopped says the connection banner’s sentence', () => {
    const stopped = connectionError('stopped');
    expect(stopped.code).toBe('connection.stopped');
    expect(stopped.message).toEqual({
      fr: typeset('Port Auditor s’est arrêté : relancez-le.'),
      en: 'Port Auditor has stopped: start it again.',
    });
    const lost = connectionError('lost');
    expect(lost.code).toBe('connection.lost');
    expect(lost.message.en).toBe('Connection to the application lost. Reconnecting…');
    expect(connectionError('refused').message.fr).toMatch(/^Accès refusé\u00a0: ouvrez/);
    expect(connectionError('token-used').message.en).toMatch(
      /^This address was already used\. To open Port Auditor again, stop it/,
    );
  });

  test('an unexpected failure in the page names its detail in either language', () => {
    const error = asAppError(new TypeError('x is undefined'));
    expect(error).toEqual({
      code: 'renderer.unexpected',
      message: {
        fr: typeset('Erreur inattendue dans l’interface : x is undefined'),
        en: 'Unexpected error in the interface: x is undefined',
      },
    });
  });

  test('the rules’ notices take the language’s plural and number format', () => {
    expect(inBothLanguages('firewall:rules.notice.removed', { count: 1 })).toEqual({
      fr: typeset('Règle retirée ; relue, elle n’est plus dans le pare-feu.'),
      en: 'Rule removed; read back, it is no longer in the firewall.',
    });
    expect(inBothLanguages('firewall:rules.notice.stillPresent', { count: 1200 })).toEqual({
      fr: '1\u202f200 règles sont toujours présentes dans le pare-feu après le déblocage.',
      en: '1,200 rules are still present in the firewall after the unblock.',
    });
    for (const key of ['unreadAfterUndo', 'reapplyMissing', 'reapplied']) {
      const text = inBothLanguages(`firewall:rules.notice.${key}`);
      expect(text.fr).not.toContain('rules.notice');
      expect(text.en).not.toContain('rules.notice');
      expect(text.fr).not.toBe(text.en);
    }
  });
});
