import { decodeHistogram } from './histogram.js'
import type { Range } from './repeats.js'

/** z for a two-sided 95% interval. */
const z95 = 1.96

/**
 * The 95% interval of a percentile from one run's histogram, in ms: the values at ranks
 * n·q ± 1.96·√(n·q·(1−q)), the distribution-free interval of a sample quantile (its rank is
 * binomial). It covers the sampling error of this run only, not the run-to-run spread that
 * `--repeat` measures. Undefined when the histogram is empty or unreadable.
 */
export function percentileInterval(encodedHistogram: string, quantile: number): Range | undefined {
  let histogram
  try {
    histogram = decodeHistogram(encodedHistogram)
  } catch {
    return undefined
  }
  const n = histogram.totalCount
  if (n === 0) return undefined
  const half = z95 * Math.sqrt((quantile * (1 - quantile)) / n)
  const at = (q: number): number => histogram.getValueAtPercentile(Math.min(100, Math.max(0, q * 100))) / 1000
  return { min: at(quantile - half), max: at(quantile + half) }
}

/** Whether two ranges share a value: two figures whose ranges overlap are not told apart. */
export function overlaps(a: Range, b: Range): boolean {
  return a.min <= b.max && b.min <= a.max
}

/** The quantile a percentile's short name stands for: `p50` 0.5, `p999` 0.999; undefined for any other name. */
export function quantileOfName(name: string): number | undefined {
  const match = /^p(\d+)$/.exec(name)
  return match ? Number(`0.${match[1]}`) : undefined
}
