import type { AppError, LocalizedText } from '../contract/errors.js';
import { Code } from '../contract/error-codes.js';
import { errorMessage } from '../errors.js';
import { AppFailure } from '../failure.js';
import { hasText, sentenceInBoth } from '../text/catalogue.js';
import { sentence, type Sentence, type SentenceValue } from '../text/sentence.js';
import type { HelperFailure, HelperResult } from './helper-protocol.js';

/** One operation's outcome as the app uses it: the helper's failure written in words. */
export type OpOutcome = { ok: true; ref?: string } | { ok: false; error: AppError };

/** The backup's outcome as the app uses it (see HelperResult.backup). */
export type BackupOutcome =
  { ok: true; path: string; created: boolean } | { ok: false; error: AppError } | null;

/**
 * How the app names one of its rules in words from the rule's technical name (`PortAuditor-<uuid>`):
 * by its date and port (app/firewall/labels.ts ruleCalled) when the journal knows it, else
 * undefined.
 */
export type RuleCalledLookup = (name: string) => LocalizedText | undefined;

/** Failures whose `params.name` is one of our rules' technical names, written in words here. */
const NAMES_A_RULE: ReadonlySet<string> = new Set([
  'firewall.rule-mismatch',
  'firewall.not-vouched',
]);

/**
 * A rule of ours as an error sentence names it (errors.json `parts.ruleNamed`, issue 15): "la
 * règle du 2 déc. 2026, 10:14 pour le port 23/tcp" when `called` (ruleCalled) is known, else "une
 * règle de Port Auditor (TCP 23, entrant)" from `what`, else "une règle de Port Auditor"; never its
 * UUID name, which stays in the failure's params (the details, `--json`).
 */
export function ruleInWords(
  called: LocalizedText | undefined,
  what: SentenceValue | undefined,
): Sentence {
  if (called) return sentence('errors:parts.ruleNamed.known', { called });
  return what === undefined
    ? sentence('errors:parts.ruleNamed.unnamed')
    : sentence('errors:parts.ruleNamed.unknown', { what });
}

/**
 * `failure` (one of NAMES_A_RULE, thrown in this process) with its rule named in words
 * (ruleInWords), for the sentence's `{{rule}}`; any other failure as it is.
 */
export function withRuleInWords(
  failure: AppFailure,
  called: LocalizedText | undefined,
): AppFailure {
  if (!NAMES_A_RULE.has(failure.code)) return failure;
  return new AppFailure(failure.code, failure.params, {
    ...(failure.variant ? { variant: failure.variant } : {}),
    text: { ...failure.text, rule: ruleInWords(called, failure.text?.['what']) },
  });
}

/**
 * A failure the helper sent (code, values, which sentence) as the contract's AppError, written
 * by this process's catalogue in both languages. The code is already one of this version's
 * (HelperFailure's schema); a sentence the catalogue lacks (a variant or part of another
 * version) is not written as its key: the failure becomes `internal`, naming the code. A failure
 * that names one of our rules (NAMES_A_RULE) names it in words (ruleInWords), by `calledOf` when
 * the journal knows the rule.
 */
export function helperFailureError(
  failure: HelperFailure,
  calledOf: RuleCalledLookup = () => undefined,
): AppError {
  const text: Record<string, SentenceValue> = {};
  let known = true;
  for (const [name, value] of Object.entries(failure.text ?? {})) {
    if (typeof value === 'object') {
      known &&= hasText(value.key, value.params);
      text[name] = sentence(value.key, value.params);
    } else {
      text[name] = value;
    }
  }
  const ruleName = failure.params?.['name'];
  if (NAMES_A_RULE.has(failure.code)) {
    text['rule'] = ruleInWords(
      typeof ruleName === 'string' ? calledOf(ruleName) : undefined,
      text['what'],
    );
  }
  const written = new AppFailure(failure.code, failure.params, {
    ...(failure.variant ? { variant: failure.variant } : {}),
    text,
  });
  const main = written.sentence;
  if (!known || !main || !hasText(main.key, main.params)) {
    return {
      code: Code.internal,
      message: errorMessage(Code.internal, undefined, {
        text: { detail: `${failure.code}${failure.variant ? `.${failure.variant}` : ''}` },
      }),
    };
  }
  return {
    code: failure.code,
    message: sentenceInBoth(main),
    ...(failure.params ? { params: failure.params } : {}),
  };
}

/**
 * Each operation's outcome of a helper result, its failures written (helperFailureError, our
 * rules named by `calledOf`).
 */
export function opOutcomes(
  result: HelperResult,
  calledOf: RuleCalledLookup = () => undefined,
): OpOutcome[] {
  return result.results.map((r) =>
    r.ok ? r : { ok: false, error: helperFailureError(r.error, calledOf) },
  );
}

/** The backup's outcome of a helper result, its failure written (helperFailureError). */
export function backupOutcome(result: HelperResult): BackupOutcome {
  const backup = result.backup;
  if (!backup || backup.ok) return backup;
  return { ok: false, error: helperFailureError(backup.error) };
}
