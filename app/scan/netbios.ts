import { askUdp } from './udp-question.js';
import { randomInt } from 'node:crypto';
import type { ReverseLookup } from './reverse-dns.js';

/**
 * NetBIOS node status (RFC 1002 §4.2.17 NODE STATUS REQUEST, §4.2.18 NODE STATUS RESPONSE) asked
 * of one device on UDP 137, so a Windows PC or a Samba server that has no DNS name still gets its
 * own name on its card (issue 16). Only ever sent to an address the scan found up, one datagram
 * and at most one retry.
 */

/** The NetBIOS name service's port (RFC 1002 §4.2.1, "UDP port 137"). */
export const NETBIOS_NS_PORT = 137;

/** RR_TYPE NBSTAT (RFC 1002 §4.2.1.3). */
const NBSTAT = 0x21;
/** RR_CLASS IN (RFC 1002 §4.2.1.3). */
const CLASS_IN = 0x01;

/** One name of a node's name table (RFC 1002 §4.2.18 NODE_NAME entry). */
export interface NodeName {
  /** The first 15 bytes, trailing spaces removed (latin1: NetBIOS names are bytes, §4.1). */
  name: string;
  /** The 16th byte: 0x00 workstation, 0x20 file server, 0x1d master browser… */
  suffix: number;
  /** NAME_FLAGS G bit: a group name (a workgroup), not this node's own. */
  group: boolean;
  /** NAME_FLAGS ACT bit: the name is active. */
  active: boolean;
}

/** What a node status response says. */
export interface NodeStatus {
  transactionId: number;
  names: NodeName[];
  /** UNIT_ID of the statistics (§4.2.18), `aa:bb:cc:dd:ee:ff`; absent when cut short or zero. */
  unitId?: string;
}

/**
 * First-level encoding of a NetBIOS name (RFC 1001 §14.1): the 16 bytes (name padded, here the
 * wildcard `*` padded with NULs as §4.2.17 asks) each split into two half-bytes, each + 'A'.
 */
function encodeName(raw: Buffer): Buffer {
  const out = Buffer.alloc(32);
  for (let i = 0; i < 16; i++) {
    out[2 * i] = 0x41 + (raw[i]! >> 4);
    out[2 * i + 1] = 0x41 + (raw[i]! & 0x0f);
  }
  return out;
}

/**
 * The 50-byte NODE STATUS REQUEST (RFC 1002 §4.2.17): header with only QDCOUNT = 1 (no flags: a
 * unicast question, B bit clear), QUESTION_NAME `*` + 15 NULs first-level encoded behind its
 * length byte 0x20, the root label, QUESTION_TYPE NBSTAT, QUESTION_CLASS IN. `transactionId`
 * is 0…65535.
 */
export function encodeNodeStatusRequest(transactionId: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(transactionId & 0xffff, 0);
  header.writeUInt16BE(1, 4);
  const wildcard = Buffer.alloc(16);
  wildcard[0] = 0x2a; // '*'
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(NBSTAT, 1);
  tail.writeUInt16BE(CLASS_IN, 3);
  return Buffer.concat([header, Buffer.from([0x20]), encodeName(wildcard), tail]);
}

/**
 * Reads a NODE STATUS RESPONSE (RFC 1002 §4.2.18): a response (R bit) with one answer whose
 * RR_NAME is a 32-character encoded name (or a pointer, §4.1.4 label compression), RR_TYPE
 * NBSTAT, then NUM_NAMES 18-byte entries (15-byte name, suffix byte, 2 flag bytes) and the
 * statistics, whose first 6 bytes are the UNIT_ID. Returns null for anything else: a request, a
 * negative answer (RCODE ≠ 0), another type, a table cut short.
 */
export function decodeNodeStatusResponse(packet: Buffer): NodeStatus | null {
  if (packet.length < 12) return null;
  const flags = packet.readUInt16BE(2);
  if ((flags & 0x8000) === 0 || (flags & 0x000f) !== 0) return null;
  if (packet.readUInt16BE(6) < 1) return null; // ANCOUNT
  let at = 12;
  // RR_NAME: labels up to the root, or a compression pointer (two bytes).
  for (;;) {
    if (at >= packet.length) return null;
    const length = packet[at]!;
    if ((length & 0xc0) === 0xc0) {
      at += 2;
      break;
    }
    at += 1 + length;
    if (length === 0) break;
  }
  if (at + 10 + 1 > packet.length) return null;
  if (packet.readUInt16BE(at) !== NBSTAT) return null;
  const rdLength = packet.readUInt16BE(at + 8);
  const rdata = packet.subarray(at + 10, at + 10 + rdLength);
  if (rdata.length < 1) return null;
  const count = rdata[0]!;
  if (1 + count * 18 > rdata.length) return null;
  const names: NodeName[] = [];
  for (let i = 0; i < count; i++) {
    const entry = rdata.subarray(1 + i * 18, 1 + (i + 1) * 18);
    const nameFlags = entry.readUInt16BE(16);
    names.push({
      name: entry
        .subarray(0, 15)
        .toString('latin1')
        .replace(/[ \0]+$/, ''),
      suffix: entry[15]!,
      group: (nameFlags & 0x8000) !== 0,
      active: (nameFlags & 0x0400) !== 0,
    });
  }
  const status: NodeStatus = { transactionId: packet.readUInt16BE(0), names };
  const unit = rdata.subarray(1 + count * 18, 1 + count * 18 + 6);
  if (unit.length === 6 && unit.some((b) => b !== 0)) {
    status.unitId = [...unit].map((b) => b.toString(16).padStart(2, '0')).join(':');
  }
  return status;
}

/**
 * The node's own computer name: the first unique (not group) name with suffix 0x00, the
 * "workstation service" name every Windows PC and nmbd registers (the one `nmblookup -A` lists
 * first without <GROUP>); null when the table has none.
 */
export function workstationName(status: NodeStatus): string | null {
  const own = status.names.find((n) => n.suffix === 0x00 && !n.group && n.name.length > 0);
  return own ? own.name : null;
}

export interface NodeStatusLimits {
  /** Milliseconds one try waits for the answer (≤ 1000). */
  tryTimeoutMs: number;
  /** Tries in all (1 or 2: one retry at most). */
  tries: number;
}

export const defaultNodeStatusLimits: NodeStatusLimits = { tryTimeoutMs: 1000, tries: 2 };

/**
 * Asks `address` (IPv4) its node status on UDP 137 from a connected socket (so an ICMP port
 * unreachable ends it at once: ECONNREFUSED) and resolves with its workstation name as a
 * one-element list, or none. Rejects with an error whose `code` is ETIMEOUT after the last try,
 * the socket's error otherwise, or ECANCELLED once `signal` aborts. Fits ReverseLookup, so the
 * engine bounds and caches it as it does reverse DNS.
 */
export function netbiosNodeStatusLookup(limits: Partial<NodeStatusLimits> = {}): ReverseLookup {
  const tryTimeoutMs = Math.min(1000, limits.tryTimeoutMs ?? defaultNodeStatusLimits.tryTimeoutMs);
  const tries = Math.max(1, Math.min(2, limits.tries ?? defaultNodeStatusLimits.tries));
  return (address, signal) => {
    const id = randomInt(0, 0x10000);
    return askUdp(
      {
        type: 'udp4',
        request: encodeNodeStatusRequest(id),
        address,
        port: NETBIOS_NS_PORT,
        socket: 'connected',
        tries,
        tryTimeoutMs,
        answer: (message) => {
          const status = decodeNodeStatusResponse(message);
          if (!status || status.transactionId !== id) return undefined;
          const name = workstationName(status);
          return name ? [name] : [];
        },
      },
      signal,
    );
  };
}
