import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { RunReport } from '../../src/results/report.js'
import { transportNames } from '../../src/transports/registry.js'
import { assertOneLineError, cli } from '../helpers/cli.js'

const rttMs = 40
const pollMs = 100

/** p50 that theory predicts at this RTT and low rate (a long poll is parked when each message arrives). */
const theoryMs: Readonly<Record<string, number>> = {
  websocket: rttMs,
  sse: rttMs,
  'long-polling': rttMs,
  'short-polling': rttMs + pollMs / 2,
}

describe('run through an emulated link', () => {
  it(`puts every transport's p50 near its theory at --rtt ${rttMs}ms, reports the achieved RTT, and fills the link columns`, async () => {
    const outcome = await cli(
      // 5/s per pair: a message lands in the long-poll re-poll gap rarely, so its p50 is one round trip.
      ['run', '--rtt', `${rttMs}ms`, '--pairs', '20', '--rate', '5', '--duration', '2s', '--warmup', '500ms'].concat([
        '--poll-interval',
        `${pollMs}ms`,
        '--format',
        'json',
        '--no-save',
        '--quiet',
      ]),
      120_000,
    )
    assert.equal(outcome.code, 0, outcome.stderr)
    const report = JSON.parse(outcome.stdout) as RunReport
    assert.equal(report.context.settings.link?.rttMs, rttMs)
    assert.deepEqual(
      report.results.map((r) => r.transport),
      [...transportNames],
    )
    for (const r of report.results) {
      const expected = theoryMs[r.transport]!
      // Wide: a 2-core machine shared with other work; loopback alone would read about 0.3 ms.
      assert.ok(Math.abs(r.latency.p50Ms - expected) <= 0.25 * expected, `${r.transport}: p50 ${r.latency.p50Ms} ms, theory ${expected} ms`)
      assert.equal(r.lost, 0, `${r.transport}: ${r.firstError}`)
      assert.ok(Math.abs(r.achievedRttP50Ms! - rttMs) <= 0.1 * rttMs, `${r.transport}: achieved rtt p50 ${r.achievedRttP50Ms}`)
      assert.equal(r.linkOff, false)
      assert.ok(r.latency.p999Ms <= r.latency.maxMs, `${r.transport}: p99.9 ${r.latency.p999Ms} above max ${r.latency.maxMs}`)
    }
  })

  it('refuses bad link values with one line and exit 2', async () => {
    for (const [args, mentions] of [
      [['--rtt', '-1'], /--rtt/],
      [['--bandwidth', 'fast'], /--bandwidth/],
      [['--link', 'moon'], /unknown link moon/],
    ] as const) {
      assertOneLineError(await cli(['run', ...args, '--no-save', '--duration', '1s']), mentions)
      assertOneLineError(await cli(['capacity', ...args, '--no-save']), mentions)
    }
  })
})
