import { say } from '../locale.js';
import { bothLanguages } from '../../app/text/catalogue.js';

/** `--port N` (0 = random, the default) and `--no-open`; throws a localized message otherwise. */
export function parseWebArgs(argv: string[]): { port: number; open: boolean } {
  let port = 0;
  let open = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-open') open = false;
    else if (arg === '--port' || arg?.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      if (!value || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        throw new Error(say(bothLanguages('messages:web.invalidPort', { value: value ?? '' })));
      }
      port = Number(value);
    } else {
      throw new Error(say(bothLanguages('messages:web.unknownOption', { arg: arg ?? '' })));
    }
  }
  return { port, open };
}
