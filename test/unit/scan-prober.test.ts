import { describe, expect, it } from 'vitest';
import { classifyError, isSelfConnect } from '../../app/scan/prober.js';

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

  it('maps connect errors the way nmap names them', () => {
    expect(classifyError('ECONNREFUSED', 1)).toEqual({ kind: 'closed', rttMs: 1 });
    expect(classifyError('EHOSTUNREACH', 2)).toMatchObject({ reason: 'host-unreachable' });
    expect(classifyError('EACCES', 2)).toMatchObject({ reason: 'admin-prohibited' });
    expect(classifyError('EMFILE', 0)).toEqual({ kind: 'resource', code: 'EMFILE' });
    expect(classifyError('ETIMEDOUT', 0)).toEqual({ kind: 'timeout' });
  });
});
