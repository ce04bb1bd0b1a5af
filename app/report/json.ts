import { APP_NAME, APP_VERSION } from '../identity.js';
import type { Language } from '../contract/index.js';
import type { ReportInput } from '../contract/report.js';
import { zonedAddress } from '../contract/devices.js';
import type { ReportModel } from './model.js';

/**
 * Bumped on any change a reader could notice; documented in docs/report-json.md. 2: every
 * scanned port's state (`scan.hosts[].portStates`), findings and counts per device and service.
 * 3: a link-local address's zone (`scan.hosts[].zone`, and `fe80::1%eth0` in findings).
 * 4: `findings[].reason` null where no reason is claimed (none given, or one that contradicted
 * its state, left out on import), nmap's `reset`/`udp-response`/`port-unreach` reasons and
 * `open|filtered` state; the optional `findings[].tls`, `http`, `hostnameMethod`, `macMaker`,
 * `scan.hosts[].nmapReason`, `ports[].nmapReason`, `ports[].detected` and the `json-report`
 * source. Files of versions 1-3 are still read (reportInputFromFile reads by shape, not version).
 */
export const REPORT_JSON_VERSION = 4;
export const REPORT_JSON_FORMAT = 'port-auditor-report';

/**
 * The JSON report: the inputs verbatim (so the file can be reopened and re-exported without loss)
 * plus a flat `findings` list, one entry per host×listed port with the verdict already joined, for
 * scripts that just want to read it.
 */
export function renderJson(
  model: ReportModel,
  input: ReportInput,
  lang: Language,
  now = new Date(),
): string {
  const doc = {
    format: REPORT_JSON_FORMAT,
    version: REPORT_JSON_VERSION,
    generatedAt: now.toISOString(),
    generator: { name: APP_NAME, version: APP_VERSION },
    language: lang,
    pcName: model.pcName,
    summary: {
      addresses: model.scan.addresses,
      hostsUp: model.hostsUp,
      devicesUp: model.devicesUp,
      openPorts: model.openPorts,
      // null when the nmap file gives no end time (cut short): no duration is known.
      durationMs: model.durationMs,
      // Cancelled by the user, or nmap's own run interrupted (the file cut short): never both.
      cancelled: model.scan.cancelled && !model.interrupted,
      interrupted: model.interrupted,
      assessed: model.assessed,
      counts: model.assessed ? model.counts : null,
      blockedByPortAuditor: model.blocked,
    },
    findings: model.hosts.flatMap((h) =>
      h.ports.map((p) => ({
        // The first address this port was seen on in its state, as the CSV's `address`: a
        // finding never names another program's address (review 13 A13).
        address: p.addresses?.[0] ?? zonedAddress(h),
        addresses: p.addresses ?? [zonedAddress(h)],
        hostname: h.hostname ?? null,
        // `user`, `ptr` (this PC's reverse DNS), `mdns` or `netbios` (the device's own answer to
        // this PC), `nmap-user`, `nmap-ptr` or `file` (an imported file's).
        hostnameMethod: h.hostnameMethod ?? null,
        isThisPc: h.isLocal,
        mac: h.mac ?? null,
        macVendor: h.macVendor ?? null,
        // `vendor`, `private` (a locally administered, randomised address) or `unknown`.
        macMaker: h.macMaker?.kind ?? null,
        port: p.port,
        protocol: p.protocol,
        state: p.state,
        // null when the scan gave none (PortResult.reason).
        reason: p.reason ?? null,
        service: p.service || null,
        product: p.product ?? null,
        // What a TLS handshake and an HTTP HEAD / showed (scan.hosts[].ports[].tls / .http).
        tls: p.tls ?? null,
        http: p.http ?? null,
        program: p.program ?? null,
        severity: p.severity ?? null,
        reasons: p.reasons.map((r) => r[lang]),
        advice: p.advice ? p.advice[lang] : null,
        references: p.references,
        /** The Port Auditor rule acting on the port (`blocked`: closed to other devices). */
        portAuditorRule: p.firewall ?? null,
      })),
    ),
    scan: input.scan,
    assessment: input.assessment ?? null,
    firewallRules: input.firewallRules ?? null,
    macAddresses: input.macAddresses ?? null,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
