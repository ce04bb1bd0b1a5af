import type { ScanUpdate } from '../../../app/contract/history';
import type { PortState } from '../../../app/contract/scan';
import { zonedAddress } from '../../../app/contract/devices';
import { api } from '../../api/client';

type ScanOutcome = Extract<ScanUpdate, { type: 'finished' | 'failed' }>;

/**
 * Scans one port of one address again and resolves with its state (null when the scan ended
 * without a result for it). A check, not a scan for the history (`keep: false`); its id is chosen
 * here, so its end is recognised whenever it comes.
 */
export async function rescanPort(
  target: { address: string; zone?: string },
  port: number,
): Promise<PortState | null> {
  // Through the zone it was scanned through: a link-local address without one is refused.
  const address = target.address;
  const scanId = crypto.randomUUID();
  let settle!: (event: ScanOutcome) => void;
  const ended = new Promise<ScanOutcome>((resolve) => {
    settle = resolve;
  });
  const stop = api.on('scan.event', (event) => {
    if (event.scanId !== scanId) return;
    if (event.type === 'finished' || event.type === 'failed') settle(event);
  });
  try {
    await api.call('scan.start', {
      scanId,
      targets: zonedAddress(target),
      ports: String(port),
      skipDiscovery: true,
      keep: false,
    });
    const event = await ended;
    if (event.type === 'failed') throw new Error(event.error.message.en);
    const page = await api.call('scan.get', { scanId, limit: 10 });
    const host = page.hosts.find((h) => h.address === address) ?? page.hosts[0];
    const found = host?.ports.find((p) => p.port === port && p.protocol === 'tcp');
    if (found) return found.state;
    if (!host) return null;
    // Ports not listed are summarised by state; one port scanned means the summary is its state.
    if (host.hidden.filtered > 0) return 'filtered';
    if (host.hidden.closed > 0) return 'closed';
    if (host.hidden.open > 0) return 'open';
    return null;
  } finally {
    stop();
  }
}
