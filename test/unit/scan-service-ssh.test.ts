import { describe, expect, it } from 'vitest';
import { parseSshIdentification, sshDetected } from '../../app/scan/service-detection/ssh.js';
import { cleanBanner } from '../../app/scan/prober.js';

describe('SSH identification string (RFC 4253 §4.2)', () => {
  it('splits protoversion, softwareversion and comments', () => {
    expect(parseSshIdentification('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3')).toEqual({
      protoVersion: '2.0',
      software: 'OpenSSH_9.2p1',
      product: 'OpenSSH',
      version: '9.2p1',
      comments: 'Debian-2+deb12u3',
    });
    expect(parseSshIdentification('SSH-1.99-dropbear_2022.83')).toEqual({
      protoVersion: '1.99',
      software: 'dropbear_2022.83',
      product: 'dropbear',
      version: '2022.83',
    });
  });

  it('names software whose name holds digits or underscores, and keeps a name without version', () => {
    expect(parseSshIdentification('SSH-2.0-libssh2_1.10.0')).toMatchObject({
      product: 'libssh2',
      version: '1.10.0',
    });
    expect(parseSshIdentification('SSH-2.0-OpenSSH_for_Windows_8.1')).toMatchObject({
      product: 'OpenSSH_for_Windows',
      version: '8.1',
    });
    const bare = parseSshIdentification('SSH-2.0-Go');
    expect(bare).toEqual({ protoVersion: '2.0', software: 'Go', product: 'Go' });
  });

  it('finds the line among the lines a server may send first, as the banner read keeps them', () => {
    const banner = cleanBanner(
      Buffer.from('Welcome\r\nSSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.3\r\n'),
    );
    expect(parseSshIdentification(banner!)).toMatchObject({
      product: 'OpenSSH',
      version: '9.6p1',
      comments: 'Ubuntu-3ubuntu13.3',
    });
  });

  it('is null for what is not an identification string', () => {
    expect(parseSshIdentification('220 mail ESMTP')).toBeNull();
    expect(parseSshIdentification('SSH-2.0')).toBeNull();
    expect(parseSshIdentification('SSH-2.0 -OpenSSH_9.2p1')).toBeNull(); // space in protoversion
    expect(parseSshIdentification(`SSH-2.0-${'x'.repeat(260)}`)).toBeNull(); // over 255 characters
    expect(sshDetected('HTTP/1.1 400 Bad Request')).toBeUndefined();
  });

  it('fills the port’s detected field as nmap -sV imports do, version as ssh -V prints it', () => {
    expect(sshDetected('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3')).toEqual({
      service: 'ssh',
      product: 'OpenSSH',
      version: '9.2p1 Debian-2+deb12u3',
      extraInfo: 'protocol 2.0',
    });
    expect(sshDetected('SSH-2.0-Go')).toEqual({
      service: 'ssh',
      product: 'Go',
      extraInfo: 'protocol 2.0',
    });
  });

  it('caps the fields to the contract’s lengths', () => {
    const long = sshDetected(`SSH-2.0-${'a'.repeat(200)}_1.0 ${'c'.repeat(40)}`)!;
    expect([...long.product!].length).toBe(128);
    expect(long.product!.endsWith('…')).toBe(true);
  });
});
