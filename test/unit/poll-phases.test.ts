import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pollPhase, type PhasePlan } from '../../src/pacing/poll-phases.js'

/**
 * The wait from each send to the next poll of its receiver, over whole runs: senders staggered
 * as the generator staggers them (group g starts at t0 + g/n of the send period), receivers
 * polling on the grid their phase sets (poll k at phase·P + k·P) whenever they opened.
 */
function pollWaits(pairs: number, intervalMs: number, ratePerSec: number, t0: number): number[] {
  const plan: PhasePlan = { arrival: { kind: 'constant', ratePerSec }, groups: pairs, receiversPerGroup: 1, pollPeriodMs: intervalMs }
  const periodMs = 1000 / ratePerSec
  const waits: number[] = []
  for (let g = 0; g < pairs; g++) {
    const gridMs = pollPhase(plan, g) * intervalMs
    for (let k = 0; k < 100; k++) {
      const sendMs = t0 + (g / pairs) * periodMs + k * periodMs
      waits.push((((gridMs - sendMs) % intervalMs) + intervalMs) % intervalMs)
    }
  }
  return waits.sort((a, b) => a - b)
}

describe('short-poll receivers’ phases', () => {
  it('sample the poll wait evenly for any pair count: median and mean near P/2 (no stagger bias)', () => {
    for (const [intervalMs, rate] of [
      [250, 10],
      [100, 40],
      [250, 7],
      [1000, 10],
    ] as const) {
      for (let pairs = 10; pairs <= 120; pairs++) {
        for (const t0 of [0, 1234.5, 7777.7]) {
          const waits = pollWaits(pairs, intervalMs, rate, t0)
          const median = waits[waits.length >> 1]!
          const mean = waits.reduce((a, b) => a + b, 0) / waits.length
          const what = `${pairs} pairs, ${rate}/s, P ${intervalMs}ms, t0 ${t0}`
          // The case (20 pairs, 10/s, 250ms) read a median of 108 ms against 125.
          assert.ok(Math.abs(median - intervalMs / 2) <= 0.05 * intervalMs, `${what}: median wait ${median.toFixed(1)}`)
          assert.ok(Math.abs(mean - intervalMs / 2) <= 0.05 * intervalMs, `${what}: mean wait ${mean.toFixed(1)}`)
        }
      }
    }
  })

  it('lie in [0, 1), idle receivers included', () => {
    const plan: PhasePlan = { arrival: { kind: 'constant', ratePerSec: 10 }, groups: 3, receiversPerGroup: 2, pollPeriodMs: 100 }
    for (let n = 0; n < 20; n++) {
      const phase = pollPhase(plan, n)
      assert.ok(phase >= 0 && phase < 1, `receiver ${n}: ${phase}`)
    }
  })
})
