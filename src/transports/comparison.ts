import { declaredSettings } from './setting-values.js'
import type { TransportSettings } from './setting.js'

/**
 * The transports' settings a baseline must share with the run it gates: those with a CSV
 * column of the run's value (a difference in any changes the figures), by that column's name.
 */
export type ComparedSettings = Readonly<Record<string, unknown>>

function compared() {
  return declaredSettings().flatMap(({ transport, setting }) =>
    (setting.columns ?? []).filter((c) => c.of === 'run').map((c) => ({ transport, setting, column: c.name })),
  )
}

/** From a run's settings (a report, or one about to run); a setting they do not record is left out, and not compared. */
export function comparedSettings(all: TransportSettings | undefined): ComparedSettings {
  const out: Record<string, unknown> = {}
  for (const { transport, setting, column } of compared()) {
    const value = all?.[transport.name]?.[setting.key]
    if (value !== undefined) out[column] = value
  }
  return out
}

/**
 * From a CSV row. A column the file does not have (written before that transport was added), or
 * leaves empty, is left out, and not compared.
 */
export function comparedSettingsOfCsv(record: Readonly<Record<string, string>>): ComparedSettings {
  const out: Record<string, unknown> = {}
  for (const { setting, column } of compared()) {
    const cell = record[column]?.trim() ?? ''
    const value = typeof setting.default === 'number' ? Number(cell) : cell
    if (cell !== '' && !Number.isNaN(value)) out[column] = value
  }
  return out
}

/** `poll interval 100ms vs 200ms`, for each setting both compare that differs. */
export function settingDifferences(base: ComparedSettings, other: ComparedSettings): string[] {
  return compared()
    .filter(({ column }) => column in base && column in other && base[column] !== other[column])
    .map(({ setting, column }) => `${setting.label} ${String(setting.format(base[column]))} vs ${String(setting.format(other[column]))}`)
}

/** Each compared setting a file records, as a phrase by CSV column: `poll_interval_ms` → `poll interval 100ms`. */
export function comparedPhrases(settings: ComparedSettings): Map<string, string> {
  return new Map(
    compared()
      .filter(({ column }) => column in settings)
      .map(({ setting, column }) => [column, `${setting.label} ${String(setting.format(settings[column]))}`]),
  )
}
