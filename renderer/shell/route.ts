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
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
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
