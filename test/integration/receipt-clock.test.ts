import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Scheduler } from '../../src/client/scheduler.js'
import { Wire } from '../../src/client/wire.js'
import { encodeOutgoing } from '../../src/protocol/messages.js'
import { transports } from '../../src/transports/registry.js'
import { settingsOf } from '../../src/transports/setting-values.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()

// Every registered transport, so a new receiver is held to it the moment it is registered.
for (const t of transports) {
  test(`${t.name}: a delivery carries its receipt time, read from the clock the receiver was given`, async () => {
    const readings: number[] = []
    const errors: unknown[] = []
    // The generator's clock is monotonic performance time; this one also keeps what it read.
    const clock = (): number => {
      const at = performance.now()
      readings.push(at)
      return at
    }
    const scheduler = new Scheduler()
    const user = `clock-${process.pid}-${t.name}`
    let delivered: (d: { data: string; receivedMs: number }) => void = () => {}
    const delivery = new Promise<{ data: string; receivedMs: number }>((resolve) => (delivered = resolve))
    const receiver = await t.openReceiver(
      {
        origin: server.origin,
        user,
        settings: settingsOf(t, { 'short-polling': { interval: 20 } }),
        onError: (err) => errors.push(err),
        wire: new Wire(),
        scheduler,
        now: clock,
      },
      (data, receivedMs) => delivered({ data, receivedMs }),
    )
    try {
      const res = await fetch(`${server.origin}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: encodeOutgoing({ to: user }, 'tick'),
      })
      assert.equal(res.status, 200)
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('nothing delivered')), 5000).unref())
      const { data, receivedMs } = await Promise.race([delivery, timeout])
      assert.equal(data, 'tick')
      assert.ok(readings.includes(receivedMs), `${receivedMs} is one of the injected clock's readings`)
      assert.deepEqual(errors, [])
    } finally {
      scheduler.stop()
      await receiver.close()
    }
  })
}
