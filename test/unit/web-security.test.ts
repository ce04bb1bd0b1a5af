import { describe, expect, it } from 'vitest';
import { parseWebArgs } from '../../main/web/args.js';
import {
  contentSecurityPolicy,
  isAllowedHost,
  isAllowedOrigin,
  readSessionCookie,
  sameSecret,
  sessionCookieHeader,
} from '../../main/web/security.js';
import { browserCommand } from '../../main/open-browser.js';

describe('Host and Origin checks', () => {
  it('accept exactly our address and port', () => {
    expect(isAllowedHost('127.0.0.1:5000', 5000)).toBe(true);
    expect(isAllowedHost('localhost:5000', 5000)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:5000', 5000)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5000', 5000)).toBe(true);
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

describe('session cookie', () => {
  it('is HttpOnly and SameSite=Strict', () => {
    const header = sessionCookieHeader('abc');
    expect(header).toMatch(/^pa_session=abc;/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
  });
  it('is read only when present once', () => {
    expect(readSessionCookie('a=1; pa_session=xyz; b=2')).toBe('xyz');
    expect(readSessionCookie('pa_session=1; pa_session=2')).toBeUndefined();
    expect(readSessionCookie('other=1')).toBeUndefined();
    expect(readSessionCookie(undefined)).toBeUndefined();
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
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4321 ws://localhost:4321");
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

describe('browserCommand', () => {
  const url = 'http://127.0.0.1:4321/?token=abc_DEF-1';
  it('uses explorer.exe on Windows (no shell), open on macOS, xdg-open with a display', () => {
    expect(browserCommand(url, 'win32', {}, 'C:\\WINDOWS\\system32')).toEqual([
      'C:\\WINDOWS\\explorer.exe',
      [url],
    ]);
    expect(browserCommand(url, 'darwin', {})).toEqual(['open', [url]]);
    expect(browserCommand(url, 'linux', { DISPLAY: ':0' })).toEqual(['xdg-open', [url]]);
  });
  it('does nothing without a display or for a URL that is not ours', () => {
    expect(browserCommand(url, 'linux', {})).toBeNull();
    expect(browserCommand('http://127.0.0.1:1/"&calc', 'win32', {})).toBeNull();
    expect(browserCommand('https://evil.example/', 'darwin', {})).toBeNull();
  });
});
