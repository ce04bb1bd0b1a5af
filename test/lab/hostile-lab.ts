import { addAddresses, createVeth, execIn, loadNft, NetnsLab, uniqueName } from './netns.js';
import { scannerIn, startListeners, type ScanLab } from './scan-lab.js';

/**
 * Networks that answer late, reset, rate-limit and stay silent, as in the wild (issue 14): a
 * scanner namespace A and a target namespace B on one veth pair (`veth-a` in A: a Linux interface
 * name with a dash, for zone tests), B holding one address per behaviour; and a default-drop host
 * C on a second veth pair (`veth-c`), with nothing but its filter (no NAT, so no connection
 * tracking), as workload (c) of the bench has it. Every behaviour is built from the targets' own
 * kernel and nft, so `nmap -sT` from A meets exactly what the engine meets.
 */

/** B's first address: the one nft's `redirect` sends the tarpit's connections to. */
const B_PRIMARY = '10.77.1.10';
/**
 * B drops its outgoing resets above 10 a second (burst 5) for this address: issue 14 saw 300 ports
 * at 20 a second; half the ports at half the rate keeps the same 15 s of limiting in a shorter test.
 */
export const RST_LIMITED = '10.77.1.2';
/** Accepts on RESETTING_PORTS and resets each connection at once; other ports closed. */
export const RESETTING = '10.77.1.3';
export const RESETTING_PORTS = { from: 7001, to: 7040 };
/** Every TCP port is redirected to one listener (a tarpit, or a middlebox that answers for all). */
export const TARPIT = '10.77.1.4';
/**
 * A very ordinary Linux firewall (review of issue 14, new user F1): drops by default, rejects
 * MIXED_ICMP with ICMP admin-prohibited (the kernel sends about one ICMP error a second to a
 * peer), resets MIXED_RESET, and lets V6_OPEN_PORT's listener answer. B counts the SYNs it gets.
 */
export const MIXED = '10.77.1.5';
export const MIXED_ICMP = { from: 1001, to: 1400 };
export const MIXED_RESET = { from: 1401, to: 1410 };
/**
 * Answers SYNs to ISOLATED_PORTS with ICMP 3/8 "host isolated" and to SOURCE_ROUTE_PORT with
 * ICMP 3/5 "source route failed" (review of issue 14, F1: Linux reports them to connect() as
 * ENONET and EOPNOTSUPP); V6_OPEN_PORT open, other ports closed.
 */
export const ISOLATED = '10.77.1.6';
export const ISOLATED_PORTS = [22, 80, 443, 445];
export const SOURCE_ROUTE_PORT = 7102;
/** C: default-drop input policy with two open ports, silent except 22 and 443. */
export const SILENT_TWO_OPEN = '10.77.2.5';
export const SILENT_OPEN_PORTS = [22, 443];
/** An IPv6 port open on every address of B, reached through B's link-local address. */
export const V6_OPEN_PORT = 8080;
export const SCANNER_IF = 'veth-a';

const rules = `
table inet hostile {
  counter mixed_syn {
  }
  chain input {
    type filter hook input priority 0; policy accept;
    ip daddr ${MIXED} tcp flags & (syn | ack) == syn counter name mixed_syn
    ip daddr ${MIXED} tcp dport ${V6_OPEN_PORT} accept
    ip daddr ${MIXED} tcp dport ${MIXED_ICMP.from}-${MIXED_ICMP.to} reject with icmpx admin-prohibited
    ip daddr ${MIXED} tcp dport ${MIXED_RESET.from}-${MIXED_RESET.to} reject with tcp reset
    ip daddr ${MIXED} meta l4proto tcp drop
    ip daddr ${ISOLATED} tcp dport { ${ISOLATED_PORTS.join(', ')} } reject with icmp 8
    ip daddr ${ISOLATED} tcp dport ${SOURCE_ROUTE_PORT} reject with icmp 5
  }
  chain output {
    type filter hook output priority 0; policy accept;
    ip saddr ${RST_LIMITED} tcp flags & rst == rst limit rate over 10/second burst 5 packets drop
  }
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ip daddr ${TARPIT} tcp dport != 7777 redirect to :7777
  }
}
`;

const silentRules = `
table inet silent {
  chain input {
    type filter hook input priority 0; policy drop;
    tcp dport { ${SILENT_OPEN_PORTS.join(', ')} } accept
  }
}
`;

export interface HostileLab extends Pick<ScanLab, 'scan' | 'nmap' | 'teardown'> {
  scanner: string;
  /** B's link-local IPv6 address (without zone), reached from A through `veth-a`. */
  targetLinkLocal: string;
  /** SYNs that reached MIXED so far (nft counter in B). */
  synsToMixed(): Promise<number>;
}

async function linkLocal(ns: string, ifName: string): Promise<string> {
  // Duplicate address detection first: a tentative address cannot be used yet.
  for (let i = 0; i < 100; i++) {
    const { stdout } = await execIn(ns, 'ip', [
      '-6',
      '-o',
      'addr',
      'show',
      'dev',
      ifName,
      'scope',
      'link',
    ]);
    const match = /inet6 (fe80::[0-9a-f:]+)\/64/.exec(stdout);
    if (match && !stdout.includes('tentative')) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no usable link-local address on ${ifName} in ${ns}`);
}

export async function createHostileLab(area = 'hostile'): Promise<HostileLab> {
  const lab = new NetnsLab();
  try {
    const a = await lab.namespace(uniqueName(area, 'a'));
    const b = await lab.namespace(uniqueName(area, 'b'));
    const c = await lab.namespace(uniqueName(area, 'c'));
    await createVeth({ ns: a, ifName: SCANNER_IF, peerNs: b, peerIfName: 'veth-b' });
    await createVeth({ ns: a, ifName: 'veth-c', peerNs: c, peerIfName: 'veth-c' });
    await addAddresses(a, SCANNER_IF, ['10.77.1.1/24', 'fd77:1::1/64']);
    await addAddresses(a, 'veth-c', ['10.77.2.1/24']);
    await addAddresses(b, 'veth-b', [
      `${B_PRIMARY}/24`,
      `${RST_LIMITED}/24`,
      `${RESETTING}/24`,
      `${TARPIT}/24`,
      `${MIXED}/24`,
      `${ISOLATED}/24`,
      'fd77:1::2/64',
    ]);
    await addAddresses(c, 'veth-c', [`${SILENT_TWO_OPEN}/24`]);
    await loadNft(b, rules);
    await loadNft(c, silentRules);
    const resetting = [];
    for (let port = RESETTING_PORTS.from; port <= RESETTING_PORTS.to; port++)
      resetting.push({ port, host: RESETTING, reset: true });
    await startListeners(lab, b, [...resetting, { port: 7777 }, { port: V6_OPEN_PORT }]);
    await startListeners(
      lab,
      c,
      SILENT_OPEN_PORTS.map((port) => ({ port })),
    );
    await linkLocal(a, SCANNER_IF);
    const targetLinkLocal = await linkLocal(b, 'veth-b');
    const synsToMixed = async (): Promise<number> => {
      const { stdout } = await execIn(b, 'nft', [
        'list',
        'counter',
        'inet',
        'hostile',
        'mixed_syn',
      ]);
      return Number(/packets (\d+)/.exec(stdout)?.[1] ?? Number.NaN);
    };
    return {
      scanner: a,
      targetLinkLocal,
      synsToMixed,
      teardown: () => lab.teardown(),
      ...scannerIn(lab, a),
    };
  } catch (error) {
    await lab.teardown();
    throw error;
  }
}
