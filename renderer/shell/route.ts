/**
 * Where the user is, kept in the URL hash (`#/tool/network-scanner/open-ports`) so it survives a
 * reload and works the same from http://, app:// and file://.
 */
export type Route =
  | { kind: 'home' }
  | { kind: 'settings' }
  | { kind: 'history' }
  | { kind: 'tool'; toolId: string; tabId: string | null };

export function parseRoute(hash: string): Route {
  const parts = hashPath(hash)
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  if (parts[0] === 'settings') return { kind: 'settings' };
  if (parts[0] === 'history') return { kind: 'history' };
  if (parts[0] === 'tool' && parts[1])
    return { kind: 'tool', toolId: parts[1], tabId: parts[2] ?? null };
  return { kind: 'home' };
}

export function routeHash(route: Route): string {
  switch (route.kind) {
    case 'home':
      return '#/';
    case 'settings':
      return '#/settings';
    case 'history':
      return '#/history';
    case 'tool':
      return `#/tool/${encodeURIComponent(route.toolId)}${
        route.tabId ? `/${encodeURIComponent(route.tabId)}` : ''
      }`;
  }
}

/** The hash without its query (`?scan=…`): the part that names the screen. */
function hashPath(hash: string): string {
  const query = hash.indexOf('?');
  return query === -1 ? hash : hash.slice(0, query);
}

/**
 * The kept scan the page shows, as the hash's `scan` parameter
 * (`#/tool/network-scanner/open-ports?scan=<id>`), so a reload shows the scan the user had
 * reopened, not the app's last. Returns the parameter as written (maybe not a scan id: the
 * address can be edited; the caller validates it), or null when there is none.
 */
export function shownScanOfHash(hash: string): string | null {
  const query = hash.indexOf('?');
  if (query === -1) return null;
  return new URLSearchParams(hash.slice(query + 1)).get('scan');
}

/** `hash` naming the shown scan `scanId` (null: none), its screen unchanged. */
export function withShownScan(hash: string, scanId: string | null): string {
  const path = hashPath(hash) || '#/';
  return scanId ? `${path}?scan=${encodeURIComponent(scanId)}` : path;
}
