import os from 'node:os';

/**
 * "Analyser maintenant" scans this PC, i.e. every local address. The end-to-end layer must run
 * inside the lab namespace of test/netns/run-in-netns.sh, where those addresses are only loopback
 * and 10.77.250.1; refuse to run anywhere else rather than scan a real network.
 */
export function assertInsideLabNamespace(): void {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined)
    .filter((a) => !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
  const foreign = addresses.filter((a) => !a.startsWith('10.77.'));
  if (!addresses.includes('10.77.250.1') || foreign.length > 0) {
    throw new Error(
      `End-to-end tests scan this PC and must run in the lab namespace: use \`npm run test:e2e\` ` +
        `(test/netns/run-in-netns.sh). Addresses seen: ${addresses.join(', ') || 'none'}`,
    );
  }
}
