import WebSocket from 'ws';
import type { ResponseEnvelope, ScanEvent } from '../../app/contract/index.js';

/** How a `hello` ended: welcomed with a session secret, or the socket closed with a code. */
export type HelloResult =
  | { welcomed: true; session: string; client: WebClient }
  | { welcomed: false; code: number; reason: string };

/**
 * A browser-mode API client as a page is one: our Origin, then a `hello` with the launch token or
 * the session secret as its first message, then contract requests.
 */
export class WebClient {
  readonly events: ScanEvent[] = [];
  /** How the host closed the socket, once it did. */
  closed: { code: number; reason: string } | null = null;
  private readonly pending = new Map<number, (r: ResponseEnvelope) => void>();
  private readonly unmatched: ResponseEnvelope[] = [];
  private waiters: ((r: ResponseEnvelope) => void)[] = [];
  private readonly closeWaiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as
        ResponseEnvelope | { kind: 'event'; payload: ScanEvent } | { kind: 'welcome' };
      if (message.kind === 'welcome') return;
      if (message.kind === 'event') {
        this.events.push(message.payload);
        return;
      }
      const resolve = this.pending.get(message.id);
      if (resolve) {
        this.pending.delete(message.id);
        resolve(message);
      } else if (this.waiters.length > 0) this.waiters.shift()?.(message);
      else this.unmatched.push(message);
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of this.closeWaiters.splice(0)) wake();
    });
  }

  /** Opens /api on 127.0.0.1:`port` and says hello with `credential`. */
  static hello(
    port: number,
    credential: { token?: string; session?: string },
    origin = `http://127.0.0.1:${port}`,
  ): Promise<HelloResult> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin });
    const client = new WebClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ kind: 'hello', ...credential })));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { kind: string; session?: string };
        if (message.kind === 'welcome') {
          resolve({ welcomed: true, session: message.session ?? '', client });
        }
      });
      ws.once('close', (code, reason) =>
        resolve({ welcomed: false, code, reason: reason.toString() }),
      );
    });
  }

  /** hello, throwing unless welcomed. */
  static async open(port: number, credential: { token?: string; session?: string }) {
    const result = await WebClient.hello(port, credential);
    if (!result.welcomed) throw new Error(`hello refused: ${result.code} ${result.reason}`);
    return result.client;
  }

  call(id: number, method: string, params: unknown): Promise<ResponseEnvelope> {
    return this.sendRaw(JSON.stringify({ kind: 'request', id, method, params }), id);
  }

  sendRaw(text: string, id?: number): Promise<ResponseEnvelope> {
    return new Promise((resolve) => {
      if (id !== undefined) this.pending.set(id, resolve);
      else {
        const early = this.unmatched.shift();
        if (early) resolve(early);
        else this.waiters.push(resolve);
      }
      this.ws.send(text);
    });
  }

  /** Resolves once the host has closed the socket. */
  whenClosed(): Promise<{ code: number; reason: string }> {
    return new Promise((resolve) => {
      if (this.closed) resolve(this.closed);
      else this.closeWaiters.push(() => resolve(this.closed!));
    });
  }

  async waitFor(predicate: (e: ScanEvent) => boolean, timeoutMs = 30_000): Promise<ScanEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('event did not arrive');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.ws.close();
  }

  /** Closes and waits for the closing handshake: the host has then seen the close. */
  async closeAndWait(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const done = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.close();
    await done;
  }
}

/** The launch token of a host's printed address (`…/#token=T`). */
export function launchTokenOf(url: string): string {
  return /#token=([\w-]+)$/.exec(url)?.[1] ?? '';
}
