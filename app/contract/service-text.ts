import type { PortResult } from './scan.js';

/**
 * The software identified on a port (nmap -sV, our service detection), as one line for the UI,
 * the PDF, the CSV and the JSON findings: "OpenSSH 9.2p1 Debian 2 (protocol 2.0)", "nginx 1.22.1"; undefined when nothing
 * was identified beyond a service name. Pure code with no import at run time (the renderer uses
 * it too, as it uses xml-bytes).
 */
export function detectedText(detected: PortResult['detected']): string | undefined {
  if (!detected) return undefined;
  const main = [detected.product, detected.version].filter(Boolean).join(' ');
  if (!main) return undefined;
  return detected.extraInfo ? `${main} (${detected.extraInfo})` : main;
}

/** What the HTTP and TLS probes learnt about a port, each as one line (tlsFactsText, httpFactsText). */
export interface PortServiceFacts {
  tls?: string;
  http?: string;
}

/** A catalogue lookup in the reader's language: `risk:port.…` keys, `{{…}}` parameters. */
export type FactsText = (key: string, params?: Record<string, string | number>) => string;

/**
 * What a TLS handshake showed on a port, as one line for the port's details, the PDF and the CSV
 * (issue 16): "TLSv1.2 · certificate “box.lan” issued by “box.lan” · self-signed · valid until
 * 1 Jan 2027, 08:52" (or "expired on …"). The names are the server's words, quoted in the
 * catalogue's marks by the caller's `quote`; the date in this PC's time zone (formatDateTime).
 * Pure.
 */
export function tlsFactsText(
  tls: NonNullable<PortResult['tls']>,
  say: FactsText,
  quote: (words: string) => string,
  date: (iso: string) => string,
): string {
  const parts = [tls.protocol];
  if (tls.subject) {
    parts.push(
      tls.issuer
        ? say('risk:port.tlsFacts.certificateBy', {
            subject: quote(tls.subject),
            issuer: quote(tls.issuer),
          })
        : say('risk:port.tlsFacts.certificate', { subject: quote(tls.subject) }),
    );
  }
  if (tls.selfSigned) parts.push(say('risk:port.tlsFacts.selfSigned'));
  if (tls.validTo) {
    const key = tls.expired ? 'risk:port.tlsFacts.expired' : 'risk:port.tlsFacts.validTo';
    parts.push(say(key, { date: date(tls.validTo) }));
  }
  return parts.join(' · ');
}

/**
 * What a web server answered `HEAD /`, as one line (issue 16): "HTTP 301 · Server “nginx/1.22.1”
 * · redirects to “https://box.lan/”". Header values are the server's words, quoted by `quote`.
 * Pure.
 */
export function httpFactsText(
  http: NonNullable<PortResult['http']>,
  say: FactsText,
  quote: (words: string) => string,
): string {
  const parts = [say('risk:port.httpFacts.status', { status: http.status })];
  if (http.server) parts.push(say('risk:port.httpFacts.server', { server: quote(http.server) }));
  if (http.location) {
    parts.push(say('risk:port.httpFacts.location', { location: quote(http.location) }));
  }
  return parts.join(' · ');
}
