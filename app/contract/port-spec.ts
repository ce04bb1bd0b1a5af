/**
 * What a ports spec (ScanRequest.ports, nmap's `-p` syntax) says about protocols, read without
 * parsing its ports, so the page (no Node) can word a scan as TCP only or TCP and UDP. The app's
 * parser (app/scan/ports.ts) is the one that checks and expands a spec.
 */

/** The named set of risky UDP services (app/scan/udp/services.ts), in a ports spec. */
export const COMMON_UDP_SET = 'common-udp';

/**
 * Whether `spec` asks for UDP ports: a `U:` prefix (nmap's, `U:53,161`, case-insensitive) or
 * the named set `common-udp`, as app/scan/ports.ts reads them. False for a TCP-only spec
 * (`top1000`, `22,80`, `T:22`).
 */
export function specHasUdp(spec: string): boolean {
  return spec
    .split(/[\s,]+/)
    .some(
      (token) =>
        /^u:/i.test(token) || token.toLowerCase().replace(/^[tu]:/i, '') === COMMON_UDP_SET,
    );
}

/**
 * The spec with the common UDP services added (`top1000` → `top1000,common-udp`), or taken out
 * (`withCommonUdp(spec, false)`), so the page's "common UDP services" box rides on any TCP
 * choice. The set stays last: after a `U:` token it would still be UDP, and a bare TCP port
 * after it would not be read as UDP (ports.ts: the set does not change the prefix in force).
 */
export function withCommonUdp(spec: string, on: boolean): string {
  const tokens = spec
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0 && t.toLowerCase() !== COMMON_UDP_SET);
  return [...tokens, ...(on ? [COMMON_UDP_SET] : [])].join(',');
}
