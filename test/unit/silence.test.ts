import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import {
  AnswerDeadline,
  handshakeRttsOf,
  initialAllowanceMs,
  loopbackPath,
  minMarginMs,
  silenceMarginMs,
  streamSilenceLimitMs,
  watchSilence,
} from '../../src/client/silence.js'

describe('how long silence may last', () => {
  it('allows a tenth of the beat for late timers, at least the least margin, plus the path’s jitter both ways', () => {
    assert.equal(silenceMarginMs(100, loopbackPath), minMarginMs)
    assert.equal(silenceMarginMs(1000, loopbackPath), 100)
    assert.equal(silenceMarginMs(10_000, { rttMs: 80, jitterMs: 5 }), 1010)
  })

  it('gives a stream its beat and the margin, whatever the round trip: beats arrive a beat apart', () => {
    assert.equal(streamSilenceLimitMs(500, loopbackPath), 550)
    assert.equal(streamSilenceLimitMs(500, { rttMs: 50, jitterMs: 0 }), 550)
    assert.ok(Number.isNaN(streamSilenceLimitMs(Number.NaN, loopbackPath)), 'no heartbeat header: no limit')
  })

  it('gives an answered connection’s poll its hold, one round trip and the margin; a new connection’s first at least 1 s', () => {
    const longPoll = new AnswerDeadline(500, 500, { rttMs: 50, jitterMs: 0 }, handshakeRttsOf('http://127.0.0.1:1'))
    assert.equal(longPoll.nextMs(), 500 + initialAllowanceMs)
    longPoll.answered()
    assert.equal(longPoll.nextMs(), 600)
    // At a 400 ms RTT over TLS, the handshakes (TCP, TLS 1.3) and the request need more than TCP's initial timeout.
    const far = new AnswerDeadline(0, 100, { rttMs: 400, jitterMs: 0 }, handshakeRttsOf('https://127.0.0.1:1'))
    assert.equal(far.nextMs(), 3 * 400 + 50)
  })

  it('allows an answered-at-once poll the larger of the path’s round trip and the measured srtt + 4·rttvar (RFC 6298)', () => {
    const poll = new AnswerDeadline(0, 100, { rttMs: 2, jitterMs: 0 }, 1)
    poll.answered(10)
    // First sample: srtt 10, rttvar 5.
    assert.equal(poll.roundTripMs(), 30)
    poll.answered(10)
    // rttvar ¾·5 + ¼·0 = 3.75, srtt 10.
    assert.equal(poll.roundTripMs(), 25)
    assert.equal(poll.nextMs(), 25 + minMarginMs)
    const steady = new AnswerDeadline(0, 100, { rttMs: 50, jitterMs: 0 }, 1)
    steady.answered(1)
    assert.equal(steady.roundTripMs(), 50, 'the path’s round trip when the measurement is less')
  })

  it('doubles the allowance past the hold after each overdue poll, and resets it once one is answered', () => {
    const poll = new AnswerDeadline(500, 500, { rttMs: 50, jitterMs: 0 }, 1)
    poll.answered()
    poll.failed(true)
    assert.equal(poll.nextMs(), 500 + 2 * initialAllowanceMs, 'overdue: a new connection, twice the allowance')
    poll.failed(true)
    assert.equal(poll.nextMs(), 500 + 4 * initialAllowanceMs)
    poll.answered()
    assert.equal(poll.nextMs(), 600)
    poll.failed(false)
    assert.equal(poll.nextMs(), 500 + initialAllowanceMs, 'failed otherwise: a new connection, no back-off')
    for (let i = 0; i < 20; i++) poll.failed(true)
    assert.equal(poll.nextMs(), 500 + 64 * initialAllowanceMs, 'the back-off is bounded')
  })
})

describe('watchSilence', () => {
  it('calls once nothing was heard for the limit, counted from the last thing heard', async () => {
    let heard = Date.now()
    let silentAt = 0
    const watch = watchSilence(
      60,
      () => heard,
      () => (silentAt = Date.now()),
    )
    await delay(40)
    heard = Date.now()
    await delay(40)
    assert.equal(silentAt, 0, 'heard 40 ms ago: not yet')
    const deadline = Date.now() + 2000
    while (silentAt === 0 && Date.now() < deadline) await delay(5)
    watch.stop()
    assert.ok(silentAt - heard >= 60, `silent after ${silentAt - heard} ms, limit 60`)
    assert.ok(silentAt - heard < 60 + 200, `silent after ${silentAt - heard} ms`)
  })

  it('calls nothing once stopped, nor without a finite limit', async () => {
    let calls = 0
    const past = (): number => Date.now() - 1000
    watchSilence(
      30,
      () => Date.now(),
      () => calls++,
    ).stop()
    watchSilence(Number.NaN, past, () => calls++)
    watchSilence(0, past, () => calls++)
    await delay(80)
    assert.equal(calls, 0)
  })
})
