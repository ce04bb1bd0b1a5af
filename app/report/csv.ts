import type { Language } from '../contract/index.js';
import { zonedAddress } from '../contract/devices.js';
import { isOwnService, macMakerText, serviceLabel } from '../contract/vocabulary.js';
import type { ReportModel } from './model.js';

export const CSV_COLUMNS = [
  'address',
  'hostname',
  'this_pc',
  'mac',
  'mac_vendor',
  'host_status',
  'port',
  'protocol',
  'state',
  'reason',
  'service',
  'program',
  'severity',
  'risk_reasons',
  'advice',
  'port_auditor_rule',
  'port_auditor_effect',
  // The device's addresses the port is in this state on (This PC's LAN address and 127.0.0.1):
  // each port of a device is one row.
  'addresses',
  // The software identified (nmap -sV imports, our SSH banner parse):
  // "OpenSSH 9.2p1 (protocol 2.0)".
  'product',
  // What a TLS handshake and an HTTP HEAD / showed (issue 16), one line each in the report's
  // language, as the page's port details word them.
  'tls',
  'http',
] as const;

/**
 * One RFC 4180 field. Host names and banners come from the network, so a value a spreadsheet would
 * run as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe (OWASP's CSV injection
 * advice); numbers are written as they are.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A port's `service` cell: the code a verdict gives (`unknown`, nmap's and IANA's names) as it is,
 * so a spreadsheet filter on it works in both languages; Port Auditor's own names are words, not
 * codes, so they carry the words the page, the CLI and the PDF show in the export's language
 * ("Port Auditor (autre instance, PID 17000)"), never the internal `port-auditor-instance`.
 */
function csvService(service: string, lang: Language, pid: number | undefined): string {
  return isOwnService(service) ? serviceLabel(service, lang, pid) : service;
}

/**
 * RFC 4180: a header row, CRLF line ends, one row per device × listed port (a device with none
 * gets one row, `address` its first address); `address` is the first address the port was seen
 * on in that state (631 open on 127.0.0.1 only is 127.0.0.1, never This PC's LAN address), and
 * `addresses` all of them, so a filter on `address` never shows a port where it was not seen.
 */
export function renderCsv(model: ReportModel, lang: Language): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const h of model.hosts) {
    // The maker as every output words it: a randomised address says so, not an empty maker.
    const maker = h.macMaker ? macMakerText(h.macMaker, lang) : undefined;
    const host = [h.hostname, h.isLocal, h.mac, maker, h.status];
    if (h.ports.length === 0) {
      lines.push(
        [
          zonedAddress(h),
          ...host,
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          h.addresses.join(' '),
          '',
          '',
          '',
        ]
          .map(csvField)
          .join(','),
      );
      continue;
    }
    for (const p of h.ports) {
      lines.push(
        [
          p.addresses?.[0] ?? zonedAddress(h),
          ...host,
          p.port,
          p.protocol,
          p.state,
          p.reason,
          csvService(p.service, lang, p.programPid),
          p.program,
          p.severity,
          p.reasons.map((r) => r[lang]).join(' '),
          p.advice?.[lang],
          p.firewall?.name,
          p.firewall?.effect,
          (p.addresses ?? [zonedAddress(h)]).join(' '),
          p.product,
          p.tlsText?.[lang],
          p.httpText?.[lang],
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
