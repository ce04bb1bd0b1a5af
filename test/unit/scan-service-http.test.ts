import { describe, expect, it } from 'vitest';
import {
  headRequest,
  httpDetected,
  HTTP_MAX_BYTES,
  parseHttpHead,
} from '../../app/scan/service-detection/http.js';
import { serviceProbeFor } from '../../app/scan/service-detection/probes.js';

const head = (text: string) => parseHttpHead(Buffer.from(text, 'latin1'));

describe('HTTP HEAD / (RFC 9110, RFC 9112)', () => {
  it('asks HEAD / with the address as Host, bracketed for IPv6, with the port unless 80', () => {
    expect(headRequest('10.0.0.2', 80)).toBe('HEAD / HTTP/1.0\r\nHost: 10.0.0.2\r\n\r\n');
    expect(headRequest('10.0.0.2', 8080)).toBe('HEAD / HTTP/1.0\r\nHost: 10.0.0.2:8080\r\n\r\n');
    expect(headRequest('fd00::2', 80)).toBe('HEAD / HTTP/1.0\r\nHost: [fd00::2]\r\n\r\n');
  });

  it('keeps the status, Server and Location (names in any case, first one kept)', () => {
    expect(
      head(
        'HTTP/1.1 301 Moved Permanently\r\nserver: nginx/1.22.1\r\nLOCATION: https://box.lan/\r\n' +
          'Server: other\r\n\r\n<html>',
      ),
    ).toEqual({ status: 301, server: 'nginx/1.22.1', location: 'https://box.lan/' });
    expect(head('HTTP/1.0 200\r\n\r\n')).toEqual({ status: 200 });
    // A head cut by the read bound still gives what arrived.
    expect(head('HTTP/1.1 404 Not Found\r\nServer: lighttpd')).toEqual({
      status: 404,
      server: 'lighttpd',
    });
  });

  it('treats the header values as outside words: printable, one line, capped', () => {
    const facts = head(
      `HTTP/1.1 200 OK\r\nServer: evil\x1b[2J\u202e${'x'.repeat(300)}\r\nLocation: /${'y'.repeat(600)}\r\n\r\n`,
    )!;
    expect(facts.server).not.toMatch(/[^\x20-\x7e…]/u);
    expect(facts.server!.startsWith('evil.[2J.')).toBe(true);
    expect([...facts.server!].length).toBe(128);
    expect([...facts.location!].length).toBe(512);
  });

  it('is null for what is not an HTTP answer', () => {
    expect(head('SSH-2.0-OpenSSH_9.2p1')).toBeNull();
    expect(head('HTTP/1.1 42 Nope\r\n\r\n')).toBeNull();
    expect(head('')).toBeNull();
    expect(HTTP_MAX_BYTES).toBe(4096);
  });

  it('names the software of the Server header’s first product (RFC 9110 §10.2.4)', () => {
    expect(httpDetected({ status: 200, server: 'nginx/1.22.1' })).toEqual({
      service: 'http',
      product: 'nginx',
      version: '1.22.1',
    });
    expect(httpDetected({ status: 200, server: 'Apache/2.4.62 (Debian)' }, 'https')).toEqual({
      service: 'https',
      product: 'Apache',
      version: '2.4.62',
      extraInfo: '(Debian)',
    });
    expect(httpDetected({ status: 200, server: 'lighttpd' })).toEqual({
      service: 'http',
      product: 'lighttpd',
    });
    expect(httpDetected({ status: 200 })).toBeUndefined();
  });
});

describe('which service probe an open port gets', () => {
  it('TLS on 443/8443 and HTTP on web ports when the service was silent', () => {
    expect(serviceProbeFor(443, undefined)).toBe('tls');
    expect(serviceProbeFor(8443, undefined)).toBe('tls');
    for (const port of [80, 8000, 8008, 8080, 8888])
      expect(serviceProbeFor(port, undefined)).toBe('http');
    expect(serviceProbeFor(3306, undefined)).toBeUndefined();
  });

  it('HTTP on any port whose banner is an HTTP answer; none for a service that named itself', () => {
    expect(serviceProbeFor(9999, 'HTTP/1.1 400 Bad Request')).toBe('http');
    expect(serviceProbeFor(80, 'SSH-2.0-OpenSSH_9.2p1')).toBeUndefined();
    expect(serviceProbeFor(443, '220 ftp ready')).toBeUndefined();
  });
});
