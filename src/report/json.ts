import type { RunReport } from '../results/report.js'

/** A run as JSON: context, every figure, and the encoded latency histograms for merging later. */
export function formatJson(report: RunReport): string {
  return toJson(report)
}

/** Any report as JSON text; NaN and Infinity are not JSON: they become null, the same "unknown" the CSV leaves empty. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`
}
