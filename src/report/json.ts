import type { RunReport } from '../run.js'

/** A run as JSON: context, every figure, and the encoded latency histograms for merging later. */
export function formatJson(report: RunReport): string {
  // NaN and Infinity are not JSON: they become null, the same "unknown" the CSV leaves empty.
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`
}
