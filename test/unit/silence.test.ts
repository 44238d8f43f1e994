import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import {
  AnswerDeadline,
  handshakeRttsOf,
  loopbackPath,
  minMarginMs,
  silenceMarginMs,
  streamSilenceLimitMs,
  watchSilence,
} from '../../src/client/silence.js'

describe('how long silence may last', () => {
  it('allows a tenth of the beat for late timers, at least the least margin, plus the path’s jitter both ways', () => {
    assert.equal(silenceMarginMs(100, loopbackPath), minMarginMs)
    assert.equal(silenceMarginMs(500, loopbackPath), 50)
    assert.equal(silenceMarginMs(10_000, { rttMs: 80, jitterMs: 5 }), 1010)
  })

  it('gives a stream its beat and the margin, whatever the round trip: beats arrive a beat apart', () => {
    assert.equal(streamSilenceLimitMs(500, loopbackPath), 550)
    assert.equal(streamSilenceLimitMs(500, { rttMs: 50, jitterMs: 0 }), 550)
    assert.ok(Number.isNaN(streamSilenceLimitMs(Number.NaN, loopbackPath)), 'no heartbeat header: no limit')
  })

  it('gives a poll its hold, its round trips and the margin of its transport’s beat, with the handshakes on a new connection', () => {
    // A long poll held 500 ms at a 50 ms RTT: its first poll also waits for the TCP handshake.
    const longPoll = new AnswerDeadline(500, 500, { rttMs: 50, jitterMs: 0 }, handshakeRttsOf('http://127.0.0.1:1'))
    assert.equal(longPoll.nextMs(), 500 + 2 * 50 + 50)
    longPoll.answered()
    assert.equal(longPoll.nextMs(), 600)
    // A short poll every 100 ms over TLS: TCP and TLS 1.3 first.
    const shortPoll = new AnswerDeadline(0, 100, { rttMs: 2, jitterMs: 0 }, handshakeRttsOf('https://127.0.0.1:1'))
    assert.equal(shortPoll.nextMs(), 3 * 2 + 25)
    shortPoll.answered()
    assert.equal(shortPoll.nextMs(), 27)
  })

  it('doubles the allowance past the hold after each overdue poll, and resets it once one is answered', () => {
    const poll = new AnswerDeadline(500, 500, { rttMs: 50, jitterMs: 0 }, 1)
    poll.answered()
    poll.failed(true)
    assert.equal(poll.nextMs(), 500 + 2 * (2 * 50 + 50), 'overdue: a new connection, twice the allowance')
    poll.failed(true)
    assert.equal(poll.nextMs(), 500 + 4 * (2 * 50 + 50))
    poll.answered()
    assert.equal(poll.nextMs(), 600)
    poll.failed(false)
    assert.equal(poll.nextMs(), 650, 'failed otherwise: a new connection, no back-off')
    for (let i = 0; i < 20; i++) poll.failed(true)
    assert.equal(poll.nextMs(), 500 + 64 * 150, 'the back-off is bounded')
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
