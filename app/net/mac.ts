/**
 * A MAC address written any of the usual ways — `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-D-E-F` (Windows),
 * `aa:b:c:d:e:f` (macOS), `aabb.ccdd.eeff` (Cisco), `AABBCCDDEEFF` — in the one form the app keeps
 * (HostResult.mac): lower-case, colon-separated, two digits a byte. Null when it is not 48 bits.
 * Reports print it in capitals as nmap does (`toUpperCase()` where written).
 */
export function normaliseMac(text: string): string | null {
  const trimmed = text.trim();
  const parts = trimmed.split(/[:-]/);
  let bytes: string[] | null = null;
  if (parts.length === 6 && parts.every((p) => /^[0-9a-f]{1,2}$/i.test(p))) {
    bytes = parts.map((p) => p.padStart(2, '0'));
  } else {
    const hex = trimmed.replace(/\./g, '');
    if (
      /^[0-9a-f]{12}$/i.test(hex) &&
      (!trimmed.includes('.') || /^([0-9a-f]{4}\.){2}[0-9a-f]{4}$/i.test(trimmed))
    ) {
      bytes = hex.match(/../g);
    }
  }
  return bytes ? bytes.join(':').toLowerCase() : null;
}

/**
 * Whether a normalised MAC address names one device: not broadcast, not all-zero (an incomplete
 * neighbour entry), not multicast (low bit of the first byte, IEEE 802-2014 §8.2).
 */
export function isUnicastMac(mac: string): boolean {
  if (mac === 'ff:ff:ff:ff:ff:ff' || mac === '00:00:00:00:00:00') return false;
  return (Number.parseInt(mac.slice(0, 2), 16) & 1) === 0;
}
