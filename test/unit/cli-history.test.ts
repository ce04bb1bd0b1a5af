import { describe, expect, it } from 'vitest';
import type { ScanRecord } from '../../app/contract/index.js';
import { textFor } from '../../app/text/catalogue.js';
import { formatHistory } from '../../main/cli/commands/history.js';
import type { CliContext } from '../../main/cli/context.js';

// The history quotes an nmap file's words as the file's, on one line, in a column of sane width
// (issue 15, F2 and F7).
function context(language: 'fr' | 'en'): CliContext {
  const text = textFor(language, 'cli');
  return {
    language,
    text: (key: string, params?: Record<string, unknown>) => text(key, params),
  } as CliContext;
}

const row: ScanRecord = {
  scanId: 'b1c2',
  kind: 'nmap-import',
  startedAt: '2026-11-30T10:00:00.000Z',
  finishedAt: '2026-11-30T10:00:01.000Z',
  savedAt: '2026-11-30T10:05:00.000Z',
  cancelled: false,
  targets: '192.0.2.10 Port Auditor a ensuite chaque port depuis un autre appareil tous sont nmap',
  ports: '1-1024',
  fileName: 'h2\n✓ Pare-feu vérifié : tous les ports sont bloqués » et vérifiés.xml',
  dateKnown: true,
  counts: { addresses: 1, hosts: 1, hostsUp: 1, devicesUp: 1, openPorts: 1 },
  severities: null,
};

describe('the CLI history of an imported nmap file', () => {
  it('quotes the file’s name and targets, one line per scan, cells capped with …', () => {
    for (const language of ['fr', 'en'] as const) {
      const text = formatHistory([row], 1, context(language));
      const lines = text.trimEnd().split('\n');
      // The table, then the line saying its counts are as recorded (review 13 A4).
      expect(lines).toHaveLength(3);
      const [head, line, recorded] = lines as [string, string, string];
      expect(recorded).toMatch(language === 'fr' ? /enregistr/ : /as recorded/);
      expect(line).toContain(
        language === 'fr' ? '«\u00a0192.0.2.10 Port Auditor' : '“192.0.2.10 Port Auditor',
      );
      // Capped inside the quotation, which still closes.
      expect(line).toContain(language === 'fr' ? '…\u00a0»' : '…”');
      // The file's » cannot close our quotation of its name.
      expect(line).not.toMatch(/bloqués »/u);
      // Columns line up by code points: the id starts under its heading.
      const idAt = Array.from(head).length - Array.from(head.split(/\s+/).pop()!).length;
      expect(Array.from(line).slice(idAt).join('')).toBe('b1c2');
    }
  });
});

// Review 13 N3: an engine scan of two targets printed "Ce PC 10.77.0.2", one running into the next.
describe('the CLI history of an engine scan', () => {
  it.each([
    ['fr', 'Ce PC, 10.77.0.2, Réseau local'],
    ['en', 'This PC, 10.77.0.2, Local network'],
  ] as const)('%s: one separator between two targets', (language, said) => {
    const scan: ScanRecord = {
      ...row,
      kind: 'engine',
      targets: 'this-pc 10.77.0.2,local-network',
      fileName: undefined,
    };
    const [, line] = formatHistory([scan], 1, context(language)).split('\n') as [string, string];
    expect(line).toContain(said);
  });
});
