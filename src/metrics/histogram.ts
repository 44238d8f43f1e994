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

/**
 * The figures of a histogram, each percentile clamped to the exact max: a percentile reads as
 * its bucket's highest equivalent value, up to 0.1% above the largest value recorded in it, so
 * p99.9 could otherwise print above max. `exactMaxUs` is the max when the histogram no longer
 * knows it (one decoded from its encoding, or added from decoded ones, knows only its bucket's
 * top); a live histogram keeps its own exact max.
 */
export function summariseLatency(histogram: Histogram, exactMaxUs?: number): LatencySummary {
  const count = histogram.totalCount
  const maxUs = exactMaxUs !== undefined && inTopBucket(histogram, exactMaxUs) ? exactMaxUs : histogram.maxValue
  const at = (p: number): number => (count === 0 ? Number.NaN : Math.min(histogram.getValueAtPercentile(p), maxUs) / 1000)
  return {
    count,
    p50Ms: at(50),
    p90Ms: at(90),
    p99Ms: at(99),
    p999Ms: at(99.9),
    maxMs: count === 0 ? Number.NaN : maxUs / 1000,
    meanMs: count === 0 ? Number.NaN : histogram.mean / 1000,
  }
}

/**
 * Whether `us` can be the exact max of this histogram: at most its max and in its max's bucket
 * (3 significant digits make a bucket at most 1/1024 of its value wide). A max from elsewhere
 * that does not fit (a hand-made row) is not used.
 */
function inTopBucket(histogram: Histogram, us: number): boolean {
  return us <= histogram.maxValue && us >= histogram.maxValue - histogram.maxValue / 1024 - 1
}

/**
 * Gives a decoded histogram back the exact max it was encoded with (the encoding keeps only
 * counts, so a decoded max is its bucket's top). Adding it to another keeps the larger exact
 * max, so the max that workers send travels through their merge.
 */
export function withExactMax(histogram: Histogram, maxUs: number): Histogram {
  if (histogram.totalCount > 0 && inTopBucket(histogram, maxUs)) (histogram as { maxValue: number }).maxValue = maxUs
  return histogram
}
