import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { median } from '../../src/metrics/repeats.js'
import { formatTable } from '../../src/report/table.js'
import { combineRepeats } from '../../src/results/combine.js'
import { fixtureReport, fixtureResult } from './fixtures.js'

describe('repeats', () => {
  it('takes the median, the middle two averaged for an even count, unknowns ignored', () => {
    assert.equal(median([3, 1, 2]), 2)
    assert.equal(median([4, 1, 3, 2]), 2.5)
    assert.equal(median([Number.NaN, 5]), 5)
    assert.ok(Number.isNaN(median([])))
  })

  it('records medians and the p50/p99 min–max of the runs', () => {
    const runs = [40, 55, 50].map((p50, i) =>
      fixtureResult({ latency: { ...fixtureResult().latency, p50Ms: p50, p99Ms: 90 + i }, sent: 100 + i }),
    )
    const row = combineRepeats(runs)
    assert.equal(row.latency.p50Ms, 50)
    assert.equal(row.latency.p99Ms, 91)
    assert.equal(row.sent, 101)
    assert.deepEqual(row.repeats, { count: 3, p50Ms: { min: 40, max: 55 }, p99Ms: { min: 90, max: 92 } })
  })

  it('takes receivers, requests per minute and server memory per receiver as medians too, not the first run’s', () => {
    const runs = [
      { receivers: 7, recvRequestsPerMin: 300, serverRssMbPer1kReceivers: 5 },
      { receivers: 8, recvRequestsPerMin: 100, serverRssMbPer1kReceivers: 1 },
      { receivers: 8, recvRequestsPerMin: 200, serverRssMbPer1kReceivers: null },
    ].map((figures) => fixtureResult(figures))
    const row = combineRepeats(runs)
    assert.deepEqual([row.receivers, row.recvRequestsPerMin, row.serverRssMbPer1kReceivers], [8, 200, 3])
  })

  it('leaves a single run as it is', () => {
    const run = fixtureResult()
    assert.equal(combineRepeats([run]), run)
  })
})

describe('the table of a repeated run', () => {
  it('says how many runs the medians are of and how far p50 and p99 ranged', () => {
    const report = fixtureReport()
    report.results = [fixtureResult({ repeats: { count: 3, p50Ms: { min: 48, max: 53.5 }, p99Ms: { min: 90, max: 99.25 } } })]
    assert.match(
      formatTable(report).replace(/\n +/g, ' '),
      /\nmedians of 3 runs each; min–max over the runs: short-polling p50 48\.000–53\.500 ms, p99 90\.000–99\.250 ms\n/,
    )
  })

  it('says nothing of repeats for a single run', () => {
    assert.doesNotMatch(formatTable(fixtureReport()), /medians of/)
  })
})
