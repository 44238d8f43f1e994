import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import { Agent, request } from 'undici'
import WebSocket from 'ws'
import { defaultLimits, type ServerLimits } from '../../src/server/limits.js'
import { rawConnect, rawExchange } from '../helpers/raw.js'
import { startTestServer } from '../helpers/server.js'

/** Every limit small enough to hit in a test, each one answered as docs/PROTOCOL.md says. */
const limits: ServerLimits = {
  ...defaultLimits,
  maxHeaderBytes: 1024,
  headersTimeoutMs: 300,
  headersCheckIntervalMs: 100,
  maxStreamsPerUser: 1,
  mailboxMaxMessages: 5,
}
const server = await startTestServer(limits)
const crowded = await startTestServer({ ...defaultLimits, maxConnections: 2 })

/** A request on a connection of its own, so keep-alive pools never hold a connection between tests. */
async function get(origin: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const dispatcher = new Agent({ pipelining: 0 })
  try {
    const res = await request(`${origin}${path}`, { headers, dispatcher })
    return { status: res.statusCode, body: await res.body.text() }
  } finally {
    await dispatcher.destroy()
  }
}

test('a request head over the header limit is answered 431', async () => {
  const outcome = await rawExchange(server.port, `GET /stats HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(2048)}\r\n\r\n`)
  assert.match(outcome.text, /^HTTP\/1\.1 431 /)
  assert.equal((await get(server.origin, '/stats')).status, 200)
})

test('a request whose headers never end is answered 408 and dropped after the headers timeout', async () => {
  const outcome = await rawExchange(server.port, 'GET /stats HTTP/1.1\r\nHost: x\r\n', 3000)
  assert.match(outcome.text, /^HTTP\/1\.1 408 /)
  assert.equal(outcome.closed, true)
  assert.ok(outcome.elapsedMs < limits.headersTimeoutMs + 1500, `closed after ${outcome.elapsedMs} ms`)
})

test('a connection that never sends a byte is dropped after the headers timeout', async () => {
  const outcome = await rawExchange(server.port, '', 3000)
  assert.equal(outcome.closed, true)
  assert.ok(outcome.elapsedMs < limits.headersTimeoutMs + 1500, `closed after ${outcome.elapsedMs} ms`)
})

test('a request on a connection past the connection limit is answered 503 with the reason, and closed', async () => {
  const held = [await rawConnect(crowded.port), await rawConnect(crowded.port)]
  try {
    const outcome = await rawExchange(crowded.port, 'GET /stats HTTP/1.1\r\nHost: x\r\n\r\n')
    assert.match(outcome.text, /^HTTP\/1\.1 503 /)
    assert.match(outcome.text, /limit of 2 open connections/)
    assert.equal(outcome.closed, true)
  } finally {
    for (const socket of held) socket.destroy()
  }
  await new Promise((resolve) => setTimeout(resolve, 50))
  assert.equal((await get(crowded.origin, '/stats')).status, 200)
})

test('a second stream for one user is answered 429, whether SSE or WebSocket, until the first closes', async () => {
  const first = await rawConnect(server.port)
  first.write('GET /sse/one-stream HTTP/1.1\r\nHost: x\r\n\r\n')
  const [head] = (await once(first, 'data')) as [Buffer]
  assert.match(head.toString(), /^HTTP\/1\.1 200 /)

  const second = await get(server.origin, '/sse/one-stream')
  assert.equal(second.status, 429)
  assert.match(second.body, /at most 1 open streams per user/)
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/one-stream`)
  ws.on('error', () => {})
  const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number; destroy: () => void }]
  res.destroy()
  assert.equal(res.statusCode, 429)

  first.destroy()
  await new Promise((resolve) => setTimeout(resolve, 50))
  const again = await rawExchange(server.port, 'GET /sse/one-stream HTTP/1.1\r\nHost: x\r\n\r\n', 300)
  assert.match(again.text, /^HTTP\/1\.1 200 /)
})

test('a full mailbox drops its oldest messages and counts them in /stats', async () => {
  const before = JSON.parse((await get(server.origin, '/stats')).body) as { dropped: number }
  for (let i = 0; i < limits.mailboxMaxMessages + 3; i++) {
    const res = await request(`${server.origin}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'full-box', data: `m${i}` }),
    })
    await res.body.dump()
  }
  const polled = JSON.parse((await get(server.origin, '/short-polling/full-box?after=0')).body) as {
    messages: { id: number; data: string }[]
  }
  assert.deepEqual(
    polled.messages.map((m) => m.data),
    ['m3', 'm4', 'm5', 'm6', 'm7'],
  )
  const after = JSON.parse((await get(server.origin, '/stats')).body) as { dropped: number }
  assert.equal(after.dropped - before.dropped, 3)
})
