import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../app/errors.js';
import { parsePorts, parsePortSpec, rankedPorts } from '../../app/scan/ports.js';
import { COMMON_UDP_PORTS } from '../../app/scan/udp/services.js';
import { typeset } from './support/typography.js';

function failureOf(spec: string): AppFailure {
  try {
    parsePorts(spec);
  } catch (error) {
    if (error instanceof AppFailure) return error;
    throw error;
  }
  throw new Error(`parsePorts(${JSON.stringify(spec)}) did not fail`);
}

describe('parsePorts', () => {
  it('parses lists and ranges, sorted and distinct', () => {
    expect(parsePorts('80,22, 443 22')).toEqual([22, 80, 443]);
    expect(parsePorts('20-25')).toEqual([20, 21, 22, 23, 24, 25]);
    expect(parsePorts('T:22,80')).toEqual([22, 80]);
  });

  it('understands open-ended ranges and "-"', () => {
    expect(parsePorts('-')).toHaveLength(65535);
    expect(parsePorts('-3')).toEqual([1, 2, 3]);
    expect(parsePorts('65533-')).toEqual([65533, 65534, 65535]);
  });

  it('builds top100 and top1000 from the ranked list', () => {
    const top100 = parsePorts('top100');
    expect(top100).toHaveLength(100);
    expect(top100).toContain(80);
    expect(top100).toContain(443);
    expect(top100).toContain(22);
    expect(top100).toContain(3389);
    expect(parsePorts('TOP1000')).toHaveLength(1000);
    expect(new Set(rankedPorts).size).toBe(1000);
    expect(parsePorts('top100,1-10')).toHaveLength(
      new Set([...top100, ...Array.from({ length: 10 }, (_, i) => i + 1)]).size,
    );
  });

  it('names the offending token in both languages', () => {
    const reversed = failureOf('22,80-20');
    expect(reversed.appError.code).toBe('scan.ports.invalid');
    expect(reversed.appError.params).toEqual({ token: '80-20' });
    expect(reversed.appError.message.en).toContain('“80-20”');
    expect(reversed.appError.message.fr).toContain(typeset('« 80-20 »'));
    expect(reversed.appError.message.en).toMatch(/reversed/);

    const tooBig = failureOf('70000');
    expect(tooBig.appError.params).toEqual({ token: '70000' });
    expect(tooBig.appError.message.en).toMatch(/outside the port range/);
    expect(tooBig.appError.message.fr).toMatch(/hors de la plage/);

    expect(failureOf('0').appError.params).toEqual({ token: '0' });
    expect(failureOf('http').appError.params).toEqual({ token: 'http' });
    expect(failureOf('1-2-3').appError.params).toEqual({ token: '1-2-3' });
    expect(failureOf('top50').appError.params).toEqual({ token: 'top50' });
  });

  it.each([
    ['1 - 1024', '1 - 1024', '1-1024'],
    ['20 -25', '20 -25', '20-25'],
    ['20- 25', '20- 25', '20-25'],
    ['22,80 - 90', '80 - 90', '80-90'],
    ['22 -', '22 -', '22-'],
    ['- 100', '- 100', '-100'],
    ['T:20 - 25', 'T:20 - 25', 'T:20-25'],
  ])('refuses %j: spaces beside "-" would read as other ports', (spec, token, joined) => {
    const failure = failureOf(spec);
    expect(failure.appError.code).toBe('scan.ports.invalid');
    expect(failure.appError.params).toEqual({ token });
    expect(failure.appError.message.en).toContain(`“${token}”`);
    expect(failure.appError.message.en).toContain(joined);
    expect(failure.appError.message.fr).toContain(typeset(`« ${token} »`));
    expect(failure.appError.message.fr).toContain(joined);
  });

  it.each([
    ['22, 80', [22, 80]],
    ['22 ,80', [22, 80]],
    ['22 , 80', [22, 80]],
    [' 20-25 ', [20, 21, 22, 23, 24, 25]],
    ['22 80', [22, 80]],
    ['65534, -', 65535],
    ['-3, 65535', [1, 2, 3, 65535]],
  ] as [string, number[] | number][])(
    'reads %j: spaces beside a comma only separate',
    (spec, want) => {
      const ports = parsePorts(spec);
      if (typeof want === 'number') expect(ports).toHaveLength(want);
      else expect(ports).toEqual(want);
    },
  );

  it('offers only the range for a spaced dash, not other readings (review of issue 14)', () => {
    for (const spec of ['1 - 1024', '20- 25']) {
      const failure = failureOf(spec);
      expect(failure.appError.message.en).not.toMatch(/,-\d/);
      expect(failure.appError.message.en).not.toContain('spaces around');
      expect(failure.appError.message.en).toContain('for the range');
      expect(failure.appError.message.fr).toContain('pour la plage');
    }
  });

  it('rejects an empty list with its own code', () => {
    expect(failureOf(' , ').appError.code).toBe('scan.ports.empty');
    expect(failureOf('U:').appError.code).toBe('scan.ports.empty');
  });
});

describe('parsePortSpec (TCP and UDP, nmap syntax)', () => {
  it('reads U: and T: prefixes, each holding until the next, as nmap does', () => {
    expect(parsePortSpec('U:53,161,T:80')).toEqual({ tcp: [80], udp: [53, 161] });
    expect(parsePortSpec('22,U:53 123,T:443,8080')).toEqual({
      tcp: [22, 443, 8080],
      udp: [53, 123],
    });
    expect(parsePortSpec('u:1-3')).toEqual({ tcp: [], udp: [1, 2, 3] });
    expect(parsePortSpec('T:22,U:22')).toEqual({ tcp: [22], udp: [22] });
    // parsePorts keeps the TCP part only.
    expect(parsePorts('U:53,161,T:80')).toEqual([80]);
  });

  it('offers the common UDP services as a named set, UDP whatever the prefix', () => {
    expect(parsePortSpec('common-udp').udp).toEqual([...COMMON_UDP_PORTS]);
    expect(parsePortSpec('T:22,Common-UDP,80')).toEqual({
      tcp: [22, 80],
      udp: [...COMMON_UDP_PORTS],
    });
    expect(parsePortSpec('top100,common-udp').tcp).toHaveLength(100);
  });

  it('names the bad token of a UDP list too', () => {
    expect(failureOf('U:53,70000').appError.params).toEqual({ token: '70000' });
  });
});
