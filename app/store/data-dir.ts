import os from 'node:os';
import path from 'node:path';

/**
 * Where the app keeps its database, backups and helper files. PORT_AUDITOR_DATA_DIR wins so tests
 * and portable installs never touch the user's real data.
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.PORT_AUDITOR_DATA_DIR) return path.resolve(env.PORT_AUDITOR_DATA_DIR);
  if (platform === 'win32') {
    const appData = env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Port Auditor');
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', 'Port Auditor');
  }
  const dataHome = env.XDG_DATA_HOME || path.posix.join(home, '.local', 'share');
  return path.posix.join(dataHome, 'port-auditor');
}
