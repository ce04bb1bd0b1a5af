import { z } from 'zod';

/**
 * Every error code the app, its hosts and the renderer produce, as one typed list: the UI, the CLI
 * and tests branch on these, and AppFailure accepts nothing else, so a new failure is added here
 * first. A code names what went wrong, never the words: those travel beside it in both languages
 * (AppError.message). On the wire `AppError.code` stays a plain string, so an answer from a
 * privileged helper of another version still parses; this list is what this version emits.
 */
export const ErrorCode = z.enum([
  'internal',
  // The contract and its transports.
  'contract.malformed',
  'contract.invalid-json',
  'contract.unknown-method',
  'contract.invalid-params',
  'contract.too-large',
  'contract.untrusted-sender',
  'contract.not-allowed',
  'contract.rate-limited',
  // The browser-mode connection and the renderer, as the page sees them.
  'connection.lost',
  'connection.stopped',
  'session.token-used',
  'session.refused',
  'renderer.unexpected',
  // Scans: the request, its targets and ports, the worker, and the limits on how many run at once.
  'scan.request.invalid',
  'scan.confirmationRequired',
  'scan.targets.empty',
  'scan.targets.invalid',
  'scan.targets.unresolved',
  'scan.targets.allExcluded',
  'scan.targets.noLocalNetwork',
  'scan.targets.tooMany',
  'scan.targets.unknownAdapter',
  'scan.ports.empty',
  'scan.ports.invalid',
  'scan.workerExited',
  'scan.too-many-for-client',
  'scan.too-many',
  // Kept scans (app/store/scans.ts) and scans by id.
  'scan.duplicate-id',
  'scan.not-found',
  'scan.no-longer-kept',
  'scan.unreadable',
  'scan.host-unknown',
  // This PC's listeners and the risk knowledge base.
  'system.listeners-failed',
  'system.unsupported-platform',
  'system.system32-unknown',
  'risk.kb-invalid',
  // Reports and nmap XML imports.
  'report.fonts-missing',
  'report.nmap-hostile',
  'report.nmap-invalid-xml',
  'report.nmap-interrupted-empty',
  'report.nmap-not-nmap',
  'report.nmap-too-large',
  'report.import-stopped',
  'report.import-too-many-for-client',
  'report.import-too-many',
  'report.export-too-many-for-client',
  'report.export-too-many',
  'report.export-too-large',
  'report.nmap-too-many-hosts',
  'report.nmap-encoding',
  // An nmap file sent from the page in pieces (report.importBegin / importChunk / importEnd).
  'report.upload-unknown',
  'report.upload-mismatch',
  // An nmap file chosen in the host's open dialog (report.importPicked).
  'report.picker-unavailable',
  'report.picker-busy',
  'report.picker-no-gesture',
  'report.import-read',
  // The firewall: requests, the elevated helper, the backends and the journal's rules.
  'firewall.invalid-protocol',
  'firewall.invalid-direction',
  'firewall.invalid-port',
  'firewall.invalid-remote',
  'firewall.invalid-name',
  'firewall.invalid-rule-id',
  'firewall.unknown-rule',
  'firewall.not-ours',
  'firewall.duplicate',
  'firewall.rule-mismatch',
  'firewall.unsupported',
  'firewall.unreadable',
  'firewall.not-applied',
  'firewall.not-elevated',
  'firewall.service-stopped',
  'firewall.command-failed',
  'firewall.backup-failed',
  'firewall.elevation-failed',
  'firewall.elevation-unavailable',
  'firewall.helper-missing',
  'firewall.helper-untrusted',
  'firewall.helper-bad-request',
  'firewall.state-unreadable',
  'firewall.not-vouched',
  'firewall.too-many-rules',
  'firewall.own-address',
  // The app's own database (app/store), one code per way it can be damaged.
  'store.malformed',
  'store.not-a-database',
  'store.inconsistent',
  'store.newer',
  'store.read-only',
  'store.disk-full',
  'store.locked',
  'store.unavailable',
  // Command-line usage and files.
  'cli.invalid-scan',
  'cli.include-adapter-without-local-network',
  'cli.json-path',
  'cli.import-read',
  'cli.report-format',
  'cli.report-extension',
  'cli.report-lang',
  'cli.report-path',
  'cli.report-read',
  'cli.report-too-large',
  'cli.report-write',
  'cli.report-not-json',
  'cli.report-invalid-scan',
  'cli.show-ambiguous',
  'cli.scan-id-short',
  'cli.unblock-usage',
  'cli.reapply-usage',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The codes by name, for `new AppFailure(Code['store.locked'], …)` with the compiler checking. */
export const Code = ErrorCode.enum;
