import { basename } from 'node:path'
import type { RunSettings } from '../../context.js'
import { formatDurationMs } from '../../units.js'

/** How a setting reads in a legend: `poll 100ms`, `100 pairs`, `TLS`. Settings not named here read `key=value`. */
const settingText: { [K in keyof RunSettings]?: (value: NonNullable<RunSettings[K]>) => string } = {
  pairs: (v) => `${v} pairs`,
  ratePerSec: (v) => `${v}/s`,
  durationMs: (v) => `${formatDurationMs(v)} window`,
  warmupMs: (v) => `warm-up ${formatDurationMs(v)}`,
  payloadBytes: (v) => `${v} B`,
  pollIntervalMs: (v) => `poll ${formatDurationMs(v)}`,
  longPollTimeoutMs: (v) => `hold ${formatDurationMs(v)}`,
  wsSend: (v) => `ws ${v}`,
  target: (v) => `target ${v}`,
  placement: (v) => `placement ${v}`,
  scenario: (v) => v,
  receiversPerGroup: (v) => `${v} receivers/group`,
  idleReceivers: (v) => `${v} idle`,
  tls: (v) => (v ? 'TLS' : 'clear'),
  workers: (v) => `${v} worker${v === 1 ? '' : 's'}`,
}

/** A setting as a legend shows it. */
export function describeSetting(key: string, value: unknown): string {
  const text = (settingText as Record<string, ((v: unknown) => string) | undefined>)[key]
  return text && value !== undefined && value !== null ? text(value) : `${key}=${String(value)}`
}

/**
 * Pure: a short label for each of several result files, so overlaid series say which run they
 * came from: the settings that differ between the files (`poll 100ms` against `poll 200ms`),
 * else the file name, else the path. One file needs no label: it gets ''.
 */
export function sourceLabels(sources: readonly { path: string; settings: RunSettings }[]): string[] {
  if (sources.length <= 1) return sources.map(() => '')
  const bySettings = differingSettings(sources.map((s) => s.settings))
  if (bySettings !== undefined) return bySettings
  const names = sources.map((s) => basename(s.path))
  return distinct(names) ? names : sources.map((s) => s.path)
}

/** Labels from the settings that differ, when there are some and they tell every file apart. */
function differingSettings(settings: readonly RunSettings[]): string[] | undefined {
  const keys = [...new Set(settings.flatMap((s) => Object.keys(s)))].filter((key) => {
    const values = settings.map((s) => JSON.stringify((s as unknown as Record<string, unknown>)[key]))
    return new Set(values).size > 1
  })
  if (keys.length === 0) return undefined
  const labels = settings.map((s) =>
    keys
      .filter((key) => (s as unknown as Record<string, unknown>)[key] !== undefined)
      .map((key) => describeSetting(key, (s as unknown as Record<string, unknown>)[key]))
      .join(', '),
  )
  return distinct(labels) && labels.every((l) => l !== '') ? labels : undefined
}

function distinct(labels: readonly string[]): boolean {
  return new Set(labels).size === labels.length
}
