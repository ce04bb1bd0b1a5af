import { z } from 'zod';

/**
 * The error codes the UI, the CLI and tests branch on, as one typed list. A code names what went
 * wrong, never the words: those travel beside it in both languages (AppError.message). Codes older
 * than this list (firewall.*, scan.*, report.*) still travel as plain strings until each domain
 * moves its own here; `AppError.code` therefore stays a string on the wire.
 */
export const ErrorCode = z.enum([
  'internal',
  // The contract and its transports.
  'contract.malformed',
  'contract.invalid-json',
  'contract.unknown-method',
  'contract.invalid-params',
  'contract.too-large',
  'contract.untrusted-sender',
  'contract.rate-limited',
  // The browser-mode connection, as the page sees it.
  'connection.lost',
  'connection.stopped',
  'session.token-used',
  'session.refused',
  // Limits on work one client, or all of them, may start.
  'scan.too-many-for-client',
  'scan.too-many',
  // The app's own database (app/store), one code per way it can be damaged.
  'store.malformed',
  'store.not-a-database',
  'store.read-only',
  'store.disk-full',
  'store.locked',
  'store.unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The codes by name, for `new AppFailure(Code['store.locked'], …)` with the compiler checking. */
export const Code = ErrorCode.enum;
