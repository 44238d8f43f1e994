import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { StageResult } from '../../src/metrics/summarise.js'
import { formatCsv, parseCsv } from '../../src/report/csv.js'
import { formatJson } from '../../src/report/json.js'
import { formatTable } from '../../src/report/table.js'
import { combineRepeats } from '../../src/results/combine.js'
import { fixtureReport, fixtureResult } from './fixtures.js'

const stage = (overrides: Partial<StageResult>): StageResult => ({
  stage: 1,
  startMs: 0,
  endMs: 10_000,
  ratePerSec: 50,
  groups: 100,
  sent: 2500,
  delivered: 2500,
  lost: 0,
  p50Ms: 1.25,
  p99Ms: 4.5,
  maxMs: 9,
  ...overrides,
})

function stagedReport(): ReturnType<typeof fixtureReport> {
  const report = fixtureReport()
  report.context.settings.stages = '10s→rate 50; 20s→groups 200'
  report.results = [
    fixtureResult({
      transport: 'sse',
      stages: [
        stage({}),
        stage({ stage: 2, startMs: 10_000, endMs: 30_000, groups: 200, sent: 7500, delivered: 7499, lost: 1, p50Ms: 2, p99Ms: 30.125 }),
      ],
    }),
  ]
  return report
}

describe('reports of a staged run', () => {
  it('the table prints one line per transport and stage under the main table, and the stages in the settings line', () => {
    const text = formatTable(stagedReport())
    assert.match(text, /\nsse +1 \(0ms–10s\) +50 msg\/s × 100 groups +2500 +2500 +1\.250 +4\.500\n/)
    assert.match(text, /\nsse +2 \(10s–30s\) +50 msg\/s × 200 groups +7500 +7499 +2\.000 +30\.125\n/)
    assert.match(text.replace(/\n +/g, ' '), /10s measured in stages \(10s→rate 50; 20s→groups 200\) after 2s warm-up/)
  })

  it('a run without stages prints no stage table', () => {
    assert.doesNotMatch(formatTable(fixtureReport()), /at its end/)
  })

  it('bursts have no rate: the stage says so', () => {
    const report = stagedReport()
    report.results[0]!.stages = [stage({ ratePerSec: null, groups: 1 })]
    assert.match(formatTable(report), / bursts × 1 group +\d/)
  })

  it('the JSON carries the per-stage figures; the CSV names the stages in a column of their own', () => {
    const report = stagedReport()
    const json = JSON.parse(formatJson(report)) as { results: { stages: StageResult[] }[] }
    assert.deepEqual(json.results[0]!.stages, report.results[0]!.stages)
    const [row] = parseCsv(formatCsv(report))
    assert.ok(Object.keys(row!).includes('stages'))
    assert.equal(row!.stages, '10s→rate 50; 20s→groups 200')
    assert.equal(parseCsv(formatCsv(fixtureReport()))[0]!.stages, '')
  })

  it('--repeat gives each stage the median of its figures over the runs', () => {
    const runs = [10, 30, 20].map((p99Ms, i) => fixtureResult({ stages: [stage({ p99Ms, sent: 2500 + i })] }))
    const row = combineRepeats(runs)
    assert.deepEqual(row.stages, [stage({ p99Ms: 20, sent: 2501 })])
  })
})
