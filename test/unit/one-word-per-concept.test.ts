import { describe, expect, it } from 'vitest';
import { textFor } from '../../app/text/catalogue.js';

// Review 15, R3: "Raison"/"Reason" named two things, the probe's answer (the page's technical
// table, the CLI) and the risk's reasons (the PDF's device table), while the PDF's Method called
// the probe's answer "Réponse". One word for each concept, wherever it is shown.

describe.each(['fr', 'en'] as const)('%s: one word per concept', (lang) => {
  const t = textFor(lang);
  const answer = t('vocabulary:term.probeAnswer');
  const why = t('vocabulary:term.riskReasons');

  it('the probe’s answer is the same word in the page, the CLI and the PDF’s Method', () => {
    expect(answer).toBe(lang === 'fr' ? 'Réponse' : 'Answer');
    expect(t('scan:host.columns.reason')).toBe(answer);
    expect(t('cli:table.reason').toLocaleUpperCase(lang)).toBe(answer.toLocaleUpperCase(lang));
    expect(t('pdf:methodSection.reason')).toBe(answer);
  });

  it('the risk’s reasons are the page’s "Why" in the PDF’s device table too', () => {
    expect(why).toBe(lang === 'fr' ? 'Pourquoi' : 'Why');
    expect(t('risk:port.why')).toBe(why);
    expect(t('pdf:hostSection.reason')).toBe(why);
    expect(t('pdf:methodSection.eachOpenPortS')).toContain(why);
  });

  // Review 15, R12: the History's count of devices was "Appareils actifs" on the page and
  // "APPAREILS" in the CLI: one figure, one name.
  it('the History’s devices count has the page’s name in the CLI', () => {
    expect(t('cli:commands.history.head.devices')).toBe(
      t('history:table.devices').toLocaleUpperCase(lang),
    );
    expect(t('cli:commands.history.recorded')).toMatch(
      new RegExp(`^${t('history:table.devices').toLocaleUpperCase(lang)} `),
    );
  });

  it('no two concepts share a word', () => {
    expect(answer).not.toBe(why);
    for (const key of [
      'scan:host.columns.reason',
      'cli:table.reason',
      'pdf:methodSection.reason',
      'pdf:hostSection.reason',
      'risk:port.why',
    ]) {
      expect(t(key)).not.toMatch(/^(raison|reason)$/i);
    }
  });
});
