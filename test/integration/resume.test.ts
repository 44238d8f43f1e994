import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import { request } from 'undici'
import WebSocket from 'ws'
import type { ServerStats } from '../../src/protocol/stats.js'
import { defaultLimits } from '../../src/server/limits.js'
import { transports } from '../../src/transports/registry.js'
import { rawConnect } from '../helpers/raw.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer({ ...defaultLimits })
const json = { 'content-type': 'application/json' }

async function publish(to: string, data: string): Promise<void> {
  const res = await request(`${server.origin}/messages`, { method: 'POST', body: JSON.stringify({ to, data }), headers: json })
  assert.equal(res.statusCode, 200)
  await res.body.dump()
}

async function instanceId(): Promise<string> {
  const res = await request(`${server.origin}/stats`)
  const stats = (await res.body.json()) as ServerStats
  assert.equal(res.headers['instance-id'], stats.instanceId)
  return stats.instanceId!
}

/** The events (id and data) in a chunk of text/event-stream, comments and `retry:` skipped. */
function events(text: string): { id: string; data: string }[] {
  return [...text.matchAll(/id: (\S+)\ndata: (.*)\n\n/g)].map((m) => ({ id: m[1]!, data: m[2]! }))
}

test('SSE resumed with Last-Event-ID after a silent drop gets exactly the events the dead connection swallowed', async () => {
  const user = 'resume-sse'
  for (const data of ['m1', 'm2', 'm3']) await publish(user, data)
  const first = await rawConnect(server.port)
  let text = ''
  first.on('data', (chunk: Buffer) => (text += chunk.toString()))
  first.write(`GET /sse/${user} HTTP/1.1\r\nHost: x\r\n\r\n`)
  // Bounded by the test's timeout: three events arrive at once.
  while (events(text).length < 3) await once(first, 'data')
  const read = events(text)
  assert.deepEqual(
    read.map((e) => e.data),
    ['m1', 'm2', 'm3'],
  )
  // The drop: the client stops reading; the server writes m4 and m5 into the dead connection.
  first.pause()
  await publish(user, 'm4')
  await publish(user, 'm5')
  await new Promise((resolve) => setTimeout(resolve, 50))
  first.destroy()

  const resumed = await rawConnect(server.port)
  let again = ''
  resumed.on('data', (chunk: Buffer) => (again += chunk.toString()))
  resumed.write(`GET /sse/${user} HTTP/1.1\r\nHost: x\r\nLast-Event-ID: ${read[2]!.id}\r\n\r\n`)
  while (events(again).length < 2) await once(resumed, 'data')
  await new Promise((resolve) => setTimeout(resolve, 50))
  resumed.destroy()
  assert.deepEqual(
    events(again).map((e) => e.data),
    ['m4', 'm5'],
  )
  assert.match(read[2]!.id, new RegExp(`^${await instanceId()}:3$`))
})

test('every answer names the server instance, and /stats gives the same id', async () => {
  const id = await instanceId()
  assert.match(id, /^[0-9a-f]{8}$/)
  const missing = await request(`${server.origin}/nowhere`)
  await missing.body.dump()
  assert.equal(missing.headers['instance-id'], id)
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/instance-user`)
  const [res] = (await once(ws, 'upgrade')) as [{ headers: Record<string, string> }]
  assert.equal(res.headers['instance-id'], id)
  ws.close()
})

for (const { name } of transports) {
  test(`${name}: a cursor from another server instance is refused 409 with this instance's id, and acknowledges nothing`, async () => {
    const user = `stale-${name}`
    for (const data of ['n1', 'n2', 'n3']) await publish(user, data)
    const id = await instanceId()
    const res = await request(`${server.origin}/${name}/${user}?after=2&instance=0badcafe`)
    assert.equal(res.statusCode, 409)
    assert.equal(res.headers['instance-id'], id)
    const body = (await res.body.json()) as { instanceId: string; message: string }
    assert.equal(body.instanceId, id)
    assert.match(body.message, /instance 0badcafe.*start again from after=0/)
    const poll = await request(`${server.origin}/short-polling/${user}?after=0&instance=${id}`)
    assert.deepEqual(
      ((await poll.body.json()) as { messages: { data: string }[] }).messages.map((m) => m.data),
      ['n1', 'n2', 'n3'],
    )
  })
}

test("SSE: a Last-Event-ID from another instance is refused 409; this instance's is taken", async () => {
  const id = await instanceId()
  const stale = await request(`${server.origin}/sse/stale-header`, { headers: { 'last-event-id': '0badcafe:7' } })
  assert.equal(stale.statusCode, 409)
  assert.equal(((await stale.body.json()) as { instanceId: string }).instanceId, id)
  const upgrade = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/stale-upgrade?after=1&instance=0badcafe`)
  upgrade.on('error', () => {})
  const [, refused] = (await once(upgrade, 'unexpected-response')) as [unknown, { statusCode: number; destroy: () => void }]
  refused.destroy()
  assert.equal(refused.statusCode, 409)
  const same = await request(`${server.origin}/sse/stale-header`, { headers: { 'last-event-id': `${id}:0` } })
  assert.equal(same.statusCode, 200)
  same.body.destroy()
})

const beating = await startTestServer({ ...defaultLimits, heartbeatMs: 200, maxStreamsPerUser: 1 })

test('an SSE stream starts with retry: and carries a comment heartbeat each interval', async () => {
  const socket = await rawConnect(beating.port)
  let text = ''
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
  socket.write('GET /sse/beating HTTP/1.1\r\nHost: x\r\n\r\n')
  await new Promise((resolve) => setTimeout(resolve, 500))
  socket.destroy()
  assert.match(text, /\r\nheartbeat-interval: 200\r\n/)
  assert.match(text, /\r\n\r\n[0-9a-f]+\r\nretry: 1000\n\n/)
  assert.ok((text.match(/\n:\n\n/g) ?? []).length >= 2, text)
})

test('a WebSocket that stops answering pings is cut, its slot freed and counted in /stats', async () => {
  const ws = new WebSocket(`${beating.origin.replace('http', 'ws')}/websocket/deaf`, { autoPong: false })
  const closed = once(ws, 'close')
  const [res] = (await once(ws, 'upgrade')) as [{ headers: Record<string, string> }]
  assert.equal(res.headers['heartbeat-interval'], '200')
  const [code] = (await closed) as [number]
  assert.equal(code, 1006, 'cut without a close frame')
  const stats = (await (await request(`${beating.origin}/stats`)).body.json()) as ServerStats
  assert.ok(stats.deadStreamsCut! >= 1)
  const again = new WebSocket(`${beating.origin.replace('http', 'ws')}/websocket/deaf`)
  await once(again, 'open')
  again.close()
})

test("a stream that resumes when the user's slots are all held takes the oldest one's; a fresh one is refused 429", async () => {
  const first = await request(`${beating.origin}/sse/crowded`)
  assert.equal(first.statusCode, 200)
  const ended = first.body.dump().then(
    () => 'closed',
    () => 'closed',
  )
  const fresh = await request(`${beating.origin}/sse/crowded`)
  assert.equal(fresh.statusCode, 429)
  await fresh.body.dump()
  const resumed = await request(`${beating.origin}/sse/crowded`, { headers: { 'last-event-id': '0' } })
  assert.equal(resumed.statusCode, 200)
  assert.equal(await ended, 'closed')
  resumed.body.destroy()
})
