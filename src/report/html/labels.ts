import { basename } from 'node:path'
import type { RunSettings } from '../../context.js'
import { legacySettingKeys, settingsFromLegacy } from '../../transports/legacy.js'
import { settingPhrases } from '../../transports/reporting.js'
import { formatDurationMs } from '../../units.js'

/** How a run setting reads in a legend: `100 pairs`, `TLS`. Settings not named here read `key=value`. */
const settingText: { [K in keyof RunSettings]?: (value: NonNullable<RunSettings[K]>) => string } = {
  pairs: (v) => `${v} pairs`,
  ratePerSec: (v) => `${v}/s`,
  durationMs: (v) => `${formatDurationMs(v)} window`,
  warmupMs: (v) => `warm-up ${formatDurationMs(v)}`,
  payloadBytes: (v) => `${v} B`,
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
 * came from: the settings that differ between the files (`poll interval 100ms` against `poll interval 200ms`),
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
  const phrased = settings.map(phrasesOf)
  const keys = [...new Set(phrased.flatMap((p) => [...p.keys()]))].filter((key) => new Set(phrased.map((p) => p.get(key))).size > 1)
  if (keys.length === 0) return undefined
  const labels = phrased.map((p) => keys.flatMap((key) => p.get(key) ?? []).join(', '))
  return distinct(labels) && labels.every((l) => l !== '') ? labels : undefined
}

/**
 * A run's settings as legend phrases by key: the transports' own (`poll interval 100ms`) and
 * the run's. The flat keys older files hold for transport settings are read as the transports'.
 */
function phrasesOf(settings: RunSettings): Map<string, string> {
  const flat = settings as unknown as Record<string, unknown>
  const legacy = new Set(Object.keys(legacySettingKeys(settings.transportSettings ?? settingsFromLegacy(flat))))
  const phrases = settingPhrases(settings.transportSettings ?? settingsFromLegacy(flat))
  for (const [key, value] of Object.entries(flat)) {
    if (key === 'transportSettings' || legacy.has(key) || value === undefined || value === null) continue
    phrases.set(key, describeSetting(key, value))
  }
  return phrases
}

function distinct(labels: readonly string[]): boolean {
  return new Set(labels).size === labels.length
}
