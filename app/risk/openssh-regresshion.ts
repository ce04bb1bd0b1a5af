import type { Reference } from '../contract/risk.js';
import type { PortResult } from '../contract/scan.js';

/**
 * CVE-2024-6387 ("regreSSHion", Qualys, 2024-07-01): a signal handler race in portable OpenSSH's
 * sshd that allows remote code execution as root on glibc Linux. Qualys' advisory gives the
 * affected versions: portable OpenSSH before 4.4p1 (unless patched for CVE-2006-5051 and
 * CVE-2008-4109), and 8.5p1 up to, not including, 9.8p1 (the regression of commit 752250c, fixed in
 * 9.8p1). OpenBSD's own OpenSSH (versions without "p") is not affected: its syslog() is
 * async-signal-safe.
 *
 * A version in range is only "possible": distributions backport the fix without changing the
 * upstream version, and say so only in the package revision that OpenSSH's identification
 * comment carries ("Debian-2+deb12u3").
 */
export const REGRESSHION_REFERENCE: Reference = {
  label: 'CVE-2024-6387',
  url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-6387',
};

/**
 * The distribution revisions that carry the fix, by distribution and upstream version, as their
 * security notices give them: Debian DSA-5724-1 (bookworm, 1:9.2p1-2+deb12u3); Ubuntu USN-6859-1
 * (22.04 1:8.9p1-3ubuntu0.10, 23.10 1:9.3p1-1ubuntu3.6, 24.04 1:9.6p1-3ubuntu13.3).
 */
const FIXED_REVISIONS: Record<string, Record<string, string>> = {
  Debian: { '9.2p1': '2+deb12u3' },
  Ubuntu: { '8.9p1': '3ubuntu0.10', '9.3p1': '1ubuntu3.6', '9.6p1': '3ubuntu13.3' },
};

/** What the version OpenSSH announces says about CVE-2024-6387. */
export type RegresshionVerdict =
  /** In the affected range, no known fixed revision announced: the CVE may apply. */
  | { status: 'possible'; version: string }
  /** In the affected range, but the distribution revision announced carries the fix. */
  | { status: 'fixed-by-distribution'; version: string }
  /** Outside the affected range (or not portable OpenSSH, or no version to judge): not claimed. */
  | { status: 'not-affected' };

/**
 * Judges the software detected on a port (our SSH banner parse or an imported nmap -sV result:
 * `product` "OpenSSH", `version` "9.2p1 Debian-2+deb12u3", or nmap's "9.2p1 Debian 2+deb12u3").
 * `version` in the verdict is the detected version as announced, the evidence to show. Pure.
 */
export function regresshionVerdict(detected: PortResult['detected']): RegresshionVerdict {
  if (!detected?.product || !/^OpenSSH$/i.test(detected.product.trim()) || !detected.version) {
    return { status: 'not-affected' };
  }
  const announced = detected.version.trim();
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?p(\d+)(?:\s+(.*))?$/.exec(announced);
  // No "p": OpenBSD's own OpenSSH, not affected; no readable version: nothing to claim.
  if (!match) return { status: 'not-affected' };
  const upstream = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0), Number(match[4])];
  const affected =
    compareParts(upstream, [4, 4, 0, 1]) < 0 ||
    (compareParts(upstream, [8, 5, 0, 1]) >= 0 && compareParts(upstream, [9, 8, 0, 1]) < 0);
  if (!affected) return { status: 'not-affected' };
  const base = announced.split(/\s/)[0]!;
  const distribution = /^(Debian|Ubuntu)[- ](\S+)/.exec(match[5] ?? '');
  const fixed = distribution ? FIXED_REVISIONS[distribution[1]!]?.[base] : undefined;
  if (fixed && compareDebianVersions(distribution![2]!, fixed) >= 0) {
    return { status: 'fixed-by-distribution', version: announced };
  }
  return { status: 'possible', version: announced };
}

function compareParts(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Compares two Debian version strings (here package revisions, "2+deb12u3") as dpkg does
 * (deb-version(7), dpkg's verrevcmp): alternating non-digit and digit parts, non-digits compared
 * character by character with letters before non-letters and "~" before everything (even the
 * end), digits compared as numbers. Negative, zero or positive. Pure.
 */
export function compareDebianVersions(a: string, b: string): number {
  const order = (c: string | undefined): number => {
    if (c === undefined) return 0;
    if (c === '~') return -1;
    if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
    return c.charCodeAt(0) + 256;
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !/\d/.test(a[i]!)) || (j < b.length && !/\d/.test(b[j]!))) {
      const ca = i < a.length && !/\d/.test(a[i]!) ? a[i] : undefined;
      const cb = j < b.length && !/\d/.test(b[j]!) ? b[j] : undefined;
      const d = order(ca) - order(cb);
      if (d !== 0) return Math.sign(d);
      if (ca !== undefined) i++;
      if (cb !== undefined) j++;
    }
    let na = '';
    let nb = '';
    while (i < a.length && /\d/.test(a[i]!)) na += a[i++];
    while (j < b.length && /\d/.test(b[j]!)) nb += b[j++];
    const d = Number(na || '0') - Number(nb || '0');
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
