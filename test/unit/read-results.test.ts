import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { findMetric } from '../../src/baseline/metrics.js'
import { parseResults } from '../../src/baseline/read.js'
import { assertSameSettings, settingsDifferences } from '../../src/baseline/settings.js'
import { UserError } from '../../src/errors.js'
import { csvDigits, formatCsv } from '../../src/report/csv.js'
import { formatJson } from '../../src/report/json.js'
import { fixture } from '../helpers/results.js'
import { fixtureReport } from './fixtures.js'

describe('reading results', () => {
  it('reads the same rows from a run written as CSV and as JSON', () => {
    const report = fixtureReport()
    const csv = parseResults(formatCsv(report), 'run.csv')
    const json = parseResults(formatJson(report), 'run.json')
    // Only a JSON file has histograms, so only its rows carry a percentile's sampling band; the CSV rounds.
    const rounded = (row: (typeof json.rows)[number]) => ({
      ...row,
      values: Object.fromEntries(
        Object.entries(row.values).map(([name, v]) => [name, v === null ? null : Number(v.toFixed(csvDigits(findMetric(name)!.column)))]),
      ),
    })
    assert.deepEqual(
      csv.rows,
      json.rows.map(({ band: _band, ...row }) => rounded(row)),
    )
    assert.ok(json.rows[0]!.band?.p50 !== undefined)
    assert.deepEqual(csv.settings, json.settings)
    assert.equal(json.rows[0]!.values.recv_requests_per_msg, 1 / 3)
    assert.equal(csv.rows[0]!.values.recv_requests_per_msg, 0.33)
    assert.equal(json.rows[2]!.values.p50, null)
    assert.equal(csv.report, undefined)
    assert.equal(json.report?.results.length, 3)
  })

  it('reads settings and per-metric values from a hand-written CSV', async () => {
    const base = await fixture('base.csv')
    assert.deepEqual(base.settings, {
      pairs: 10,
      ratePerSec: 10,
      payloadBytes: 64,
      durationMs: 10_000,
      transports: { poll_interval_ms: 100, long_poll_timeout_ms: 30_000 },
    })
    assert.equal(base.rows[1]!.values.p99, 5)
  })

  it('reads the --repeat ranges from the CSV columns at the end and from the JSON', () => {
    const report = fixtureReport()
    report.results[0]!.repeats = { count: 3, p50Ms: { min: 48, max: 53.5 }, p99Ms: { min: 90, max: 99 } }
    for (const text of [formatCsv(report), formatJson(report)]) {
      assert.deepEqual(parseResults(text, 'x').rows[0]!.range, { p50: { min: 48, max: 53.5 }, p99: { min: 90, max: 99 } })
    }
  })

  const rejected: [what: string, text: string, message: RegExp][] = [
    ['a JSON of another schema version', '{"schemaVersion": 2, "results": []}', /^f: schemaVersion 2 is not one this version reads \(1\)/],
    ['JSON that is not a result', '{"hello": 1}', /^f: not a transport-bench result \(no schemaVersion\)/],
    ['broken JSON', '{"schemaVersion": 1,', /^f: not valid JSON/],
    ['a schema 1 JSON without results', '{"schemaVersion": 1, "context": {"settings": {}}}', /context or results are missing/],
    [
      'a CSV without the fixed columns',
      'name,latency\na,1\n',
      /^f: not a transport-bench result \(missing or misplaced columns: transport, sent/,
    ],
    ['a CSV with a column moved', 'sent,transport\n', /missing or misplaced columns: transport, sent, delivered/],
    ['a CSV with unbalanced quotes', 'transport,"sent\n', /^f: not a readable CSV/],
  ]
  for (const [what, text, message] of rejected) {
    it(`rejects ${what} with one line naming the file`, () => {
      assert.throws(
        () => parseResults(text, 'f'),
        (err: unknown) => err instanceof UserError && message.test(err.message) && !err.message.includes('\n'),
      )
    })
  }
})

describe('settings of two runs', () => {
  it('lists every difference in words', async () => {
    const base = await fixture('base.csv')
    const slower = await fixture('slower-polls.csv')
    assert.deepEqual(settingsDifferences(base.settings!, slower.settings!), ['poll interval 100ms vs 200ms'])
    assert.throws(
      () => assertSameSettings(base, slower),
      /slower-polls\.csv was measured with other settings than base\.csv \(poll interval 100ms vs 200ms\)/,
    )
    assert.doesNotThrow(() => assertSameSettings(base, base))
  })
})
