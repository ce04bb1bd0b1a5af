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
 *
 * The secret is bound to one live connection at a time: while the connection that holds it is
 * open, another connection presenting it (a duplicated tab, which copies sessionStorage, or a
 * program that obtained it) is refused the same way. When that connection closes (a reload, a
 * dropped socket) or is closing (its close frame came: a reloading page sends it before the new
 * page connects), the next one presenting the secret takes it over.
 */
export class BrowserSession {
  readonly launchToken: string;
  private redeemed = false;
  private secret: string | null = null;
  /** The connection holding the secret now; null when none is open. */
  private holder: object | null = null;

  /**
   * @param isOpen whether a connection that was welcomed is still open (not closing); every
   *   connection counts as open until release() when absent.
   */
  constructor(
    launchToken: string = randomSecret(),
    private readonly isOpen: (connection: object) => boolean = () => true,
  ) {
    this.launchToken = launchToken;
  }

  /**
   * The answer to `connection`'s hello (any object standing for one connection, compared by
   * identity); a welcome makes it the secret's holder until release().
   */
  hello(offer: { token?: string; session?: string }, connection: object): HelloOutcome {
    if (offer.session !== undefined) {
      if (this.secret === null || !sameSecret(offer.session, this.secret)) {
        return { ok: false, reason: 'refused' };
      }
      if (this.holder !== null && this.holder !== connection && this.isOpen(this.holder)) {
        return { ok: false, reason: 'token-used' };
      }
      this.holder = connection;
      return { ok: true, session: this.secret, redeemed: false };
    }
    if (offer.token === undefined || !sameSecret(offer.token, this.launchToken)) {
      return { ok: false, reason: 'refused' };
    }
    if (this.redeemed) return { ok: false, reason: 'token-used' };
    this.redeemed = true;
    this.secret = randomSecret();
    this.holder = connection;
    return { ok: true, session: this.secret, redeemed: true };
  }

  /** `connection` closed: if it held the secret, the next hello with it may take it over. */
  release(connection: object): void {
    if (this.holder === connection) this.holder = null;
  }
}
