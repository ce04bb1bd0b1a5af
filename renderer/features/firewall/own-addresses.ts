/**
 * One address as the wizard compares it: lower case, without brackets or a zone, an
 * IPv4-mapped IPv6 address (`::ffff:10.0.0.5`, RFC 4291 §2.5.5.2) as the IPv4 address it denotes,
 * and a single-address prefix (`/32`, `/128`) as that address. Null for a network of more than one
 * address, which the wizard does not try to match.
 */
function comparable(entry: string): string | null {
  let text = entry
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const bits = text.slice(slash + 1);
    text = text.slice(0, slash);
    if (bits !== (text.includes(':') ? '128' : '32')) return null;
  }
  text = text.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  return mapped ? mapped[1]! : text;
}

/**
 * 127.0.0.0/8 and ::1 (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3), as the app writes them (no zone, no
 * brackets): the loopback of the PC that scanned it (this PC, unless imported from a file).
 */
export function isLoopback(address: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(address) || address === '::1';
}

/**
 * The entries of the wizard's "Addresses concerned" field (comma-separated, as typed) that are
 * this PC's own: one of `own` (this PC's addresses the scan found) or a loopback address. An
 * inbound rule limited to them blocks nothing, since this PC's own connections are never filtered
 * (docs/firewall-rules.md), so the wizard warns. Networks wider than one address are not matched.
 * Returns the entries as typed, trimmed, in their order.
 */
export function ownAddressesIn(field: string, own: readonly string[]): string[] {
  const mine = new Set(own.map(comparable).filter((a): a is string => a !== null));
  return field
    .split(',')
    .map((e) => e.trim())
    .filter((e) => {
      const address = e ? comparable(e) : null;
      return address !== null && (mine.has(address) || isLoopback(address));
    });
}
