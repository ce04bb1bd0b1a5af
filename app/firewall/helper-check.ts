import { Code, type ErrorCode } from '../contract/error-codes.js';
import type { LocalizedText } from '../contract/index.js';
import { errorMessage } from '../errors.js';
import { sentenceInBoth } from '../text/catalogue.js';
import {
  LINUX_HELPER,
  PKEXEC_PATHS,
  pathProblemSentence,
  realFs,
  rootOnlyProblem,
  type FsProbe,
  type PathProblem,
} from './helper-install.js';

/*
 * The app's side of the helper's install checks: the same facts as helper-install.ts, written in
 * words. Kept apart because helper-install.ts is also bundled into the elevated helper, which
 * carries no catalogue.
 */

/** A path problem in the user's language. */
export function pathProblemText(problem: Pick<PathProblem, 'kind' | 'path'>): LocalizedText {
  return sentenceInBoth(pathProblemSentence(problem));
}

export type HelperProblem = { code: ErrorCode; message: LocalizedText; detail: string };

/**
 * Whether this machine has a trustworthy helper for `which` (change or read) and pkexec to start
 * it, or what to tell the user instead. Checked before every elevation request, so the app never
 * asks root to run something a user could have written.
 */
export function linuxHelperProblem(
  which: 'change' | 'read',
  fs: FsProbe = realFs,
): { pkexec: string } | HelperProblem {
  const pkexec = PKEXEC_PATHS.find((p) => rootOnlyProblem(p, fs) === null);
  if (!pkexec) {
    return {
      code: Code['firewall.elevation-unavailable'],
      detail: 'pkexec not found',
      message: errorMessage(Code['firewall.elevation-unavailable'], undefined, {
        variant: 'noPkexec',
      }),
    };
  }
  const files = [
    LINUX_HELPER[which],
    LINUX_HELPER.bundle,
    LINUX_HELPER.runtime,
    LINUX_HELPER.policy,
  ];
  const missing = files.find((f) => rootOnlyProblem(f, fs)?.missing);
  if (missing) {
    return {
      code: Code['firewall.helper-missing'],
      detail: `${missing} does not exist`,
      message: errorMessage(Code['firewall.helper-missing'], undefined, {
        variant: 'linux',
        text: { missing },
      }),
    };
  }
  for (const file of files) {
    const found = rootOnlyProblem(file, fs);
    if (found) {
      const why = pathProblemText(found);
      return {
        code: Code['firewall.helper-untrusted'],
        detail: why.en,
        message: errorMessage(Code['firewall.helper-untrusted'], undefined, {
          text: { why: pathProblemSentence(found) },
        }),
      };
    }
  }
  return { pkexec };
}
