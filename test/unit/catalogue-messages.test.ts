import { describe, expect, test } from 'vitest';
import { AppFailure, errorMessage } from '../../app/errors.js';
import { bothLanguages, textFor } from '../../app/text/catalogue.js';
import { typeset } from './support/typography.js';

/** Intl's French group separator is a narrow no-break space. */
const NNBSP = '\u202f';

describe('errors: sentences from the catalogue, numbers and plurals in the language', () => {
  test('a failure built from its code carries the sentence in both languages and its params', () => {
    const failure = new AppFailure('scan.targets.empty');
    expect(failure.appError.code).toBe('scan.targets.empty');
    expect(failure.appError.message.fr).toMatch(/^Cibles\u00a0: la liste est vide\./);
    expect(failure.appError.message.en).toMatch(/^Targets: the list is empty\./);
    expect(failure.message).toBe(failure.appError.message.en);
    expect(failure.appError.params).toBeUndefined();
  });

  test('a refused prompt quotes the system’s own words as its, not as ours (issue 11 nit)', () => {
    const detail = 'Error executing command as another user: Not authorized';
    const { message } = new AppFailure(
      'firewall.elevation-failed',
      { code: 127, detail },
      { variant: 'said' },
    ).appError;
    expect(message.fr).toContain(typeset(`(message du système, cité tel quel : « ${detail} »)`));
    expect(message.en).toContain(`(the system’s message, quoted as it is: “${detail}”)`);
    expect(message.fr).not.toContain('pkexec :');
  });

  test('a variant picks one of the sentences of a code; text values stay off the wire', () => {
    const failure = new AppFailure(
      'scan.targets.invalid',
      { token: '10.0.0.9-1' },
      { variant: 'reversed' },
    );
    expect(failure.appError.params).toEqual({ token: '10.0.0.9-1' });
    expect(failure.appError.message).toEqual({
      fr: typeset('Cibles : « 10.0.0.9-1 » n’est pas valide — la plage est à l’envers.'),
      en: 'Targets: “10.0.0.9-1” is not valid — the range is reversed.',
    });
  });

  test('numbers are grouped as each language writes them', () => {
    const message = errorMessage(
      'scan.targets.tooMany',
      { count: 262144 },
      { text: { max: 16777216 } },
    );
    expect(message.fr).toBe(
      typeset(
        `Cibles : 262${NNBSP}144 adresses, c’est trop ; le maximum est 16${NNBSP}777${NNBSP}216 (un /8).`,
      ),
    );
    expect(message.en).toBe(
      'Targets: 262,144 addresses is too many; the maximum is 16,777,216 (a /8).',
    );
  });

  test.each([
    [
      0,
      typeset('Déjà 0 analyse en cours dans Port Auditor : attendez qu’elle'),
      'Already 0 scans running',
    ],
    [
      1,
      typeset('Déjà 1 analyse en cours dans Port Auditor : attendez qu’elle'),
      'Already 1 scan running',
    ],
    [
      2,
      typeset('Déjà 2 analyses en cours dans Port Auditor : attendez qu’une'),
      'Already 2 scans running',
    ],
  ])('%i scans: real plurals, French 0 and 1 singular', (count, fr, en) => {
    const message = errorMessage('scan.too-many', { limit: count }, { text: { count } });
    expect(message.fr.startsWith(fr)).toBe(true);
    expect(message.en.startsWith(en)).toBe(true);
  });

  test('an unexpected error is written in both languages around its detail', () => {
    expect(bothLanguages('errors:internal', { detail: 'boom' })).toEqual({
      fr: typeset('Erreur interne inattendue : boom'),
      en: 'Unexpected internal error: boom',
    });
  });
});

describe('messages: notes with plurals', () => {
  test.each([
    [
      0,
      typeset('Fichier nmap : 0 hôte sans adresse IP valide ignoré'),
      'nmap file: 0 hosts without',
    ],
    [
      1,
      typeset('Fichier nmap : 1 hôte sans adresse IP valide ignoré'),
      'nmap file: 1 host without',
    ],
    [
      2,
      typeset('Fichier nmap : 2 hôtes sans adresse IP valide ignorés'),
      'nmap file: 2 hosts without',
    ],
  ])('%i ignored hosts', (count, fr, en) => {
    const note = bothLanguages('messages:import.nmapNoAddress', { count });
    expect(note.fr).toBe(fr);
    expect(note.en.startsWith(en)).toBe(true);
  });
});

describe('pdf: tiles, durations and plurals in the language', () => {
  const fr = textFor('fr', 'pdf');
  const en = textFor('en', 'pdf');

  test('a cover tile writes its figure with Intl ("3 000", "3,000")', () => {
    expect(fr('cover.tile.number', { count: 3000 })).toBe(`3${NNBSP}000`);
    expect(en('cover.tile.number', { count: 3000 })).toBe('3,000');
  });

  test.each([
    [0, 'appareil actif', 'devices up'],
    [1, 'appareil actif', 'device up'],
    [2, 'appareils actifs', 'devices up'],
  ])('%i devices up: the label agrees with its figure', (count, frLabel, enLabel) => {
    expect(fr('cover.tile.devicesUp', { count })).toBe(frLabel);
    expect(en('cover.tile.devicesUp', { count })).toBe(enLabel);
  });

  test.each([
    [0, '0 appareil. ', '0 devices. '],
    [1, '1 appareil. ', '1 device. '],
    [2, '2 appareils. ', '2 devices. '],
  ])('%i devices for one service, no "(s)"', (count, frText, enText) => {
    expect(fr('adviceByService.devices', { count })).toBe(frText);
    expect(en('adviceByService.devices', { count })).toBe(enText);
  });

  test('durations take the language’s decimal sign ("1,5 s", "1.5 s")', () => {
    expect(fr('methodSection.seconds', { seconds: 1.5 })).toBe('1,5\u00a0s');
    expect(en('methodSection.seconds', { seconds: 1.5 })).toBe('1.5 s');
  });

  test('the urgent verdict counts ports and devices separately', () => {
    const verdict = (t: typeof fr, ports: number, devices: number) =>
      t('inShort.urgent', {
        ports: t('inShort.openPorts', { count: ports }),
        devices: t('inShort.devices', { count: devices }),
      });
    expect(verdict(fr, 1, 1)).toBe(
      typeset(
        '1 port ouvert au niveau de risque critique ou élevé sur 1 appareil : à traiter en priorité.',
      ),
    );
    expect(verdict(en, 3, 2)).toBe(
      '3 open ports at a critical or high risk level on 2 devices: deal with them first.',
    );
  });
});
