import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../app/errors.js';
import {
  createDialogPicker,
  GESTURE_MS,
  nmapOpenDialogOptions,
  UserGestures,
  type DialogAnswer,
  type DialogOptions,
} from '../../main/electron/open-dialog.js';

const DIR = path.join(path.sep, 'home', 'loïc', 'Documents');
const WINDOW = 'electron-1';

/** A stand-in for Electron's dialog: answers with `answer`, records what it was asked. */
function fakeHost(answer: () => Promise<DialogAnswer>) {
  const shown: { client: string; options: DialogOptions }[] = [];
  let now = 1_000_000;
  return {
    shown,
    advance(ms: number) {
      now += ms;
    },
    host: {
      show(client: string, options: DialogOptions) {
        shown.push({ client, options });
        return answer();
      },
      directory: () => DIR,
      now: () => now,
    },
    get now() {
      return now;
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppFailure);
  return (error as AppFailure).appError.code;
}

describe('Electron open dialog of "Ouvrir un XML nmap…"', () => {
  it('offers nmap XML files and JSON reports first, then all files, titled in the UI language', () => {
    expect(nmapOpenDialogOptions('fr', DIR)).toEqual({
      title: 'Ouvrir un XML de nmap ou un rapport JSON',
      buttonLabel: 'Ouvrir',
      defaultPath: DIR,
      filters: [
        { name: 'XML nmap ou rapport JSON', extensions: ['xml', 'json'] },
        { name: 'Tous les fichiers', extensions: ['*'] },
      ],
      properties: ['openFile', 'dontAddToRecent'],
    });
    const en = nmapOpenDialogOptions('en', DIR);
    expect(en.title).toBe('Open an nmap XML or a JSON report');
    expect(en.buttonLabel).toBe('Open');
    expect(en.filters?.map((f) => f.name)).toEqual(['nmap XML or JSON report', 'All files']);
  });

  it('counts clicks, key presses and taps as gestures, each usable once, for a while', () => {
    const gestures = new UserGestures();
    gestures.note(WINDOW, 'mouseMove', 100);
    gestures.note(WINDOW, 'mouseWheel', 100);
    expect(gestures.consume(WINDOW, 100)).toBe(false);
    for (const type of ['mouseDown', 'mouseUp', 'keyDown', 'rawKeyDown', 'gestureTap']) {
      gestures.note(WINDOW, type, 200);
      expect(gestures.consume(WINDOW, 200 + GESTURE_MS), type).toBe(true);
      expect(gestures.consume(WINDOW, 200 + GESTURE_MS), `${type} used up`).toBe(false);
    }
    gestures.note(WINDOW, 'mouseUp', 300);
    expect(gestures.consume(WINDOW, 300 + GESTURE_MS + 1)).toBe(false);
    // Another window's click is not this one's; a closed window's is forgotten.
    gestures.note('electron-2', 'mouseUp', 10_000);
    expect(gestures.consume(WINDOW, 10_000)).toBe(false);
    gestures.forget('electron-2');
    expect(gestures.consume('electron-2', 10_000)).toBe(false);
  });

  it('resolves with the chosen file, or null when the user cancels', async () => {
    const file = path.join(DIR, 'scan.xml');
    let answer: DialogAnswer = { canceled: false, filePaths: [file] };
    const fake = fakeHost(async () => answer);
    const gestures = new UserGestures();
    const pick = createDialogPicker(fake.host, gestures);

    gestures.note(WINDOW, 'mouseUp', fake.now);
    await expect(pick({ lang: 'fr', client: WINDOW })).resolves.toBe(file);
    expect(fake.shown).toEqual([{ client: WINDOW, options: nmapOpenDialogOptions('fr', DIR) }]);

    answer = { canceled: true, filePaths: [] };
    gestures.note(WINDOW, 'keyDown', fake.now);
    await expect(pick({ lang: 'en', client: WINDOW })).resolves.toBeNull();
    expect(fake.shown[1]!.options.title).toBe('Open an nmap XML or a JSON report');

    // A relative path is not one the system's dialog gives: nothing to read.
    answer = { canceled: false, filePaths: ['scan.xml'] };
    gestures.note(WINDOW, 'mouseUp', fake.now);
    await expect(pick({ lang: 'en', client: WINDOW })).resolves.toBeNull();
  });

  it('shows no dialog without a gesture just before, nor a second one while one is open', async () => {
    let close: (value: DialogAnswer) => void = () => undefined;
    const fake = fakeHost(
      () =>
        new Promise<DialogAnswer>((resolve) => {
          close = resolve;
        }),
    );
    const gestures = new UserGestures();
    const pick = createDialogPicker(fake.host, gestures);

    // A page asking by itself (no click) gets a refusal, in French and English.
    await expect(refusal(pick({ lang: 'fr', client: WINDOW }))).resolves.toBe(
      'report.picker-no-gesture',
    );
    gestures.note(WINDOW, 'mouseUp', fake.now);
    fake.advance(GESTURE_MS + 1);
    await expect(refusal(pick({ lang: 'fr', client: WINDOW }))).resolves.toBe(
      'report.picker-no-gesture',
    );
    expect(fake.shown).toEqual([]);

    gestures.note(WINDOW, 'mouseUp', fake.now);
    const first = pick({ lang: 'fr', client: WINDOW });
    gestures.note(WINDOW, 'mouseUp', fake.now);
    await expect(refusal(pick({ lang: 'fr', client: WINDOW }))).resolves.toBe('report.picker-busy');
    expect(fake.shown).toHaveLength(1);
    close({ canceled: true, filePaths: [] });
    await expect(first).resolves.toBeNull();
    // Closed: the next click opens one again.
    gestures.note(WINDOW, 'mouseUp', fake.now);
    const again = pick({ lang: 'fr', client: WINDOW });
    close({ canceled: true, filePaths: [] });
    await expect(again).resolves.toBeNull();
    expect(fake.shown).toHaveLength(2);
  });
});
