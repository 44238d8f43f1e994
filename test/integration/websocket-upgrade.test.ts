import assert from 'node:assert/strict'
import { once } from 'node:events'
import type { IncomingMessage } from 'node:http'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { request } from 'undici'
import WebSocket from 'ws'
import { startTestServer } from '../helpers/server.js'

// A full collection on demand, without starting the test process with --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

test('an open WebSocket keeps none of its upgrade request alive, and still delivers', async () => {
  const server = await startTestServer()
  const upgrades: WeakRef<IncomingMessage>[] = []
  server.app.server.on('upgrade', (req: IncomingMessage) => upgrades.push(new WeakRef(req)))
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/kept-small`)
  await once(ws, 'open')
  try {
    // A WeakRef holds its target until the current job ends: collect on a later turn, twice.
    for (let i = 0; i < 2; i++) {
      await sleep(20)
      gc()
    }
    assert.equal(upgrades.length, 1)
    assert.equal(upgrades[0]!.deref(), undefined, 'the upgrade request is still reachable while the socket is open')

    const received = once(ws, 'message')
    const res = await request(`${server.origin}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'kept-small', data: 'still here' }),
    })
    await res.body.dump()
    const [data] = (await received) as [Buffer]
    assert.equal(data.toString(), 'still here')
  } finally {
    ws.close()
    await once(ws, 'close')
  }
})
