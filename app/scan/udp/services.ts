/**
 * The risky UDP services the UDP scan probes, one payload each, written from each protocol's RFC or
 * specification (not from nmap's payload file). A UDP port only answers a datagram its service
 * understands, so an empty datagram would leave most open ports silent: `open|filtered` where a
 * well-formed request gets a reply (`open`).
 *
 * Every payload is at most {@link MAX_PAYLOAD_BYTES} bytes and asks for as little as the protocol
 * allows: no login, no write, no request that makes the service send more than a status line where
 * a smaller one proves it answers. Each service also has a recogniser, which says whether a reply
 * is that protocol's answer to our request (matching the request's id where the protocol has one)
 * and what the reply says about the software (a version, a description), bounded to
 * {@link MAX_DETAIL_CHARS} characters. Any datagram from the port proves a listener (nmap's `open`,
 * `udp-response`); the recogniser only adds what it could read.
 *
 * Pure code: no Node API beyond Buffer.
 */

/** The largest payload any service sends, in bytes. */
export const MAX_PAYLOAD_BYTES = 600;

/** The longest text a recogniser returns, in characters. */
export const MAX_DETAIL_CHARS = 200;

/** What a payload may depend on: the probed address (some protocols name it) and an id to echo. */
export interface ProbeContext {
  /** The target's address as scanned, without zone (`192.168.1.20`, `fe80::1`). */
  address: string;
  /** A 16-bit request id (0-65535) the reply must carry where the protocol echoes one. */
  id: number;
}

/** What a recogniser read from a reply that is its protocol's answer. */
export interface Recognised {
  /** The software's own words, when the reply carries them (SNMP sysDescr, memcached's version…). */
  detail?: string;
}

/** One UDP service of the set. */
export interface UdpService {
  /** nmap's service name (nmap-services), as the knowledge base names it. */
  name: string;
  port: number;
  /** The request, at most MAX_PAYLOAD_BYTES bytes. */
  payload(context: ProbeContext): Buffer;
  /** The reply's reading when it is this protocol's answer to `payload(context)`, else null. */
  recognise(reply: Buffer, context: ProbeContext): Recognised | null;
}

/** Printable ASCII of `bytes`, other bytes as spaces, trimmed and cut to MAX_DETAIL_CHARS. */
function printable(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes.subarray(0, MAX_DETAIL_CHARS * 2)) {
    out += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ' ';
  }
  return out.replace(/\s+/g, ' ').trim().slice(0, MAX_DETAIL_CHARS);
}

function withDetail(text: string | undefined): Recognised {
  return text ? { detail: text.slice(0, MAX_DETAIL_CHARS) } : {};
}

/** A DNS name in wire form (RFC 1035 §3.1): length-prefixed labels, then the root's zero. */
export function dnsName(name: string): Buffer {
  const parts = name.split('.').filter((label) => label.length > 0);
  const out: number[] = [];
  for (const label of parts) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length > 63) throw new RangeError(`DNS label longer than 63 bytes: ${label}`);
    out.push(bytes.length, ...bytes);
  }
  out.push(0);
  return Buffer.from(out);
}

/**
 * A DNS query (RFC 1035 §4.1.1 header, §4.1.2 question): id, flags (RD when `recursion`), one
 * question of `type` in class IN, no other section.
 */
export function dnsQuery(id: number, name: string, type: number, recursion: boolean): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(recursion ? 0x0100 : 0x0000, 2);
  header.writeUInt16BE(1, 4); // QDCOUNT
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2); // QCLASS IN
  return Buffer.concat([header, dnsName(name), tail]);
}

/**
 * A DNS response to query `id` (RFC 1035 §4.1.1: same ID, QR bit set), with its RCODE; any RCODE
 * counts (a server that refuses still runs).
 */
function recogniseDns(reply: Buffer, id: number): Recognised | null {
  if (reply.length < 12 || reply.readUInt16BE(0) !== id || (reply[2]! & 0x80) === 0) return null;
  return {};
}

/** A DNS-speaking service: one question (`qname`, `qtype`), a reply recognised by its ID. */
function dnsService(
  name: string,
  port: number,
  qname: string,
  qtype: number,
  recursion: boolean,
): UdpService {
  return {
    name,
    port,
    payload: ({ id }) => dnsQuery(id, qname, qtype, recursion),
    recognise: (reply, { id }) => recogniseDns(reply, id),
  };
}

/** DNS (RFC 1035 §4.1): a query for the root's NS records, recursion desired: 17 bytes. */
const dns = dnsService('domain', 53, '.', 2, true);

/**
 * mDNS (RFC 6762 §6.7 "legacy unicast"): a query sent to port 5353 from another port is answered
 * to that port with the query's ID; it asks for the DNS-SD service list
 * (`_services._dns-sd._udp.local` PTR, RFC 6763 §9).
 */
const mdns = dnsService('mdns', 5353, '_services._dns-sd._udp.local', 12, false);

/**
 * The 8 bytes a probe carries for its reply to echo, derived from the id ("PAudit" + the id, big
 * endian): NTP's transmit timestamp, IKE's initiator SPI (RFC 7296 §3.1: non-zero), OpenVPN's
 * session id.
 */
function probeNonce(id: number): Buffer {
  const nonce = Buffer.from('PAudit\0\0', 'latin1');
  nonce.writeUInt16BE(id, 6);
  return nonce;
}

/**
 * NTP (RFC 5905 §7.3): a 48-byte mode-3 client packet, LI 0, version 4; its transmit timestamp is
 * a nonce, which a server copies into its reply's origin timestamp (§8, "on-wire protocol").
 */
const ntp: UdpService = {
  name: 'ntp',
  port: 123,
  payload: ({ id }) => {
    const packet = Buffer.alloc(48);
    packet[0] = (0 << 6) | (4 << 3) | 3;
    probeNonce(id).copy(packet, 40);
    return packet;
  },
  recognise: (reply, { id }) => {
    if (reply.length < 48) return null;
    const mode = reply[0]! & 0x07;
    if (mode !== 4 || !reply.subarray(24, 32).equals(probeNonce(id))) return null;
    const version = (reply[0]! >> 3) & 0x07;
    const stratum = reply[1]!;
    return { detail: `NTPv${version}, stratum ${stratum}` };
  },
};

/** BER length octets (X.690 §8.1.3): short form below 128, else long form. */
function berLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, content: Buffer | readonly number[]): Buffer {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return Buffer.concat([Buffer.from([tag, ...berLength(body.length)]), body]);
}

/** A BER INTEGER of a non-negative value (X.690 §8.3: two's complement, fewest octets). */
function berInteger(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, bytes);
}

/** sysDescr.0, 1.3.6.1.2.1.1.1.0 (RFC 3418), BER-encoded (X.690 §8.19). */
const SYS_DESCR_OID = [0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00];

/**
 * An SNMP GetRequest of sysDescr.0 with community `community`: the message of RFC 1157 §4.1
 * (version 0 = SNMPv1; 1 = SNMPv2c, RFC 1901 §3) around the GetRequest-PDU of RFC 1157 §4.1.2 /
 * RFC 3416 §3 (tag [0], request-id, error-status 0, error-index 0, one varbind sysDescr.0 = NULL).
 */
export function snmpGetSysDescr(version: 0 | 1, community: string, requestId: number): Buffer {
  const varbind = tlv(0x30, Buffer.concat([tlv(0x06, SYS_DESCR_OID), tlv(0x05, [])]));
  const pdu = tlv(
    0xa0,
    Buffer.concat([berInteger(requestId), berInteger(0), berInteger(0), tlv(0x30, varbind)]),
  );
  return tlv(
    0x30,
    Buffer.concat([berInteger(version), tlv(0x04, Buffer.from(community, 'latin1')), pdu]),
  );
}

/** One BER element of `bytes` at `at`: tag, content bounds; null when malformed. */
function readTlv(bytes: Buffer, at: number): { tag: number; start: number; end: number } | null {
  if (at + 2 > bytes.length) return null;
  const tag = bytes[at]!;
  let length = bytes[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || start + count > bytes.length) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  const end = start + length;
  return end <= bytes.length ? { tag, start, end } : null;
}

function readInteger(bytes: Buffer, element: { start: number; end: number }): number {
  let value = 0;
  for (let i = element.start; i < element.end; i++) value = value * 256 + bytes[i]!;
  return value;
}

/**
 * Reads an SNMP GetResponse (RFC 1157 §4.1.4, RFC 3416 §3 Response-PDU, tag [2]) to request
 * `requestId`: null when it is not one; its first varbind's OCTET STRING (sysDescr) as detail.
 */
export function readSnmpResponse(reply: Buffer, requestId: number): Recognised | null {
  const message = readTlv(reply, 0);
  if (!message || message.tag !== 0x30) return null;
  const version = readTlv(reply, message.start);
  if (!version || version.tag !== 0x02) return null;
  const community = readTlv(reply, version.end);
  if (!community || community.tag !== 0x04) return null;
  const pdu = readTlv(reply, community.end);
  if (!pdu || pdu.tag !== 0xa2) return null;
  const id = readTlv(reply, pdu.start);
  if (!id || id.tag !== 0x02 || readInteger(reply, id) !== requestId) return null;
  const status = readTlv(reply, id.end);
  const index = status && readTlv(reply, status.end);
  const list = index && readTlv(reply, index.end);
  const first = list && list.tag === 0x30 ? readTlv(reply, list.start) : null;
  const name = first && first.tag === 0x30 ? readTlv(reply, first.start) : null;
  const value = name ? readTlv(reply, name.end) : null;
  if (value && value.tag === 0x04) {
    return withDetail(printable(reply.subarray(value.start, value.end)));
  }
  return {};
}

/**
 * SNMP (RFC 1157 §4.1, RFC 3416 §3): an SNMPv1 GetRequest of sysDescr.0 with the default community
 * `public`; every SNMPv2c agent also answers v1 (RFC 3584 §4). An answer proves the agent gives its
 * data to anyone who knows `public`. 43 bytes.
 */
const snmp: UdpService = {
  name: 'snmp',
  port: 161,
  payload: ({ id }) => snmpGetSysDescr(0, 'public', id),
  recognise: (reply, { id }) => readSnmpResponse(reply, id),
};

/** The value of `header` in an HTTP-like reply's text (case-insensitive), when present. */
function headerValue(text: string, header: string): string | undefined {
  const match = new RegExp(`^${header}:[ \\t]*(.*)$`, 'im').exec(text);
  return match?.[1]?.trim() || undefined;
}

/**
 * SSDP (UPnP Device Architecture 1.1 §1.3.2): a unicast M-SEARCH for every device and service
 * (`ST: ssdp:all`), its HOST naming the device (§1.3.2: "IP address of the device" for unicast),
 * without MX (unicast requests carry none).
 */
const ssdp: UdpService = {
  name: 'ssdp',
  port: 1900,
  payload: ({ address }) => {
    const host = address.includes(':') ? `[${address}]` : address;
    return Buffer.from(
      `M-SEARCH * HTTP/1.1\r\nHOST: ${host}:1900\r\nMAN: "ssdp:discover"\r\nST: ssdp:all\r\n\r\n`,
      'latin1',
    );
  },
  recognise: (reply) => {
    const text = reply.subarray(0, 2048).toString('latin1');
    if (!/^HTTP\/1\.[01] 200/.test(text)) return null;
    return withDetail(headerValue(text, 'SERVER'));
  },
};

/**
 * The NetBIOS name `*` (the wildcard a node status request asks about), first-level encoded (RFC
 * 1001 §14.1): padded with NULs to 16 bytes, each half-byte + 'A', 32 characters.
 */
const NBSTAT_WILDCARD = Buffer.from('CK' + 'A'.repeat(30), 'ascii');

/**
 * NetBIOS name service (RFC 1002 §4.2.17 NODE STATUS REQUEST; header §4.2.1.1): question `*`,
 * type NBSTAT (0x21), class IN, no flags. 51 bytes. The answer (§4.2.18) lists the node's names.
 */
const netbiosNs: UdpService = {
  name: 'netbios-ns',
  port: 137,
  payload: ({ id }) => {
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    header.writeUInt16BE(1, 4); // QDCOUNT
    const tail = Buffer.from([0x00, 0x00, 0x21, 0x00, 0x01]); // end of name, NBSTAT, IN
    return Buffer.concat([header, Buffer.from([0x20]), NBSTAT_WILDCARD, tail]);
  },
  recognise: (reply, { id }) => {
    if (reply.length < 12 || reply.readUInt16BE(0) !== id || (reply[2]! & 0x80) === 0) return null;
    // §4.2.18: header, RR_NAME (34 bytes for the 32-character name), type, class, TTL, length,
    // NUM_NAMES, then 18-byte entries whose first 15 bytes are the name.
    const names = 12 + 34 + 2 + 2 + 4 + 2;
    if (reply.length >= names + 1 + 15 && reply.readUInt16BE(12 + 34) === 0x21) {
      return withDetail(printable(reply.subarray(names + 1, names + 1 + 15)));
    }
    return {};
  },
};

/**
 * memcached's UDP protocol (memcached doc/protocol.txt, "UDP protocol"): an 8-byte frame header
 * (request id, sequence 0, 1 datagram, reserved 0), then the text command `stats\r\n`. The answer
 * starts with the same request id; its `STAT version` line is the detail.
 */
const memcached: UdpService = {
  name: 'memcache',
  port: 11211,
  payload: ({ id }) => {
    const header = Buffer.alloc(8);
    header.writeUInt16BE(id, 0);
    header.writeUInt16BE(0, 2);
    header.writeUInt16BE(1, 4);
    return Buffer.concat([header, Buffer.from('stats\r\n', 'latin1')]);
  },
  recognise: (reply, { id }) => {
    if (reply.length < 8 || reply.readUInt16BE(0) !== id) return null;
    const text = reply.subarray(8, 4096).toString('latin1');
    if (!/^(STAT |END|ERROR|SERVER_ERROR|CLIENT_ERROR)/.test(text)) return null;
    const version = /^STAT version (\S+)/m.exec(text)?.[1];
    return withDetail(version ? `memcached ${version}` : undefined);
  },
};

/** The file a TFTP read request names: one no server should have, so nothing is transferred. */
export const TFTP_PROBE_FILE = 'port-auditor-probe.txt';

/**
 * TFTP (RFC 1350 §5): a read request (opcode 1) for {@link TFTP_PROBE_FILE} in `octet` mode; a
 * server answers ERROR (opcode 5, "file not found") or DATA (3). RFC 1350 §4 has the server answer
 * from a new port (its own TID), which a connected socket does not receive: a server doing so is
 * seen `open|filtered`, as any silent port; only a server answering from port 69 is seen `open`.
 */
const tftp: UdpService = {
  name: 'tftp',
  port: 69,
  payload: () =>
    Buffer.concat([
      Buffer.from([0x00, 0x01]),
      Buffer.from(`${TFTP_PROBE_FILE}\0octet\0`, 'latin1'),
    ]),
  recognise: (reply) => {
    if (reply.length < 4 || reply[0] !== 0) return null;
    const opcode = reply[1]!;
    if (opcode === 5) return withDetail(printable(reply.subarray(4)) || undefined);
    return opcode === 3 ? {} : null;
  },
};

/**
 * IKEv2 (RFC 7296 §3.1): the 28-byte IKE header of an IKE_SA_INIT request (exchange type 34,
 * version 2.0, Initiator flag, message ID 0) with no payload. A responder answers it with a
 * notification such as INVALID_SYNTAX (§3.10.1) carrying our SPI, or drops it silently (then the
 * port is `open|filtered`).
 */
const ike: UdpService = {
  name: 'isakmp',
  port: 500,
  payload: ({ id }) => {
    const header = Buffer.alloc(28);
    probeNonce(id).copy(header, 0);
    header[16] = 0; // next payload: none
    header[17] = 0x20; // major version 2, minor 0
    header[18] = 34; // IKE_SA_INIT
    header[19] = 0x08; // Initiator
    header.writeUInt32BE(0, 20); // message ID
    header.writeUInt32BE(28, 24); // length
    return header;
  },
  recognise: (reply, { id }) => {
    if (reply.length < 28 || !reply.subarray(0, 8).equals(probeNonce(id))) return null;
    const major = reply[17]! >> 4;
    return { detail: `IKEv${major}` };
  },
};

/**
 * OpenVPN (its wire protocol, openvpn src/openvpn/ssl_pkt.h and doc_protocol_overview.h): a
 * P_CONTROL_HARD_RESET_CLIENT_V2 (opcode 7, key id 0), our 8-byte session id, an empty ACK array
 * and message packet-id 0: 14 bytes. A server without tls-auth/tls-crypt answers
 * P_CONTROL_HARD_RESET_SERVER_V2 (opcode 8); one with them drops it (`open|filtered`).
 */
const openvpn: UdpService = {
  name: 'openvpn',
  port: 1194,
  payload: ({ id }) =>
    Buffer.concat([Buffer.from([7 << 3]), probeNonce(id), Buffer.alloc(1), Buffer.alloc(4)]),
  recognise: (reply) => (reply.length >= 10 && reply[0]! >> 3 === 8 ? {} : null),
};

/**
 * WS-Discovery (OASIS WS-Discovery 1.1 §5.2 "Probe", SOAP 1.2 over UDP, SOAP-over-UDP 1.1 §3):
 * a Probe with no type, sent to the device's port 3702, so any target service answers with a
 * ProbeMatches. The MessageID is a UUID URN built from the id.
 */
const wsDiscovery: UdpService = {
  name: 'ws-discovery',
  port: 3702,
  payload: ({ id }) => {
    const uuid = `urn:uuid:7061612d-7564-4974-8000-${id.toString(16).padStart(12, '0')}`;
    return Buffer.from(
      '<?xml version="1.0" encoding="utf-8"?>' +
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
        'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
        'xmlns:d="http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01">' +
        '<s:Header><a:Action>http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/Probe</a:Action>' +
        `<a:MessageID>${uuid}</a:MessageID>` +
        '<a:To>urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01</a:To></s:Header>' +
        '<s:Body><d:Probe/></s:Body></s:Envelope>',
      'utf8',
    );
  },
  recognise: (reply) => {
    const text = reply.subarray(0, 8192).toString('utf8');
    return /ProbeMatches|Envelope/.test(text) ? {} : null;
  },
};

/**
 * CoAP (RFC 7252 §3 message format, §5.10.1 Uri-Path; RFC 6690 §4 `/.well-known/core`): a
 * confirmable GET with no token, message ID from the id, Uri-Path options `.well-known` and
 * `core`. 21 bytes. A server answers ACK (or RST) with the same message ID (§4.2).
 */
const coap: UdpService = {
  name: 'coap',
  port: 5683,
  payload: ({ id }) => {
    const header = Buffer.from([0x40, 0x01, 0, 0]); // ver 1, CON, TKL 0; GET
    header.writeUInt16BE(id, 2);
    return Buffer.concat([
      header,
      Buffer.from([0xbb]), // option delta 11 (Uri-Path), length 11
      Buffer.from('.well-known', 'ascii'),
      Buffer.from([0x04]), // delta 0 (Uri-Path again), length 4
      Buffer.from('core', 'ascii'),
    ]);
  },
  recognise: (reply, { id }) => {
    if (reply.length < 4 || reply[0]! >> 6 !== 1) return null;
    const type = (reply[0]! >> 4) & 0x03;
    if ((type === 2 || type === 3) && reply.readUInt16BE(2) !== id) return null;
    const code = reply[1]!;
    return { detail: `CoAP ${code >> 5}.${String(code & 0x1f).padStart(2, '0')}` };
  },
};

/**
 * A service that answers any datagram, ignoring its content (RFC 864 Chargen, RFC 865 QOTD, RFC
 * 862 Echo): two bytes, CR LF. Chargen answers with 0 to 512 characters (RFC 864 "UDP Based
 * Character Generator Service"); any datagram back is its answer.
 */
function anyDatagram(name: string, port: number): UdpService {
  return {
    name,
    port,
    payload: () => Buffer.from('\r\n', 'latin1'),
    recognise: (reply) => withDetail(printable(reply.subarray(0, 80)) || undefined),
  };
}

/**
 * The named set "common UDP services", by port: the UDP services the knowledge base rates for
 * amplification or exposure (issue 16's list). Ascending ports, one service each.
 */
export const UDP_SERVICES: readonly UdpService[] = [
  anyDatagram('echo', 7),
  anyDatagram('qotd', 17),
  anyDatagram('chargen', 19),
  dns,
  tftp,
  ntp,
  netbiosNs,
  snmp,
  ike,
  openvpn,
  ssdp,
  wsDiscovery,
  mdns,
  coap,
  memcached,
].sort((a, b) => a.port - b.port);

const BY_PORT = new Map(UDP_SERVICES.map((service) => [service.port, service]));

/** The ports of {@link UDP_SERVICES}, ascending. */
export const COMMON_UDP_PORTS: readonly number[] = UDP_SERVICES.map((service) => service.port);

/** The service probed on `port`, when the set has one. */
export function udpServiceFor(port: number): UdpService | undefined {
  return BY_PORT.get(port);
}

/**
 * The payload for `port`: its service's request, or an empty datagram for a port outside the set
 * (nmap -sU does the same for ports without a payload: only a service that answers anything, or
 * an ICMP port unreachable, tells its state).
 */
export function udpPayload(port: number, context: ProbeContext): Buffer {
  return udpServiceFor(port)?.payload(context) ?? Buffer.alloc(0);
}
