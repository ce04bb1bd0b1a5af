import type { PortState, ScanEvent } from '../../../app/contract/scan';
import { api } from '../../api/client';

/**
 * Scans one port of one address again and resolves with its state (null when the scan ended
 * without a result for it). Events are collected from before the start so a fast scan is not missed.
 */
export async function rescanPort(address: string, port: number): Promise<PortState | null> {
  const finished = new Map<string, Extract<ScanEvent, { type: 'finished' | 'failed' }>>();
  let wanted: string | null = null;
  let settle: ((event: Extract<ScanEvent, { type: 'finished' | 'failed' }>) => void) | null = null;
  const stop = api.on('scan.event', (event) => {
    if (event.type !== 'finished' && event.type !== 'failed') return;
    if (wanted === event.scanId && settle) settle(event);
    else finished.set(event.scanId, event);
  });
  try {
    const { scanId } = await api.call('scan.start', {
      targets: address,
      ports: String(port),
      skipDiscovery: true,
    });
    const event =
      finished.get(scanId) ??
      (await new Promise<Extract<ScanEvent, { type: 'finished' | 'failed' }>>((resolve) => {
        wanted = scanId;
        settle = resolve;
      }));
    if (event.type === 'failed') throw new Error(event.error.message.en);
    const host = event.result.hosts.find((h) => h.address === address) ?? event.result.hosts[0];
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
