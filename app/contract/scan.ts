import { z } from 'zod';
import { AppError, LocalizedText } from './errors.js';

export const Protocol = z.enum(['tcp', 'udp']);
export type Protocol = z.infer<typeof Protocol>;

/**
 * nmap's port states (nmap reference guide, "Port Scanning Basics"): `filtered` is a port whose
 * probes something blocked (TCP silence, an ICMP prohibition: see `reason`); `open|filtered` is a
 * port that stayed silent where an open port may also stay silent (a UDP service that ignored the
 * probe, or a filter that dropped it: nmap -sU cannot tell them apart, nor can we), reason
 * `no-response`. Summaries count `open|filtered` on its own, never as open nor as closed.
 */
export const PortState = z.enum(['open', 'closed', 'filtered', 'open|filtered']);
export type PortState = z.infer<typeof PortState>;

/**
 * Why a state was concluded, named as nmap names it so results can be compared. `local-error` is
 * ours (nmap has no word for it): this PC could not send the probe (its firewall, no route…), so
 * the state says nothing about the target (see the host's `localError`).
 */
export const PortReason = z.enum([
  'syn-ack',
  'conn-refused',
  // A TCP RST read by a scan that sends its own packets (nmap -sS and the like: portreasons.cc
  // `reset`), kept apart from connect()'s `conn-refused`: only an imported nmap file has it.
  'reset',
  // UDP, as nmap words it: a reply came back (open), ICMP port unreachable (closed).
  'udp-response',
  'port-unreach',
  'no-response',
  'admin-prohibited',
  'host-unreachable',
  'net-unreachable',
  'local-error',
]);
export type PortReason = z.infer<typeof PortReason>;

/** nmap's host states; `unknown` when this PC could not probe the host at all (`localError`). */
export const HostStatus = z.enum(['up', 'down', 'unknown']);
export type HostStatus = z.infer<typeof HostStatus>;

export const HostReason = z.enum([
  'localhost',
  // In an imported file: the PC that ran the scan answering for itself, when it is not this PC.
  'scanner',
  // In a JSON report of an engine scan made on another PC: that PC's own loopback (no nmap ran).
  'reporter',
  'syn-ack',
  'conn-refused',
  'neighbour',
  // In an imported file: nmap saw it by ARP/NDP on the network of the PC that ran it, which need
  // not be one of this PC's networks (this PC's neighbour table never saw it).
  'nmap-neighbour',
  // In an imported file: up by a reason of nmap's that has no word of ours (echo-reply,
  // timestamp-reply, udp-response…: nmap's portreasons.cc), kept as read in `nmapReason`.
  'nmap-probe',
  'no-response',
  'user-set',
  'host-unreachable',
  'local-error',
]);
export type HostReason = z.infer<typeof HostReason>;

/**
 * What to scan. `targets` is the user's text (addresses, CIDR, ranges, host names, the named targets
 * `this-pc` and `local-network`), `ports` an nmap-style spec or a named set (`top100`, `top1000`).
 * Both are parsed by the app, never by the UI, so every host and the CLI give the same errors.
 */
export const ScanRequest = z.object({
  targets: z.string().min(1).max(10_000),
  ports: z.string().min(1).max(10_000),
  /** Like nmap -Pn: treat every target as up and scan it. */
  skipDiscovery: z.boolean().default(false),
  /** Required for more than 65,536 addresses or any public address. */
  confirmed: z.boolean().default(false),
  /**
   * What `confirmed` answers: the `confirmation` param of the `scan.confirmationRequired` error
   * the user was shown. The app then starts only if the targets, resolved again, still need
   * exactly that (otherwise it asks again). Absent: `confirmed` is a go-ahead given in advance
   * (the CLI's --yes).
   */
  confirmation: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  /**
   * The adapters (by name) whose networks `local-network` should scan although it leaves them out
   * by default (VPN, virtual switches, networks without a default gateway), as the user chose
   * them. Absent: not asked yet — the app then asks (`scan.confirmationRequired`, reason
   * `adapters`) whenever it leaves some network out.
   */
  adapters: z.array(z.string().min(1).max(256)).max(64).optional(),
});
export type ScanRequest = z.infer<typeof ScanRequest>;
export type ScanRequestInput = z.input<typeof ScanRequest>;

/**
 * What an adapter is for "the local network": `physical` (wired, Wi-Fi, a container's uplink),
 * `virtual` (a switch for this PC's own VMs or containers), `vpn` (a tunnel to someone else's
 * network), `software` (Windows: an adapter no hardware backs and no known kind names — most often
 * a VPN or a security product's), `unknown` (the system could not be asked).
 */
export const AdapterKind = z.enum(['physical', 'virtual', 'vpn', 'software', 'unknown']);
export type AdapterKind = z.infer<typeof AdapterKind>;

/**
 * A network of one of this PC's adapters that `local-network` does not scan unless the user
 * chooses it: `vpn`, `virtual`, `software` (see AdapterKind), `no-gateway` (no default route
 * leaves through it while another adapter has one), or `unverified` (its adapter could not be
 * read, so nothing says it is the network this PC is on).
 */
export const LeftOutNetwork = z.object({
  adapter: z.string(),
  kind: AdapterKind,
  reason: z.enum(['vpn', 'virtual', 'software', 'no-gateway', 'unverified']),
  /** The part of it that would be scanned, as CIDR (capped like every local network). */
  network: z.string(),
  /** The whole network, as CIDR, when `network` is only the capped part around this PC. */
  fullNetwork: z.string().optional(),
  /** The system's description of the adapter, when it gives one. */
  description: z.string().optional(),
});
export type LeftOutNetwork = z.infer<typeof LeftOutNetwork>;

/** A network `local-network` scans: the adapter, and the part of its network scanned (CIDR). */
export const LocalNetwork = z.object({
  adapter: z.string(),
  network: z.string(),
  /** The whole network, as CIDR, when `network` is only the capped part around this PC. */
  fullNetwork: z.string().optional(),
});
export type LocalNetwork = z.infer<typeof LocalNetwork>;

/** A request's targets as the app would expand them, before anything is scanned. */
export const ScanPreview = z.object({
  /** Addresses the scan would cover. */
  count: z.number().int().nonnegative(),
  /** Networks `local-network` leaves out unless chosen (empty when it is not asked for). */
  leftOut: z.array(LeftOutNetwork),
  /** Networks `local-network` scans (empty when it is not asked for). */
  localNetworks: z.array(LocalNetwork),
  notes: z.array(LocalizedText),
});
export type ScanPreview = z.infer<typeof ScanPreview>;

/**
 * Why nmap said a port is in its state, as an imported nmap XML file wrote it (`<state
 * reason="reset" reason_ttl="64"/>`, nmap.dtd): nmap's word (lowercase, hyphens: nmap's
 * portreasons.cc) and the TTL of the answer (0-255, 0 when none). Kept so an nmap XML export writes
 * back what was read (review N5); `reason` stays the app's word for it.
 */
export const NmapPortReason = z.object({
  reason: z.string().regex(/^[a-z][a-z-]{0,31}$/),
  ttl: z.number().int().min(0).max(255),
});
export type NmapPortReason = z.infer<typeof NmapPortReason>;

export const PortResult = z.object({
  port: z.number().int().min(0).max(65535),
  protocol: Protocol,
  state: PortState,
  /**
   * Why the state was concluded. Absent when no explanation can be claimed: an imported nmap file
   * gave none, a word of nmap's with no equivalent of ours (`proto-unreach`, -sW's `reset` on an
   * open port: see `nmapReason`), or a pair nmap never writes (`open` with `reset`, a UDP port
   * `open` with `port-unreach`: nmap's portreasons.cc and scan engine), whose reason is left out
   * and counted in a note of the import (app/report/nmap-xml-import.ts).
   */
  reason: PortReason.optional(),
  /** nmap's own reason and TTL, for a port read from an nmap XML file; absent for our engine's. */
  nmapReason: NmapPortReason.optional(),
  /** Round-trip time of the answer that decided the state, when there was one. */
  rttMs: z.number().nonnegative().optional(),
  /** First bytes a service sent on its own after connect, when it spoke first. */
  banner: z.string().max(512).optional(),
  /**
   * The software identified on the port, in the shape of nmap's version detection (-sV): from an
   * imported file's `<service name product version extrainfo>` (nmap.dtd), `{service: "ssh",
   * product: "OpenSSH", version: "9.2p1 Debian 2", extraInfo: "protocol 2.0"}`, or from our own
   * engine's service detection (app/scan/service-detection/: an SSH server's identification
   * string gives `{service: "ssh", product: "OpenSSH", version: "9.2p1 Debian-2+deb12u3",
   * extraInfo: "protocol 2.0"}`).
   */
  detected: z
    .object({
      service: z.string().max(64).optional(),
      product: z.string().max(128).optional(),
      version: z.string().max(128).optional(),
      extraInfo: z.string().max(256).optional(),
    })
    .optional(),
  /**
   * What a web server answered our `HEAD /` (app/scan/service-detection/http.ts, RFC 9110): its
   * status code, and its Server and Location headers as outside words (printable, one line,
   * capped). Over TLS on a TLS port, the answer inside the session.
   */
  http: z
    .object({
      status: z.number().int().min(100).max(599),
      server: z.string().max(128).optional(),
      location: z.string().max(512).optional(),
    })
    .optional(),
  /**
   * What a TLS handshake showed (app/scan/service-detection/tls.ts): the protocol version agreed
   * ("TLSv1.3"), the certificate's subject and issuer common names, whether it signed itself,
   * its notAfter (ISO 8601) and whether that had passed when the scan read it.
   */
  tls: z
    .object({
      protocol: z.string().max(32),
      subject: z.string().max(128).optional(),
      issuer: z.string().max(128).optional(),
      selfSigned: z.boolean(),
      validTo: z.string().max(40).optional(),
      expired: z.boolean().optional(),
    })
    .optional(),
});
export type PortResult = z.infer<typeof PortResult>;

/** One port as nmap prints it (`%d`): 0-65535 in plain decimal, no leading zero (`024`). */
const LIST_PORT = '(?:0|[1-9][0-9]{0,4})';
const LIST_ITEM = `${LIST_PORT}(?:-${LIST_PORT})?`;

/**
 * nmap's compact port list, as nmap 7.93 writes `ports=` in `<extrareasons>` (output.cc): ports
 * 0-65535 without leading zeros and ranges in ascending order, comma separated
 * (`"1-21,23-79,81"`); the order and bounds are checked where a list is read (parsePortList).
 */
export const PortList = z
  .string()
  .min(1)
  .max(400_000)
  .regex(new RegExp(`^${LIST_ITEM}(?:,${LIST_ITEM})*$`));

/** One protocol's ports by state, each a PortList; a state no port has is left out. */
export const PortStateLists = z.object({
  open: PortList.optional(),
  closed: PortList.optional(),
  filtered: PortList.optional(),
  'open|filtered': PortList.optional(),
});

/**
 * Every scanned port of a host by protocol and state (listed ports included), so a reader can
 * recover each port's state where `hidden` only counts them: `{tcp: {closed: "1-21,23-1024",
 * filtered: "1002-1007,1009"}}`. A port in none of the lists was not scanned (or not decided:
 * a cancelled scan). Added in JSON report format 2 (docs/report-json.md).
 */
export const PortStates = z.object({
  tcp: PortStateLists.optional(),
  udp: PortStateLists.optional(),
});
export type PortStates = z.infer<typeof PortStates>;

/** The longest DNS name, in characters (RFC 1035 §2.3.4, RFC 1123 §2.1). */
export const MAX_HOSTNAME = 253;

export const MacAddress = z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);

/**
 * The zone of a link-local IPv6 address (RFC 4007 §11, `fe80::1%eth0`): the interface it was reached
 * through, a name everywhere but on Windows, where it is the interface's number. Kept as written
 * (Linux names may hold dashes and dots: `br-lan`, `veth-a`, `eth0.100`); no space, control
 * character, `%` or `/`, at most 64 characters (Linux names have at most 15, IFNAMSIZ - 1).
 */
export const ZoneId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\s%/\p{Cc}]+$/u);
export type ZoneId = z.infer<typeof ZoneId>;

/**
 * How a host's name was found, as nmap's `<hostname type>` says it (nmap.dtd: `user` | `PTR`):
 * `user`, the name the user typed as a target; `ptr`, this PC's reverse DNS lookup of the address
 * (RFC 1035 §3.5); `nmap-user` and `nmap-ptr`, the same from an imported nmap file — the file's
 * word, made on the PC that ran nmap and with its DNS servers, not checked here.
 */
/**
 * How a host's name was found: `user` typed as a target, `ptr` looked up by this PC, `mdns` the
 * name the device gave for its own address by multicast DNS (RFC 6762, asked by this PC),
 * `netbios` the workstation name the device gave in its NetBIOS node status (RFC 1002 §4.2.18,
 * asked by this PC); the others are a file's words, never ours (issue 15, N6): `nmap-user` /
 * `nmap-ptr` as an nmap file says it found the name, `file` a name read from an imported file
 * that says nothing we can vouch for. One name per host: when several methods find one, the
 * chosen one (PTR > mDNS > NetBIOS, app/scan/engine.ts) is kept with its method.
 */
export const HostnameMethod = z.enum([
  'user',
  'ptr',
  'mdns',
  'netbios',
  'nmap-user',
  'nmap-ptr',
  'file',
]);
export type HostnameMethod = z.infer<typeof HostnameMethod>;

export const HostResult = z.object({
  /** The address alone, without its zone: the key verdicts, rules and neighbour tables use. */
  address: z.string(),
  /**
   * The zone a link-local IPv6 address was scanned through (only then): show the address as
   * `zonedAddress` (devices.ts) writes it.
   */
  zone: ZoneId.optional(),
  family: z.enum(['ipv4', 'ipv6']),
  /** The name the user typed, or the reverse-resolved name, when there is one (a DNS name: ≤ 253). */
  hostname: z.string().max(MAX_HOSTNAME).optional(),
  /** How `hostname` was found (HostnameMethod); absent in results from before it existed. */
  hostnameMethod: HostnameMethod.optional(),
  /** True when the address belongs to this PC (loopback or a local interface). */
  isLocal: z.boolean(),
  /** Link-layer address from the system neighbour table (LAN devices only), `aa:bb:cc:dd:ee:ff`. */
  mac: MacAddress.optional(),
  /**
   * The maker the IEEE registered `mac`'s OUI to (app/report/mac-vendor.ts, the one lookup), added
   * by the app when it gives the host to a client (ScanPage, `host` events); never stored, so an
   * older kept scan gets it too. Absent for a locally administered or unregistered address: read
   * it with macMakerOf (devices.ts).
   */
  macVendor: z.string().max(256).optional(),
  status: HostStatus,
  reason: HostReason,
  /**
   * nmap's reason and TTL for the host, as an imported nmap XML file wrote them (`<status
   * reason="echo-reply" reason_ttl="63"/>`), when they are not what the export writes for
   * `reason` (review 13 A6): the export writes them back as read. Absent for our engine's.
   */
  nmapReason: NmapPortReason.optional(),
  /** Every port whose state is worth listing: all open ports, plus the minority states. */
  ports: z.array(PortResult),
  /** Ports not listed, by state ("Not shown: 997 closed ports" in nmap). */
  hidden: z.object({
    open: z.number().int().nonnegative(),
    closed: z.number().int().nonnegative(),
    filtered: z.number().int().nonnegative(),
    /** Absent in results from before the state existed (and when none): read as 0. */
    'open|filtered': z.number().int().nonnegative().optional(),
  }),
  /**
   * Every scanned port's state (listed and hidden ones), when known: the engine's results, nmap
   * files whose `<extrareasons>` name their ports (nmap 7.x), our own exports. Absent when the
   * source only counted the hidden ports (older nmap, report format 1) or no port was scanned.
   */
  portStates: PortStates.optional(),
  /**
   * What this PC could not do (no route, its own firewall, an unusable address or zone): the
   * errno-style code and its explanation. With status `unknown`, no probe could leave at all.
   */
  localError: z.object({ code: z.string(), message: LocalizedText }).optional(),
  /**
   * Present when (nearly) every probed port answered open: a firewall, proxy or tarpit answering
   * for all ports, not that many services. Its port verdicts are grouped, not raised one by one.
   */
  answersEveryPort: z
    .object({ open: z.number().int().nonnegative(), probed: z.number().int().positive() })
    .optional(),
});
export type HostResult = z.infer<typeof HostResult>;

/** An imported nmap XML file's run, as ScanSource gives it (kind `nmap`). */
const NmapSource = z.object({
  kind: z.literal('nmap'),
  /** The imported file's name (no folder), when the importer was told it. */
  fileName: z.string().max(255).optional(),
  /** nmap's command line as the file gives it (`<nmaprun args>`). */
  args: z.string().max(4096),
  /** nmap's version (`<nmaprun version>`), when given. */
  version: z.string().max(64).optional(),
  /** One per `<scaninfo>`: nmap's scan type and the protocol it scanned. */
  scanTypes: z.array(z.object({ type: z.string().max(32), protocol: z.string().max(16) })).max(16),
  /**
   * The file's addresses other than loopback that nmap said were itself (`<status
   * reason="localhost-response">`), at most 16: when one is this PC's, nmap ran on this PC and
   * the file's loopback hosts are this PC (see ranOnThisPc in app/report/nmap-xml-import.ts).
   */
  selfAddresses: z.array(z.string().max(64)).max(16).optional(),
});

/**
 * Where a scan result came from, so a report describes the scan that was made: this app's engine
 * (full TCP connects, with the timing settings it ran with, app/scan/engine.ts `Tuning`), or an
 * imported nmap XML file (`<nmaprun scanner args version>`, each `<scaninfo type protocol>`: nmap's
 * `syn` for -sS, `connect` for -sT, `udp` for -sU…, nmap.dtd), or an imported JSON report of this
 * app's (docs/report-json.md), whose hosts were checked and assessed again here (issue 13, A15).
 */
export const ScanSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('engine'),
    method: z.literal('tcp-connect'),
    /** Per-attempt timeout bounds and the first timeout before any measurement, milliseconds. */
    minRtoMs: z.number().nonnegative(),
    maxRtoMs: z.number().nonnegative(),
    initialRtoMs: z.number().nonnegative(),
    /** Attempts on a silent port, and the most on a device that drops answers. */
    maxTries: z.number().int().positive(),
    maxTriesCap: z.number().int().positive(),
    /** Ports host discovery connects to. */
    discoveryPorts: z.array(z.number().int().min(0).max(65535)).max(64),
    /**
     * This PC's addresses other than loopback when the scan ran, at most 16, as `scan --json`
     * writes them (scanJsonOf in app/report/json-import.ts): with the file's PC name, they tell a
     * reader that the file is this PC's own scan, its loopback hosts this PC (madeOnThisPc).
     */
    selfAddresses: z.array(z.string().max(64)).max(16).optional(),
  }),
  NmapSource,
  z.object({
    kind: z.literal('json-report'),
    /** The imported file's name (no folder), when the importer was told it. */
    fileName: z.string().max(255).optional(),
    /** The name of the PC that made the report, as the file gives it (one line, cut). */
    pcName: z.string().max(255).optional(),
    /**
     * Whether the file proved, once read to its end, that this PC made it (madeOnThisPc or the
     * kept scan it names, app/report/json-import.ts): its loopback hosts are then this PC and the
     * PDF names this PC; otherwise it names the file's PC, never this one.
     */
    madeHere: z.boolean(),
    /** The nmap run the report described, when it was one (its method is nmap's). */
    nmap: NmapSource.optional(),
  }),
]);
export type ScanSource = z.infer<typeof ScanSource>;

/**
 * Whether the results of `source` are an nmap run's: an nmap XML import, or a JSON report that
 * described one (its `nmap`). Such a run that stopped early was cut short on nmap's side
 * ("interrupted"), never cancelled by a user of this app (rev13user F4, review F11).
 */
export function ranByNmap(source: ScanSource | undefined): boolean {
  return source?.kind === 'nmap' || (source?.kind === 'json-report' && source.nmap !== undefined);
}

export const ScanResult = z.object({
  scanId: z.string(),
  /** Absent in results made before it existed (JSON report format 1): this app's engine. */
  source: ScanSource.optional(),
  request: ScanRequest,
  /** Expanded targets, as the engine understood them (for the report and the CLI). */
  addresses: z.number().int().nonnegative(),
  portCount: z.number().int().nonnegative(),
  /** What the user should know about how the targets were understood (both languages). */
  notes: z.array(LocalizedText).default([]),
  startedAt: z.string(),
  finishedAt: z.string(),
  cancelled: z.boolean(),
  hosts: z.array(HostResult),
});
export type ScanResult = z.infer<typeof ScanResult>;

/** Streamed while a scan runs; `scanId` ties each event to the `scan.start` that began it. */
export const ScanEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    scanId: z.string(),
    addresses: z.number().int().nonnegative(),
    portCount: z.number().int().nonnegative(),
    totalProbes: z.number().int().nonnegative(),
    notes: z.array(LocalizedText),
  }),
  z.object({
    type: z.literal('host'),
    scanId: z.string(),
    address: z.string(),
    zone: ZoneId.optional(),
    isLocal: z.boolean(),
    hostname: z.string().optional(),
    hostnameMethod: HostnameMethod.optional(),
    /** Known once the neighbour table was read: a second `host` event may add it. */
    mac: MacAddress.optional(),
    /** As in HostResult: the registered maker of `mac`, added by the app as it sends the event. */
    macVendor: HostResult.shape.macVendor,
    status: HostStatus,
    reason: HostReason,
    /** As in HostResult; sent with the host's last event, once known. */
    localError: HostResult.shape.localError,
    answersEveryPort: HostResult.shape.answersEveryPort,
  }),
  z.object({
    type: z.literal('port'),
    scanId: z.string(),
    address: z.string(),
    result: PortResult,
  }),
  z.object({
    type: z.literal('progress'),
    scanId: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** Estimated milliseconds left; absent until there is enough data to estimate. */
    etaMs: z.number().nonnegative().optional(),
    openFound: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('finished'), scanId: z.string(), result: ScanResult }),
  z.object({ type: z.literal('failed'), scanId: z.string(), error: AppError }),
]);
export type ScanEvent = z.infer<typeof ScanEvent>;
