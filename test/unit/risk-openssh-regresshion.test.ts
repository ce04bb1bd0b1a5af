import { describe, expect, it } from 'vitest';
import { compareDebianVersions, regresshionVerdict } from '../../app/risk/openssh-regresshion.js';

const openssh = (version: string) => regresshionVerdict({ product: 'OpenSSH', version });

describe('CVE-2024-6387 by the OpenSSH version announced', () => {
  it('claims the CVE as possible in 8.5p1 ≤ v < 9.8p1, with the version as evidence', () => {
    for (const version of ['8.5p1', '8.9p1', '9.2p1', '9.7p1', '9.3p2']) {
      expect(openssh(version), version).toEqual({ status: 'possible', version });
    }
  });

  it('claims it before 4.4p1 too (Qualys: unless patched for CVE-2006-5051)', () => {
    expect(openssh('4.3p2').status).toBe('possible');
    expect(openssh('3.9p1').status).toBe('possible');
    expect(openssh('4.4p1').status).toBe('not-affected');
  });

  it('does not claim it outside the range', () => {
    for (const version of ['8.4p1', '9.8p1', '9.9p2', '10.0p2', '7.4p1', '5.3p1']) {
      expect(openssh(version).status, version).toBe('not-affected');
    }
  });

  it('does not claim it for OpenBSD’s own OpenSSH (no "p"), another product or no version', () => {
    expect(openssh('9.6').status).toBe('not-affected');
    expect(regresshionVerdict({ product: 'dropbear', version: '2022.83' }).status).toBe(
      'not-affected',
    );
    expect(regresshionVerdict({ product: 'OpenSSH' }).status).toBe('not-affected');
    expect(regresshionVerdict(undefined).status).toBe('not-affected');
  });

  it('knows Debian’s backport: 9.2p1-2+deb12u3 and later carry the fix, earlier ones do not', () => {
    expect(openssh('9.2p1 Debian-2+deb12u3')).toEqual({
      status: 'fixed-by-distribution',
      version: '9.2p1 Debian-2+deb12u3',
    });
    expect(openssh('9.2p1 Debian-2+deb12u10').status).toBe('fixed-by-distribution');
    expect(openssh('9.2p1 Debian-2+deb12u2').status).toBe('possible');
    expect(openssh('9.2p1 Debian-2').status).toBe('possible');
    // nmap -sV writes the comment with a space: "9.2p1 Debian 2+deb12u3".
    expect(openssh('9.2p1 Debian 2+deb12u3').status).toBe('fixed-by-distribution');
    // A Debian revision of another upstream version is no fix for this one.
    expect(openssh('9.3p1 Debian-2+deb12u3').status).toBe('possible');
  });

  it('knows Ubuntu’s backports (USN-6859-1)', () => {
    expect(openssh('9.6p1 Ubuntu-3ubuntu13.3').status).toBe('fixed-by-distribution');
    expect(openssh('9.6p1 Ubuntu-3ubuntu13').status).toBe('possible');
    expect(openssh('8.9p1 Ubuntu-3ubuntu0.10').status).toBe('fixed-by-distribution');
    expect(openssh('8.9p1 Ubuntu-3ubuntu0.6').status).toBe('possible');
    expect(openssh('9.3p1 Ubuntu-1ubuntu3.6').status).toBe('fixed-by-distribution');
  });
});

describe('Debian version comparison (deb-version(7))', () => {
  it('orders as dpkg does', () => {
    expect(compareDebianVersions('2+deb12u3', '2+deb12u3')).toBe(0);
    expect(compareDebianVersions('2+deb12u10', '2+deb12u3')).toBeGreaterThan(0);
    expect(compareDebianVersions('2', '2+deb12u3')).toBeLessThan(0);
    expect(compareDebianVersions('1.0~rc1', '1.0')).toBeLessThan(0);
    expect(compareDebianVersions('1.0a', '1.0+')).toBeLessThan(0);
    expect(compareDebianVersions('3ubuntu13.3', '3ubuntu13')).toBeGreaterThan(0);
  });
});
