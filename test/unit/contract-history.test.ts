import { describe, expect, it } from 'vitest';
import { ScanEvent, ScanId, ScanUpdate } from '../../app/contract/index.js';

describe('the history contract', () => {
  it('pushes every engine event but the whole-result end, plus verdicts and the summary end', () => {
    const types = (union: { options: readonly { shape: { type: { value: string } } }[] }) =>
      union.options.map((o) => o.shape.type.value).sort();
    const engine = types(ScanEvent).filter((t) => t !== 'finished');
    // `portsLeftOut`: the app's own bound on what a live scan sends per host (not an engine event).
    expect(types(ScanUpdate)).toEqual([...engine, 'finished', 'verdicts', 'portsLeftOut'].sort());
    expect(
      ScanUpdate.safeParse({
        type: 'finished',
        scanId: 's',
        result: { hosts: [] },
      }).success,
    ).toBe(false);
  });

  it('takes a UUID as a scan id, in lower case, and nothing else', () => {
    expect(ScanId.parse('0B5F1C2E-1D2A-4F6B-9C3D-2E1F0A9B8C7D')).toBe(
      '0b5f1c2e-1d2a-4f6b-9c3d-2e1f0a9b8c7d',
    );
    for (const bad of ['', '../etc/passwd', '0b5f1c2e1d2a4f6b9c3d2e1f0a9b8c7d', 'x'.repeat(36)]) {
      expect(ScanId.safeParse(bad).success).toBe(false);
    }
  });
});
