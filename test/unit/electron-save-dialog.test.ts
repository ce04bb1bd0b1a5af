import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportFileName } from '../../app/report/export.js';
import {
  dialogLanguage,
  isAppDownload,
  reportSaveDialogOptions,
  safeFileName,
  saveFilters,
} from '../../main/electron/save-dialog.js';
import { aboutBoxOptions } from '../../main/electron/about.js';

const DIR = path.join(path.sep, 'home', 'loïc', 'Documents');

describe('Electron save dialog of an exported report', () => {
  it('gives each format its own filter first, then "All files", in the export language', () => {
    const cases = [
      ['pdf', 'fr', 'application/pdf', 'Rapport PDF', 'pdf'],
      ['json', 'en', 'application/json', 'JSON data', 'json'],
      ['csv', 'fr', 'text/csv; charset=utf-8; header=present', 'Tableau CSV', 'csv'],
      ['nmap-xml', 'en', 'application/xml', 'nmap XML result', 'xml'],
    ] as const;
    for (const [format, lang, mimeType, filterName, extension] of cases) {
      const fileName = reportFileName(format, lang, '2026-11-23T19:58:00');
      const options = reportSaveDialogOptions(
        { fileName, mimeType },
        { directory: DIR, systemLanguage: lang },
      );
      expect(options.defaultPath).toBe(path.join(DIR, fileName));
      expect(options.filters).toEqual([
        { name: filterName, extensions: [extension] },
        { name: lang === 'fr' ? 'Tous les fichiers' : 'All files', extensions: ['*'] },
      ]);
      expect(options.title).toBe(lang === 'fr' ? 'Enregistrer le rapport' : 'Save the report');
      expect(options.properties).toContain('showOverwriteConfirmation');
    }
  });

  it('speaks the language the report was exported in, else the system’s', () => {
    expect(dialogLanguage(reportFileName('pdf', 'fr', '2026-01-02T03:04:00'), 'en')).toBe('fr');
    expect(dialogLanguage(reportFileName('csv', 'en', '2026-01-02T03:04:00'), 'fr')).toBe('en');
    // nmap XML files carry no language in their name.
    expect(dialogLanguage(reportFileName('nmap-xml', 'en', '2026-01-02T03:04:00'), 'fr')).toBe(
      'fr',
    );
    const options = reportSaveDialogOptions(
      { fileName: 'port-auditor-nmap-2026-01-02-0304.xml', mimeType: 'application/xml' },
      { directory: DIR, systemLanguage: 'fr' },
    );
    expect(options.filters?.[0]?.name).toBe('Résultat XML nmap');
    expect(options.buttonLabel).toBe('Enregistrer');
  });

  it('falls back on the MIME type when the name has no extension', () => {
    expect(saveFilters('rapport', 'application/pdf', 'en')[0]).toEqual({
      name: 'PDF report',
      extensions: ['pdf'],
    });
    expect(saveFilters('notes.bin', 'application/octet-stream', 'en')).toEqual([
      { name: 'All files', extensions: ['*'] },
    ]);
  });

  it('keeps the suggested name inside the chosen folder and valid on Windows', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..\\..\\Windows\\win.ini')).toBe('win.ini');
    expect(safeFileName('a:b*c?.pdf')).toBe('a_b_c_.pdf');
    expect(safeFileName('...')).toBe('port-auditor-report');
    const options = reportSaveDialogOptions(
      { fileName: '../evil.pdf', mimeType: 'application/pdf' },
      { directory: DIR, systemLanguage: 'en' },
    );
    expect(options.defaultPath).toBe(path.join(DIR, 'evil.pdf'));
  });

  it('accepts only the blobs the app’s own page made', () => {
    expect(isAppDownload('blob:app://port-auditor/4f1c2b1e-1111-4222-8333-944455556666')).toBe(
      true,
    );
    expect(isAppDownload('https://example.com/report.pdf')).toBe(false);
    expect(isAppDownload('blob:https://evil.example/4f1c2b1e')).toBe(false);
    expect(isAppDownload('blob:app://port-auditor.evil/x')).toBe(false);
    expect(isAppDownload('app://port-auditor/index.html')).toBe(false);
  });
});

describe('the About box', () => {
  it('is written in the system language from the catalogue, the name and version as given', () => {
    const fr = aboutBoxOptions('fr', 'Port Auditor 0.1.0');
    expect(fr).toMatchObject({
      type: 'info',
      title: 'À propos',
      message: 'Port Auditor 0.1.0',
      detail: 'Audit des ports réseau ouverts de ce PC et de son réseau.',
    });
    expect(aboutBoxOptions('en', 'Port Auditor 0.1.0')).toMatchObject({
      title: 'About',
      detail: 'Audits the open network ports of this PC and its network.',
    });
  });
});
