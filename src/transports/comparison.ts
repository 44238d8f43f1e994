import { declaredSettings, settingsOf } from './setting-values.js'
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

/** From a run's settings (a report, or one about to run). */
export function comparedSettings(all: TransportSettings | undefined): ComparedSettings {
  return Object.fromEntries(compared().map(({ transport, setting, column }) => [column, settingsOf(transport, all)[setting.key]]))
}

/**
 * From a CSV row. A column the file does not have (written before that transport was added) is
 * left out, and not compared; an empty cell makes the whole null, like any unknown setting.
 */
export function comparedSettingsOfCsv(record: Readonly<Record<string, string>>): ComparedSettings | null {
  const out: Record<string, unknown> = {}
  for (const { setting, column } of compared()) {
    const cell = record[column]
    if (cell === undefined) continue
    const value = typeof setting.default === 'number' ? Number(cell.trim() === '' ? Number.NaN : cell) : cell
    if (value === '' || Number.isNaN(value)) return null
    out[column] = value
  }
  return out
}

/** `poll interval 100ms vs 200ms`, for each setting both compare that differs. */
export function settingDifferences(base: ComparedSettings, other: ComparedSettings): string[] {
  return compared()
    .filter(({ column }) => column in base && column in other && base[column] !== other[column])
    .map(({ setting, column }) => `${setting.label} ${String(setting.format(base[column]))} vs ${String(setting.format(other[column]))}`)
}
