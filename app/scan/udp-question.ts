import { createSocket, type Socket } from 'node:dgram';

/** One UDP question asked of one address, retried, bounded in time and cancellable. */
export interface UdpQuestion {
  /** `udp4` or `udp6`, as the address is. */
  type: 'udp4' | 'udp6';
  /** The datagram sent at each try. */
  request: Buffer;
  /** The address and port asked. */
  address: string;
  port: number;
  /**
   * `connected`: the socket is connected to the address, so an ICMP port unreachable ends the
   * question at once (ECONNREFUSED) and only that address's datagrams arrive. `unconnected`: for
   * a responder that may answer from another of its addresses (mDNS, RFC 6762 §6); only silence
   * then tells a device without the service.
   */
  socket: 'connected' | 'unconnected';
  /** Tries in all, each waiting `tryTimeoutMs` milliseconds for the answer. */
  tries: number;
  tryTimeoutMs: number;
  /** The names an answer gives, or undefined for a datagram that is not the answer (kept waiting). */
  answer: (message: Buffer) => string[] | undefined;
}

function coded(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/**
 * Asks `question` and resolves with the names of its first answer; rejects with an error whose
 * `code` is ETIMEOUT after the last try, ECANCELLED once `signal` aborts, or the socket's error
 * (ECONNREFUSED on a connected socket). The socket is closed whichever way it ends.
 */
export function askUdp(question: UdpQuestion, signal: AbortSignal): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const socket: Socket = createSocket(question.type);
    const connected = question.socket === 'connected';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const end = (error: Error | null, names?: string[]) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.close();
      if (error) reject(error);
      else resolve(names ?? []);
    };
    const onAbort = () => end(coded('ECANCELLED'));
    const sentOrFailed = (error: Error | null) => {
      if (error) end(error);
    };
    const send = () => {
      if (sent >= question.tries) return end(coded('ETIMEOUT'));
      sent++;
      if (connected) socket.send(question.request, sentOrFailed);
      else socket.send(question.request, question.port, question.address, sentOrFailed);
      timer = setTimeout(send, question.tryTimeoutMs);
    };
    socket.on('error', (error) => end(error));
    socket.on('message', (message) => {
      const names = question.answer(message);
      // Another question's late answer, or noise: keep waiting for ours.
      if (names) end(null, names);
    });
    if (signal.aborted) return end(coded('ECANCELLED'));
    signal.addEventListener('abort', onAbort, { once: true });
    if (connected) socket.connect(question.port, question.address, send);
    else socket.bind(0, send);
  });
}
