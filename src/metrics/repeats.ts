/** The lowest and highest of a figure over repeated runs. */
export interface Range {
  min: number
  max: number
}

/**
 * The spread of repeated runs of one transport. min–max rather than an IQR: with the few
 * repeats a CI job can afford (3–5), quartiles are the extremes anyway, and min–max says so.
 */
export interface RepeatSpread {
  count: number
  p50Ms: Range
  p99Ms: Range
}

/** The median of the known values (the mean of the middle two for an even count); NaN if none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The lowest and highest known values; NaN for both if none is known. */
export function range(values: readonly number[]): Range {
  const known = values.filter(Number.isFinite)
  return known.length === 0 ? { min: Number.NaN, max: Number.NaN } : { min: Math.min(...known), max: Math.max(...known) }
}
