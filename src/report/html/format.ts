import type { RunContext } from '../../context.js'
import { formatDurationMs } from '../../units.js'

/** A figure as a table cell: `n/a` when unknown (null, NaN; JSON turned NaN into null). */
export function fixed(value: number | null | undefined, digits: number): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : 'n/a'
}

/** Whole counts with thousands separators: 12,000. */
export function count(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a'
}

/** Rounded for the page: latencies keep their microseconds, nothing more. */
export function roundMs(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null
}

/**
 * Any value a result file may carry, as text: numbers to three decimals at most, objects as
 * `key=value` pairs. For fields this version does not know, so it never has to guess their meaning.
 */
export function anyValue(value: unknown): string {
  if (value === undefined || value === null) return 'n/a'
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : 'n/a'
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (Array.isArray(value)) return value.map(anyValue).join(', ')
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}=${anyValue(v)}`)
      .join(', ')
  return typeof value === 'bigint' ? value.toString() : typeof value
}

/** A setting's value as read back: durations as typed (`100ms`, `30s`), the rest as they are. */
function settingValue(key: string, value: unknown): string {
  return key.endsWith('Ms') && typeof value === 'number' && Number.isFinite(value) ? formatDurationMs(value) : anyValue(value)
}

/** Where and with what a file was measured, then every setting it records, in the file's order. */
export function contextFacts(context: RunContext): [string, string][] {
  const machine: [string, string][] = [
    ['started', context.startedAt],
    ['transport-bench', `${context.toolVersion}${context.commit ? ` (${context.commit})` : ''}`],
    ['Node', context.nodeVersion],
    ['CPU', `${context.cpuCount}× ${context.cpuModel}`],
    ['OS', context.os],
  ]
  const settings = Object.entries(context.settings as unknown as Record<string, unknown>).map(([k, v]): [string, string] => [
    k,
    settingValue(k, v),
  ])
  return [...machine, ...settings]
}
