// Runs scanUdpHost once and prints its verdicts as JSON on the last stdout line. The UDP lab test
// starts it inside its scanner namespace:
//   ip netns exec <ns> node --import tsx test/lab/udp-scan-once.ts '{"address":…,"ports":[…]}'
// With "burst": n instead, sends n probes at once to the closed port `port` and prints how many
// port unreachables came back (the host's ICMP burst, measured rather than assumed).
import { scanUdpHost, udpAttempt } from '../../app/scan/udp/prober.js';

const input = JSON.parse(process.argv[2] ?? '{}') as {
  address: string;
  ports?: number[];
  burst?: number;
  port?: number;
  options?: Record<string, number>;
};

async function main(): Promise<unknown> {
  if (input.burst !== undefined) {
    const attempts = await Promise.all(
      Array.from({ length: input.burst }, () =>
        udpAttempt(input.address, 4, input.port!, Buffer.alloc(0), 1000),
      ),
    );
    return {
      refused: attempts.filter((a) => a.kind === 'error' && a.code === 'ECONNREFUSED').length,
    };
  }
  const started = performance.now();
  const results = await scanUdpHost(input.address, 4, input.ports ?? [], input.options ?? {});
  return { elapsedMs: Math.round(performance.now() - started), results };
}

void main().then((out) => process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0)));
