import { UserError } from '../errors.js'
import { settingDifferences } from '../transports/comparison.js'
import { formatDurationMs } from '../units.js'
import type { ComparableSettings } from './read.js'

type Described = [key: Exclude<keyof ComparableSettings, 'transports'>, label: string, show: (v: number) => string]

const load: Described[] = [
  ['pairs', 'pairs', String],
  ['ratePerSec', 'rate', (v) => `${v}/s`],
  ['payloadBytes', 'payload', (v) => `${v} B`],
]
const time: Described[] = [['durationMs', 'duration', formatDurationMs]]

/** Pure: each setting that differs, as `poll interval 100ms vs 200ms`; the transports' between the load's and the time's. */
export function settingsDifferences(base: ComparableSettings, other: ComparableSettings): string[] {
  const differing = (described: Described[]): string[] =>
    described.filter(([key]) => base[key] !== other[key]).map(([key, label, show]) => `${label} ${show(base[key])} vs ${show(other[key])}`)
  return [...differing(load), ...settingDifferences(base.transports, other.transports), ...differing(time)]
}

/**
 * Refuses to compare runs made with different settings: every figure would differ for that
 * reason alone. Files without recorded settings (a trimmed CSV) are let through.
 */
export function assertSameSettings(
  base: { path: string; settings: ComparableSettings | null },
  other: { path: string; settings: ComparableSettings | null },
  canOverride = true,
): void {
  if (base.settings === null || other.settings === null) return
  const differences = settingsDifferences(base.settings, other.settings)
  if (differences.length === 0) return
  throw new UserError(
    `${other.path} was measured with other settings than ${base.path} (${differences.join(', ')}); ` +
      `compare runs of the same settings${canOverride ? ', take a new baseline, or pass --allow-settings-change for a deliberate experiment' : ''}`,
  )
}
