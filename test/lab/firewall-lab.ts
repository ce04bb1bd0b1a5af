import type { NetnsLab } from './netns.js';
import { addAddresses, execIn, ip, run } from './netns.js';

/**
 * How another device sees a TCP port: `open` (connected), `closed` (refused), `filtered` (no answer
 * within 1.5 s, or a local EPERM from this side's own firewall), `error:<code>` otherwise. A plain
 * node script run in a namespace, so the probe is a real connection from that "device".
 */
export const TCP_PROBE = `
const net = require('node:net');
const [host, port, localPort] = process.argv.slice(1);
const s = net.connect({ host, port: Number(port), ...(localPort ? { localPort: Number(localPort) } : {}) });
const done = (state) => { console.log(state); s.destroy(); process.exit(0); };
s.setTimeout(1500, () => done('filtered'));
s.on('connect', () => done('open'));
s.on('error', (e) => done(e.code === 'ECONNREFUSED' ? 'closed' : e.code === 'EPERM' || e.code === 'EACCES' ? 'filtered' : 'error:' + e.code));
`;

/** The state of `host:port` seen from namespace `from` (see TCP_PROBE), optionally from a local port. */
export async function probeTcp(
  from: string,
  host: string,
  port: number,
  localPort?: number,
): Promise<string> {
  const args = ['-e', TCP_PROBE, host, String(port), ...(localPort ? [String(localPort)] : [])];
  return (await execIn(from, process.execPath, args)).stdout.trim();
}

/**
 * A UDP question from namespace `from` (optionally from a local port) to an echo server: `answered`
 * when the echo came back within 1.5 s, `silent` otherwise.
 */
export async function probeUdp(
  from: string,
  host: string,
  port: number,
  localPort?: number,
): Promise<string> {
  const script = `
const s = require('node:dgram').createSocket(process.argv[1].includes(':') ? 'udp6' : 'udp4');
const [host, port, localPort] = process.argv.slice(1);
const done = (state) => { console.log(state); s.close(); process.exit(0); };
s.on('message', () => done('answered'));
s.bind(localPort ? Number(localPort) : 0, () => { s.send('ping', Number(port), host); setTimeout(() => done('silent'), 1500); });
`;
  const args = ['-e', script, host, String(port), ...(localPort ? [String(localPort)] : [])];
  return (await execIn(from, process.execPath, args)).stdout.trim();
}

/** A TCP listener on every address of namespace `ns` that closes each connection at once. */
export function listenTcp(lab: NetnsLab, ns: string, port: number): Promise<void> {
  const child = lab.spawn(ns, process.execPath, [
    '-e',
    `require('node:net').createServer((s) => s.end()).listen(${port}, '0.0.0.0', () => console.log('ready'))`,
  ]);
  return new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.on('exit', (code) => reject(new Error(`listener exited ${code}`)));
  });
}

/** A UDP echo server on every IPv4 address of namespace `ns`. */
export function echoUdp(lab: NetnsLab, ns: string, port: number): Promise<void> {
  const child = lab.spawn(ns, process.execPath, [
    '-e',
    `const s = require('node:dgram').createSocket('udp4'); s.on('message', (m, r) => s.send(m, r.port, r.address)); s.bind(${port}, () => console.log('ready'));`,
  ]);
  return new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.on('exit', (code) => reject(new Error(`echo exited ${code}`)));
  });
}

/**
 * A device on this PC's network, for tests that run inside a lab namespace playing "this PC": a
 * new namespace `peer` (torn down with `lab`) joined to the current namespace by a veth pair,
 * `hostLink` here with `pcAddr`/24 and `eth0` there with `peerAddr`/24, both up.
 */
export async function addPeerDevice(
  lab: NetnsLab,
  options: { peer: string; hostLink: string; pcAddr: string; peerAddr: string },
): Promise<void> {
  const { peer, hostLink, pcAddr, peerAddr } = options;
  await lab.namespace(peer);
  lab.rootLink(hostLink);
  await run('ip', ['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peer]);
  await ip(undefined, ['addr', 'add', `${pcAddr}/24`, 'dev', hostLink]);
  await ip(undefined, ['link', 'set', hostLink, 'up']);
  await addAddresses(peer, 'eth0', [`${peerAddr}/24`]);
  await ip(peer, ['link', 'set', 'eth0', 'up']);
}
