import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../app/contract/datetime.js';
import { ruleCalled } from '../../app/firewall/labels.js';
import { textFor } from '../../app/text/catalogue.js';

describe('a rule named in sentences (review 15b)', () => {
  const createdAt = '2026-12-02T10:14:00.000Z';

  it('by its date and port, in each language, never by its UUID', () => {
    const one = ruleCalled({ createdAt, protocol: 'tcp', portFrom: 23, portTo: 23 });
    expect(one).toEqual({
      fr: `du ${formatDateTime(createdAt, 'fr')} (port 23/tcp)`,
      en: `of ${formatDateTime(createdAt, 'en')} (port 23/tcp)`,
    });
    const range = ruleCalled({ createdAt, protocol: 'udp', portFrom: 8000, portTo: 8010 });
    expect(range.fr).toMatch(/\(ports 8000-8010\/udp\)$/);
    expect(range.en).toMatch(/\(ports 8000-8010\/udp\)$/);
  });

  it('a rule whose making nothing records is called by when it was found (N6)', () => {
    const found = { createdAt, createdKnown: false, protocol: 'tcp' as const, portFrom: 23 };
    expect(ruleCalled({ ...found, portTo: 23 })).toEqual({
      fr: `trouvée le ${formatDateTime(createdAt, 'fr')} (port 23/tcp)`,
      en: `found on ${formatDateTime(createdAt, 'en')} (port 23/tcp)`,
    });
    expect(ruleCalled({ ...found, portTo: 25 }).en).toMatch(/^found on .*\(ports 23-25\/tcp\)$/);
  });

  it('the CLI’s "Règle créée : …" names it so, the id only in the command that removes it', () => {
    const called = ruleCalled({ createdAt, protocol: 'tcp', portFrom: 23, portTo: 23 });
    const id = '3f2b8c1e-9a4d-4e6f-8b7a-000000000005';
    const fr = textFor('fr', 'cli')('commands.block.created', { called: called.fr, id });
    expect(fr).toBe(
      `Règle créée\u00a0: la règle ${called.fr}. Pour la retirer\u00a0: port-auditor unblock ${id}`,
    );
    expect(fr).not.toContain('PortAuditor-');
    const en = textFor('en', 'cli')('commands.block.created', { called: called.en, id });
    expect(en).toBe(
      `Rule created: the rule ${called.en}. To remove it: port-auditor unblock ${id}`,
    );
  });
});
