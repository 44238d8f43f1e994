import { findTransport, transports } from './registry.js'
import { findSetting, withSetting } from './setting-values.js'
import type { TransportSettings } from './setting.js'
import type { Transport } from './types.js'

/** Each transport's list of values for the setting it sweeps, by transport name: two or more run one row per value. */
export type Sweeps = Readonly<Record<string, readonly unknown[]>>

/** One row of a run: a transport under one set of settings, labelled `short-polling@250ms` when a sweep varies it. */
export interface SweepRow {
  label: string
  settings: TransportSettings
}

/** The rows a transport runs: one per value of its swept setting when the run lists several, else one at `settings`. */
export function sweepRows(transport: Transport, settings: TransportSettings, sweeps: Sweeps = {}): SweepRow[] {
  const key = transport.capabilities.sweeps
  const setting = key === undefined ? undefined : findSetting(transport, key)
  const values = sweeps[transport.name] ?? []
  if (key === undefined || setting === undefined || values.length <= 1) return [{ label: transport.name, settings }]
  return values.map((value) => ({
    label: `${transport.name}@${setting.format(value)}`,
    settings: withSetting(settings, transport, key, value),
  }))
}

/** The transport a row is labelled with: `short-polling@250ms` is short polling's. */
export function transportOfRow(label: string): Transport | undefined {
  return findTransport(label.split('@')[0]!)
}

/** Whether a transport takes a list of values for this setting (a scenario's `interval: [100ms, 250ms]`). */
export function isSwept(transport: Transport, key: string): boolean {
  return transport.capabilities.sweeps === key
}

/**
 * Settings whose swept ones hold lists (a scenario's) as a run's: each at its first value, and
 * the lists as sweeps.
 */
export function splitSweeps(listed: TransportSettings): { settings: TransportSettings; sweeps: Sweeps } {
  let settings = listed
  const sweeps: Record<string, readonly unknown[]> = {}
  for (const transport of transports) {
    const key = transport.capabilities.sweeps
    const values = key === undefined ? undefined : listed[transport.name]?.[key]
    if (key === undefined || !Array.isArray(values)) continue
    sweeps[transport.name] = values
    settings = withSetting(settings, transport, key, values[0])
  }
  return { settings, sweeps }
}
