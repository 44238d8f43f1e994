import type { PathDelays } from './path.js'
import { transports } from './registry.js'
import { declaredSettings, settingsOf } from './setting-values.js'
import type { ColumnPlace, TransportSettings } from './setting.js'
import { transportOfRow } from './sweeps.js'

/**
 * What reports read of the transports' settings, so that a reporter names none of them: the
 * CSV columns, the settings line under the table, the theory line, and what a baseline compares.
 */

type Cell = string | number | boolean | null

export interface SettingCell {
  /** The CSV column: `poll_interval_ms`. */
  name: string
  /** Its value in a row, from the run's settings and the row's own; null when the file does not say. */
  value(run: TransportSettings | undefined, row: TransportSettings | undefined): Cell
}

/** The CSV columns of every registered setting that sits at `place`, in registry order. */
export function settingColumns(place: ColumnPlace): SettingCell[] {
  return declaredSettings().flatMap(({ transport, setting }) =>
    (setting.columns ?? [])
      .filter((c) => (c.place ?? 'end') === place)
      .map((c) => ({
        name: c.name,
        value: (run, row) => cellOf((c.of === 'run' ? run : row)?.[transport.name]?.[setting.key]),
      })),
  )
}

function cellOf(value: unknown): Cell {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : null
}

/**
 * The settings line's words for the transports' settings: one part of `<label> <value>`s, then
 * a part per setting that says itself (`poll interval 100ms, long-poll hold 30s`, `WebSocket userA POSTs`).
 */
export function describeSettings(all: TransportSettings | undefined): string[] {
  const labelled: string[] = []
  const clauses: string[] = []
  for (const transport of transports) {
    const values = settingsOf(transport, all)
    for (const s of transport.settings) {
      const value = values[s.key]
      if (s.describe) clauses.push(s.describe(value))
      else labelled.push(`${s.label} ${String(s.format(value))}`)
    }
  }
  return [...(labelled.length > 0 ? [labelled.join(', ')] : []), ...clauses]
}

/**
 * Each declared setting as a short phrase keyed by `<transport>.<key>` (`short-polling.interval`
 * → `poll interval 100ms`), for labels that name only the settings that differ between runs.
 */
export function settingPhrases(all: TransportSettings | undefined): Map<string, string> {
  const phrases = new Map<string, string>()
  for (const transport of transports) {
    const values = settingsOf(transport, all)
    for (const s of transport.settings) phrases.set(`${transport.name}.${s.key}`, `${s.label} ${String(s.format(values[s.key]))}`)
  }
  return phrases
}

/** What theory says of a row's latency under its settings; undefined for a transport not registered here. */
export function expectedLatency(rowLabel: string, settings: TransportSettings | undefined, path?: PathDelays): string | undefined {
  const transport = transportOfRow(rowLabel)
  return transport?.expectedLatency(settingsOf(transport, settings), path)
}
