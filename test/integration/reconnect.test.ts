import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Scheduler } from '../../src/client/scheduler.js'
import { Wire } from '../../src/client/wire.js'
import { transports } from '../../src/transports/registry.js'
import { settingsOf } from '../../src/transports/setting-values.js'
import { publish, until } from '../helpers/mailbox.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()

/** Every connection the server holds cut at once, upgraded sockets included: a drop of every receiver. */
function cutEverything(): void {
  server.app.server.closeAllConnections()
  for (const socket of server.app.websocketServer.clients) socket.terminate()
}

// Every registered transport: a receiver must come back by itself and lose nothing.
for (const t of transports) {
  test(`${t.name}: a receiver whose connection is cut comes back with its cursor, loses nothing, and counts the reconnect`, async () => {
    const scheduler = new Scheduler()
    const wire = new Wire()
    const user = `reconnect-${process.pid}-${t.name}`
    const got: string[] = []
    let errors = 0
    const receiver = await t.openReceiver(
      {
        origin: server.origin,
        user,
        settings: settingsOf(t, { 'short-polling': { interval: 20 }, 'long-polling': { hold: 1000 } }),
        onError: () => void errors++,
        wire,
        scheduler,
        now: () => performance.now(),
      },
      (data) => got.push(data),
    )
    try {
      await publish(server.origin, user, 'before-1')
      await publish(server.origin, user, 'before-2')
      await until(() => got.length === 2, 5000)
      cutEverything()
      await publish(server.origin, user, 'after-1')
      await publish(server.origin, user, 'after-2')
      await until(() => got.length >= 4, 8000)
      assert.deepEqual(got, ['before-1', 'before-2', 'after-1', 'after-2'])
      // A poll between two requests may find its connection gone and open another unharmed: only
      // a failure calls for a reconnect.
      if (errors > 0) assert.ok(wire.reconnects >= 1, `reconnects: ${wire.reconnects} after ${errors} errors`)
    } finally {
      scheduler.stop()
      await receiver.close()
    }
  })
}
