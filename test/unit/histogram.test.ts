import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { histogramBounds } from '../../src/config.js'
import {
  decodeHistogram,
  encodeHistogram,
  newHistogram,
  recordUs,
  summariseLatency,
  type Histogram,
  type LatencySummary,
} from '../../src/metrics/histogram.js'

/** HdrHistogram with 3 significant digits: any reported value is within 1/1000 of the true one. */
const relativePrecision = 1e-3

function histogramOf(values: Iterable<number>): Histogram {
  const h = newHistogram()
  for (const v of values) recordUs(h, v)
  return h
}

function range(from: number, to: number, step = 1): number[] {
  const out: number[] = []
  for (let v = from; v <= to; v += step) out.push(v)
  return out
}

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= expected * relativePrecision, `${what}: ${actual} is not within 0.1% of ${expected}`)
}

/** Same count, percentiles and mean; max within precision (decoding rounds it to its bucket's top). */
function assertSameSummary(actual: LatencySummary, expected: LatencySummary): void {
  const { maxMs: actualMax, ...actualRest } = actual
  const { maxMs: expectedMax, ...expectedRest } = expected
  assert.deepEqual(actualRest, expectedRest)
  assertClose(actualMax, expectedMax, 'maxMs')
}

/** The exact percentile as HdrHistogram defines it: the value at rank round(p% × n), at least 1. */
function exactPercentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.floor((p / 100) * sorted.length + 0.5))
  return sorted[rank - 1]!
}

describe('summariseLatency', () => {
  it('gives p50 0.5, p90 0.9, p99 0.99, p99.9 0.999, max 1.0 and mean 0.5005 ms for 1..1000 µs recorded once each', () => {
    const s = summariseLatency(histogramOf(range(1, 1000)))
    assert.equal(s.count, 1000)
    // Below 2048 µs every microsecond has its own bucket at 3 digits, so these are exact.
    assert.equal(s.p50Ms, 0.5)
    assert.equal(s.p90Ms, 0.9)
    assert.equal(s.p99Ms, 0.99)
    assert.equal(s.p999Ms, 0.999)
    assert.equal(s.maxMs, 1)
    assert.ok(Math.abs(s.meanMs - 0.5005) < 1e-9, `mean ${s.meanMs}`)
  })

  it('agrees with exact percentiles within 3-digit precision over a wide range (137 µs to 1.37 s)', () => {
    const values = range(1, 10_000).map((i) => i * 137)
    const s = summariseLatency(histogramOf(values))
    assert.equal(s.count, values.length)
    const cases: [number, number][] = [
      [50, s.p50Ms],
      [90, s.p90Ms],
      [99, s.p99Ms],
      [99.9, s.p999Ms],
    ]
    for (const [p, ms] of cases) assertClose(ms * 1000, exactPercentile(values, p), `p${p}`)
    assertClose(s.maxMs * 1000, 1_370_000, 'max')
    assertClose(s.meanMs * 1000, (137 * 10_001) / 2, 'mean')
  })

  it('reports a single value as every percentile and as the max', () => {
    const s = summariseLatency(histogramOf([1234]))
    assert.equal(s.count, 1)
    for (const ms of [s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms, s.maxMs, s.meanMs]) assertClose(ms, 1.234, 'single value')
  })

  it('gives NaN for every figure of an empty histogram, and a count of 0', () => {
    const s = summariseLatency(newHistogram())
    assert.equal(s.count, 0)
    for (const [name, value] of Object.entries(s)) {
      if (name !== 'count') assert.ok(Number.isNaN(value), `${name} is ${value}`)
    }
  })
})

describe('recordUs', () => {
  const cases: { input: number; stored: number }[] = [
    { input: 0, stored: histogramBounds.lowestUs },
    { input: -50, stored: histogramBounds.lowestUs },
    { input: 0.4, stored: histogramBounds.lowestUs },
    { input: 2.4, stored: 2 },
    { input: 2.6, stored: 3 },
    { input: 999, stored: 999 },
    { input: histogramBounds.highestUs, stored: histogramBounds.highestUs },
    { input: histogramBounds.highestUs * 10, stored: histogramBounds.highestUs },
    { input: 1e15, stored: histogramBounds.highestUs },
  ]
  for (const { input, stored } of cases) {
    it(`stores ${input} µs as ${stored} µs (rounded and clamped into range, not thrown away)`, () => {
      const h = histogramOf([input])
      assert.equal(h.totalCount, 1)
      assertClose(h.maxValue, stored, 'max')
      assertClose(h.minNonZeroValue, stored, 'min')
    })
  }
})

describe('encodeHistogram / decodeHistogram', () => {
  const sets: [string, number[]][] = [
    ['1..1000 µs', range(1, 1000)],
    ['a wide spread up to 10 s', range(1, 5000).map((i) => i * i * 0.4)],
    ['one value', [42]],
  ]
  for (const [name, values] of sets) {
    it(`round trip of ${name} keeps totalCount, max and every percentile`, () => {
      const original = histogramOf(values)
      const encoded = encodeHistogram(original)
      assert.equal(typeof encoded, 'string')
      assert.match(encoded, /^[A-Za-z0-9+/]+=*$/)
      const decoded = decodeHistogram(encoded)
      assert.equal(decoded.totalCount, original.totalCount)
      for (const p of [0, 1, 25, 50, 75, 90, 99, 99.9, 99.99, 100]) {
        assert.equal(decoded.getValueAtPercentile(p), original.getValueAtPercentile(p), `p${p}`)
      }
      assert.equal(decoded.mean, original.mean)
      // A live histogram keeps the exact max; a decoded one only knows its bucket's top.
      assertClose(decoded.maxValue, original.maxValue, 'max')
      assertSameSummary(summariseLatency(decoded), summariseLatency(original))
    })
  }

  it('round trip of an empty histogram gives an empty histogram', () => {
    const decoded = decodeHistogram(encodeHistogram(newHistogram()))
    assert.equal(decoded.totalCount, 0)
    assert.equal(summariseLatency(decoded).count, 0)
  })
})

describe('merging histograms', () => {
  it('adding two halves gives the same figures as recording the whole', () => {
    const values = range(1, 20_000).map((i) => (i * 7919) % 250_000)
    const whole = histogramOf(values)
    const first = histogramOf(values.filter((_, i) => i % 2 === 0))
    const second = histogramOf(values.filter((_, i) => i % 2 === 1))
    first.add(second)
    assert.equal(first.totalCount, whole.totalCount)
    assert.equal(first.maxValue, whole.maxValue)
    assert.equal(first.minNonZeroValue, whole.minNonZeroValue)
    for (const p of [1, 10, 50, 90, 99, 99.9, 100]) {
      assert.equal(first.getValueAtPercentile(p), whole.getValueAtPercentile(p), `p${p}`)
    }
    assert.deepEqual(summariseLatency(first), summariseLatency(whole))
  })

  it('adding two decoded halves (as a reader of two JSON reports would) gives the whole', () => {
    const values = range(1, 4000).map((i) => i * 3)
    const whole = histogramOf(values)
    const merged = decodeHistogram(encodeHistogram(histogramOf(values.slice(0, 1500))))
    merged.add(decodeHistogram(encodeHistogram(histogramOf(values.slice(1500)))))
    assertSameSummary(summariseLatency(merged), summariseLatency(whole))
  })
})
