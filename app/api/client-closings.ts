/**
 * Where hosts say that a client (a page's WebSocket connection, an Electron window: the
 * `CallContext.client` it called with) is gone, so the handlers that keep something per client
 * (an upload's spool file) let it go at once instead of at a timeout.
 */
export class ClientClosings {
  private readonly listeners = new Set<(client: string) => Promise<void>>();

  /** Calls `listener` with the id of each client that closes from now on. */
  on(listener: (client: string) => Promise<void>): void {
    this.listeners.add(listener);
  }

  /**
   * Tells every listener that `client` closed; settles when they all are done. A listener's
   * failure is its own (what it could not let go waits for its own timeout): never rejects.
   */
  async closed(client: string): Promise<void> {
    await Promise.allSettled([...this.listeners].map((listener) => listener(client)));
  }
}
