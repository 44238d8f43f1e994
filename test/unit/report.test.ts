import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeHistogram } from '../../src/metrics/histogram.js'
import type { TransportResult } from '../../src/metrics/summarise.js'
import { cell, csvDigits, formatCsv, parseCsv } from '../../src/report/csv.js'
import { formatNames, renderReport } from '../../src/report/formats.js'
import { formatJson } from '../../src/report/json.js'
import { formatTable } from '../../src/report/table.js'
import { csvColumns, csvHeader } from '../../src/results/columns.js'
import type { RunReport } from '../../src/results/report.js'
import { summariseRun } from '../../src/results/summary.js'
import { fixtureReport } from './fixtures.js'

const fixedHeader = [
  'transport',
  'sent',
  'delivered',
  'lost',
  'duplicated',
  'reordered',
  'p50_ms',
  'p90_ms',
  'p99_ms',
  'p999_ms',
  'max_ms',
  'recv_requests_per_msg',
  'bytes_up_per_msg',
  'bytes_down_per_msg',
  'connections',
  'server_cpu_ms_per_1k',
  'server_rss_mb',
]

/** Every numeric column of the first 17, with where its value lives in a result. */
const numericColumns: [column: string, value: (r: TransportResult) => number | null][] = [
  ['sent', (r) => r.sent],
  ['delivered', (r) => r.delivered],
  ['lost', (r) => r.lost],
  ['duplicated', (r) => r.duplicated],
  ['reordered', (r) => r.reordered],
  ['p50_ms', (r) => r.latency.p50Ms],
  ['p90_ms', (r) => r.latency.p90Ms],
  ['p99_ms', (r) => r.latency.p99Ms],
  ['p999_ms', (r) => r.latency.p999Ms],
  ['max_ms', (r) => r.latency.maxMs],
  ['recv_requests_per_msg', (r) => r.recvRequestsPerMsg],
  ['bytes_up_per_msg', (r) => r.bytesUpPerMsg],
  ['bytes_down_per_msg', (r) => r.bytesDownPerMsg],
  ['connections', (r) => r.connections],
  ['server_cpu_ms_per_1k', (r) => r.serverCpuMsPer1k],
  ['server_rss_mb', (r) => r.serverRssMb],
  ['mean_ms', (r) => r.latency.meanMs],
  ['server_dropped', (r) => r.serverDropped],
  ['send_errors', (r) => r.sendErrors],
  ['receive_errors', (r) => r.receiveErrors],
  ['send_lag_p50_us', (r) => r.sendLagP50Us],
  ['send_lag_p99_us', (r) => r.sendLagP99Us],
  ['loop_delay_p99_ms', (r) => r.loopDelayP99Ms],
  ['generator_cpu_pct', (r) => r.generatorCpuPct],
  ['window_ms', (r) => r.windowMs],
]

/** What JSON.parse gives back for a value: NaN and ±Infinity were written as null. */
function jsonView(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (Array.isArray(value)) return value.map(jsonView)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonView(v)]))
  return value
}

describe('CSV columns', () => {
  it('starts with the 17 fixed names, in order', () => {
    assert.deepEqual(csvHeader.slice(0, 17), fixedHeader)
  })

  it('keeps every released column in the order results have always had, context columns included; new ones only follow', () => {
    const later = [
      'mean_ms,send_mode,server_dropped,send_errors,receive_errors,send_lag_p50_us,send_lag_p99_us,loop_delay_p99_ms',
      'generator_cpu_pct,generator_limited,window_ms,pairs,rate_per_sec,payload_bytes,poll_interval_ms,long_poll_timeout_ms',
      'duration_ms,warmup_ms,target,placement,tool_version,node_version,cpu_model,cpu_count,os,commit,started_at',
      'repeats,p50_ms_min,p50_ms_max,p99_ms_min,p99_ms_max,scenario,receivers_per_group,idle_receivers,arrival',
      'payload_max_bytes,receivers,recv_requests_per_min,server_rss_mb_per_1k_receivers,row_poll_interval_ms,tls,stages',
      'workers,generator_rss_mb_per_1k_connections,server_rss_mb_per_1k_connections',
    ].flatMap((line) => line.split(','))
    const released = [...fixedHeader, ...later]
    assert.deepEqual(csvHeader.slice(0, released.length), released)
  })

  it('has no duplicate column names, and the header is the column list', () => {
    assert.equal(new Set(csvHeader).size, csvHeader.length)
    assert.deepEqual(
      csvHeader,
      csvColumns.map((c) => c.name),
    )
  })

  it('says in every row whether the run ran to its end (complete)', () => {
    const done = parseCsv(formatCsv(fixtureReport()))
    assert.deepEqual(new Set(done.map((row) => row.complete)), new Set(['true']))
    const stopped = parseCsv(formatCsv({ ...fixtureReport(), complete: false }))
    assert.deepEqual(new Set(stopped.map((row) => row.complete)), new Set(['false']))
  })

  it('writes the header as the first CSV line, in the same order', () => {
    const firstLine = formatCsv(fixtureReport()).split('\n')[0]
    assert.equal(firstLine, csvHeader.join(','))
  })
})

describe('CSV rounding', () => {
  it('keeps times to the microsecond, microseconds whole, ratios to 0.01; whole numbers as they are', () => {
    assert.deepEqual(
      ['p50_ms', 'p50_ms_min', 'server_cpu_ms_per_1k', 'send_lag_p99_us', 'recv_requests_per_msg', 'server_rss_mb'].map(csvDigits),
      [3, 3, 3, 0, 2, 2],
    )
    assert.deepEqual(
      [cell(0.7351749999999999, 3), cell(1 / 3, 2), cell(10_000, 2), cell(2.5, 0), cell(Number.NaN, 2)],
      ['0.735', '0.33', '10000', '3', ''],
    )
  })

  it('writes no float longer than its digits', () => {
    const text = formatCsv(fixtureReport())
    assert.doesNotMatch(text, /\d\.\d{4,}/)
  })
})

describe('formatCsv → parseCsv', () => {
  const report = fixtureReport()
  const rows = parseCsv(formatCsv(report))

  it('gives one row per result, in order, each with every column', () => {
    assert.equal(rows.length, report.results.length)
    assert.deepEqual(
      rows.map((row) => row.transport),
      report.results.map((r) => r.transport),
    )
    for (const row of rows) assert.deepEqual(Object.keys(row), [...csvHeader])
  })

  for (const [column, value] of numericColumns) {
    it(`reads ${column} back as the same number rounded as csvDigits says, or an empty cell for null and NaN`, () => {
      report.results.forEach((result, i) => {
        const original = value(result)
        const cell = rows[i]?.[column]
        if (original === null || Number.isNaN(original)) assert.equal(cell, '', `row ${i}`)
        else assert.equal(Number(cell), Number(original.toFixed(csvDigits(column))), `row ${i}: ${cell}`)
      })
    })
  }

  it('keeps text, booleans and the run context in every row, quoting commas and quotes', () => {
    const c = report.context
    rows.forEach((row, i) => {
      const result = report.results[i]!
      assert.equal(row.send_mode, result.sendMode)
      assert.equal(row.generator_limited, String(result.generatorLimited))
      assert.equal(row.pairs, String(c.settings.pairs))
      assert.equal(row.rate_per_sec, String(c.settings.ratePerSec))
      assert.equal(row.payload_bytes, String(c.settings.payloadBytes))
      assert.equal(row.duration_ms, String(c.settings.durationMs))
      assert.equal(row.target, c.settings.target)
      assert.equal(row.cpu_model, c.cpuModel)
      assert.equal(row.commit, '')
      assert.equal(row.started_at, c.startedAt)
    })
  })

  it('writes only the header for a report with no results', () => {
    const empty: RunReport = { ...report, results: [] }
    assert.deepEqual(parseCsv(formatCsv(empty)), [])
    assert.equal(formatCsv(empty).trim(), csvHeader.join(','))
  })
})

describe('formatJson', () => {
  const report = fixtureReport()
  const text = formatJson(report)
  const parsed = JSON.parse(text) as RunReport

  it('parses back to the same report, with NaN written as null, and the verdict beside it', () => {
    const { summary, ...rest } = parsed as RunReport & { summary?: unknown }
    assert.deepEqual(rest, jsonView(report))
    assert.deepEqual(summary, JSON.parse(JSON.stringify(summariseRun(report))))
  })

  it('writes null, never NaN, for unknown figures', () => {
    assert.ok(!text.includes('NaN'))
    const unknown = parsed.results[2]!
    assert.equal(unknown.latency.p50Ms, null)
    assert.equal(unknown.recvRequestsPerMsg, null)
    assert.equal(unknown.serverCpuMsPer1k, null)
  })

  it('carries histograms that decode to each result’s delivered count', () => {
    parsed.results.forEach((result, i) => {
      assert.equal(result.histogram, report.results[i]?.histogram)
      assert.equal(decodeHistogram(result.histogram).totalCount, report.results[i]?.delivered)
    })
  })

  it('ends with a newline', () => {
    assert.ok(text.endsWith('}\n'))
  })
})

describe('the format registry', () => {
  it('lists each kind of report’s formats in the order --format help gives them', () => {
    assert.deepEqual(formatNames('run'), ['table', 'csv', 'json'])
    assert.deepEqual(formatNames('capacity'), ['table', 'csv', 'json'])
    assert.deepEqual(formatNames('compare'), ['table', 'csv', 'markdown'])
  })

  it('renders a run by format name with the reporter of that name', () => {
    const report = fixtureReport()
    assert.equal(renderReport('run', 'table', report), formatTable(report))
    assert.equal(renderReport('run', 'csv', report), formatCsv(report))
    assert.equal(renderReport('run', 'json', report), formatJson(report))
  })
})
