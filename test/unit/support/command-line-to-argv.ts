/**
 * A test-only re-implementation of how Windows programs split their command line
 * (CommandLineToArgvW, and the MSVC runtime since 2008), written from Microsoft's rules so the
 * quoting in app/firewall/windows-cmdline.ts is checked against the parser, not against itself:
 * - arguments are separated by spaces or tabs outside double quotes;
 * - 2n backslashes followed by `"` give n backslashes, and the quote toggles quoted mode;
 * - 2n+1 backslashes followed by `"` give n backslashes and a literal `"`;
 * - backslashes not followed by `"` are literal;
 * - inside quotes, `""` is a literal `"` (a shape our quoting never produces).
 * Parses the arguments part only (after the program name).
 */
export function commandLineToArgv(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) return args;
    let arg = '';
    let quoted = false;
    while (i < n) {
      const c = line[i] as string;
      if (!quoted && (c === ' ' || c === '\t')) break;
      if (c === '\\') {
        let count = 0;
        while (line[i] === '\\') {
          count++;
          i++;
        }
        if (line[i] === '"') {
          arg += '\\'.repeat(Math.floor(count / 2));
          if (count % 2 === 1) {
            arg += '"';
            i++;
          }
        } else {
          arg += '\\'.repeat(count);
        }
        continue;
      }
      if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"';
          i += 2;
          continue;
        }
        quoted = !quoted;
        i++;
        continue;
      }
      arg += c;
      i++;
    }
    args.push(arg);
  }
}
