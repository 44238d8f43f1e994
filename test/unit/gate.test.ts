import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { describeViolation, evaluateGate, type GateRules } from '../../src/baseline/gate.js'
import { formatJunit } from '../../src/baseline/junit.js'
import { findMetric } from '../../src/baseline/metrics.js'
import type { ResultFile } from '../../src/baseline/read.js'
import { fixture } from '../helpers/results.js'

const m = (name: string) => findMetric(name)!

function rules(overrides: Partial<GateRules>): GateRules {
  return { maxRegression: [], failIf: [], strict: false, ...overrides }
}

/** A one-row result with a p50 and, optionally, the min–max of its --repeat runs. */
function p50Run(p50: number, range?: [min: number, max: number]): ResultFile {
  return {
    path: 'x.json',
    label: 'x.json',
    settings: null,
    rows: [{ transport: 'sse', values: { p50 }, range: range === undefined ? {} : { p50: { min: range[0], max: range[1] } } }],
  }
}

describe('the regression gate on the fixture files', () => {
  it('fails short-polling p50 (+20% > 10%) and passes sse, whose p50 did not move', async () => {
    const checks = evaluateGate(
      await fixture('new.csv'),
      await fixture('base.csv'),
      rules({ maxRegression: [{ metric: m('p50'), maxIncrease: 0.1 }] }),
    )
    assert.deepEqual(
      checks.map((c) => [c.transport, c.passed]),
      [
        ['short-polling', false],
        ['sse', true],
        ['websocket', true],
      ],
    )
    assert.equal(checks[2]!.note, 'no baseline value to compare with')
    assert.equal(
      describeViolation(checks[0]!),
      'regression: short-polling p50: baseline 50.000 ms, now 60.000 ms, change +20.0%, limit p50 ≤ +10%',
    )
  })

  it('passes a change exactly at the limit (630 B vs 600 B is +5%)', async () => {
    const checks = evaluateGate(
      await fixture('new.csv'),
      await fixture('base.csv'),
      rules({ maxRegression: [{ metric: m('bytes_down_per_msg'), maxIncrease: 0.05 }] }),
    )
    assert.equal(checks[0]!.change, 0.05)
    assert.equal(checks[0]!.passed, true)
  })

  it('fails a metric that became unknown', async () => {
    const checks = evaluateGate(
      await fixture('new.csv'),
      await fixture('base.csv'),
      rules({ maxRegression: [{ metric: m('server_cpu_ms_per_1k'), maxIncrease: 0.5 }] }),
    )
    assert.equal(checks[0]!.passed, false)
    assert.match(describeViolation(checks[0]!), /baseline 300\.0 ms, now unknown/)
  })
})

describe('absolute budgets', () => {
  const cases: [rule: string, operator: '>' | '>=' | '<' | '<=' | '==', limit: number, failsOn: string[]][] = [
    ['lost>0', '>', 0, ['short-polling']],
    ['p99>=5', '>=', 5, ['short-polling']],
    ['p99>4', '>', 4, ['short-polling']],
    ['p50<2', '<', 2, ['websocket']],
    ['p50<=2', '<=', 2, ['sse', 'websocket']],
    ['p50==60', '==', 60, ['short-polling']],
  ]
  for (const [rule, operator, limit, failsOn] of cases) {
    it(`${rule} fails ${failsOn.join(' and ')}`, async () => {
      const metric = m(rule.split(/[<>=]/)[0]!)
      const checks = evaluateGate(await fixture('new.csv'), undefined, rules({ failIf: [{ metric, operator, limit }] }))
      assert.deepEqual(
        checks.filter((c) => !c.passed).map((c) => c.transport),
        failsOn,
      )
    })
  }

  it('names transport, metric, baseline, now, change and limit in the violation', async () => {
    const checks = evaluateGate(
      await fixture('new.csv'),
      await fixture('base.csv'),
      rules({ failIf: [{ metric: m('lost'), operator: '>', limit: 0 }] }),
    )
    assert.equal(describeViolation(checks[0]!), 'over budget: short-polling lost: baseline 0, now 2, change +∞%, limit fail if lost>0')
  })
})

describe('noise from --repeat', () => {
  const limit = rules({ maxRegression: [{ metric: m('p50'), maxIncrease: 0.1 }] })
  const cases: [what: string, now: ResultFile, base: ResultFile, strict: boolean, passed: boolean][] = [
    ['does not fire when the ranges overlap', p50Run(12, [10.5, 14]), p50Run(10, [9, 11]), false, true],
    ['fires when every repeat is slower than the slowest baseline repeat', p50Run(14, [11.5, 30]), p50Run(10, [9, 11]), false, false],
    ['fires on overlapping ranges under --strict', p50Run(12, [10.5, 14]), p50Run(10, [9, 11]), true, false],
    ['takes a side without repeats as a range of one value', p50Run(12), p50Run(10, [9, 12.5]), false, true],
    ['fires without repeats on either side', p50Run(12), p50Run(10), false, false],
  ]
  for (const [what, now, base, strict, passed] of cases) {
    it(what, () => {
      const [check] = evaluateGate(now, base, { ...limit, strict })
      assert.equal(check!.passed, passed)
    })
  }

  it('says why a rise counted as noise', () => {
    const [check] = evaluateGate(p50Run(12, [10.5, 14]), p50Run(10, [9, 11]), limit)
    assert.equal(check!.note, 'within noise: the repeat ranges overlap (baseline 9.000–11.000, now 10.500–14.000 ms)')
  })
})

describe('JUnit report', () => {
  it('writes every check as a test case, failures with the violation line, XML escaped', async () => {
    const checks = evaluateGate(
      await fixture('new.csv'),
      await fixture('base.csv'),
      rules({ failIf: [{ metric: m('p99'), operator: '>', limit: 4 }] }),
    )
    const xml = formatJunit(checks)
    assert.match(xml, /<testsuite name="transport-bench gate" tests="3" failures="1" errors="0" skipped="0">/)
    assert.equal(xml.match(/<testcase /g)?.length, 3)
    assert.match(xml, /<testcase classname="transport-bench.sse" name="fail if p99_ms&gt;4" time="0"\/>/)
    assert.match(
      xml,
      /<failure message="over budget: short-polling p99: baseline 100.000 ms, now 95.000 ms, change -5.0%, limit fail if p99_ms&gt;4" type="budget">/,
    )
  })
})
