import { describe, expect, it } from 'vitest';
import {
  COMMON_UDP_PORTS,
  MAX_PAYLOAD_BYTES,
  readSnmpResponse,
  snmpGetSysDescr,
  udpPayload,
  udpServiceFor,
  UDP_SERVICES,
} from '../../app/scan/udp/services.js';
import { readReply } from '../../app/scan/udp/prober.js';
import { printableBanner } from '../../app/scan/prober.js';

const context = { address: '10.0.0.5', id: 0x1234 };
const hex = (port: number): string => udpPayload(port, context).toString('hex');

describe('UDP service payloads, byte for byte from their RFCs', () => {
  it('DNS: RFC 1035 §4.1 header (id, RD, QDCOUNT 1) and a root NS question in class IN', () => {
    expect(hex(53)).toBe(
      '1234' + '0100' + '0001' + '0000' + '0000' + '0000' + '00' + '0002' + '0001',
    );
  });

  it('mDNS: a legacy unicast query for _services._dns-sd._udp.local PTR (RFC 6762 §6.7, RFC 6763 §9)', () => {
    const name = ['_services', '_dns-sd', '_udp', 'local']
      .map(
        (label) => label.length.toString(16).padStart(2, '0') + Buffer.from(label).toString('hex'),
      )
      .join('');
    expect(hex(5353)).toBe(
      '1234' + '0000' + '0001' + '000000000000' + name + '00' + '000c' + '0001',
    );
  });

  it('NTP: 48 bytes, LI 0 / VN 4 / mode 3 (0x23), the nonce as transmit timestamp (RFC 5905 §7.3)', () => {
    const packet = udpPayload(123, context);
    expect(packet).toHaveLength(48);
    expect(packet[0]).toBe(0x23);
    expect(packet.subarray(1, 40).every((b) => b === 0)).toBe(true);
    expect(packet.subarray(40).toString('hex')).toBe(
      Buffer.from('PAudit').toString('hex') + '1234',
    );
  });

  it('SNMP: an SNMPv1 GetRequest of sysDescr.0 with community public (RFC 1157 §4.1, X.690 BER)', () => {
    // 30 27 | 02 01 00 | 04 06 "public" | a0 1a | 02 02 12 34 | 02 01 00 | 02 01 00 |
    // 30 0e | 30 0c | 06 08 2b 06 01 02 01 01 01 00 | 05 00
    expect(hex(161)).toBe(
      '3027' +
        '020100' +
        '0406' +
        Buffer.from('public').toString('hex') +
        'a01a' +
        '02021234' +
        '020100' +
        '020100' +
        '300e' +
        '300c' +
        '06082b06010201010100' +
        '0500',
    );
    // The RFC 1157 form with the v2c version number (RFC 1901 §3) and a request id needing a
    // leading zero octet (X.690 §8.3.2: 0x80 alone would be negative).
    expect(snmpGetSysDescr(1, 'public', 0x80).subarray(2, 5).toString('hex')).toBe('020101');
    expect(snmpGetSysDescr(1, 'public', 0x80).toString('hex')).toContain(
      'a01a02020080020100020100',
    );
  });

  it('NetBIOS: a node status request for * (RFC 1002 §4.2.17, name encoding RFC 1001 §14.1)', () => {
    expect(hex(137)).toBe(
      '1234' +
        '0000' +
        '0001' +
        '000000000000' +
        '20' +
        Buffer.from('CK' + 'A'.repeat(30)).toString('hex') +
        '00' +
        '0021' +
        '0001',
    );
  });

  it('SSDP: a unicast M-SEARCH naming the device (UPnP Device Architecture 1.1 §1.3.2)', () => {
    expect(udpPayload(1900, context).toString('latin1')).toBe(
      'M-SEARCH * HTTP/1.1\r\nHOST: 10.0.0.5:1900\r\nMAN: "ssdp:discover"\r\nST: ssdp:all\r\n\r\n',
    );
    expect(udpPayload(1900, { address: 'fe80::1', id: 1 }).toString('latin1')).toContain(
      'HOST: [fe80::1]:1900\r\n',
    );
  });

  it('memcached: the 8-byte UDP frame header, then stats (memcached protocol.txt)', () => {
    expect(hex(11211)).toBe(
      '1234' + '0000' + '0001' + '0000' + Buffer.from('stats\r\n').toString('hex'),
    );
  });

  it('TFTP: an RRQ in octet mode (RFC 1350 §5)', () => {
    expect(udpPayload(69, context).toString('latin1')).toBe(
      '\x00\x01port-auditor-probe.txt\x00octet\x00',
    );
  });

  it('IKEv2: a 28-byte IKE_SA_INIT header, Initiator, no payload (RFC 7296 §3.1)', () => {
    expect(hex(500)).toBe(
      Buffer.from('PAudit').toString('hex') +
        '1234' +
        '0000000000000000' +
        '00' +
        '20' +
        '22' +
        '08' +
        '00000000' +
        '0000001c',
    );
  });

  it('CoAP: CON GET /.well-known/core, no token (RFC 7252 §3, §5.10.1)', () => {
    expect(hex(5683)).toBe(
      '40011234' +
        'bb' +
        Buffer.from('.well-known').toString('hex') +
        '04' +
        Buffer.from('core').toString('hex'),
    );
  });

  it('OpenVPN: P_CONTROL_HARD_RESET_CLIENT_V2, session id, empty ACK array, packet-id 0', () => {
    expect(hex(1194)).toBe(
      '38' + Buffer.from('PAudit').toString('hex') + '1234' + '00' + '00000000',
    );
  });

  it('every service has one payload, bounded; ports outside the set get an empty datagram', () => {
    expect(COMMON_UDP_PORTS).toEqual([
      7, 17, 19, 53, 69, 123, 137, 161, 500, 1194, 1900, 3702, 5353, 5683, 11211,
    ]);
    for (const service of UDP_SERVICES) {
      const payload = service.payload(context);
      expect(payload.length, service.name).toBeGreaterThan(0);
      expect(payload.length, service.name).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    }
    expect(udpPayload(40000, context)).toHaveLength(0);
  });
});

describe('UDP reply recognisers', () => {
  it('DNS and mDNS: a response carries the query id and the QR bit', () => {
    const dns = udpServiceFor(53)!;
    const answer = Buffer.from('1234818500010000000000000000020001', 'hex'); // REFUSED still answers
    expect(dns.recognise(answer, context)).toEqual({});
    expect(
      dns.recognise(Buffer.from('4321818500010000000000000000020001', 'hex'), context),
    ).toBeNull();
    // The query itself (QR 0) is not an answer.
    expect(dns.recognise(udpPayload(53, context), context)).toBeNull();
  });

  it('NTP: mode 4 with our transmit timestamp as origin', () => {
    const ntp = udpServiceFor(123)!;
    const reply = Buffer.alloc(48);
    reply[0] = 0x24; // LI 0, VN 4, mode 4
    reply[1] = 3;
    udpPayload(123, context).subarray(40).copy(reply, 24);
    expect(ntp.recognise(reply, context)).toEqual({ detail: 'NTPv4, stratum 3' });
    reply[30] = 0xff;
    expect(ntp.recognise(reply, context)).toBeNull();
  });

  it('SNMP: a GetResponse to our request id, its sysDescr as detail', () => {
    const descr = Buffer.from('Linux lab 6.1.0 x86_64');
    const varbind = Buffer.concat([
      Buffer.from('06082b06010201010100', 'hex'),
      Buffer.from([0x04, descr.length]),
      descr,
    ]);
    const list = Buffer.concat([
      Buffer.from([0x30, varbind.length + 2, 0x30, varbind.length]),
      varbind,
    ]);
    const pdu = Buffer.concat([Buffer.from('02021234020100020100', 'hex'), list]);
    const body = Buffer.concat([
      Buffer.from('0201000406', 'hex'),
      Buffer.from('public'),
      Buffer.from([0xa2, pdu.length]),
      pdu,
    ]);
    const reply = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    expect(readSnmpResponse(reply, 0x1234)).toEqual({ detail: 'Linux lab 6.1.0 x86_64' });
    expect(readSnmpResponse(reply, 0x1235)).toBeNull();
    expect(readSnmpResponse(udpPayload(161, context), 0x1234)).toBeNull(); // a GetRequest
    expect(readSnmpResponse(reply.subarray(0, 10), 0x1234)).toBeNull(); // cut short
  });

  it('memcached: the same request id, then STAT lines; the version as detail', () => {
    const memcached = udpServiceFor(11211)!;
    const reply = Buffer.concat([
      Buffer.from('1234000000010000', 'hex'),
      Buffer.from('STAT pid 12\r\nSTAT uptime 3\r\nSTAT version 1.6.18\r\nEND\r\n'),
    ]);
    expect(memcached.recognise(reply, context)).toEqual({ detail: 'memcached 1.6.18' });
    expect(memcached.recognise(Buffer.from('garbage!'), context)).toBeNull();
  });

  it('SSDP: an HTTP 200 with its SERVER header', () => {
    const ssdp = udpServiceFor(1900)!;
    const reply = Buffer.from(
      'HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nSERVER: Linux/5.10 UPnP/1.1 MiniUPnPd/2.3\r\n\r\n',
    );
    expect(ssdp.recognise(reply, context)).toEqual({ detail: 'Linux/5.10 UPnP/1.1 MiniUPnPd/2.3' });
    expect(ssdp.recognise(Buffer.from('NOTIFY * HTTP/1.1\r\n'), context)).toBeNull();
  });

  it('a device’s reply text is filtered exactly like a TCP banner (no ESC, no C1, no bidi)', () => {
    const ssdp = Buffer.concat([
      Buffer.from('HTTP/1.1 200 OK\r\nSERVER: Linux/5 UPnP/1.0 '),
      Buffer.from([0x1b]),
      Buffer.from(']0;pwned'),
      Buffer.from([0x07, 0x1b]),
      Buffer.from('[31m'),
      Buffer.from([0x9b]),
      Buffer.from('2J \u202e x\r\n\r\n'),
    ]);
    const seen = readReply(1900, ssdp, context);
    expect(seen).toEqual({
      recognised: true,
      detail: 'Linux/5 UPnP/1.0 .]0;pwned..[31m.2J ... x',
    });
    expect(seen.detail).toBe(printableBanner(seen.detail!));
    const memcached = Buffer.concat([
      Buffer.from('1234000000010000', 'hex'),
      Buffer.from('STAT version 1.6\u001b[2J\u202e\r\nEND\r\n'),
    ]);
    expect(readReply(11211, memcached, context)).toEqual({
      recognised: true,
      detail: 'memcached 1.6.[2J...',
    });
  });

  it('TFTP: an ERROR packet with its message; CoAP: ACK with our message id', () => {
    const tftp = udpServiceFor(69)!;
    expect(
      tftp.recognise(Buffer.from('\x00\x05\x00\x01File not found\x00', 'latin1'), context),
    ).toEqual({
      detail: 'File not found',
    });
    const coap = udpServiceFor(5683)!;
    expect(coap.recognise(Buffer.from('60451234', 'hex'), context)).toEqual({
      detail: 'CoAP 2.05',
    });
    expect(coap.recognise(Buffer.from('60459999', 'hex'), context)).toBeNull();
  });
});
