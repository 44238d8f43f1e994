import type { RunReport } from '../results/report.js'
import { summariseRun } from '../results/summary.js'

/**
 * A run as JSON: context, the verdict (`summary`: transports ranked by p50, noise, cost), every
 * figure, and the encoded latency histograms for merging later. The summary is derived from the
 * results each time it is written, so a merged or re-written file never carries a stale one.
 */
export function formatJson(report: RunReport): string {
  const { schemaVersion, context, results, ...rest } = report as RunReport & { summary?: unknown }
  delete rest.summary
  return toJson({ schemaVersion, context, summary: summariseRun(report), results, ...rest })
}

/** Any report as JSON text; NaN and Infinity are not JSON: they become null, the same "unknown" the CSV leaves empty. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`
}
