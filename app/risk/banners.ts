/**
 * Services recognisable from the first bytes they send. The value is the knowledge base's
 * service name, so a banner can re-rate a port whose number says otherwise (SSH on 4444…).
 */
const SIGNATURES: ReadonlyArray<{ service: string; test: RegExp }> = [
  { service: 'ssh', test: /^SSH-\d/ },
  { service: 'vnc', test: /^RFB \d{3}\.\d{3}/ },
  { service: 'http', test: /^HTTP\/\d/ },
  { service: 'smtp', test: /^220[ -].*(SMTP|Postfix|Exim|Sendmail|mail)/i },
  { service: 'ftp', test: /^220[ -]/ },
  { service: 'pop3', test: /^\+OK/ },
  { service: 'imap', test: /^\* (OK|PREAUTH)/ },
  { service: 'redis', test: /^-(ERR|NOAUTH|DENIED)|redis/i },
  { service: 'mysql', test: /mysql_native_password|caching_sha2_password|MariaDB/i },
  // Telnet servers open with IAC (0xFF) option negotiation, kept as text by cleanBanner
  // (app/scan/prober.ts): the raw bytes never reach this point.
  { service: 'telnet', test: /^IAC (WILL|WONT|DO|DONT) \d+/ },
  { service: 'irc', test: /^:\S+ (NOTICE|\d{3}) / },
  { service: 'rtsp', test: /^RTSP\/1\.0/ },
];

export function identifyBanner(banner: string | undefined): string | null {
  if (!banner) return null;
  for (const { service, test } of SIGNATURES) if (test.test(banner)) return service;
  return null;
}
