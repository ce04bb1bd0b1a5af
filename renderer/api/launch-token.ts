/**
 * Browser mode: the one-time launch token arrives in the address's fragment (`#token=…`), which
 * browsers never send over HTTP, so no server on 127.0.0.1 — ours included — ever receives it in a
 * request. Read once as this module loads (main.tsx imports it first, before the router reads the
 * fragment), then removed from the address bar and the history so a reload, a bookmark or a
 * screenshot does not carry it.
 */
const TOKEN_FRAGMENT = /^#token=([\w-]{16,200})$/;

function take(): string | null {
  if (typeof window === 'undefined') return null;
  const match = TOKEN_FRAGMENT.exec(window.location.hash);
  if (!match) return null;
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  return match[1] ?? null;
}

let launchToken: string | null = take();

// A launch address pasted into a tab already on this origin (a host restarted on the same port)
// only changes the fragment, which loads nothing: load the page again so the token is read.
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    if (TOKEN_FRAGMENT.test(window.location.hash)) window.location.reload();
  });
}

/** The launch token, once: the bridge presents it a single time, then holds a session secret. */
export function consumeLaunchToken(): string | null {
  const token = launchToken;
  launchToken = null;
  return token;
}
