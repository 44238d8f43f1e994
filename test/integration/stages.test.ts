import assert from 'node:assert/strict'
import { test } from 'node:test'
import { findTransport } from '../../src/transports/registry.js'
import { measure } from '../helpers/load.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()

test('websocket under stages: sends follow the ramps, the stages add up to the row, nothing is lost', async () => {
  const websocket = findTransport('websocket')
  assert.ok(websocket)
  // 3 pairs ramp 5 → 40 msg/s over 1 s, then 3 more pairs join over 1 s at 40 msg/s.
  const { result, load } = await measure(websocket, server.origin, {
    pairs: 3,
    ratePerSec: 5,
    durationMs: 2000,
    warmupMs: 200,
    stages: [
      { durationMs: 1000, ratePerSec: 40 },
      { durationMs: 1000, groups: 6 },
    ],
  })
  assert.equal(result.lost, 0, result.firstError ?? 'lost messages')
  assert.equal(result.delivered, result.sent)
  assert.equal(load.receiversConnected, 6, 'every group ever active is connected from the start')
  const stages = result.stages ?? assert.fail('the row has per-stage figures')
  assert.deepEqual(
    stages.map((s) => [s.stage, s.startMs, s.endMs, s.ratePerSec, s.groups]),
    [
      [1, 0, 1000, 40, 3],
      [2, 1000, 2000, 40, 6],
    ],
  )
  // Stage 1: 3 senders × the mean of 5 and 40 msg/s for 1 s = 67.5. Stage 2: groups 3 → 6 rounded
  // (the 4th, 5th and 6th join at 1/6, 1/2 and 5/6 s) = 4.5 group-seconds × 40 msg/s = 180.
  const [first, second] = stages
  assert.ok(first!.sent >= 60 && first!.sent <= 70, `stage 1 sent ${first!.sent}, expected about 67`)
  assert.ok(second!.sent >= 170 && second!.sent <= 185, `stage 2 sent ${second!.sent}, expected about 180`)
  for (const key of ['sent', 'delivered', 'lost'] as const) {
    assert.equal(
      stages.reduce((sum, s) => sum + s[key], 0),
      result[key],
      `stages' ${key} add up to the row`,
    )
  }
  // Percentiles are bucket tops (3 significant digits), so p99 may sit a hair above the max.
  assert.ok(
    stages.every((s) => s.lost === 0 && Number.isFinite(s.p50Ms) && s.p99Ms >= s.p50Ms && s.maxMs >= s.p99Ms * 0.99),
    JSON.stringify(stages),
  )
})
