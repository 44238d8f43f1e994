import * as hdr from 'hdr-histogram-js'
import { histogramBounds } from '../config.js'

export type Histogram = hdr.Histogram
/** HdrHistogram's precision: 3 digits keep every value within 0.1%, 2 within 1%. */
export type SignificantDigits = NonNullable<hdr.BuildRequest['numberOfSignificantValueDigits']>

/** A latency histogram in microseconds, bounded so its memory never grows with run length. */
export function newHistogram(significantDigits: SignificantDigits = histogramBounds.significantDigits): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: histogramBounds.lowestUs,
    highestTrackableValue: histogramBounds.highestUs,
    numberOfSignificantValueDigits: significantDigits,
  })
}

/** Records a value, clamped into the histogram's range rather than thrown away. */
export function recordUs(histogram: Histogram, us: number): void {
  histogram.recordValue(Math.min(Math.max(Math.round(us), histogramBounds.lowestUs), histogramBounds.highestUs))
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram)
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded)
}

/** Adds encoded histograms into one: counts add up, so percentiles can be re-summarised exactly. */
export function addHistograms(encoded: readonly string[]): Histogram {
  const sum = newHistogram()
  for (const text of encoded) sum.add(decodeHistogram(text))
  return sum
}

/** The percentiles every report shows, in milliseconds (recorded in µs). */
export interface LatencySummary {
  count: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  p999Ms: number
  maxMs: number
  meanMs: number
}

export function summariseLatency(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount
  const at = (p: number): number => (count === 0 ? Number.NaN : histogram.getValueAtPercentile(p) / 1000)
  return {
    count,
    p50Ms: at(50),
    p90Ms: at(90),
    p99Ms: at(99),
    p999Ms: at(99.9),
    maxMs: count === 0 ? Number.NaN : histogram.maxValue / 1000,
    meanMs: count === 0 ? Number.NaN : histogram.mean / 1000,
  }
}
