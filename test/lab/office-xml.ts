/**
 * An nmap XML file (as nmap 7.93 writes with `-sT -sV -oX`) of a small office seen from one PC:
 * `hosts` devices in 10.70.0.0/20 from 10.70.0.1, each with a MAC address, a PTR name and 1–4 open
 * ports among ssh, telnet, http, smb, rdp, vnc, ftp (with -sV products), except the `big` devices
 * from 10.70.0.6 on, which have ports 1..`bigOpen` open (a middlebox answering for them, review 13c
 * new user #4). Every host lists the rest of `-p 1-1024` as closed. Nothing is scanned: the
 * addresses only appear in the file. 2,500 hosts with 11 big ones is ≈ 2.3 MB.
 */
export function generateOfficeXml(
  options: { hosts?: number; big?: number; bigOpen?: number; start?: number } = {},
): string {
  const { hosts = 2500, big = 11, bigOpen = 450, start = 1795464333 } = options;
  const services = [
    [22, 'ssh', 'OpenSSH', '9.2p1 Debian 2+deb12u3'],
    [23, 'telnet', 'BusyBox telnetd', ''],
    [80, 'http', 'lighttpd', '1.4.69'],
    [445, 'microsoft-ds', 'Samba smbd', '4.6.2'],
    [3389, 'ms-wbt-server', 'Microsoft Terminal Services', ''],
    [5900, 'vnc', 'RealVNC Enterprise', '5.3'],
    [21, 'ftp', 'vsftpd', '3.0.5'],
    [443, 'https', 'nginx', '1.22.1'],
  ] as const;
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n',
    `<nmaprun scanner="nmap" args="nmap -sT -sV -p 1-1024 -oX office.xml 10.70.0.0/20" start="${start}" startstr="Mon Nov 23 20:05:33 2026" version="7.93" xmloutputversion="1.05">\n`,
    '<scaninfo type="connect" protocol="tcp" numservices="1024" services="1-1024"/>\n',
    '<verbose level="0"/>\n<debugging level="0"/>\n',
  ];
  const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
  for (let i = 0; i < hosts; i++) {
    const n = i + 1;
    const address = `10.70.${Math.floor(n / 256)}.${n % 256}`;
    const mac = `52:54:00:${hex((n >> 16) & 255)}:${hex((n >> 8) & 255)}:${hex(n & 255)}`;
    const isBig = n >= 6 && n < 6 + big;
    const ports: string[] = [];
    if (isBig) {
      for (let port = 1; port <= bigOpen; port++) {
        ports.push(
          `<port protocol="tcp" portid="${port}"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="unknown" method="table" conf="3"/></port>\n`,
        );
      }
    } else {
      const count = 1 + (i % 4);
      for (let k = 0; k < count; k++) {
        const [port, name, product, version] = services[(i + k * 3) % services.length]!;
        ports.push(
          `<port protocol="tcp" portid="${port}"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="${name}" product="${product}"${version ? ` version="${version}"` : ''} method="probed" conf="10"/></port>\n`,
        );
      }
    }
    const closed = 1024 - ports.length;
    parts.push(
      `<host starttime="${start}" endtime="${start + 1}"><status state="up" reason="arp-response" reason_ttl="0"/>\n`,
      `<address addr="${address}" addrtype="ipv4"/>\n<address addr="${mac}" addrtype="mac"/>\n`,
      `<hostnames>\n<hostname name="poste-${n}.bureau.lan" type="PTR"/>\n</hostnames>\n`,
      `<ports><extraports state="closed" count="${closed}">\n`,
      `<extrareasons reason="conn-refused" count="${closed}" proto="tcp"/>\n</extraports>\n`,
      ...ports,
      '</ports>\n<times srtt="412" rttvar="210" to="100000"/>\n</host>\n',
    );
  }
  parts.push(
    `<runstats><finished time="${start + 600}" timestr="Mon Nov 23 20:15:33 2026" summary="Nmap done" elapsed="600.00" exit="success"/><hosts up="${hosts}" down="${4096 - hosts}" total="4096"/></runstats>\n</nmaprun>\n`,
  );
  return parts.join('');
}
