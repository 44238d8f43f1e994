import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeHistogram, newHistogram, recordUs } from '../../src/metrics/histogram.js'
import { percentileInterval, quantileOfName } from '../../src/metrics/noise.js'
import type { TransportResult } from '../../src/metrics/summarise.js'
import { formatTable, wideColumns } from '../../src/report/table.js'
import { wrap } from '../../src/report/text.js'
import type { RunReport } from '../../src/results/report.js'
import { summariseRun } from '../../src/results/summary.js'
import { fixtureContext, fixtureResult } from './fixtures.js'

/** Latencies spread evenly between `fromMs` and `toMs`, `count` of them. */
function spread(fromMs: number, toMs: number, count: number): string {
  const h = newHistogram()
  for (let i = 0; i < count; i++) recordUs(h, (fromMs + ((toMs - fromMs) * i) / Math.max(1, count - 1)) * 1000)
  return encodeHistogram(h)
}

function row(transport: string, p50Ms: number, overrides: Partial<TransportResult> = {}): TransportResult {
  const base = fixtureResult()
  return fixtureResult({
    transport,
    lost: 0,
    latency: { ...base.latency, count: 8000, p50Ms },
    histogram: spread(p50Ms * 0.9, p50Ms * 1.1, 8000),
    ...overrides,
  })
}

/** Four transports as a default run has them, one a sweep row, one with both flags raised. */
function fourTransports(): RunReport {
  return {
    schemaVersion: 1,
    context: fixtureContext(),
    results: [
      row('short-polling@1000ms', 500.25, { recvRequestsPerMin: 3000, settings: { 'short-polling': { interval: 1000 } } }),
      row('long-polling', 0.302),
      row('sse', 0.3),
      row('websocket', 0.243, { sendMode: 'socket', generatorLimited: true, lost: 12_345 }),
    ],
  }
}

/** Line lengths as `awk '{ print length }'` counts them with mawk: bytes. */
function longestLine(text: string): number {
  return Math.max(...text.split('\n').map((line) => Buffer.byteLength(line)))
}

describe('the default table', () => {
  const text = formatTable(fourTransports())

  it('fits 100 columns, counted in bytes as awk counts them', () => {
    assert.ok(longestLine(text) <= 100, text)
  })

  it('shows latency, losses, cost and one flag column, and leaves memory per receiver to --wide', () => {
    const head = text.split('\n')[0]!
    assert.match(head, /^transport +p50 ms +p99 ms +max ms +lost +req\/msg +B\/msg up\+down +flags$/)
    assert.doesNotMatch(text, /srv MB\/1k rcv/)
    assert.match(formatTable(fourTransports(), { columns: wideColumns }), /srv MB\/1k rcv/)
  })

  it('raises each declared flag in the flag column and explains it once', () => {
    assert.match(text, /\nwebsocket +0\.243 .* 12345 .* socket,gen-limited\n/)
    assert.match(text, /\nflags: socket = userA sends on the transport’s own connection; gen-limited = /)
  })

  it('takes the columns it is given, composed ones included', () => {
    const head = formatTable(fourTransports(), { columns: ['p999_ms', 'bytes_per_msg'] }).split('\n')[0]
    assert.equal(head, 'transport             p99.9 ms  B/msg up+down')
  })

  it('warns of a row with too few latencies for its p99.9', () => {
    const report = fourTransports()
    report.results[1] = row('long-polling', 0.302, { latency: { ...report.results[1]!.latency, count: 400 } })
    assert.match(formatTable(report), /\nwarning: few latencies \(long-polling 400\): under 1,000 a p99\.9 is the maximum/)
    assert.doesNotMatch(text, /few latencies/)
  })
})

describe('the verdict', () => {
  const summary = summariseRun(fourTransports())

  it('ranks the transports by p50 with each one’s ratio to the fastest', () => {
    assert.deepEqual(
      summary.ranking.map((r) => [r.transport, Number(r.ratio?.toFixed(3))]),
      [
        ['websocket', 1],
        ['sse', 1.235],
        ['long-polling', 1.243],
        ['short-polling@1000ms', 2058.642],
      ],
    )
  })

  it('judges noise from the histograms of one run: overlapping 95% intervals are within noise', () => {
    assert.equal(summary.noise, 'histogram')
    // ±10% spreads: 0.243 reaches 0.267, sse starts at 0.270; a tight spread would overlap.
    assert.deepEqual(
      summary.ranking.map((r) => r.withinNoise),
      [null, false, false, false],
    )
    const close = fourTransports()
    close.results[2] = row('sse', 0.245)
    assert.equal(summariseRun(close).ranking.find((r) => r.transport === 'sse')?.withinNoise, true)
  })

  it('judges noise from the --repeat min–max when there are repeats', () => {
    const report = fourTransports()
    const repeats = (min: number, max: number) => ({ count: 3, p50Ms: { min, max }, p99Ms: { min, max } })
    report.results[3] = row('websocket', 0.243, { repeats: repeats(0.2, 0.31) })
    report.results[2] = row('sse', 0.3, { repeats: repeats(0.29, 0.4) })
    report.results[1] = row('long-polling', 0.302, { repeats: repeats(0.32, 0.4) })
    const ranked = summariseRun(report)
    assert.equal(ranked.noise, 'repeats')
    assert.deepEqual(ranked.ranking.map((r) => [r.transport, r.withinNoise]).slice(1, 3), [
      ['sse', true],
      ['long-polling', false],
    ])
  })

  it('gives the cost line: requests and bytes per message, and a polling transport’s requests when idle', () => {
    const cost = summary.cost.find((c) => c.transport === 'short-polling@1000ms')
    // 50 receivers each polling once a second: 3,000 a minute.
    assert.equal(cost?.idleRequestsPerMin, 3000)
    assert.equal(summary.cost.find((c) => c.transport === 'sse')?.idleRequestsPerMin, null)
    const text = formatTable(fourTransports())
    assert.match(text, /\nverdict by p50 \(median latency\):\n/)
    assert.match(text, /\n {2}websocket +0\.243 ms {2}fastest\n/)
    assert.match(text, /\n {2}sse +0\.300 ms {2}1\.23× websocket’s\n/)
    assert.match(text, /\n {2}short-polling@1000ms {2}500\.250 ms {2}2059× websocket’s\n/)
    assert.match(
      text.replace(/\n +/g, ' ').replace(/\u00a0/g, ' '),
      /\ncost: short-polling@1000ms 0\.33 requests\/msg, 713 B\/msg, 3,000 requests\/min even when idle; long-polling/,
    )
  })
})

describe('the noise helpers', () => {
  it('a percentile’s interval narrows as the count grows, and brackets the percentile', () => {
    const small = percentileInterval(spread(0, 100, 100), 0.5)!
    const large = percentileInterval(spread(0, 100, 10_000), 0.5)!
    assert.ok(small.min < 50 && small.max > 50 && large.min < 50 && large.max > 50)
    assert.ok(large.max - large.min < small.max - small.min)
    assert.equal(percentileInterval(encodeHistogram(newHistogram()), 0.5), undefined)
  })

  it('reads a percentile’s quantile from its short name', () => {
    assert.deepEqual(['p50', 'p99', 'p999', 'max'].map(quantileOfName), [0.5, 0.99, 0.999, undefined])
  })

  it('wraps at the width with an indent, keeping a line’s own leading spaces', () => {
    assert.equal(wrap('  aaa bbb ccc', 9, '  '), '  aaa bbb\n    ccc')
    assert.equal(wrap('µµµµ b', 9), 'µµµµ\n  b')
  })
})
