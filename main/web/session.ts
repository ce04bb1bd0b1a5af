import { randomSecret, sameSecret } from './security.js';

/** What a `hello` from a new WebSocket gets. */
export type HelloOutcome =
  | { ok: true; session: string; redeemed: boolean }
  | { ok: false; reason: 'token-used' | 'refused' };

/**
 * The credentials of one browser-mode host. The launch token opens the app once: the first client
 * that presents it gets the session secret, which that tab keeps (sessionStorage) and presents
 * again when it reconnects or reloads. The token is then spent: a second client presenting it —
 * another program that read it, or the same address opened twice — is refused with `token-used`,
 * which the host and the page both report, since someone else may hold the address.
 */
export class BrowserSession {
  readonly launchToken: string;
  private redeemed = false;
  private secret: string | null = null;

  constructor(launchToken: string = randomSecret()) {
    this.launchToken = launchToken;
  }

  hello(offer: { token?: string; session?: string }): HelloOutcome {
    if (offer.session !== undefined) {
      return this.secret !== null && sameSecret(offer.session, this.secret)
        ? { ok: true, session: this.secret, redeemed: false }
        : { ok: false, reason: 'refused' };
    }
    if (offer.token === undefined || !sameSecret(offer.token, this.launchToken)) {
      return { ok: false, reason: 'refused' };
    }
    if (this.redeemed) return { ok: false, reason: 'token-used' };
    this.redeemed = true;
    this.secret = randomSecret();
    return { ok: true, session: this.secret, redeemed: true };
  }
}
