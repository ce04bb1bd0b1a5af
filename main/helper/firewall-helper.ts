/**
 * The only entry point that changes the firewall. It is launched elevated (UAC on Windows, pkexec on
 * Linux) or directly when the app already runs as root, reads one request file, validates every
 * field again (the file could have been swapped), applies the batch, and writes a result file.
 * Usage: firewall-helper --request FILE --result FILE
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

function argValue(name: string): string | null {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  return value && path.isAbsolute(value) ? value : null;
}

async function main(): Promise<number> {
  const requestFile = argValue('--request');
  const resultFile = argValue('--result');
  if (!requestFile || !resultFile || !requestFile.endsWith('.request.json')) {
    process.stderr.write(
      'usage: firewall-helper --request /abs/X.request.json --result /abs/X.result.json\n',
    );
    return 2;
  }
  // The result goes next to the request, so the helper cannot be pointed at an arbitrary file.
  if (
    path.dirname(resultFile) !== path.dirname(requestFile) ||
    !resultFile.endsWith('.result.json')
  ) {
    process.stderr.write('the result file must sit next to the request file\n');
    return 2;
  }
  let result: HelperResult;
  try {
    const request = await readHelperRequest(requestFile);
    const backend = backendFor();
    if (!backend) throw new Error(`unsupported platform ${process.platform}`);
    result = await executeBatch(request, backend, backupDirFor(path.dirname(requestFile)));
  } catch (error) {
    const appError = toAppError(error);
    result = { version: 1, results: [{ ok: false, error: appError }], backup: null, rules: null };
  }
  await writeJsonAtomic(resultFile, result);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
