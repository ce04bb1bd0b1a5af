import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LaunchFile {
  /** The page to open: an absolute path, readable by this user only. */
  path: string;
  /** Deletes the page and its folder; safe to call twice. */
  remove(): void;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Writes a page that sends the browser on to `url` (the address with the one-time token in its
 * fragment), in a new folder of the temp directory that only this user can enter (mkdtemp: 0700)
 * and a file only this user can read (0600). The browser is then opened on the file's path, so the
 * token is in no command line (xdg-open's, the browser's), which any local user can read.
 */
export function writeLaunchFile(url: string, tmpdir: string = os.tmpdir()): LaunchFile {
  const dir = mkdtempSync(path.join(tmpdir, 'port-auditor-'));
  const file = path.join(dir, 'open-port-auditor.html');
  const href = escapeHtml(url);
  writeFileSync(
    file,
    [
      '<!doctype html>',
      '<html><head><meta charset="utf-8">',
      '<meta name="referrer" content="no-referrer">',
      `<meta http-equiv="refresh" content="0;url=${href}">`,
      '<title>Port Auditor</title></head>',
      `<body><p><a href="${href}">Ouvrir Port Auditor — Open Port Auditor</a></p></body></html>`,
      '',
    ].join('\n'),
    { mode: 0o600, flag: 'wx' },
  );
  return {
    path: file,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
