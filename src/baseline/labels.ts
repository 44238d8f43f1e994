import { basename } from 'node:path'
import { comparedPhrases } from '../transports/comparison.js'
import { formatDurationMs } from '../units.js'
import type { ComparableSettings, ResultFile } from './read.js'

/** A run's settings as phrases by key: the load's, the transports' own, the window's. */
function phrasesOf(s: ComparableSettings): Map<string, string> {
  return new Map([
    ['pairs', `${s.pairs} pairs`],
    ['ratePerSec', `${s.ratePerSec}/s`],
    ['payloadBytes', `${s.payloadBytes} B`],
    ...comparedPhrases(s.transports),
    ['durationMs', `${formatDurationMs(s.durationMs)} window`],
  ])
}

/**
 * Pure: a short name for each file in compare's tables: the settings that differ between the
 * files (`poll interval 100ms` against `poll interval 200ms`) when they tell every file apart,
 * else the file name, else the path. A start time says nothing of what a run was.
 */
export function defaultLabels(files: readonly Pick<ResultFile, 'path' | 'settings'>[]): string[] {
  const phrased = files.map((f) => (f.settings === null ? undefined : phrasesOf(f.settings)))
  if (phrased.every((p) => p !== undefined)) {
    const keys = [...phrased[0]!.keys()].filter((key) => new Set(phrased.map((p) => p.get(key))).size > 1)
    const labels = phrased.map((p) => keys.flatMap((key) => p.get(key) ?? []).join(', '))
    if (keys.length > 0 && distinct(labels) && labels.every((l) => l !== '')) return labels
  }
  const names = files.map((f) => basename(f.path))
  return distinct(names) ? names : files.map((f) => f.path)
}

function distinct(labels: readonly string[]): boolean {
  return new Set(labels).size === labels.length
}
