import { z } from 'zod';
import { AppError } from './errors.js';

/**
 * The wire format, identical over Electron IPC and the browser-mode WebSocket. Size limits keep a
 * hostile or buggy page from making a host parse megabytes.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export const RequestEnvelope = z
  .object({
    kind: z.literal('request'),
    id: z.number().int().nonnegative(),
    method: z.string().min(1).max(100),
    params: z.unknown(),
  })
  .strict();
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export const ResponseEnvelope = z.discriminatedUnion('ok', [
  z.object({
    kind: z.literal('response'),
    id: z.number().int(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    kind: z.literal('response'),
    id: z.number().int(),
    ok: z.literal(false),
    error: AppError,
  }),
]);
export type ResponseEnvelope = z.infer<typeof ResponseEnvelope>;

export const EventEnvelope = z.object({
  kind: z.literal('event'),
  event: z.string(),
  payload: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export const ServerMessage = z.union([ResponseEnvelope, EventEnvelope]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/**
 * Browser mode only: the first message a page sends on a new WebSocket, before any request. It
 * carries either the one-time launch token (read from the URL fragment, which browsers never send
 * over HTTP) or the session secret an earlier `welcome` gave this tab. Never a cookie: cookies
 * ignore ports, so every other server on 127.0.0.1 would receive them.
 */
export const HelloMessage = z
  .object({
    kind: z.literal('hello'),
    token: z.string().min(1).max(200).optional(),
    session: z.string().min(1).max(200).optional(),
  })
  .strict();
export type HelloMessage = z.infer<typeof HelloMessage>;

/** The host's answer to an accepted `hello`: the session secret the tab keeps for reconnecting. */
export const WelcomeMessage = z.object({ kind: z.literal('welcome'), session: z.string() });
export type WelcomeMessage = z.infer<typeof WelcomeMessage>;

/**
 * WebSocket close codes of browser mode (RFC 6455 §7.4.2 leaves 4000–4999 to applications), so the
 * page can tell a stopped host from a refused session or a cut flood and say which, in its language.
 */
export const CloseCode = {
  /** The host is shutting down: reconnecting is pointless (a new start has a new address). */
  hostStopped: 4100,
  /** No valid launch token or session secret. */
  sessionRefused: 4401,
  /** The launch token was already redeemed by another client: someone else may have it. */
  tokenUsed: 4409,
  /** The connection sent more messages than the rate limit allows. */
  rateLimited: 4429,
} as const;

/**
 * The reason the host gives with each close code (RFC 6455 §7.1.6: at most 123 bytes): a code,
 * never words. The page says what happened in its own language from the catalogue
 * (common:connection.*), keyed on the close code; the reason names the case for a log or a
 * developer tool, the same in every language.
 */
export const CloseReason = {
  hostStopped: 'host-stopped',
  sessionRefused: 'session-refused',
  /** No `hello` within the host's wait: refused as a session without credentials. */
  noHello: 'no-hello',
  tokenUsed: 'token-used',
  rateLimited: 'rate-limited',
} as const;
