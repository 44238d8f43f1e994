import assert from 'node:assert/strict'
import { test } from 'node:test'
import { request } from 'undici'
import { Scheduler } from '../../src/client/scheduler.js'
import { Wire } from '../../src/client/wire.js'
import { transports } from '../../src/transports/registry.js'
import type { ClientContext } from '../../src/transports/types.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()

/** Data every transport must relay byte for byte: line terminators of every kind, quotes, escapes, non-ASCII. */
const awkward = ['a\rb', 'crlf\r\nlf\ncr\r', '\r', '\r\n\r\n', 'tab\t"quote" \\backslash\\ é ✓ 🚀', 'id: 1\ndata: x\n\n']

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
    let done: () => void = () => {}
    const all = new Promise<void>((resolve) => (done = resolve))
    const receiver = await t.openReceiver(ctx, (data) => {
      received.push(data)
      if (received.length === awkward.length) done()
    })
    try {
      for (const data of awkward) {
        const res = await request(`${server.origin}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: user, data }),
        })
        assert.equal(res.statusCode, 200, await res.body.text())
      }
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`${received.length} arrived`)), 5000).unref())
      await Promise.race([all, timeout])
      assert.deepEqual(received, awkward)
      assert.deepEqual(errors, [])
    } finally {
      scheduler.stop()
      await receiver.close()
    }
  })
}
