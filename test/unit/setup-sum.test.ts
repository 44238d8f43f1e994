import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SetupFailed } from '../../src/load/setup-failures.js'
import { allAnswers } from '../../src/load/workers/setup-sum.js'

const totals = { receivers: 40, senders: 20 }
const refused = (role: 'receivers' | 'senders', failed: number, total: number): SetupFailed =>
  new SetupFailed(role, failed, total, 'server refused: max connections 10')

describe('the workers’ answers', () => {
  it('are every worker’s, in order, when none failed', async () => {
    assert.deepEqual(await allAnswers([Promise.resolve(1), Promise.resolve(2)], totals), [1, 2])
  })

  it('count every worker’s refused users out of the run’s, receivers first', async () => {
    const answers = [
      Promise.reject(refused('senders', 5, 10)),
      Promise.reject(refused('receivers', 7, 20)),
      Promise.reject(refused('receivers', 3, 20)),
    ]
    await assert.rejects(allAnswers(answers, totals), (err: unknown) => {
      assert.ok(err instanceof SetupFailed)
      assert.deepEqual([err.role, err.failed, err.total], ['receivers', 10, 40])
      assert.match(err.message, /^10 of 40 receivers could not connect \(server refused: max connections 10\)$/)
      return true
    })
  })

  it('let any other failure through as it is', async () => {
    const crash = new Error('load worker 1 exited (SIGKILL)')
    await assert.rejects(allAnswers([Promise.reject(crash), Promise.reject(refused('receivers', 1, 20))], totals), crash)
  })
})
