import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Scheduler } from '../../src/client/scheduler.js'
import { Wire } from '../../src/client/wire.js'
import { decodeMessage, encodeMessage, paddingFor } from '../../src/load/message.js'
import { findTransport, transports } from '../../src/transports/registry.js'
import type { ClientContext, Transport } from '../../src/transports/types.js'
import { measure } from '../helpers/load.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()

function transport(name: string): Transport {
  const found = findTransport(name)
  assert.ok(found, `${name} is registered`)
  return found
}

// Every registered transport gets these, so a new one is tested the moment it is registered.
for (const t of transports) {
  describe(t.name, () => {
    test('delivers every message of several pairs once, in order, and records each in the histogram', async () => {
      const { result, load } = await measure(t, server.origin)
      assert.ok(result.sent >= 90, `sent ${result.sent}`)
      assert.equal(result.lost, 0, result.firstError ?? 'lost messages')
      assert.equal(result.duplicated, 0)
      assert.equal(result.reordered, 0)
      assert.equal(result.delivered, result.sent)
      assert.equal(load.recorded.latency.totalCount, result.delivered)
      assert.equal(result.sendErrors + result.receiveErrors, 0, result.firstError ?? '')
      assert.ok(result.bytesUpPerMsg > 0 && result.bytesDownPerMsg > 0)
    })
  })
}

test('short polling: median near half the interval; receive requests per message near 1/(r·P)', async () => {
  const intervalMs = 100
  const ratePerSec = 2
  const { result } = await measure(transport('short-polling'), server.origin, {
    pairs: 20,
    ratePerSec,
    durationMs: 2000,
    settings: { 'short-polling': { interval: intervalMs }, 'long-polling': { hold: 30_000 } },
  })
  assert.equal(result.lost, 0)
  assert.ok(result.latency.p50Ms >= 0.3 * intervalMs && result.latency.p50Ms <= 0.7 * intervalMs, `p50 ${result.latency.p50Ms} ms`)
  const expected = 1 / ((ratePerSec * intervalMs) / 1000)
  assert.ok(
    Math.abs(result.recvRequestsPerMsg - expected) <= 0.2 * expected,
    `${result.recvRequestsPerMsg} requests/message, expected ${expected}`,
  )
})

test('long polling at a rate far below the hold: between 1 and 1.5 receive requests per message', async () => {
  const { result } = await measure(transport('long-polling'), server.origin, { pairs: 10, ratePerSec: 10 })
  assert.equal(result.lost, 0)
  assert.ok(result.recvRequestsPerMsg >= 1 && result.recvRequestsPerMsg <= 1.5, `${result.recvRequestsPerMsg}`)
})

for (const name of ['sse', 'websocket']) {
  test(`${name}: no receive requests per message once connected`, async () => {
    const { result } = await measure(transport(name), server.origin)
    assert.equal(result.recvRequestsPerMsg, 0)
    assert.equal(result.connections, 10, 'one connection per sender and per receiver')
  })
}

test('websocket: userA sending on its own socket delivers everything in order', async () => {
  const { result } = await measure(transport('websocket'), server.origin, { sendMode: 'socket' })
  assert.equal(result.lost, 0, result.firstError ?? '')
  assert.equal(result.reordered, 0)
  assert.equal(result.delivered, result.sent)
})

test('long polling: a tight burst to one user is delivered whole and in order despite the re-poll gap', async () => {
  const burst = 300
  const received: number[] = []
  const errors: unknown[] = []
  const scheduler = new Scheduler()
  const context = (user: string): ClientContext => ({
    origin: server.origin,
    user,
    wire: new Wire(),
    scheduler,
    now: () => performance.now(),
    settings: { hold: 30_000 },
    onError: (err) => errors.push(err),
  })
  const receiving = context(`burst-${process.pid}-b`)
  let done: () => void = () => {}
  const all = new Promise<void>((resolve) => (done = resolve))
  const receiver = await transport('long-polling').openReceiver(receiving, (data) => {
    received.push(decodeMessage(data)!.seq)
    if (received.length === burst) done()
  })
  // Frames written back to back on one socket reach the server faster than a poll can return.
  const sender = await transport('websocket').openSender!(context(`burst-${process.pid}-a`))
  try {
    const padding = paddingFor(64)
    for (let seq = 0; seq < burst; seq++) sender.send({ to: receiving.user }, encodeMessage({ pair: 0, seq, scheduledMs: 0 }, padding))
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`only ${received.length} of ${burst} arrived`)), 5000).unref(),
    )
    await Promise.race([all, timeout])
    assert.deepEqual(
      received,
      Array.from({ length: burst }, (_, i) => i),
    )
    assert.deepEqual(errors, [])
    assert.ok(receiving.wire.requests < burst, `batching: ${receiving.wire.requests} polls carried ${burst} messages`)
  } finally {
    scheduler.stop()
    await receiver.close()
    await sender.close()
  }
})
