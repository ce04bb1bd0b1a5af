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
