import { DEFAULT_SETTINGS, Settings, type SettingsChange } from '../contract/index.js';
import type { Db } from './database.js';

/**
 * The user's settings in the `settings` table, one JSON value per key. Each value is checked
 * against the contract when read: one that does not fit (written by another version, edited by
 * hand) is replaced by its default rather than trusted.
 */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as {
      key: string;
      value: string;
    }[];
    const settings: Settings = { ...DEFAULT_SETTINGS };
    for (const { key, value } of rows) {
      if (!Object.prototype.hasOwnProperty.call(Settings.shape, key)) continue;
      const field = key as keyof Settings;
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        continue;
      }
      const checked = Settings.shape[field].safeParse(parsed);
      if (checked.success) Object.assign(settings, { [field]: checked.data });
    }
    return settings;
  }

  /** Writes the changed keys in one transaction and returns every setting as now stored. */
  set(change: SettingsChange): Settings {
    const upsert = this.db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    const at = new Date().toISOString();
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(change)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value), at);
      }
    })();
    return this.get();
  }
}
