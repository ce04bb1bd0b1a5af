import { describe, expect, it } from 'vitest';
import { isSelfConnect } from '../../app/scan/prober.js';

describe('probe outcomes', () => {
  it('recognises a socket connected to itself', () => {
    expect(isSelfConnect({ address: '127.0.0.1', port: 40000 }, '127.0.0.1', 40000)).toBe(true);
    expect(isSelfConnect({ address: '::ffff:127.0.0.1', port: 40000 }, '127.0.0.1', 40000)).toBe(
      true,
    );
    expect(isSelfConnect({ address: 'fe80::1', port: 5000 }, 'FE80::1%eth0', 5000)).toBe(true);
    expect(isSelfConnect({ address: '127.0.0.1', port: 40001 }, '127.0.0.1', 40000)).toBe(false);
    expect(isSelfConnect({ address: '10.77.0.1', port: 40000 }, '10.77.0.10', 40000)).toBe(false);
    expect(isSelfConnect({}, '127.0.0.1', 40000)).toBe(false);
  });
});
