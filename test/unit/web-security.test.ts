import { describe, expect, it } from 'vitest';
import { parseWebArgs, readStartArgs, readWebArgs } from '../../main/web/args.js';
import {
  contentSecurityPolicy,
  isAllowedHost,
  isAllowedOrigin,
  originOf,
  sameSecret,
} from '../../main/web/security.js';
import { BrowserSession } from '../../main/web/session.js';
import { browserCommand } from '../../main/open-browser.js';

describe('Host and Origin checks', () => {
  it('accept exactly our address and port', () => {
    expect(isAllowedHost('127.0.0.1:5000', 5000)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:5000', 5000)).toBe(true);
  });
  it('refuse localhost: it also names ::1, where another user can listen on our port', () => {
    expect(isAllowedHost('localhost:5000', 5000)).toBe(false);
    expect(isAllowedOrigin('http://localhost:5000', 5000)).toBe(false);
    expect(isAllowedHost('localhost', 80)).toBe(false);
    expect(isAllowedOrigin('http://localhost', 80)).toBe(false);
  });
  it('refuse rebound names, other ports, missing headers and other schemes', () => {
    for (const host of [
      'evil.example',
      'evil.example:5000',
      '127.0.0.1:5001',
      '127.0.0.1',
      '',
      '[::1]:5000',
    ]) {
      expect(isAllowedHost(host, 5000), host).toBe(false);
    }
    expect(isAllowedHost(undefined, 5000)).toBe(false);
    for (const origin of [
      'http://evil.example',
      'https://127.0.0.1:5000',
      'http://127.0.0.1:5000.evil.example',
      'null',
      'http://127.0.0.1:5001',
    ]) {
      expect(isAllowedOrigin(origin, 5000), origin).toBe(false);
    }
    expect(isAllowedOrigin(undefined, 5000)).toBe(false);
  });
});

describe('port 80', () => {
  it('accepts the Host and Origin a browser sends without the default port', () => {
    expect(isAllowedHost('127.0.0.1', 80)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1', 80)).toBe(true);
    expect(isAllowedHost('127.0.0.1', 8080)).toBe(false);
    expect(originOf(80)).toBe('http://127.0.0.1');
    expect(originOf(8080)).toBe('http://127.0.0.1:8080');
    expect(contentSecurityPolicy(80)).toContain("connect-src 'self' ws://127.0.0.1;");
  });
});

describe('launch token and session', () => {
  it('gives the session to the first client only, then refuses the token as used', () => {
    const session = new BrowserSession('launch-token-0123456789');
    const tab = {};
    const first = session.hello({ token: 'launch-token-0123456789' }, tab);
    expect(first).toMatchObject({ ok: true, redeemed: true });
    const secret = first.ok ? first.session : '';
    expect(secret).not.toBe('launch-token-0123456789');
    expect(session.hello({ token: 'launch-token-0123456789' }, {})).toEqual({
      ok: false,
      reason: 'token-used',
    });
    // While the tab's connection is open, the secret is its own: another connection is refused.
    expect(session.hello({ session: secret }, {})).toEqual({ ok: false, reason: 'token-used' });
    session.release({});
    expect(session.hello({ session: secret }, {})).toEqual({ ok: false, reason: 'token-used' });
    // The tab's connection closes (a reload): the next connection with the secret takes it over.
    session.release(tab);
    const reloaded = {};
    expect(session.hello({ session: secret }, reloaded)).toEqual({
      ok: true,
      session: secret,
      redeemed: false,
    });
    expect(session.hello({ session: secret }, tab)).toEqual({ ok: false, reason: 'token-used' });
  });
  it('refuses a wrong token, a wrong session, a session before any redemption, and nothing', () => {
    const session = new BrowserSession('launch-token-0123456789');
    expect(session.hello({ session: 'x' }, {})).toEqual({ ok: false, reason: 'refused' });
    expect(session.hello({ token: 'launch-token-0123456788' }, {})).toEqual({
      ok: false,
      reason: 'refused',
    });
    expect(session.hello({}, {})).toEqual({ ok: false, reason: 'refused' });
    expect(session.hello({ token: 'launch-token-0123456789' }, {}).ok).toBe(true);
    expect(session.hello({ session: 'launch-token-0123456789' }, {})).toEqual({
      ok: false,
      reason: 'refused',
    });
  });
  it('compares secrets exactly', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
    expect(sameSecret('', '')).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('limits connections to our own WebSocket and forbids frames, plugins and base changes', () => {
    const csp = contentSecurityPolicy(4321);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4321;");
    expect(csp).not.toContain('localhost');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
  });
});

describe('parseWebArgs', () => {
  it('reads --port and --no-open', () => {
    expect(parseWebArgs([])).toEqual({ port: 0, open: true });
    expect(parseWebArgs(['--port', '8123', '--no-open'])).toEqual({ port: 8123, open: false });
    expect(parseWebArgs(['--port=0'])).toEqual({ port: 0, open: true });
  });
  it('refuses bad ports and unknown options', () => {
    expect(() => parseWebArgs(['--port', '70000'])).toThrow(/70000/);
    expect(() => parseWebArgs(['--port', 'abc'])).toThrow(/abc/);
    expect(() => parseWebArgs(['--port'])).toThrow();
    expect(() => parseWebArgs(['--host', '0.0.0.0'])).toThrow(/--host/);
  });
});

describe('readWebArgs and readStartArgs', () => {
  it('answer --help (or -h) before any other option, even a bad one', () => {
    expect(readWebArgs(['--help'])).toEqual({ help: true });
    expect(readWebArgs(['--port', '70000', '-h'])).toEqual({ help: true });
    expect(readWebArgs(['--port', '8123'])).toEqual({ help: false, port: 8123, open: true });
    expect(readStartArgs([])).toEqual({ help: false });
    expect(readStartArgs(['--bogus', '--help'])).toEqual({ help: true });
  });
  it('refuse anything else on npm start’s command line, naming it', () => {
    expect(() => readStartArgs(['--bogus'])).toThrow(/--bogus/);
    expect(() => readStartArgs(['--port', '8123'])).toThrow(/--port/);
  });
});

describe('browserCommand', () => {
  const file = '/tmp/port-auditor-AbC123/open-port-auditor.html';
  it('opens the launch file (never the address) with explorer.exe, /usr/bin/open or /usr/bin/xdg-open', () => {
    const winFile = 'C:\\Users\\a\\AppData\\Local\\Temp\\port-auditor-x\\open-port-auditor.html';
    expect(browserCommand(winFile, 'win32', {}, 'C:\\WINDOWS\\system32')).toEqual([
      'C:\\WINDOWS\\explorer.exe',
      [winFile],
    ]);
    expect(browserCommand(file, 'darwin', {})).toEqual(['/usr/bin/open', [file]]);
    expect(browserCommand(file, 'linux', { DISPLAY: ':0' })).toEqual(['/usr/bin/xdg-open', [file]]);
  });
  it('does nothing without a display, for a relative path, an address or shell text', () => {
    expect(browserCommand(file, 'linux', {})).toBeNull();
    expect(browserCommand('open-port-auditor.html', 'linux', { DISPLAY: ':0' })).toBeNull();
    expect(browserCommand('http://127.0.0.1:4321/#token=abc', 'darwin', {})).toBeNull();
    expect(browserCommand('C:\\x\\"&calc.html', 'win32', {})).toBeNull();
  });
});

describe('the renderer’s copies of contract values', () => {
  it('close codes and default settings are the contract’s', async () => {
    const contract = await import('../../app/contract/index.js');
    const bridge = await import('../../renderer/api/ws-bridge.js');
    expect(bridge.CloseCode).toEqual(contract.CloseCode);
    expect(contract.DEFAULT_SETTINGS).toEqual({
      language: 'auto',
      theme: 'system',
      history: { keepScans: 100, keepDays: 90 },
    });
  });
});
