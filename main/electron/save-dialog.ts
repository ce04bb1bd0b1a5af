import path from 'node:path';
import type { FileFilter, SaveDialogOptions } from 'electron';
import type { Language } from '../../app/contract/index.js';
import { textFor } from '../../app/text/catalogue.js';
import { APP_ORIGIN } from './policy.js';

/**
 * How the window's downloads are saved, free of Electron so it is unit-tested here. The renderer
 * hands every exported report over as a download of a blob it made; main.ts shows the save dialog
 * these options describe, and refuses any other download.
 */

/** Only files the app's own page made (blob:app://port-auditor/…) may be saved. */
export function isAppDownload(url: string): boolean {
  return url.startsWith(`blob:${APP_ORIGIN}/`);
}

/** The kinds of file the app exports; each is named by messages.json `desktop.kind.<kind>`. */
const KINDS = ['pdf', 'json', 'csv', 'xml'] as const;

const MIME_EXTENSION: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/json': 'json',
  'text/csv': 'csv',
  'application/xml': 'xml',
  'text/xml': 'xml',
};

/**
 * A name every OS accepts: no folder part, none of the characters Windows refuses, not empty.
 * Our names are already like that; this only guards against a surprising one.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  return cleaned || 'port-auditor-report';
}

/**
 * The language of the dialog: the app names reports "rapport" in French and "report" in English
 * (app/report/export.ts), which is the UI language the user exported in; otherwise the system's.
 */
export function dialogLanguage(fileName: string, fallback: Language): Language {
  if (/^port-auditor-rapport-/.test(fileName)) return 'fr';
  if (/^port-auditor-report-/.test(fileName)) return 'en';
  return fallback;
}

/** The filter of the file's own type first (so the dialog keeps its extension), then "All files". */
export function saveFilters(fileName: string, mimeType: string, lang: Language): FileFilter[] {
  const extension =
    path.extname(fileName).slice(1).toLowerCase() ||
    MIME_EXTENSION[mimeType.split(';')[0]!.trim().toLowerCase()] ||
    '';
  const t = textFor(lang, 'messages');
  const kind = KINDS.find((k) => k === extension);
  const all: FileFilter = { name: t('desktop.kind.all'), extensions: ['*'] };
  return kind ? [{ name: t(`desktop.kind.${kind}`), extensions: [kind] }, all] : [all];
}

/** Everything the save dialog of one download needs. */
export function reportSaveDialogOptions(
  download: { fileName: string; mimeType: string },
  options: { directory: string; systemLanguage: Language },
): SaveDialogOptions {
  const fileName = safeFileName(download.fileName);
  const lang = dialogLanguage(fileName, options.systemLanguage);
  const t = textFor(lang, 'messages');
  return {
    title: t('desktop.save.title'),
    buttonLabel: t('desktop.save.button'),
    defaultPath: path.join(options.directory, fileName),
    filters: saveFilters(fileName, download.mimeType, lang),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}
