import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  electronContentSecurityPolicy,
  isAllowedNavigation,
  isTrustedSender,
  menuTemplate,
  refusesLaunchArgs,
  resolveAppFile,
} from '../../main/electron/policy.js';

describe('isTrustedSender', () => {
  it('trusts only the app page in the main frame', () => {
    expect(isTrustedSender(APP_ENTRY_URL, true)).toBe(true);
    expect(isTrustedSender('app://port-auditor/', true)).toBe(true);
  });
  it('refuses an iframe of the app page', () => {
    expect(isTrustedSender(APP_ENTRY_URL, false)).toBe(false);
  });
  it('refuses other origins and schemes', () => {
    for (const url of [
      'https://evil.example/',
      'file:///tmp/index.html',
      'app://evil/index.html',
      'app://port-auditor.evil.example/',
      'http://127.0.0.1:3000/',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(isTrustedSender(url, true), url).toBe(false);
    }
    expect(isTrustedSender(undefined, true)).toBe(false);
    expect(isTrustedSender(null, true)).toBe(false);
  });
});

describe('navigation', () => {
  it('refuses every navigation, including to the web', () => {
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
  });
});

describe('electronContentSecurityPolicy', () => {
  it('allows only the app itself and no plugins, frames or base changes', () => {
    const csp = electronContentSecurityPolicy();
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives['default-src']).toBe("'self'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['base-uri']).toBe("'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(directives['script-src']).not.toContain('unsafe-inline');
  });
});

describe('resolveAppFile', () => {
  const root = path.resolve('/opt/pa/dist/renderer');
  it('maps app URLs to files under the renderer directory', () => {
    expect(resolveAppFile(root, 'app://port-auditor/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://port-auditor/index.html')).toBe(
      path.join(root, 'index.html'),
    );
    expect(resolveAppFile(root, 'app://port-auditor/assets/app-1.js?x=1')).toBe(
      path.join(root, 'assets', 'app-1.js'),
    );
  });
  it('never resolves outside the renderer directory', () => {
    // The URL parser folds %2e%2e segments at the root; whatever it yields must stay inside.
    for (const url of [
      'app://port-auditor/%2e%2e/%2e%2e/etc/passwd',
      'app://port-auditor/../../etc/passwd',
      'app://port-auditor/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret',
    ]) {
      const file = resolveAppFile(root, url);
      expect(file === null || file.startsWith(root + path.sep), `${url} -> ${file}`).toBe(true);
    }
    expect(
      resolveAppFile(root, 'app://port-auditor/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret'),
    ).toBeNull();
  });
  it('refuses backslashes, NUL, bad escapes and other hosts or schemes', () => {
    for (const url of [
      'app://port-auditor/..%5c..%5csecret',
      'app://port-auditor/a%00.js',
      'app://port-auditor/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
    ]) {
      expect(resolveAppFile(root, url), url).toBeNull();
    }
  });
});

describe('menuTemplate', () => {
  const labels = (items: ReturnType<typeof menuTemplate>): string[] =>
    items.flatMap((item) => [
      item.label ?? '',
      ...(Array.isArray(item.submenu) ? labels(item.submenu) : []),
    ]);

  it('is in French for a French user and in English otherwise', () => {
    const fr = labels(menuTemplate('fr', { about() {} }, 'linux'));
    const en = labels(menuTemplate('en', { about() {} }, 'linux'));
    expect(fr).toContain('&Fichier');
    expect(fr).toContain('Quitter Port Auditor');
    expect(fr).toContain('À propos de Port Auditor');
    expect(en).toContain('&File');
    expect(en).toContain('Quit Port Auditor');
    expect(en.some((l) => /Fichier|Quitter|propos/.test(l))).toBe(false);
  });

  it('puts About under the app menu on macOS and calls the action', () => {
    let called = 0;
    const template = menuTemplate('en', { about: () => called++ }, 'darwin');
    expect(template[0]?.label).toBe('Port Auditor');
    const submenu = template[0]?.submenu;
    const about = Array.isArray(submenu)
      ? submenu.find((i) => i.label === 'About Port Auditor')
      : undefined;
    expect(about).toBeDefined();
    (about?.click as () => void)();
    expect(called).toBe(1);
    expect(template.some((i) => i.label === '&Help')).toBe(false);
  });
});

describe('refusesLaunchArgs: an installed Port Auditor takes no switch', () => {
  const exe = 'C:\\Program Files\\Port Auditor\\Port Auditor.exe';
  it('refuses every switch form Chromium reads on Windows: --name, -name, /name', () => {
    for (const arg of [
      '--remote-debugging-port=9222',
      '-gpu-launcher=C:\\x.exe',
      '/renderer-cmd-prefix=C:\\x.exe',
      '--enable-logging',
    ]) {
      expect(refusesLaunchArgs([exe, arg], true, false, 'win32'), arg).toBe(true);
    }
  });
  it('starts with no argument, and as the helper in its exact form', () => {
    expect(refusesLaunchArgs([exe], true, false, 'win32')).toBe(false);
    expect(refusesLaunchArgs([exe, '--port-auditor-firewall-helper', '--'], true, true)).toBe(
      false,
    );
  });
  it('leaves a development run alone, and / alone where it is not a switch prefix', () => {
    expect(refusesLaunchArgs(['electron', '.', '--inspect'], false, false, 'win32')).toBe(false);
    expect(refusesLaunchArgs(['/opt/pa/port-auditor', '/tmp/x'], true, false, 'linux')).toBe(false);
    expect(refusesLaunchArgs(['/opt/pa/port-auditor', '--no-sandbox'], true, false, 'linux')).toBe(
      true,
    );
  });
});
