import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tlsFacts } from '../../app/scan/service-detection/tls.js';

// Certificates made here with openssl (as the lab test makes nginx's): one self-signed, one
// issued by a CA of its own, so "self-signed" is decided by the certificate, not by its name.

const dir = mkdtempSync(join(tmpdir(), `pa-tls-unit-${process.pid}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function selfSigned(cn: string): X509Certificate {
  const out = join(dir, `${cn}.crt`);
  openssl([
    'req',
    '-x509',
    ...EC,
    '-keyout',
    join(dir, `${cn}.key`),
    '-out',
    out,
    '-days',
    '2',
    '-subj',
    `/CN=${cn}`,
  ]);
  return new X509Certificate(readFileSync(out));
}

function issued(cn: string, caCn: string): X509Certificate {
  selfSigned(caCn);
  const csr = join(dir, `${cn}.csr`);
  const out = join(dir, `${cn}.crt`);
  openssl([
    'req',
    '-new',
    ...EC,
    '-keyout',
    join(dir, `${cn}.key`),
    '-out',
    csr,
    '-subj',
    `/CN=${cn}`,
  ]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    join(dir, `${caCn}.crt`),
    '-CAkey',
    join(dir, `${caCn}.key`),
    '-CAcreateserial',
    '-out',
    out,
    '-days',
    '2',
  ]);
  return new X509Certificate(readFileSync(out));
}

describe('TLS certificate facts', () => {
  const now = new Date();

  it('finds a self-signed certificate by its own signature, and names its subject and issuer', () => {
    const cert = selfSigned('box.lan');
    const facts = tlsFacts(cert, 'TLSv1.3', undefined, now);
    expect(facts).toEqual({
      protocol: 'TLSv1.3',
      subject: 'box.lan',
      issuer: 'box.lan',
      selfSigned: true,
      validTo: new Date(cert.validTo).toISOString(),
      expired: false,
    });
  });

  it('does not call a CA-issued certificate self-signed, unless node says the chain is', () => {
    const cert = issued('www.lab.test', 'Lab CA');
    expect(tlsFacts(cert, 'TLSv1.2', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', now)).toMatchObject({
      subject: 'www.lab.test',
      issuer: 'Lab CA',
      selfSigned: false,
    });
    expect(tlsFacts(cert, 'TLSv1.2', 'DEPTH_ZERO_SELF_SIGNED_CERT', now).selfSigned).toBe(true);
  });

  it('says expired once notAfter has passed', () => {
    const cert = selfSigned('old.lan');
    const after = new Date(new Date(cert.validTo).getTime() + 1000);
    expect(tlsFacts(cert, 'TLSv1.2', undefined, after).expired).toBe(true);
    expect(tlsFacts(cert, null, undefined, now).protocol).toBe('unknown');
  });
});
