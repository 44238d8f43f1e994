import { transports } from '../transports/registry.js'
import { withArticle } from '../transports/setting-kinds.js'
import { declaredSettings, withSetting } from '../transports/setting-values.js'
import { isSwept } from '../transports/sweeps.js'
import type { Setting, Transport, TransportSettings } from '../transports/types.js'
import type { Problem } from './validate.js'

/**
 * A scenario's `settings:`, read from each transport's declarations: the schema piece, the
 * values a file gives, what the schema cannot check, and how --dry-run writes them. A swept
 * setting (`interval: [100ms, 250ms]`) holds a list in a scenario, one row per value.
 */

/** As a file writes one value, or a list of them for a swept setting. */
type WrittenValue = string | number | boolean
export type SettingsFile = Record<string, Record<string, WrittenValue | WrittenValue[]>>

/** The schema of `settings:`: a mapping per transport that has settings, unknown keys rejected. */
export function settingsSchema() {
  return {
    type: 'object',
    expected: 'per-transport settings',
    additionalProperties: false,
    properties: Object.fromEntries(
      transports
        .filter((t) => t.settings.length > 0)
        .map((t) => [
          t.name,
          {
            type: 'object',
            expected: `${t.title} settings`,
            additionalProperties: false,
            properties: Object.fromEntries(t.settings.map((s) => [s.key, isSwept(t, s.key) ? listSchema(s) : s.file.schema])),
          },
        ]),
    ),
  } as const
}

/**
 * One value or a list of them (one row each). The value's own keywords (a pattern) apply to a
 * single value only, and `items` checks each one of a list.
 */
function listSchema(s: Setting) {
  const one = s.file.schema
  return {
    ...one,
    type: [one.type, 'array'],
    minItems: 1,
    uniqueItems: true,
    expected: `${withArticle(s.label)} such as ${String(s.format(s.default))}, or a list of them (one row each)`,
    items: one,
  }
}

/** Every registered setting at its default; a swept one as a list of one. */
export function defaultScenarioSettings(): TransportSettings {
  let out: TransportSettings = {}
  for (const { transport, setting } of declaredSettings()) out = withListed(out, transport, setting, setting.default)
  return out
}

/** A setting set to `value` (a flag's, a file's): a swept one as a list of one unless `value` already is a list. */
export function withListed(settings: TransportSettings, transport: Transport, setting: Setting, value: unknown): TransportSettings {
  const listed = isSwept(transport, setting.key) && !Array.isArray(value) ? [value] : value
  return withSetting(settings, transport, setting.key, listed)
}

/** The settings a schema-valid file gives, over `base`. */
export function settingsFromFile(file: SettingsFile | undefined, base: TransportSettings): TransportSettings {
  let out = base
  for (const { transport, setting } of declaredSettings()) {
    const written = file?.[transport.name]?.[setting.key]
    if (written === undefined) continue
    const read = (w: WrittenValue): unknown => setting.file.read(w)
    out = withListed(out, transport, setting, Array.isArray(written) ? written.map(read) : read(written))
  }
  return out
}

/** What the schema cannot say about the values a file gives (a range), each at its path. */
export function settingProblems(file: SettingsFile | undefined, settings: TransportSettings): Problem[] {
  return declaredSettings().flatMap(({ transport, setting }) => {
    const written = file?.[transport.name]?.[setting.key]
    if (written === undefined) return []
    const value = settings[transport.name]?.[setting.key]
    const values: unknown[] = Array.isArray(value) ? value : [value]
    const path = `settings.${transport.name}.${setting.key}`
    return values.flatMap((v, i) => {
      const problem = setting.file.problem?.(v, Array.isArray(written) ? written[i]! : written)
      return problem ? [{ path: Array.isArray(written) ? `${path}[${i}]` : path, ...problem }] : []
    })
  })
}

/** The settings as a file writes them: every one, a swept list of one as its single value. */
export function settingsToFile(settings: TransportSettings): SettingsFile {
  const out: SettingsFile = {}
  for (const { transport, setting } of declaredSettings()) {
    const value = settings[transport.name]?.[setting.key] ?? setting.default
    const written = Array.isArray(value) ? value.map((v) => setting.format(v)) : setting.format(value)
    out[transport.name] = { ...out[transport.name], [setting.key]: Array.isArray(written) && written.length === 1 ? written[0]! : written }
  }
  return out
}

/** The settings of flags alone (one value each, defaults included) as a scenario's. */
export function settingsFromFlags(flags: TransportSettings): TransportSettings {
  let out = defaultScenarioSettings()
  for (const { transport, setting } of declaredSettings()) {
    const value = flags[transport.name]?.[setting.key]
    if (value !== undefined) out = withListed(out, transport, setting, value)
  }
  return out
}
