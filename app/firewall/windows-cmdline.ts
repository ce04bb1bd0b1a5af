/**
 * Command lines for Windows programs, built in Node so no shell or script ever splices arguments.
 * Windows passes a program ONE string; the program splits it back into argv (the MSVC runtime, or
 * CommandLineToArgvW for Electron/Chromium). This quotes each argument so that split gives back
 * exactly the argv we sent.
 *
 * Source: Microsoft, "Parsing C++ command-line arguments" (backslashes are literal unless they
 * precede a double quote: 2n backslashes + `"` → n backslashes and a quote delimiter; 2n+1
 * backslashes + `"` → n backslashes and a literal quote).
 */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[ \t\n\v"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    if (ch === '"') {
      out += '\\'.repeat(backslashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(backslashes) + ch;
    }
    backslashes = 0;
  }
  // Backslashes before the closing quote are doubled so the quote stays a delimiter.
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/** The argument string (program excluded) that Windows splits back into `args`. */
export function windowsCommandLine(args: readonly string[]): string {
  return args.map(quoteWindowsArg).join(' ');
}
