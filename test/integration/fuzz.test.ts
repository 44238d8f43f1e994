import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzServer } from '../helpers/fuzz.js'

test('malformed input at every endpoint crashes nothing, draws no 5xx, and costs well-behaved pairs no message', async () => {
  const outcome = await fuzzServer({ seed: 20261126, numRuns: 300, timeLimitMs: 8000 })
  assert.ok(outcome.inputsTried >= 50, `only ${outcome.inputsTried} inputs were tried`)
  assert.equal(outcome.crashes, 0, outcome.firstFailure ?? '')
  assert.equal(outcome.serverErrors, 0, outcome.firstFailure ?? '')
  assert.ok(outcome.delivered > 0)
  assert.equal(outcome.lost, 0)
})
