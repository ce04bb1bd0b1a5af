import type { FirewallBackend } from './backend.js';
import { NetshBackend } from './netsh.js';
import { NftablesBackend } from './nftables.js';

/**
 * The firewall of this system: Windows Defender Firewall through netsh/PowerShell, nftables on
 * Linux; null elsewhere. Imported by the elevated helper, so it must stay free of the app's
 * storage and UI code (the helper bundle is self-contained).
 */
export function backendFor(
  platform: NodeJS.Platform = process.platform,
  options: { elevatedHelper?: boolean } = {},
): FirewallBackend | null {
  if (platform === 'win32') return new NetshBackend(undefined, options);
  if (platform === 'linux') return new NftablesBackend();
  return null;
}
