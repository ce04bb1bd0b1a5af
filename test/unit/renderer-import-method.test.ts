import { describe, expect, it } from 'vitest';
import { importMethod } from '../../renderer/features/report/import-method.js';

describe('how "Ouvrir un XML nmap…" gets a file to the app', () => {
  it('uses the app’s own open dialog when the host says it has one (Electron)', () => {
    expect(importMethod({ filePicker: true })).toBe('picker');
  });

  it('sends the file from the page otherwise (browser mode), or before the host has said', () => {
    expect(importMethod({ filePicker: false })).toBe('upload');
    expect(importMethod(null)).toBe('upload');
  });
});
