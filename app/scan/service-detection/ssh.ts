import type { PortResult } from '../../contract/scan.js';
import { capped } from '../../contract/outside-words.js';

/**
 * Service detection for SSH (issue 16): what an SSH server says first is its identification
 * string, which names its software. The folder is app/scan/service-detection/ (one module per
 * probe) and not app/scan/service/, which would sit beside app/scan/service.ts, the engine's
 * ScanService interface, and read as its implementation.
 *
 * No extra connection, no byte sent: the engine's banner read (app/scan/prober.ts readBanner,
 * 512 bytes or the first line, within Tuning.bannerWaitMs) already holds the line.
 */

/** An SSH server's identification string, RFC 4253 §4.2, split into its parts. */
export interface SshIdentification {
  /** `protoversion`: "2.0" (or "1.99", a server that also speaks SSH 1). */
  protoVersion: string;
  /** `softwareversion` as sent: "OpenSSH_9.2p1". */
  software: string;
  /** The software's name, when `softwareversion` reads name_version: "OpenSSH", "dropbear". */
  product: string;
  /** The software's version, when it has one: "9.2p1", "2022.83". */
  version?: string;
  /** `comments`, when present: "Debian-2+deb12u3", "Ubuntu-3ubuntu0.10". */
  comments?: string;
}

/**
 * RFC 4253 §4.2: `SSH-protoversion-softwareversion SP comments CR LF`, protoversion and
 * softwareversion printable US-ASCII without space or minus sign ("-" separates them), the whole
 * line at most 255 characters. A server may send other lines before it (§4.2), so any line of
 * the banner that starts "SSH-" is the one.
 */
const IDENTIFICATION = /^SSH-([!-,.-~]+)-([!-,.-~]+)(?: ([ -~]*))?$/;

/**
 * How most SSH software writes `softwareversion`: a name, "_" (or "-"), a version starting with a
 * digit ("OpenSSH_9.2p1", "dropbear_2022.83", "libssh2_1.10.0", "OpenSSH_for_Windows_8.1"). The
 * whole `softwareversion` is the name otherwise.
 */
const NAME_VERSION = /^([A-Za-z][!-~]*?)[_-](\d[!-~]*)$/;

/**
 * The SSH identification string in a banner (printable text, lines split on CR/LF), or null when
 * no line is one. Pure; never throws.
 */
export function parseSshIdentification(banner: string): SshIdentification | null {
  for (const line of banner.split(/\r?\n|\r/)) {
    if (line.length > 255) continue;
    const match = IDENTIFICATION.exec(line);
    if (!match) continue;
    const [, protoVersion, software, rawComments] = match as unknown as [
      string,
      string,
      string,
      string | undefined,
    ];
    const comments = rawComments?.trim();
    const named = NAME_VERSION.exec(software);
    return {
      protoVersion,
      software,
      product: named ? named[1]! : software,
      ...(named ? { version: named[2]! } : {}),
      ...(comments ? { comments } : {}),
    };
  }
  return null;
}

/**
 * What the port's `detected` field keeps of an SSH banner, in the shape nmap -sV imports fill
 * (PortResult.detected): `{service: "ssh", product: "OpenSSH", version: "9.2p1 Debian-2+deb12u3",
 * extraInfo: "protocol 2.0"}` — the version as `ssh -V` prints it (upstream version, then the
 * distribution's comment, which names the package revision a fix may have been backported to).
 * Capped to the contract's lengths. Undefined when the banner holds no identification string.
 * Pure.
 */
export function sshDetected(banner: string): PortResult['detected'] {
  const id = parseSshIdentification(banner);
  if (!id) return undefined;
  const version = [id.version, id.comments].filter(Boolean).join(' ');
  return {
    service: 'ssh',
    product: capped(id.product, 128),
    ...(version ? { version: capped(version, 128) } : {}),
    extraInfo: capped(`protocol ${id.protoVersion}`, 256),
  };
}
