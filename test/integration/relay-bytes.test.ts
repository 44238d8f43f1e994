import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Scheduler } from '../../src/client/scheduler.js'
import { Wire } from '../../src/client/wire.js'
import { transports } from '../../src/transports/registry.js'
import type { ClientContext } from '../../src/transports/types.js'
import { awkward, publishAll } from '../helpers/mailbox.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()

for (const t of transports) {
  test(`${t.name}: data with CR, CRLF, LF and escapes arrives byte for byte`, async () => {
    const scheduler = new Scheduler()
    const user = `relay-${process.pid}-${t.name}`
    const received: string[] = []
    const errors: unknown[] = []
    const defaults = Object.fromEntries(t.settings.map((s) => [s.key, s.default]))
    const ctx: ClientContext = {
      origin: server.origin,
      user,
      wire: new Wire(),
      scheduler,
      now: () => performance.now(),
      settings: { ...defaults, interval: 20, hold: 30_000 },
      onError: (err) => errors.push(err),
    }
    const receiver = await t.openReceiver(ctx, (data) => void received.push(data))
    try {
      await publishAll(server.origin, user, awkward, received)
      assert.deepEqual(received, awkward)
      assert.deepEqual(errors, [])
    } finally {
      scheduler.stop()
      await receiver.close()
    }
  })
}
