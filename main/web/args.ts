import { say } from '../locale.js';

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
        throw new Error(
          say({
            fr: `Port invalide : « ${value ?? ''} ». Donnez un nombre de 0 à 65535 (0 = au hasard).`,
            en: `Invalid port: “${value ?? ''}”. Give a number from 0 to 65535 (0 = random).`,
          }),
        );
      }
      port = Number(value);
    } else {
      throw new Error(
        say({ fr: `Option inconnue : ${arg ?? ''}`, en: `Unknown option: ${arg ?? ''}` }),
      );
    }
  }
  return { port, open };
}
