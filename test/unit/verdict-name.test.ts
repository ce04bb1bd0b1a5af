import { describe, expect, test } from 'vitest';
import type { PortAssessment } from '../../app/contract/risk.js';
import { textFor } from '../../app/text/catalogue.js';
import { verdictName } from '../../renderer/features/risk/verdict-name.js';

const telnet: PortAssessment = {
  port: 23,
  protocol: 'tcp',
  severity: 'critical',
  service: 'telnet',
  description: { fr: 'Telnet', en: 'Telnet' },
  category: 'remote-admin',
  range: 'well-known',
  exposure: 'all-interfaces',
  program: { pid: 16906, name: 'python3' },
  reasons: [
    {
      ruleId: 'kb',
      text: {
        fr: 'Telnet envoie identifiants et commandes en clair.',
        en: 'Telnet sends credentials and commands in clear text.',
      },
    },
  ],
  advice: { fr: 'Fermez-le.', en: 'Close it.' },
  references: [],
};

const say = (language: 'fr' | 'en') => (key: string, params?: Record<string, string | number>) =>
  String(textFor(language)(key, params ?? {}));

describe('a verdict heading’s short name (issue 15 review F9)', () => {
  test('level, port/protocol, service and program as the button shows them, without the headline, in fr and en', () => {
    expect(verdictName(telnet, false, say('fr'), 'fr')).toBe(
      'Critique, 23/TCP, telnet, python3 (PID 16906)',
    );
    expect(verdictName(telnet, false, say('en'), 'en')).toBe(
      'Critical, 23/TCP, telnet, python3 (PID 16906)',
    );
  });

  test('a closed port says so; no program known: the page’s words, or nothing off this PC', () => {
    expect(verdictName(telnet, true, say('fr'), 'fr')).toBe(
      'Critique, 23/TCP, telnet, python3 (PID 16906), risque atténué',
    );
    const { program: _program, ...unknown } = telnet;
    expect(verdictName(unknown, false, say('fr'), 'fr')).toBe(
      'Critique, 23/TCP, telnet, Programme inconnu',
    );
    const { exposure: _exposure, ...remote } = unknown;
    expect(verdictName(remote, false, say('en'), 'en')).toBe('Critical, 23/TCP, telnet');
  });
});
