import { describe, expect, it } from 'vitest';
import { decodeProcAddress, isListening, parseProcNet } from '../../app/system/linux.js';

// Real rows as the kernel prints them (x86-64, little-endian).
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41234 1 0000000000000000 100 0 0 10 0
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18811 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1F90 0100007F:D2C4 01 00000000:00000000 00:00000000 00000000  1000        0 51515 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 22334 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 22335 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000A00A8C0:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 22336 1 0000000000000000 100 0 0 10 0
`;
const UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  120: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000   108        0 19000 2 0000000000000000 0
  121: 0A00A8C0:C350 08080808:0035 01 00000000:00000000 00:00000000 00000000  1000        0 19001 2 0000000000000000 0
`;

describe('/proc/net parsing', () => {
  it('decodes little-endian IPv4 and IPv6 addresses', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('00000000')).toBe('0.0.0.0');
    expect(decodeProcAddress('0A00A8C0')).toBe('192.168.0.10');
    expect(decodeProcAddress('00000000000000000000000001000000')).toBe('::1');
    expect(decodeProcAddress('00000000000000000000000000000000')).toBe('::');
    expect(decodeProcAddress('0000000000000000FFFF00000A00A8C0')).toBe('::ffff:c0a8:a');
  });

  it('keeps port, state and inode, and selects TCP LISTEN and unconnected UDP only', () => {
    const tcp = parseProcNet(TCP, 'tcp');
    expect(tcp[0]).toEqual({
      protocol: 'tcp',
      address: '127.0.0.1',
      port: 8080,
      state: '0A',
      inode: 41234,
    });
    expect(tcp.filter(isListening).map((s) => s.port)).toEqual([8080, 22]);
    const tcp6 = parseProcNet(TCP6, 'tcp').filter(isListening);
    expect(tcp6.map((s) => [s.address, s.port])).toEqual([
      ['::1', 631],
      ['::', 443],
      ['::ffff:c0a8:a', 80],
    ]);
    const udp = parseProcNet(UDP, 'udp');
    expect(udp.filter(isListening)).toEqual([
      { protocol: 'udp', address: '0.0.0.0', port: 5353, state: '07', inode: 19000 },
    ]);
  });
});
