import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../errors.js';

export const FONT_FILES = {
  normal: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italics: 'DejaVuSans-Oblique.ttf',
  bolditalics: 'DejaVuSans-BoldOblique.ttf',
} as const;

/**
 * Where the shipped fonts are. Sources (app/report/) and bundles (dist/main/) both sit two levels
 * below the project root, so one relative path serves tests, the CLI and the built hosts;
 * PORT_AUDITOR_ASSETS lets a packaged app point elsewhere.
 */
export function fontsDir(): string {
  const candidates = [
    process.env.PORT_AUDITOR_ASSETS && path.join(process.env.PORT_AUDITOR_ASSETS, 'fonts'),
    fileURLToPath(new URL('../../assets/fonts/', import.meta.url)),
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find((dir) => existsSync(path.join(dir, FONT_FILES.normal)));
  if (!found) {
    fail('report.fonts-missing', { dir: candidates.join(', ') });
  }
  return found;
}

let loaded: Record<keyof typeof FONT_FILES, Buffer> | null = null;

export function loadFonts(): Record<keyof typeof FONT_FILES, Buffer> {
  if (loaded) return loaded;
  const dir = fontsDir();
  const read = (file: string) => readFileSync(path.join(dir, file));
  loaded = {
    normal: read(FONT_FILES.normal),
    bold: read(FONT_FILES.bold),
    italics: read(FONT_FILES.italics),
    bolditalics: read(FONT_FILES.bolditalics),
  };
  return loaded;
}
