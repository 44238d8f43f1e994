import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { UserError } from '../../src/errors.js'
import { explainSetupFailure, isRefusal, setupCause, SetupFailed, SetupWatch } from '../../src/load/setup-failures.js'

const capped = new Error(
  'GET /websocket/u-3-b answered 503 instead of upgrading: {"error":"Service Unavailable","message":"the server has its limit of 10000 open connections; try again later"}',
)
const refusedSocket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })
const timedOut = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' })

describe('set-up failures', () => {
  it('names the cause in a few words: the connection cap, a status, or the socket’s code', () => {
    assert.equal(setupCause(capped), 'server refused: max connections 10,000')
    assert.equal(setupCause(new Error('GET /messages answered 401: {}')), 'the server answered 401')
    assert.equal(setupCause(refusedSocket), 'ECONNREFUSED')
  })

  it('takes refusals for users that never got in, and timeouts for a loaded server’s hiccups', () => {
    assert.deepEqual([capped, refusedSocket, timedOut].map(isRefusal), [true, true, false])
  })

  it('watches until the window opens, counting each refused user once, receivers before senders', () => {
    const watch = new SetupWatch({ receivers: 20, senders: 20 })
    watch.note('senders', '1', capped)
    watch.note('receivers', '1-b', capped)
    watch.note('receivers', '1-b', capped)
    watch.note('receivers', '2-b', capped)
    watch.note('receivers', '3-b', timedOut)
    const failed = watch.close()
    assert.ok(failed instanceof SetupFailed)
    assert.equal(failed.message, '2 of 20 receivers could not connect (server refused: max connections 10,000)')
    watch.note('receivers', '4-b', capped)
    assert.equal(new SetupWatch({ receivers: 1, senders: 1 }).close(), undefined)
  })

  it('becomes one line with the fix: the embedded server’s users, or the target’s cap', () => {
    const failed = new SetupFailed('receivers', 2000, 6000, 'server refused: max connections 10,000')
    const line = (target?: string): string => {
      try {
        explainSetupFailure(failed, 'websocket', target)
      } catch (err) {
        assert.ok(err instanceof UserError)
        assert.equal(err.exitCode, 1)
        return err.message
      }
      return ''
    }
    assert.equal(
      line('http://127.0.0.1:8080'),
      'websocket: 2,000 of 6,000 receivers could not connect (server refused: max connections 10,000); lower --pairs or raise --max-connections of the server at http://127.0.0.1:8080',
    )
    assert.match(line(), /; lower --pairs, --receivers or --idle$/)
    assert.throws(
      () => explainSetupFailure(timedOut, 'websocket', undefined),
      (err) => err === timedOut,
    )
  })
})
