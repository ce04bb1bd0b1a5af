import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMain } from '../../scripts/build-main.mjs';
import type { FirewallBackend, LiveRule } from '../../app/firewall/backend.js';
import { opsToArgv } from '../../app/firewall/helper-argv.js';
import { helperFailureError, opOutcomes } from '../../app/firewall/helper-answer.js';
import { ruleCalled } from '../../app/firewall/labels.js';
import { HELPER_EXIT, HelperResult } from '../../app/firewall/helper-protocol.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';
import { typeset } from './support/typography.js';
import { runFirewallHelper } from '../../main/helper/run.js';

const ID = '3f2b9c1e-8d4a-4f6b-9a7c-2e1d0b5a6c4f';
const dir = mkdtempSync(path.join(os.tmpdir(), `pa-helper-failures-${process.pid}-`));
const places = {
  backupDir: dir,
  backupFile: path.join(dir, 'before-first-change.nft'),
  stateFile: null,
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A firewall that refuses nothing and holds `rules` (none by default): the failures here are the
 * helper's own.
 */
function emptyFirewall(rules: LiveRule[] = []): FirewallBackend {
  return {
    kind: 'nftables',
    readsContent: true,
    status: async () => ({
      available: true,
      elevated: true,
      canRead: true,
      profiles: [],
      warnings: [],
      serviceRunning: null,
    }),
    preview: () => [],
    block: async () => ({ ref: '1' }),
    remove: async () => undefined,
    list: async () => [...rules],
    backup: async (file) => writeFileSync(file, 'policy', { flag: 'wx' }),
  };
}

/** Runs the helper as pkexec would and returns its one line, parsed as the app parses it. */
async function answer(
  argv: string[],
  platform: NodeJS.Platform = 'win32',
  held: LiveRule[] = [],
): Promise<{ code: number; raw: unknown; result: HelperResult }> {
  const lines: string[] = [];
  const code = await runFirewallHelper(argv, {
    stdout: (l) => lines.push(l),
    backend: emptyFirewall(held),
    platform,
    places,
  });
  expect(lines).toHaveLength(1);
  const raw = JSON.parse(lines[0] as string) as unknown;
  return { code, raw, result: HelperResult.parse(raw) };
}

describe('the helper sends failure codes and values, the app writes the sentences', () => {
  it('a refused port arrives as code, params and sentence choice, and reads in French and English', async () => {
    const { code, raw, result } = await answer([
      'block',
      '--id',
      ID,
      '--proto',
      'tcp',
      '--port',
      '70000',
      '--dir',
      'in',
    ]);
    expect(code).toBe(HELPER_EXIT.badRequest);
    // No words on the wire: only what the app needs to write them.
    expect(JSON.stringify(raw)).not.toContain('message');
    const sent = result.results[0];
    expect(sent).toEqual({
      ok: false,
      error: {
        code: 'firewall.invalid-port',
        params: { field: 'port', value: '70000' },
        variant: 'number',
        text: { value: '70000' },
      },
    });
    const [outcome] = opOutcomes(result);
    expect(outcome?.ok).toBe(false);
    const error = (
      outcome as { ok: false; error: { code: string; message: { fr: string; en: string } } }
    ).error;
    expect(error.code).toBe('firewall.invalid-port');
    expect(error.message.fr).toBe(
      typeset(
        'Port refusé : « 70000 ». Indiquez un numéro de 1 à 65535 en chiffres (ou une plage comme 8000-8080).',
      ),
    );
    expect(error.message.en).toBe(
      'Port refused: “70000”. Give a number from 1 to 65535 in digits (or a range such as 8000-8080).',
    );
  });

  it('a re-apply root never approved names the rule in both languages, its description a sentence too', async () => {
    const rule = planRule(
      validateBlockRequest({ protocol: 'tcp', port: 8080, direction: 'in', remote: '10.0.0.7' }),
      ID,
    );
    const { code, raw, result } = await answer(opsToArgv([{ op: 'reapply', rule }]));
    expect(code).toBe(HELPER_EXIT.opFailed);
    expect(JSON.stringify(raw)).not.toContain('message');
    expect(result.results[0]).toEqual({
      ok: false,
      error: {
        code: 'firewall.not-vouched',
        params: { name: rule.name },
        variant: 'noList',
        text: {
          what: {
            key: 'errors:parts.ruleWhat.inFrom',
            params: { port: 'TCP 8080', remote: '10.0.0.7' },
          },
        },
      },
    });
    // Without the journal's word, the rule is named by what it blocks, never by its UUID name.
    const [outcome] = opOutcomes(result);
    const error = (outcome as { ok: false; error: { message: { fr: string; en: string } } }).error;
    expect(error.message.fr).toBe(
      typeset(
        `Ce système ne garde pas de liste des règles approuvées par l’administrateur : une règle de Port Auditor (TCP 8080, entrant depuis 10.0.0.7) n’est pas ré-appliquée. Pour bloquer ce port, bloquez-le à nouveau (résultats de l’analyse, ou port-auditor block).`,
      ),
    );
    expect(error.message.en).toBe(
      `This system keeps no list of the rules the administrator approved: a Port Auditor rule (TCP 8080, inbound from 10.0.0.7) is not re-applied. To block this port, block it again (scan results, or port-auditor block).`,
    );
    // The journal knows it: by its date and port (issue 15); the UUID name only in the params.
    const createdAt = '2026-12-02T10:14:00.000Z';
    const called = ruleCalled({ ...rule, createdAt });
    const [known] = opOutcomes(result, (name) => (name === rule.name ? called : undefined));
    const named = (
      known as {
        ok: false;
        error: { message: { fr: string; en: string }; params: Record<string, unknown> };
      }
    ).error;
    expect(named.message.fr).toContain(
      typeset(
        `l’administrateur : la règle ${called.fr} n’est pas ré-appliquée. Pour bloquer ce port`,
      ),
    );
    expect(named.message.en).toContain(
      `approved: the rule ${called.en} is not re-applied. To block this port`,
    );
    for (const text of [named.message.fr, named.message.en]) expect(text).not.toContain(ID);
    expect(named.params).toEqual({ name: rule.name });
  });

  it('an unblock of a rule that blocks something else names it by its date and port, never its UUID', async () => {
    const rule = planRule(validateBlockRequest({ protocol: 'tcp', port: 23, direction: 'in' }), ID);
    // The firewall's rule under that name blocks another port than the one announced.
    const held: LiveRule = {
      name: rule.name,
      ref: '7',
      enabled: true,
      details: { ...rule, portFrom: 24, portTo: 24 },
    };
    const { result } = await answer(opsToArgv([{ op: 'unblock', rule }]), 'win32', [held]);
    expect(result.results[0]).toMatchObject({
      ok: false,
      error: { code: 'firewall.rule-mismatch', params: { name: rule.name } },
    });
    const createdAt = '2026-12-02T10:14:00.000Z';
    const called = ruleCalled({ ...rule, createdAt });
    const [outcome] = opOutcomes(result, (name) => (name === rule.name ? called : undefined));
    const error = (
      outcome as {
        ok: false;
        error: { message: { fr: string; en: string }; params: Record<string, unknown> };
      }
    ).error;
    expect(error.message.fr).toBe(
      typeset(
        `Rien n’a été retiré pour la règle ${called.fr} : dans le pare-feu, elle ne bloque pas ce qui était annoncé.`,
      ),
    );
    expect(error.message.en).toBe(
      `Nothing was removed for the rule ${called.en}: in the firewall, it does not block what was announced.`,
    );
    expect(error.params).toEqual({ name: rule.name });
    // Unknown to the journal: by what it blocks.
    const [unknown] = opOutcomes(result);
    expect((unknown as { ok: false; error: { message: { en: string } } }).error.message.en).toBe(
      'Nothing was removed for a Port Auditor rule (TCP 23, inbound): in the firewall, it does not block what was announced.',
    );
  });

  it('a backup folder others can write arrives as the path problem, written in both languages', async () => {
    // On Linux the backup folder and every folder above it must be root's alone: the temporary
    // folder (sticky, writable by all) is not, so nothing is changed.
    const rule = planRule(validateBlockRequest({ protocol: 'udp', port: 53, direction: 'in' }), ID);
    const { code, result } = await answer(opsToArgv([{ op: 'block', rule }]), 'linux');
    expect(code).toBe(HELPER_EXIT.backupFailed);
    const backup = result.backup as {
      ok: false;
      error: { code: string; text: { detail: unknown } };
    };
    expect(backup.error.code).toBe('firewall.backup-failed');
    const detail = backup.error.text.detail as { key: string; params: { path: string } };
    expect(detail.key).toMatch(/^messages:helperPath\./);
    const written = helperFailureError(backup.error as never);
    expect(written.message.fr).toMatch(
      /^La sauvegarde du pare-feu a échoué, donc rien n’a été modifié\u00a0: \//,
    );
    expect(written.message.fr).toContain(detail.params.path);
    expect(written.message.en).toMatch(/^The firewall backup failed, so nothing was changed: \//);
  });

  it('refuses an answer with a code this version does not list, or values of another type', () => {
    const base = { version: 3, backup: null, rules: null, inspection: null, restored: [] };
    const withError = (error: unknown) => ({ ...base, results: [{ ok: false, error }] });
    expect(HelperResult.safeParse(withError({ code: 'firewall.not-vouched' })).success).toBe(true);
    expect(HelperResult.safeParse(withError({ code: 'firewall.made-up' })).success).toBe(false);
    expect(
      HelperResult.safeParse(withError({ code: 'internal', params: { detail: { nested: 1 } } }))
        .success,
    ).toBe(false);
    expect(HelperResult.safeParse(withError({ code: 'internal', variant: 'a.b' })).success).toBe(
      false,
    );
    // A sentence of version 2 (words, no code list) is not this protocol.
    expect(
      HelperResult.safeParse({
        ...withError({ code: 'internal', message: { fr: 'x', en: 'x' } }),
        version: 2,
      }).success,
    ).toBe(false);
  });

  it('writes a sentence the catalogue lacks as an internal failure naming the code, never as its key', () => {
    const error = helperFailureError({ code: 'firewall.not-vouched', variant: 'someday' });
    expect(error.code).toBe('internal');
    expect(error.message.en).toContain('firewall.not-vouched.someday');
    expect(error.message.fr).not.toContain('errors:');
  });
});

describe('the built helper bundle', () => {
  const outdir = path.resolve('dist', `test-helper-bundle-${process.pid}`, 'main');
  afterAll(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));

  it('carries no i18n library and no catalogue', { timeout: 60_000 }, async () => {
    await buildMain({ only: ['firewall-helper.mjs'], outdir });
    const file = path.join(outdir, 'firewall-helper.mjs');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/i18next/i);
    // Sentences of the catalogue (errors.json, messages.json, cli.json) in either language.
    expect(text).not.toContain('La sauvegarde du pare-feu a échoué');
    expect(text).not.toContain('The firewall backup failed');
    expect(text).not.toContain('n’appartient pas à root');
    // Well under the 1.1 MB it weighed with the catalogue (zod is most of what is left).
    expect(statSync(file).size).toBeLessThan(1_000_000);
  });
});
