import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import {
  durationText,
  etaText,
  portsText,
  targetsText,
} from '../../renderer/features/scan/format.js';
import { browserLanguage, resolveLanguage } from '../../renderer/i18n/language.js';
import { parseRoute, routeHash } from '../../renderer/shell/route.js';
import { typeset } from './support/typography.js';

const LOCALES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../app/text/locales',
);

function load(lang: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const file of readdirSync(path.join(LOCALES, lang))) {
    if (file.endsWith('.json')) {
      out[file.replace(/\.json$/, '')] = JSON.parse(
        readFileSync(path.join(LOCALES, lang, file), 'utf8'),
      ) as Record<string, unknown>;
    }
  }
  return out;
}

describe('scan wording', async () => {
  const t = i18next.createInstance();
  await t.init({
    resources: { fr: load('fr'), en: load('en') },
    lng: 'fr',
    fallbackLng: false,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
  });
  const fr = t.getFixedT('fr');
  const en = t.getFixedT('en');

  test('the time left reads like a person would say it', () => {
    expect(etaText(fr, undefined)).toBe('Estimation du temps restant…');
    expect(etaText(fr, 3_000)).toBe('Encore quelques secondes');
    expect(etaText(fr, 12_000)).toBe('Encore environ 12 secondes');
    expect(etaText(en, 43_000)).toBe('About 45 seconds left');
    expect(etaText(fr, 60_000)).toBe('Encore environ 1 minute');
    expect(etaText(en, 150_000)).toBe('About 3 minutes left');
    expect(etaText(fr, 2 * 3600_000 + 5 * 60_000)).toBe('Encore environ 2\u00a0h 5\u00a0min');
  });

  test('durations in seconds, then minutes and seconds', () => {
    expect(durationText(fr, 1_450, 'fr')).toBe('1,5\u00a0s');
    expect(durationText(en, 1_450, 'en')).toBe('1.5 s');
    expect(durationText(en, 125_000, 'en')).toBe('2 min 5 s');
  });

  test('a kept scan’s targets and ports in the form’s words, never the app’s tokens', () => {
    expect(targetsText(fr, 'this-pc')).toBe('Ce PC');
    expect(targetsText(en, 'local-network')).toBe('Local network');
    expect(targetsText(fr, 'this-pc, 10.0.0.0/24 nas.local')).toBe('Ce PC, 10.0.0.0/24 nas.local');
    expect(portsText(fr, 'top1000')).toBe('Les 1 000 ports les plus utilisés');
    expect(portsText(en, '1-65535')).toBe('All ports');
    expect(portsText(fr, '22,80')).toBe('22,80');
  });
});

describe('firewall wording', async () => {
  const t = i18next.createInstance();
  await t.init({
    resources: { fr: load('fr'), en: load('en') },
    lng: 'fr',
    fallbackLng: false,
    defaultNS: 'firewall',
    interpolation: { escapeValue: false },
  });
  const fr = t.getFixedT('fr', 'firewall');
  const en = t.getFixedT('en', 'firewall');

  test('a scoped rule’s verdict speaks of connections from its addresses, not of devices', () => {
    const one = { count: 1, addresses: '10.77.210.2' };
    expect(en('wizard.verdict.in-place-scoped', one)).toMatch(
      /^Rule in place: connections from address 10\.77\.210\.2 to this port of this PC are blocked\. The same device can still connect from another of its addresses \(IPv6, say\)/,
    );
    expect(fr('wizard.verdict.in-place-scoped', one)).toMatch(
      /^Règle en place\u00a0: les connexions depuis l’adresse 10\.77\.210\.2 vers ce port de ce PC sont bloquées\. Le même appareil peut encore se connecter depuis une autre de ses adresses \(IPv6 par exemple\)/,
    );
    const two = { count: 2, addresses: '10.0.0.5 et 10.0.1.0/24' };
    expect(fr('wizard.verdict.in-place-scoped', two)).toContain(
      'les connexions depuis les adresses 10.0.0.5 et 10.0.1.0/24 vers ce port',
    );
    expect(en('wizard.verdict.in-place')).toBe(
      'Rule in place: other devices can no longer connect to this port of this PC.',
    );
  });

  test('the "Unblock all" dialog confirms with its own title’s words, and the same for the prompt', () => {
    expect(fr('rules.confirmTitle')).toBe(typeset('Tout débloquer ?'));
    expect(fr('rules.confirm')).toBe('Tout débloquer');
    expect(fr('rules.undoAll')).toBe('Tout débloquer');
    expect(en('rules.confirmTitle')).toBe('Unblock all?');
    expect(en('rules.confirm')).toBe('Unblock all');
    expect(fr('rules.anyRemote')).toBe('toutes les adresses');
    // No step says a prompt "may" appear when the preview said none will.
    for (const mode of ['none', 'pkexec', 'uac'] as const) {
      expect(fr(`wizard.applyIntro.${mode}`)).not.toContain('peut s’afficher');
      expect(en(`wizard.applyIntro.${mode}`)).not.toContain('may appear');
    }
    expect(fr('wizard.applyIntro.none')).toContain('sans demande d’autorisation');
    expect(fr('wizard.elevation.none')).toContain('aucune autorisation ne sera demandée');
  });

  test('an outbound block speaks of the programs of this PC, and not of its containers', () => {
    for (const text of [en('wizard.verdict.this-pc-only'), en('wizard.directionOut')]) {
      expect(text).toContain('programs of this PC');
      expect(text).toContain('containers or virtual machines this PC hosts');
    }
    expect(fr('wizard.verdict.this-pc-only')).toContain('Les programmes de ce PC');
    expect(fr('wizard.verdict.this-pc-only')).toContain(
      'les conteneurs ou machines virtuelles hébergés par ce PC ne sont pas concernés',
    );
  });

  test('Unblock’s confirmation names the port and what it lets through again', () => {
    const what = { port: 3389, protocol: 'TCP', address: '10.0.0.7' };
    expect(en('unblock.confirm.title', what)).toBe('Unblock port 3389/TCP?');
    expect(fr('unblock.confirm.title', what)).toBe(typeset('Débloquer le port 3389/TCP ?'));
    expect(fr('unblock.confirm.out', what)).toBe(
      'les programmes de ce PC pourront de nouveau se connecter au port 3389 (TCP) de 10.0.0.7.',
    );
    expect(en('unblock.done.removed', what)).toBe(
      'Port 3389/TCP unblocked: the rule is removed and, read back, it is no longer in the firewall.',
    );
  });
});

describe('language', () => {
  test('the browser counts as French only when French is its own language', () => {
    expect(browserLanguage('fr-FR')).toBe('fr');
    expect(browserLanguage('fr-CA')).toBe('fr');
    expect(browserLanguage('en-US')).toBe('en');
    expect(browserLanguage('de-DE')).toBe('en');
  });

  test('automatic means French when the browser or the OS is French; a choice wins', () => {
    expect(resolveLanguage('auto', 'fr', null)).toBe('fr');
    expect(resolveLanguage('auto', 'en', 'fr')).toBe('fr');
    expect(resolveLanguage('auto', 'en', 'en')).toBe('en');
    expect(resolveLanguage('auto', 'en', null)).toBe('en');
    expect(resolveLanguage('en', 'fr', 'fr')).toBe('en');
    expect(resolveLanguage('fr', 'en', 'en')).toBe('fr');
  });
});

test('routes survive a round trip through the URL hash', () => {
  for (const route of [
    { kind: 'home' },
    { kind: 'settings' },
    { kind: 'tool', toolId: 'network-scanner', tabId: 'open-ports' },
    { kind: 'tool', toolId: 'network-scanner', tabId: null },
  ] as const) {
    expect(parseRoute(routeHash(route))).toEqual(route);
  }
  expect(parseRoute('')).toEqual({ kind: 'home' });
  expect(parseRoute('#/nowhere')).toEqual({ kind: 'home' });
});
