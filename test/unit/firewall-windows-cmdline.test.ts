import { describe, expect, it } from 'vitest';
import { quoteWindowsArg, windowsCommandLine } from '../../app/firewall/windows-cmdline.js';
import { commandLineToArgv } from './support/command-line-to-argv.js';

const TRICKY = [
  'plain',
  '',
  'with space',
  'tab\there',
  'quote"inside',
  '"',
  '""',
  'ends with backslash\\',
  'C:\\Program Files\\Port Auditor\\',
  '\\\\server\\share\\',
  'back\\"quote',
  'back\\\\"two',
  '\\',
  '\\\\',
  ' leading and trailing ',
  'line\nbreak',
  'vertical\vtab',
  'é accents àç — “curly”',
  '--remote',
  '-- ',
  '%PATH%',
  '^&|<>()',
];

describe('Windows command lines built in Node, parsed back with CommandLineToArgvW’s rules', () => {
  it('gives back every tricky argument exactly, alone and together', () => {
    for (const arg of TRICKY) {
      expect(commandLineToArgv(windowsCommandLine([arg])), JSON.stringify(arg)).toEqual([arg]);
    }
    expect(commandLineToArgv(windowsCommandLine(TRICKY))).toEqual(TRICKY);
  });

  it('round-trips random strings of the characters that matter', () => {
    // A fixed-seed generator: the same cases on every run, and thousands of them.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const alphabet = ['\\', '"', ' ', '\t', 'a', 'é', '-', '\\"', '"\\'];
    for (let k = 0; k < 5000; k++) {
      const argv = Array.from({ length: 1 + (next() % 4) }, () =>
        Array.from({ length: next() % 8 }, () => alphabet[next() % alphabet.length]).join(''),
      );
      expect(commandLineToArgv(windowsCommandLine(argv)), JSON.stringify(argv)).toEqual(argv);
    }
  });

  it('leaves simple arguments unquoted and quotes only what needs it', () => {
    expect(quoteWindowsArg('--port-auditor-firewall-helper')).toBe(
      '--port-auditor-firewall-helper',
    );
    expect(quoteWindowsArg('a b')).toBe('"a b"');
    expect(quoteWindowsArg('a\\')).toBe('a\\');
    expect(quoteWindowsArg('a b\\')).toBe('"a b\\\\"');
    expect(quoteWindowsArg('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteWindowsArg('')).toBe('""');
  });
});
