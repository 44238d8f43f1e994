import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { Scheduler } from '../../src/client/scheduler.js'
import { Wire } from '../../src/client/wire.js'
import { startLink } from '../../src/link/create.js'
import { decodeMessage, encodeMessage, paddingFor } from '../../src/load/message.js'
import { openPostSender } from '../../src/load/post-sender.js'
import { findTransport } from '../../src/transports/registry.js'
import type { ClientContext } from '../../src/transports/types.js'
import { startTestServer } from '../helpers/server.js'

const rttMs = 100

test('a sender with several messages in flight per round trip puts each on the wire when it is due, in order', async () => {
  const server = await startTestServer()
  const link = await startLink({
    delayUpMs: rttMs / 2,
    delayDownMs: rttMs / 2,
    jitterMs: 0,
    bandwidthUpBitsPerSec: undefined,
    bandwidthDownBitsPerSec: undefined,
  })
  after(() => link.close())
  const address = await link.open({ host: '127.0.0.1', port: server.port })
  const errors: unknown[] = []
  const scheduler = new Scheduler()
  after(() => scheduler.stop())
  const context = (origin: string, user: string): ClientContext => ({
    origin,
    user,
    wire: new Wire(),
    scheduler,
    now: () => performance.now(),
    settings: { hold: 30_000 },
    onError: (err) => errors.push(err),
  })
  const user = `inflight-${process.pid}`
  // The receiver reaches the server directly: only the sender's path has the round trip.
  const received: { seq: number; ms: number }[] = []
  const count = 20
  const gapMs = 10
  let done: () => void = () => {}
  const all = new Promise<void>((resolve) => (done = resolve))
  const receiver = await findTransport('long-polling')!.openReceiver(context(server.origin, user), (data, ms) => {
    received.push({ seq: decodeMessage(data)!.seq, ms })
    if (received.length === count) done()
  })
  const sender = await openPostSender(context(`http://${address.host}:${address.port}`, `${user}-a`))
  try {
    // Ten messages per round trip: one POST per round trip (undici's default) would take 2 s.
    const writes: { lagMs: number; queued: boolean }[] = []
    const padding = paddingFor(64)
    const start = performance.now() + 20
    for (let seq = 0; seq < count; seq++) {
      const due = start + seq * gapMs
      scheduler.at(due, () =>
        sender.send({ to: `${user}` }, encodeMessage({ pair: 0, seq, scheduledMs: due }, padding), (ms, queued) =>
          writes.push({ lagMs: ms - due, queued }),
        ),
      )
    }
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`only ${received.length} of ${count} arrived`)), 5000).unref(),
    )
    await Promise.race([all, timeout])
    assert.equal(writes.length, count)
    assert.ok(
      writes.every((w) => !w.queued && w.lagMs < rttMs / 4),
      `each POST written well within a round trip of its time (a queue would wait one or more): ${writes.map((w) => w.lagMs.toFixed(2)).join(', ')}`,
    )
    assert.deepEqual(
      received.map((r) => r.seq),
      Array.from({ length: count }, (_, i) => i),
    )
    // Each arrives about one one-way delay (plus the link's handshake on the first) after it was due.
    const last = received[count - 1]!.ms - (start + (count - 1) * gapMs)
    assert.ok(last < rttMs, `the last message took ${last.toFixed(1)} ms; queued behind answers it would take ~${count * rttMs} ms`)
    assert.deepEqual(errors, [])
  } finally {
    await sender.close()
    await receiver.close()
  }
})
