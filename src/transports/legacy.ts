import { transportNames } from './registry.js'
import { declaredSettings } from './setting-values.js'
import type { SettingValues, TransportSettings } from './setting.js'

/**
 * Results files (schemaVersion 1) written before settings were declared per transport hold
 * them under flat keys (`context.settings.pollIntervalMs`, a row's `settings.pollIntervalMs`).
 * Each such setting declares its `legacyKey`: runs still write it beside the per-transport
 * settings, so older versions read new files, and older files are read back through here.
 */

/** The flat keys a run's settings are still written under: `{pollIntervalMs: 100, longPollTimeoutMs: 30000, wsSend: 'post'}`. */
export function legacySettingKeys(all: TransportSettings): Record<string, unknown> {
  return Object.fromEntries(
    declaredSettings().flatMap(({ transport, setting }) => {
      const value = all[transport.name]?.[setting.key]
      return setting.legacyKey === undefined || value === undefined ? [] : [[setting.legacyKey, value]]
    }),
  )
}

/** Per-transport settings out of flat legacy keys; settings a file does not hold are left out. */
export function settingsFromLegacy(flat: Readonly<Record<string, unknown>>): TransportSettings {
  const out: Record<string, Record<string, unknown>> = {}
  for (const { transport, setting } of declaredSettings()) {
    if (setting.legacyKey === undefined || !(setting.legacyKey in flat)) continue
    out[transport.name] = { ...out[transport.name], [setting.key]: flat[setting.legacyKey] }
  }
  return out
}

/** A file's settings as they are now, whether it holds them per transport or under the legacy flat keys. */
export function settingsFromFile(held: Readonly<Record<string, unknown>>): TransportSettings {
  const perTransport = Object.keys(held).some((key) => transportNames.includes(key))
  return perTransport ? (held as Readonly<Record<string, SettingValues>>) : settingsFromLegacy(held)
}

/** What a results file says, its settings read as they are now (in place): older files gain per-transport settings. */
export function readLegacySettings<
  R extends {
    context: { settings: { transportSettings?: TransportSettings } }
    results: { settings?: TransportSettings }[]
  },
>(report: R): R {
  const context = report.context.settings
  context.transportSettings ??= settingsFromLegacy(context)
  for (const row of report.results) if (row.settings !== undefined) row.settings = settingsFromFile(row.settings)
  return report
}
