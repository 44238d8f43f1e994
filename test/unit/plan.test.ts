import assert from 'node:assert/strict'
import { test } from 'node:test'
import { workloadOf, type Workload } from '../../src/load/plan.js'

test('workloadOf keeps the workload and drops everything else a run carries (server limits, TLS key, placement)', () => {
  const workload: Workload = {
    pairs: 3,
    ratePerSec: 5,
    arrival: { kind: 'poisson', ratePerSec: 5 },
    durationMs: 1000,
    warmupMs: 100,
    payloadBytes: 64,
    receivers: 2,
    idleReceivers: 1,
    payloadMaxBytes: 128,
    seed: 9,
    stages: [{ durationMs: 1000, groups: 4 }],
  }
  const options = {
    ...workload,
    limits: { maxConnections: 10 },
    security: { tls: { key: 'SECRET KEY', cert: 'CERT' } },
    placement: { serverCpu: 1, generatorCpu: 0 },
    transports: [],
  }
  assert.deepEqual(workloadOf(options), workload)
  assert.deepEqual(
    workloadOf({ pairs: 1, ratePerSec: 1, arrival: { kind: 'constant', ratePerSec: 1 }, durationMs: 1, warmupMs: 0, payloadBytes: 32 }),
    {
      pairs: 1,
      ratePerSec: 1,
      arrival: { kind: 'constant', ratePerSec: 1 },
      durationMs: 1,
      warmupMs: 0,
      payloadBytes: 32,
    },
  )
})
