import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeHistogram, newHistogram, recordUs } from '../../src/metrics/histogram.js'
import { percentileCurve, percentileOfX, percentilePlotXs } from '../../src/metrics/percentile-curve.js'
import { kneeOf } from '../../src/report/html/capacity-data.js'
import { buildReportData } from '../../src/report/html/data.js'
import { sourceLabels } from '../../src/report/html/labels.js'
import { capacityReport, fourTransportRun } from '../helpers/report-inputs.js'
import { fixtureContext } from './fixtures.js'

/** 1 µs to 10,000 µs, each once: the p-quantile (nearest rank) is ceil(p · 10,000) µs. */
function uniformHistogram(): string {
  const h = newHistogram()
  for (let us = 1; us <= 10_000; us++) recordUs(h, us)
  return encodeHistogram(h)
}

describe('the percentile curve', () => {
  it('samples x = 1/(1−p) evenly on a log scale from 0% to 99.99%', () => {
    const xs = percentilePlotXs(50)
    assert.equal(xs.length, 201)
    assert.equal(xs[0], 1)
    assert.equal(xs.at(-1), 10_000)
    assert.ok(Math.abs(xs[50]! - 10) < 1e-9)
    assert.equal(percentileOfX(1), 0)
    assert.ok(Math.abs(percentileOfX(1000) - 99.9) < 1e-9)
  })

  it('matches the nearest-rank percentiles of a known distribution within HdrHistogram’s 0.1%', () => {
    const xs = [1, 2, 10, 100, 1000, 10_000]
    const curve = percentileCurve(uniformHistogram(), xs)
    // p = 0, 50, 90, 99, 99.9, 99.99 % of 1..10,000 µs, in ms.
    const reference = [0.001, 5, 9, 9.9, 9.99, 9.999]
    curve.forEach((ms, i) => {
      assert.ok(ms !== null)
      assert.ok(Math.abs(ms - reference[i]!) <= reference[i]! * 0.001 + 1e-9, `x=${xs[i]}: ${ms} ms, reference ${reference[i]}`)
    })
  })

  it('never passes the exact max, though a bucket’s highest equivalent value (and a decoded max) would', () => {
    const h = newHistogram()
    for (let i = 0; i < 10; i++) recordUs(h, 123_457)
    const encoded = encodeHistogram(h)
    // p50 and p90 (p0 reads as the bucket's lowest equivalent value, below the max).
    const xs = [2, 10]
    assert.deepEqual(percentileCurve(encoded, xs, 123.457), [123.457, 123.457])
    // Without the exact max from the summary, the decoded histogram can only bound it by its bucket: 123.519.
    assert.ok(percentileCurve(encoded, xs).every((v) => v !== null && v > 123.457 && v < 123.457 * 1.001))
  })

  it('rises monotonically and stops where the run had too few messages to resolve the percentile', () => {
    const h = newHistogram()
    for (let us = 1; us <= 100; us++) recordUs(h, us * 10)
    const xs = percentilePlotXs(50)
    const curve = percentileCurve(encodeHistogram(h), xs, 1)
    const known = curve.filter((v): v is number => v !== null)
    assert.equal(known.length, xs.filter((x) => x <= 100).length)
    for (let i = 1; i < known.length; i++) assert.ok(known[i]! >= known[i - 1]!)
    assert.ok(curve.slice(known.length).every((v) => v === null))
  })

  it('is all null for a row that delivered nothing', () => {
    assert.deepEqual(percentileCurve(encodeHistogram(newHistogram()), [1, 10]), [null, null])
  })
})

describe('the report data of a run', () => {
  const data = buildReportData([{ path: 'results/run.json', run: fourTransportRun() }])

  it('draws every transport on one percentile chart with the percentile ticks up to 99.99%', () => {
    const chart = data.distribution!
    assert.deepEqual(
      chart.series.map((s) => s.label),
      ['short-polling', 'long-polling', 'sse', 'websocket'],
    )
    assert.deepEqual(
      chart.x.ticks!.map((t) => t.label),
      ['0%', '90%', '99%', '99.9%', '99.99%'],
    )
    for (const s of chart.series) assert.equal(s.values.length, chart.xs.length)
    // Short polling at 100 ms waits about half a poll at the median (x = 2).
    const median = chart.series[0]!.values[chart.xs.findIndex((x) => Math.abs(x - 2) < 0.01)]!
    assert.ok(median > 50 && median < 51.1, `median ${median}`)
  })

  it('draws one timeline per transport, p50, p99 and max for each of its 8 seconds', () => {
    assert.deepEqual(
      data.timelines.map((c) => c.id),
      ['timeline-short-polling', 'timeline-long-polling', 'timeline-sse', 'timeline-websocket'],
    )
    const sse = data.timelines[2]!
    assert.deepEqual(sse.xs, [0, 1, 2, 3, 4, 5, 6, 7])
    assert.deepEqual(
      sse.series.map((s) => s.label),
      ['p50', 'p99', 'max'],
    )
    const [p50, p99, max] = sse.series.map((s) => s.values)
    for (let i = 0; i < 8; i++) assert.ok(p50![i]! <= p99![i]! && p99![i]! <= max![i]!)
  })

  it('shows requests and bytes per message as bars, in the files’ own figures', () => {
    assert.deepEqual(
      data.costs.map((g) => [g.title, g.bars.map((b) => b.value)]),
      [
        ['receive requests per message', [1, 1, 0, 0]],
        ['bytes up per message', [323, 336, 222, 222]],
        ['bytes down per message', [450, 450, 265, 246]],
      ],
    )
  })

  it('has no set-up or link section when no result carries those fields, and one when a result does', () => {
    assert.deepEqual(data.extras, [])
    const run = fourTransportRun()
    Object.assign(run.results[3]!, { setupP50Ms: 1.25 })
    const extras = buildReportData([{ path: 'run.json', run }]).extras
    assert.deepEqual(
      extras.map((e) => [e.id, e.table.columns]),
      [['setup', ['series', 'set-up p50 ms']]],
    )
    assert.deepEqual(
      extras[0]!.table.rows.map((r) => r[1]),
      ['n/a', 'n/a', 'n/a', '1.25'],
    )
  })

  it('says which rows have no timeline instead of drawing an empty one', () => {
    const run = fourTransportRun()
    for (const r of run.results) delete r.timeline
    const old = buildReportData([{ path: 'old.json', run }])
    assert.deepEqual(old.timelines, [])
    assert.match(old.notes[0]!, /No timeline for short-polling, long-polling, sse, websocket/)
  })
})

describe('several files overlaid', () => {
  it('labels each file’s series by the settings that differ', () => {
    const data = buildReportData([
      { path: 'a/run.json', run: fourTransportRun(100) },
      { path: 'b/run.json', run: fourTransportRun(200) },
    ])
    assert.deepEqual(data.distribution!.series.map((s) => s.label).slice(0, 5), [
      'short-polling · poll interval 100ms',
      'long-polling · poll interval 100ms',
      'sse · poll interval 100ms',
      'websocket · poll interval 100ms',
      'short-polling · poll interval 200ms',
    ])
    assert.deepEqual(
      data.timelines[0]!.series.map((s) => s.label),
      [
        'p50 · poll interval 100ms',
        'p99 · poll interval 100ms',
        'max · poll interval 100ms',
        'p50 · poll interval 200ms',
        'p99 · poll interval 200ms',
        'max · poll interval 200ms',
      ],
    )
  })

  it('falls back to the file names when the settings are the same, and to the paths when the names are too', () => {
    const settings = fixtureContext().settings
    assert.deepEqual(
      sourceLabels([
        { path: 'x/monday.json', settings },
        { path: 'x/tuesday.json', settings },
      ]),
      ['monday.json', 'tuesday.json'],
    )
    assert.deepEqual(
      sourceLabels([
        { path: 'a/run.json', settings },
        { path: 'b/run.json', settings },
      ]),
      ['a/run.json', 'b/run.json'],
    )
    assert.deepEqual(sourceLabels([{ path: 'a/run.json', settings }]), [''])
  })
})

describe('the capacity chart', () => {
  it('marks each climb’s knee at its highest sustained rate, with p99 there', async () => {
    const report = await capacityReport()
    const data = buildReportData([{ path: 'capacity.json', capacity: report }]).capacity!
    const knee = (label: string) => {
      const s = data.chart.series.find((x) => x.label.startsWith(label) && x.label.includes('knee'))!
      const i = s.values.findIndex((v) => v !== null)
      return [s.label, data.chart.xs[i], s.values[i], s.values.filter((v) => v !== null).length]
    }
    assert.deepEqual(knee('sse (post)'), ['sse (post) · knee 6,000 msg/s', 6000, 9, 1])
    assert.deepEqual(knee('websocket (socket)'), ['websocket (socket) · knee 10,000 msg/s', 10_000, 10, 1])
    assert.deepEqual(
      data.summary.rows.map((r) => r.slice(0, 3)),
      [
        ['sse (post)', '6,000', '9.000'],
        ['websocket (socket)', '10,000', '10.000'],
      ],
    )
  })

  it('draws every attempt: the deciding one on the line, retried ones as points of their own, and the SLO', async () => {
    const report = await capacityReport()
    const chart = buildReportData([{ path: 'capacity.json', capacity: report }]).capacity!.chart
    const points = chart.series.filter((s) => !s.label.includes('knee') && !s.label.startsWith('SLO'))
    const plotted = points.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0)
    assert.equal(plotted, report.steps.length)
    const slo = chart.series.find((s) => s.label === 'SLO p99 ≤ 10ms')!
    assert.ok(slo.values.every((v) => v === 10))
    const retried = chart.series.find((s) => s.label === 'sse (post) · attempt 1, retried')!
    assert.equal(retried.values[chart.xs.indexOf(8000)], 36)
  })

  it('draws the SLO across the chart even when only one rate was tried, and nothing for a search with no step yet', async () => {
    const report = await capacityReport()
    const first = { ...report, summaries: [], steps: report.steps.slice(0, 1) }
    const chart = buildReportData([{ path: 'capacity.json', capacity: first }]).capacity!.chart
    assert.deepEqual(chart.xs, [800, 1000, 1250])
    assert.deepEqual(chart.series.find((s) => s.label.startsWith('SLO'))!.values, [10, 10, 10])
    const empty = buildReportData([{ path: 'early.json', capacity: { ...report, summaries: [], steps: [] } }])
    assert.equal(empty.capacity, null)
    assert.deepEqual(empty.notes, ['early.json: the capacity search had measured no step yet.'])
  })

  it('finds the knee from the steps when the file has no summary yet', async () => {
    const report = await capacityReport()
    const sse = report.steps.filter((s) => s.transport === 'sse')
    assert.deepEqual(kneeOf(sse, undefined), { ratePerSec: 6000, p99Ms: 9 })
    assert.equal(kneeOf(sse.slice(0, 0), undefined), null)
  })
})
