import { decodeHistogram } from './histogram.js'

/**
 * Where a percentile plot samples the distribution: x = 1/(1−p), evenly spaced on a log scale
 * from p = 0 (x = 1) to p = 99.99% (x = 10⁴), as HdrHistogram's percentile plots draw it.
 */
export function percentilePlotXs(pointsPerDecade: number, decades = 4): number[] {
  const count = pointsPerDecade * decades
  return Array.from({ length: count + 1 }, (_, k) => 10 ** ((decades * k) / count))
}

/** The percentile (0 to 100) at x = 1/(1−p). */
export function percentileOfX(x: number): number {
  return 100 * (1 - 1 / x)
}

/**
 * Pure: latency in ms at each x of `xs` from an encoded histogram (µs). Each value is clamped
 * to the exact max, `maxMs` as summarised before encoding (a percentile reads as its bucket's
 * highest equivalent value, and so does the max of a decoded histogram: both can pass the
 * real max by up to 0.1%). x beyond the sample count (a percentile finer than one message) is
 * null, since the run did not resolve it. Null everywhere for an empty histogram.
 */
export function percentileCurve(encodedHistogram: string, xs: readonly number[], maxMs?: number | null): (number | null)[] {
  const histogram = decodeHistogram(encodedHistogram)
  const count = histogram.totalCount
  if (count === 0) return xs.map(() => null)
  const ceilingMs = Math.min(histogram.maxValue / 1000, Number.isFinite(maxMs) ? maxMs! : Number.POSITIVE_INFINITY)
  return xs.map((x) => (x > count ? null : Math.min(histogram.getValueAtPercentile(percentileOfX(x)) / 1000, ceilingMs)))
}
