import { describe, expect, test } from 'vitest';
import {
  parseRoute,
  routeHash,
  shownScanOfHash,
  withShownScan,
} from '../../renderer/shell/route.js';

const ID = '0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('the shown scan in the page address', () => {
  test('is named after the screen and leaves the screen as it was', () => {
    const hash = withShownScan(routeHash({ kind: 'history' }), ID);
    expect(hash).toBe(`#/history?scan=${ID}`);
    expect(parseRoute(hash)).toEqual({ kind: 'history' });
    expect(shownScanOfHash(hash)).toBe(ID);
    const tool = withShownScan('#/tool/network-scanner/open-ports', ID);
    expect(parseRoute(tool)).toEqual({
      kind: 'tool',
      toolId: 'network-scanner',
      tabId: 'open-ports',
    });
  });

  test('replaces the scan named before, or removes it', () => {
    const other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    expect(withShownScan(`#/settings?scan=${ID}`, other)).toBe(`#/settings?scan=${other}`);
    expect(withShownScan(`#/settings?scan=${ID}`, null)).toBe('#/settings');
    expect(withShownScan('', ID)).toBe(`#/?scan=${ID}`);
  });

  test('is read as written, for the store to validate (an edited address)', () => {
    expect(shownScanOfHash('#/history')).toBeNull();
    expect(shownScanOfHash('#/?scan=%3Cnot-an-id%3E')).toBe('<not-an-id>');
    expect(shownScanOfHash('#/?other=1')).toBeNull();
  });
});
