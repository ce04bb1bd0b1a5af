/**
 * What the elevated helper does, whichever program carries it: node running the shipped
 * firewall-helper.mjs (web host, CLI, Linux desktop app), or the desktop app itself started with
 * ELECTRON_HELPER_FLAG (Windows, where UAC cannot pass ELECTRON_RUN_AS_NODE). It reads one request
 * file, validates every field again (the file could have been swapped), applies the batch, and
 * writes a result file next to it. Returns the process exit code.
 */
import path from 'node:path';
import { toAppError } from '../../app/errors.js';
import { backendFor, backupDirFor } from '../../app/firewall/service.js';
import {
  executeBatch,
  readHelperRequest,
  writeJsonAtomic,
  type HelperResult,
} from '../../app/firewall/helper-protocol.js';

export interface HelperFiles {
  requestFile: string;
  resultFile: string;
}

function argValue(argv: readonly string[], name: string): string | null {
  const index = argv.indexOf(name);
  const value = index >= 0 ? argv[index + 1] : undefined;
  return value && path.isAbsolute(value) ? value : null;
}

/**
 * The request and result files from the command line, or an explanation of why they are refused:
 * the result must sit next to the request, so the helper cannot be pointed at an arbitrary file.
 */
export function helperFiles(argv: readonly string[]): HelperFiles | { error: string } {
  const requestFile = argValue(argv, '--request');
  const resultFile = argValue(argv, '--result');
  if (!requestFile || !resultFile || !requestFile.endsWith('.request.json')) {
    return {
      error: 'usage: firewall-helper --request /abs/X.request.json --result /abs/X.result.json',
    };
  }
  if (
    path.dirname(resultFile) !== path.dirname(requestFile) ||
    !resultFile.endsWith('.result.json')
  ) {
    return { error: 'the result file must sit next to the request file' };
  }
  return { requestFile, resultFile };
}

export async function runFirewallHelper(
  argv: readonly string[],
  stderr: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  const files = helperFiles(argv);
  if ('error' in files) {
    stderr(files.error);
    return 2;
  }
  let result: HelperResult;
  try {
    const request = await readHelperRequest(files.requestFile);
    const backend = backendFor();
    if (!backend) throw new Error(`unsupported platform ${process.platform}`);
    result = await executeBatch(request, backend, backupDirFor(path.dirname(files.requestFile)));
  } catch (error) {
    result = {
      version: 1,
      results: [{ ok: false, error: toAppError(error) }],
      backup: null,
      rules: null,
    };
  }
  await writeJsonAtomic(files.resultFile, result);
  return 0;
}
