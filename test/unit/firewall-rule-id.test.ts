import { describe, expect, it } from 'vitest';
import { isRuleId } from '../../app/firewall/request.js';
import { newRuleId, ruleIdTime } from '../../app/firewall/rule-id.js';

describe('rule ids carry their making time (review 13 N6)', () => {
  it('is a version-7 UUID (RFC 9562) holding the given millisecond, and a valid rule id', () => {
    const at = Date.UTC(2026, 11, 2, 9, 14, 5, 123);
    const id = newRuleId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isRuleId(id)).toBe(true);
    expect(ruleIdTime(id, at)).toBe('2026-12-02T09:14:05.123Z');
    expect(newRuleId(at)).not.toBe(id);
  });

  it('says nothing for ids that cannot carry a time of ours', () => {
    const now = Date.UTC(2026, 11, 2);
    // Version 4 (every rule made before): random, no time.
    expect(ruleIdTime('3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b', now)).toBeNull();
    // Version 7 but before the first release that made them, or two days ahead of this clock.
    expect(ruleIdTime(newRuleId(Date.UTC(2025, 5, 1)), now)).toBeNull();
    expect(ruleIdTime(newRuleId(now + 2 * 86_400_000), now)).toBeNull();
    expect(ruleIdTime('not-an-id', now)).toBeNull();
  });
});
