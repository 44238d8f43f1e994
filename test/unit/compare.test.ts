import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compareResults, formatChange, relativeChange, verdictOf } from '../../src/baseline/compare.js'
import { findMetric, metrics } from '../../src/baseline/metrics.js'
import { parseResults, type ResultFile } from '../../src/baseline/read.js'
import { encodeHistogram, newHistogram, recordUs } from '../../src/metrics/histogram.js'
import { renderReport } from '../../src/report/formats.js'
import { formatJson } from '../../src/report/json.js'
import { fixture } from '../helpers/results.js'
import { fixtureReport, fixtureResult } from './fixtures.js'

describe('relative change', () => {
  const cases: [base: number | null, now: number | null, change: number | null][] = [
    [50, 60, 0.2],
    [100, 95, -0.05],
    [600, 630, 0.05],
    [0, 0, 0],
    [0, 2, Number.POSITIVE_INFINITY],
    [null, 2, null],
    [2, null, null],
  ]
  for (const [base, now, change] of cases) {
    it(`from ${String(base)} to ${String(now)} is ${String(change)}`, () => {
      assert.equal(relativeChange(base, now), change)
    })
  }

  it('is worse when positive, better when negative, same at zero', () => {
    assert.deepEqual([0.2, -0.05, 0, null].map(verdictOf), ['worse', 'better', 'same', 'unknown'])
  })

  it('prints as a signed percentage, infinity included', () => {
    assert.deepEqual([0.2, -0.05, Number.POSITIVE_INFINITY, null].map(formatChange), ['+20.0%', '-5.0%', '+∞%', ''])
  })
})

describe('compareResults on the fixture files', () => {
  it('makes one table per group, a row per transport of any file, changes against the first file', async () => {
    const tables = compareResults([await fixture('base.csv'), await fixture('new.csv')], metrics)
    assert.deepEqual(
      tables.map((t) => t.group),
      ['latency', 'cost', 'correctness'],
    )
    const latency = tables[0]!
    assert.deepEqual(latency.files, ['base.csv', 'new.csv'])
    assert.deepEqual(
      latency.rows.map((r) => r.transport),
      ['short-polling', 'sse', 'websocket'],
    )
    const [p50, , p99, , max] = latency.rows[0]!.cells
    assert.deepEqual(p50, [
      { value: 50, change: null, verdict: 'same' },
      { value: 60, change: 0.2, verdict: 'worse' },
    ])
    assert.deepEqual(p99![1], { value: 95, change: -0.05, verdict: 'better' })
    assert.ok(Math.abs(max![1]!.change! - 10 / 110) < 1e-12)
    // websocket is only in the second file: nothing to compare with.
    assert.deepEqual(latency.rows[2]!.cells[0], [
      { value: null, change: null, verdict: 'unknown' },
      { value: 1, change: null, verdict: 'unknown' },
    ])
  })

  it('counts a cost that became unknown as unknown, and a loss from zero as infinitely worse', async () => {
    const tables = compareResults([await fixture('base.csv'), await fixture('new.csv')], metrics)
    const cost = tables[1]!
    const cpu = cost.metrics.findIndex((m) => m.name === 'server_cpu_ms_per_1k')
    assert.deepEqual(cost.rows[0]!.cells[cpu]![1], { value: null, change: null, verdict: 'unknown' })
    const requests = cost.rows[0]!.cells[cost.metrics.findIndex((m) => m.name === 'recv_requests_per_msg')]!
    assert.equal(requests[1]!.change, 0.25)
    const lost = tables[2]!.rows[0]!.cells[0]!
    assert.deepEqual(lost[1], { value: 2, change: Number.POSITIVE_INFINITY, verdict: 'worse' })
  })

  it('shows only the chosen metrics, and only their groups', async () => {
    const chosen = [findMetric('p99_ms')!, findMetric('recv_requests_per_msg')!]
    const tables = compareResults([await fixture('base.csv'), await fixture('new.csv')], chosen)
    assert.deepEqual(
      tables.map((t) => [t.group, t.metrics.map((m) => m.name)]),
      [
        ['latency', ['p99']],
        ['cost', ['recv_requests_per_msg']],
      ],
    )
  })
})

describe('compare output', () => {
  it('prints markdown a pull request can show, without colour codes', async () => {
    const tables = compareResults([await fixture('base.csv'), await fixture('new.csv')], [findMetric('p50')!])
    assert.equal(
      renderReport('compare', 'markdown', { tables, notes: [] }),
      [
        '### latency',
        '',
        '| transport | p50 ms · base.csv | p50 ms · new.csv |',
        '|---|---:|---:|',
        '| short-polling | 50.000 | 60.000 (+20.0% worse) |',
        '| sse | 2.000 | 2.000 (=) |',
        '| websocket | - | 1.000 |',
        '',
      ].join('\n'),
    )
  })

  it('prints tidy CSV, one line per transport, metric and file', async () => {
    const tables = compareResults([await fixture('base.csv'), await fixture('new.csv')], [findMetric('lost')!])
    assert.equal(
      renderReport('compare', 'csv', { tables, notes: [] }),
      [
        'group,transport,metric,file,value,change_pct,verdict',
        'correctness,short-polling,lost,base.csv,0,,same',
        'correctness,short-polling,lost,new.csv,2,inf,worse',
        'correctness,sse,lost,base.csv,0,,same',
        'correctness,sse,lost,new.csv,0,0,same',
        'correctness,websocket,lost,base.csv,,,unknown',
        'correctness,websocket,lost,new.csv,0,,unknown',
        '',
      ].join('\n'),
    )
  })

  it('colours better and worse only when asked', async () => {
    const tables = compareResults([await fixture('base.csv'), await fixture('new.csv')], [findMetric('p50')!, findMetric('p99')!])
    const plain = renderReport('compare', 'table', { tables, notes: [] }, { colour: false })
    const coloured = renderReport('compare', 'table', { tables, notes: [] }, { colour: true })
    assert.ok(!plain.includes('\u001b['), plain)
    assert.ok(coloured.includes('\u001b[31m+20.0% worse\u001b[39m'), coloured)
    assert.ok(coloured.includes('\u001b[32m-5.0% better\u001b[39m'), coloured)
  })
})

describe('the noise band', () => {
  /** A JSON result file of the fixture report, short polling's p50 and histogram as given. */
  function jsonFile(path: string, p50Ms: number, histogramMs: (i: number) => number, repeats?: { min: number; max: number }) {
    const report = fixtureReport()
    const h = newHistogram()
    for (let i = 0; i < 5000; i++) recordUs(h, histogramMs(i) * 1000)
    report.results[0] = fixtureResult({
      latency: { ...fixtureResult().latency, p50Ms },
      histogram: encodeHistogram(h),
      ...(repeats ? { repeats: { count: 3, p50Ms: repeats, p99Ms: repeats } } : {}),
    })
    return parseResults(formatJson(report), path)
  }
  const p50 = [findMetric('p50')!]
  const cell = (files: ResultFile[]) => compareResults(files, p50)[0]!.rows[0]!.cells[0]![1]!

  it('counts a p50 inside both runs’ 95% intervals from their histograms as unchanged', () => {
    const a = jsonFile('a.json', 50, (i) => (i % 100) + 1)
    const b = jsonFile('b.json', 51, (i) => (i % 100) + 1.5)
    assert.deepEqual(cell([a, b]), { value: 51, change: 0.02, verdict: 'same', noise: 'histogram' })
  })

  it('counts a p50 outside them as a change', () => {
    const a = jsonFile('a.json', 50, (i) => (i % 100) + 1)
    const b = jsonFile('b.json', 60, (i) => (i % 100) + 11)
    assert.equal(cell([a, b]).verdict, 'worse')
  })

  it('reads the --repeat min–max before the histogram', () => {
    const a = jsonFile('a.json', 50, (i) => (i % 100) + 1, { min: 45, max: 58 })
    const b = jsonFile('b.json', 60, (i) => (i % 100) + 11, { min: 57, max: 62 })
    assert.equal(cell([a, b]).noise, 'repeats')
  })

  it('counts figures equal at the digits shown as unchanged, CSV files included', async () => {
    const base = await fixture('base.csv')
    const same = { ...base, rows: base.rows.map((r) => ({ ...r, values: { ...r.values, bytes_up_per_msg: 400.4 } })) }
    const up = compareResults([base, same], [findMetric('bytes_up_per_msg')!])[0]!.rows[0]!.cells[0]![1]!
    assert.equal(up.verdict, 'same')
    assert.equal(up.noise, undefined)
  })
})
