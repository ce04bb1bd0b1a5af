// Runs one scan with the real ScanManager (worker thread included) and prints the ScanResult as
// JSON on the last stdout line. Lab tests start it inside the scanner namespace:
//   ip netns exec <ns> node --import tsx test/lab/scan-once.ts '{"targets":"…","ports":"…"}'
import { ScanManager } from '../../app/scan/manager.js';
import type { ScanEvent } from '../../app/contract/index.js';

const request = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const tuning = process.argv[3]
  ? (JSON.parse(process.argv[3]) as Record<string, unknown>)
  : undefined;
const manager = new ScanManager(tuning ? { tuning } : {});
const started = performance.now();
const events: Record<string, number> = {};
manager
  .start({ skipDiscovery: false, confirmed: false, ...request } as never, (event: ScanEvent) => {
    events[event.type] = (events[event.type] ?? 0) + 1;
    if (event.type === 'finished') {
      const elapsedMs = Math.round(performance.now() - started);
      process.stdout.write(
        JSON.stringify({
          elapsedMs,
          events,
          peakRssBytes: process.resourceUsage().maxRSS * 1024,
          result: event.result,
        }) + '\n',
        // A pipe is written asynchronously: exit only once the whole result is out.
        () => process.exit(0),
      );
    }
    if (event.type === 'failed') {
      process.stderr.write(JSON.stringify(event.error) + '\n');
      process.exit(2);
    }
  })
  .catch((error: unknown) => {
    process.stderr.write(String(error) + '\n');
    process.exit(3);
  });
