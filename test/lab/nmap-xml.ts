/**
 * An nmap XML file (as nmap 7.93 writes with `-sT -oX`) of `hosts` devices in 10.200.0.0/16, each
 * with a few open ports and the rest closed: about 700 bytes per host, so 5,000 hosts is ≈ 3.5 MB.
 * Nothing is scanned: the addresses only appear in the file. `start` is the run's Unix time.
 */
export function generateNmapXml(hosts: number, start = 1795464333): string {
  const open = [
    [22, 'ssh'],
    [80, 'http'],
    [445, 'microsoft-ds'],
    [3389, 'ms-wbt-server'],
    [23, 'telnet'],
  ] as const;
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n',
    `<nmaprun scanner="nmap" args="nmap -sT -p 1-1024,3389 -oX - 10.200.0.0/16" start="${start}" startstr="Mon Nov 23 20:05:33 2026" version="7.93" xmloutputversion="1.05">\n`,
    '<scaninfo type="connect" protocol="tcp" numservices="1025" services="1-1024,3389"/>\n',
    '<verbose level="0"/>\n<debugging level="0"/>\n',
  ];
  for (let i = 0; i < hosts; i++) {
    const address = `10.200.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    const ports = open.filter((_, k) => (i + k) % 3 === 0 || k === 0);
    parts.push(
      `<host starttime="${start}" endtime="${start + 1}"><status state="up" reason="syn-ack" reason_ttl="0"/>\n`,
      `<address addr="${address}" addrtype="ipv4"/>\n<hostnames>\n</hostnames>\n`,
      `<ports><extraports state="closed" count="${1025 - ports.length}">\n`,
      `<extrareasons reason="conn-refused" count="${1025 - ports.length}" proto="tcp"/>\n</extraports>\n`,
      ...ports.map(
        ([port, name]) =>
          `<port protocol="tcp" portid="${port}"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="${name}" method="table" conf="3"/></port>\n`,
      ),
      '</ports>\n<times srtt="412" rttvar="210" to="100000"/>\n</host>\n',
    );
  }
  parts.push(
    `<runstats><finished time="${start + 60}" timestr="Mon Nov 23 20:06:33 2026" summary="Nmap done" elapsed="60.00" exit="success"/><hosts up="${hosts}" down="0" total="${hosts}"/></runstats>\n</nmaprun>\n`,
  );
  return parts.join('');
}

/**
 * An nmap XML file (nmap 7.93, `-sS -oX`) of `hosts` devices at 192.168.7.1, .2, … (then
 * 192.168.8.x…), each answering open on ports 1..`openPerHost`: what nmap writes of a subnet a
 * middlebox, IDS or tarpit answers for (every SYN gets a SYN-ACK). `openPerHost` 1000 is nmap's
 * default scan (its top 1,000 ports, numbered 1..1000 here), 65535 is `-p-`. About 80 bytes per
 * open port: 2 × 65,535 is ≈ 10.6 MB, 256 × 1,000 ≈ 20 MB (review 13c attacker B2). Nothing is
 * scanned: the addresses only appear in the file. `scannedPerHost` (≥ `openPerHost`) scans ports
 * 1..`scannedPerHost`, the ones past `openPerHost` closed (nmap's `<extraports>`): a host that does
 * not answer on every port, so each of its open ports gets a verdict of its own.
 */
export function generateOpenPortsXml(
  hosts: number,
  openPerHost: number,
  start = 1795464333,
  scannedPerHost = openPerHost,
): string {
  const scanned = scannedPerHost === 65_535 ? '1-65535' : `1-${scannedPerHost}`;
  const closed = scannedPerHost - openPerHost;
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n',
    `<nmaprun scanner="nmap" args="nmap -sS -p ${scanned} -oX - 192.168.7.0/24" start="${start}" version="7.93" xmloutputversion="1.05">\n`,
    `<scaninfo type="syn" protocol="tcp" numservices="${scannedPerHost}" services="${scanned}"/>\n`,
  ];
  for (let i = 0; i < hosts; i++) {
    const address = `192.168.${7 + Math.floor(i / 254)}.${(i % 254) + 1}`;
    parts.push(
      `<host starttime="${start}" endtime="${start + 1}"><status state="up" reason="syn-ack" reason_ttl="63"/>\n`,
      `<address addr="${address}" addrtype="ipv4"/>\n<hostnames>\n</hostnames>\n<ports>`,
      closed > 0
        ? `<extraports state="closed" count="${closed}">\n<extrareasons reason="reset" count="${closed}" proto="tcp" ports="${openPerHost + 1}-${scannedPerHost}"/>\n</extraports>\n`
        : '',
    );
    const ports: string[] = [];
    for (let port = 1; port <= openPerHost; port++) {
      ports.push(
        `<port protocol="tcp" portid="${port}"><state state="open" reason="syn-ack" reason_ttl="63"/></port>\n`,
      );
    }
    parts.push(ports.join(''), '</ports>\n<times srtt="412" rttvar="210" to="100000"/>\n</host>\n');
  }
  parts.push(
    `<runstats><finished time="${start + 60}" exit="success"/><hosts up="${hosts}" down="0" total="${hosts}"/></runstats>\n</nmaprun>\n`,
  );
  return parts.join('');
}

/**
 * An nmap XML file (nmap 7.93, `-sS -p- -oX`) of `hosts` devices at 10.77.0.1, .2, … each with one
 * open TCP port (host i: port `everyPortOpenPort(i)`) and the 65,535 others closed, named in
 * `<extrareasons ports="1-22,24-65535">` as nmap 7.93 writes them: the realistic output of
 * `nmap -p-` (review 13, F3). About 480 bytes per host: 2,000 hosts ≈ 960 KB. Nothing is scanned:
 * the addresses only appear in the file.
 */
export function generateEveryPortXml(hosts: number, start = 1795464333): string {
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n',
    `<nmaprun scanner="nmap" args="nmap -sS -p- -oX - 10.77.0.0/16" start="${start}" version="7.93" xmloutputversion="1.05">\n`,
    '<scaninfo type="syn" protocol="tcp" numservices="65535" services="1-65535"/>\n',
  ];
  for (let i = 0; i < hosts; i++) {
    const open = everyPortOpenPort(i);
    const closed = [
      ...(open > 1 ? [open === 2 ? '1' : `1-${open - 1}`] : []),
      ...(open < 65535 ? [open === 65534 ? '65535' : `${open + 1}-65535`] : []),
    ].join(',');
    parts.push(
      `<host starttime="${start}" endtime="${start + 1}"><status state="up" reason="syn-ack" reason_ttl="63"/>\n`,
      `<address addr="${everyPortAddress(i)}" addrtype="ipv4"/>\n<hostnames>\n</hostnames>\n<ports>`,
      `<extraports state="closed" count="65534">\n<extrareasons reason="reset" count="65534" proto="tcp" ports="${closed}"/>\n</extraports>\n`,
      `<port protocol="tcp" portid="${open}"><state state="open" reason="syn-ack" reason_ttl="63"/></port>\n`,
      '</ports>\n<times srtt="412" rttvar="210" to="100000"/>\n</host>\n',
    );
  }
  parts.push(
    `<runstats><finished time="${start + 60}" exit="success"/><hosts up="${hosts}" down="0" total="${hosts}"/></runstats>\n</nmaprun>\n`,
  );
  return parts.join('');
}

/** The address of host `i` of generateEveryPortXml. */
export function everyPortAddress(i: number): string {
  return `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

/** The one open port of host `i` of generateEveryPortXml: spread over 1..65535, ends included. */
export function everyPortOpenPort(i: number): number {
  return i === 0 ? 1 : i === 1 ? 65535 : 1 + ((i * 7919) % 65535);
}
