import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { judgeStep, serverCpuPct, verdictLimits } from '../../src/capacity/verdict.js'
import type { TransportResult } from '../../src/metrics/summarise.js'
import { fixtureResult } from './fixtures.js'

/** 10,000 msg/s held for 10 s: 100,000 sent and delivered, p99 4 ms, server at 50% of a core. */
function healthy(overrides: Partial<TransportResult> = {}): TransportResult {
  return fixtureResult({
    sent: 100_000,
    delivered: 100_000,
    lost: 0,
    duplicated: 0,
    latency: { count: 100_000, p50Ms: 1, p90Ms: 2, p99Ms: 4, p999Ms: 6, maxMs: 8, meanMs: 1.2 },
    windowMs: 10_000,
    // 50 ms of CPU per 1,000 messages × 100,000 messages = 5 s over a 10 s window.
    serverCpuMsPer1k: 50,
    serverDropped: 0,
    sendLagP99Us: 300,
    generatorLimited: false,
    generatorCpuPct: 101,
    ...overrides,
  })
}

const limits = verdictLimits(10)
const asked = 10_000

describe('judgeStep', () => {
  it('passes a step with nothing lost, p99 within the SLO and the generator on schedule', () => {
    const v = judgeStep(healthy(), asked, limits)
    assert.equal(v.pass, true)
    assert.equal(v.reason, null)
    assert.equal(v.figures.achievedRatePerSec, 10_000)
    assert.equal(v.figures.serverCpuPct, 50)
  })

  it('passes at p99 exactly the SLO', () => {
    assert.equal(judgeStep(healthy({ latency: { ...healthy().latency, p99Ms: 10 } }), asked, limits).pass, true)
  })

  it('does not blame the generator for its CPU alone: its scheduler spins near every send', () => {
    assert.equal(judgeStep(healthy({ generatorCpuPct: 130 }), asked, limits).pass, true)
  })

  it('passes a generator-limited row whose lag is small against the SLO: the flag weighs lag against a sub-millisecond p99', () => {
    assert.equal(
      judgeStep(healthy({ generatorLimited: true, sendLagP99Us: 400, latency: { ...healthy().latency, p99Ms: 0.9 } }), asked, limits).pass,
      true,
    )
  })

  it('passes a busy server that still answers within the SLO', () => {
    assert.equal(judgeStep(healthy({ serverCpuMsPer1k: 99 }), asked, limits).pass, true)
  })

  const failures: [string, Partial<TransportResult>, string][] = [
    ['one lost message', { lost: 1, delivered: 99_999 }, 'loss'],
    ['a message the server dropped', { serverDropped: 3 }, 'loss'],
    ['a duplicate', { duplicated: 1 }, 'duplicate'],
    [
      'a generator-limited row above the SLO',
      { generatorLimited: true, latency: { ...healthy().latency, p99Ms: 12 }, serverCpuMsPer1k: 99 },
      'generator',
    ],
    ['an event loop that stalled', { loopDelayP99Ms: 11 }, 'generator'],
    ['sending 94% of the asked rate', { sent: 94_000, delivered: 94_000 }, 'generator'],
    ['send lag p99 above half the SLO', { sendLagP99Us: 5_001 }, 'generator'],
    ['nothing sent in the window', { sent: 0, delivered: 0 }, 'generator'],
    [
      'p99 above the SLO with the server at 95% of a core',
      { latency: { ...healthy().latency, p99Ms: 23.4 }, serverCpuMsPer1k: 95 },
      'server-cpu',
    ],
    ['p99 above the SLO with neither side saturated', { latency: { ...healthy().latency, p99Ms: 23.4 } }, 'latency'],
    ['p99 above the SLO and no server stats', { latency: { ...healthy().latency, p99Ms: 23.4 }, serverCpuMsPer1k: null }, 'latency'],
  ]
  for (const [what, overrides, reason] of failures) {
    it(`fails ${what} as ${reason}`, () => {
      const v = judgeStep(healthy(overrides), asked, limits)
      assert.equal(v.pass, false)
      assert.equal(v.reason, reason)
    })
  }

  it('names loss before every other cause', () => {
    const v = judgeStep(
      healthy({ lost: 5, duplicated: 2, generatorLimited: true, latency: { ...healthy().latency, p99Ms: 99 }, serverCpuMsPer1k: 99 }),
      asked,
      limits,
    )
    assert.equal(v.reason, 'loss')
  })

  it('names the generator before a saturated server', () => {
    const v = judgeStep(
      healthy({ generatorLimited: true, latency: { ...healthy().latency, p99Ms: 99 }, serverCpuMsPer1k: 99 }),
      asked,
      limits,
    )
    assert.equal(v.reason, 'generator')
  })
})

describe('serverCpuPct', () => {
  it('is the server CPU over the window as a share of one core', () => {
    assert.equal(serverCpuPct(healthy({ serverCpuMsPer1k: 20, delivered: 50_000, windowMs: 4000 })), 25)
  })

  it('is unknown when the server does not report or nothing was delivered', () => {
    assert.equal(serverCpuPct(healthy({ serverCpuMsPer1k: null })), null)
    assert.equal(serverCpuPct(healthy({ serverCpuMsPer1k: Number.NaN, delivered: 0 })), null)
  })
})
