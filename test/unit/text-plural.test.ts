import { describe, expect, test } from 'vitest';
import { counted, pluralWord } from '../../app/text/plural.js';

describe('plurals by the language’s own rules', () => {
  test('French treats 0 and 1 as singular, English only 1', () => {
    expect(counted(0, 'fr', 'port ouvert', 'ports ouverts')).toBe('0 port ouvert');
    expect(counted(0, 'en', 'open port', 'open ports')).toBe('0 open ports');
    expect(counted(1, 'en', 'open port', 'open ports')).toBe('1 open port');
  });

  test('numbers are grouped as the language writes them', () => {
    expect(counted(262144, 'fr', 'adresse', 'adresses')).toBe('262\u202f144 adresses');
    expect(counted(262144, 'en', 'address', 'addresses')).toBe('262,144 addresses');
  });

  test('a word shown apart from its figure (a PDF tile) agrees with it', () => {
    expect(pluralWord(1, 'fr', 'appareil actif', 'appareils actifs')).toBe('appareil actif');
    expect(pluralWord(2, 'fr', 'appareil actif', 'appareils actifs')).toBe('appareils actifs');
    expect(pluralWord(1, 'en', 'device up', 'devices up')).toBe('device up');
  });
});
