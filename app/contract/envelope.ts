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
