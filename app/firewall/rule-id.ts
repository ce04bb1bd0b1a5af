import { randomBytes } from 'node:crypto';

/**
 * A new rule id: a UUID of version 7 (RFC 9562 §5.7), whose first 48 bits are the Unix time in
 * milliseconds, the rest random (74 bits). The rule's name in the firewall is `PortAuditor-<id>`,
 * so the firewall itself carries when the rule was made: a rule found there without its journal
 * row (data folder deleted, store refused) is listed with its own creation time (review 13 N6).
 * `now`: ms since the epoch.
 */
export function newRuleId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(now)) % 2 ** 48, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The earliest time a rule id of version 7 may carry: the first release that made them. */
const FIRST_V7 = Date.UTC(2026, 0, 1);
/** How far ahead of this PC's clock a carried time is still believed (another PC's clock). */
const CLOCK_SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * When the rule of id `id` was made, as an ISO 8601 UTC string, or null when the id does not say:
 * an id of another version (rules made before ids carried their time are random UUIDs, version
 * 4), or a time before the first such id or more than a day after `now` (ms since the epoch),
 * which no id this app made can carry. The name is anyone's word, so it only dates a rule the
 * journal does not know; it proves nothing.
 */
export function ruleIdTime(id: string, now: number = Date.now()): string | null {
  const match = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.exec(
    id,
  );
  if (!match) return null;
  const ms = Number.parseInt(`${match[1]}${match[2]}`, 16);
  if (ms < FIRST_V7 || ms > now + CLOCK_SLACK_MS) return null;
  return new Date(ms).toISOString();
}
