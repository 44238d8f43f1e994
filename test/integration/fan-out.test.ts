import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { request } from 'undici'
import { transports } from '../../src/transports/registry.js'
import { measure } from '../helpers/load.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await request(`${server.origin}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  })
  return { status: res.statusCode, body: await res.body.json() }
}

test('a message to a room lands once in the mailbox of each member, and only theirs', async () => {
  const room = `room-${process.pid}`
  assert.deepEqual(await post(`/rooms/${room}/members`, { user: `${room}-x` }), { status: 200, body: { members: 1 } })
  assert.deepEqual(await post(`/rooms/${room}/members`, { user: `${room}-y` }), { status: 200, body: { members: 2 } })
  assert.deepEqual(
    await post(`/rooms/${room}/members`, { user: `${room}-y` }),
    { status: 200, body: { members: 2 } },
    'joining twice is a no-op',
  )
  assert.deepEqual(await post('/messages', { room, data: 'hello' }), { status: 200, body: { members: 2 } })
  assert.deepEqual(await post('/messages', { room: `${room}-empty`, data: 'nobody' }), { status: 200, body: { members: 0 } })
  for (const [user, messages] of [
    [`${room}-x`, [{ id: 1, data: 'hello' }]],
    [`${room}-y`, [{ id: 1, data: 'hello' }]],
    [`${room}-z`, []],
  ] as const) {
    const res = await request(`${server.origin}/short-polling/${user}`)
    assert.deepEqual(await res.body.json(), { messages }, user)
  }
})

// Sequence numbers are tracked per (group, receiver): each receiver must see its group's whole stream.
for (const t of transports) {
  describe(t.name, () => {
    test('every receiver of every room gets every message once, in order, none lost', async () => {
      const receivers = 6
      const { result, load } = await measure(t, server.origin, { pairs: 2, receivers, ratePerSec: 20, durationMs: 800, warmupMs: 100 })
      assert.ok(result.sent >= 2 * 15 * receivers, `sent ${result.sent}`)
      assert.equal(result.sent % receivers, 0, 'each message is expected once per receiver')
      assert.equal(result.lost, 0, result.firstError ?? 'lost')
      assert.equal(result.duplicated, 0)
      assert.equal(result.reordered, 0)
      assert.equal(result.delivered, result.sent)
      assert.equal(load.recorded.latency.totalCount, result.delivered, 'one latency per receiver and message')
      assert.equal(result.sendErrors + result.receiveErrors, 0, result.firstError ?? '')
      assert.equal(result.receivers, 2 * receivers)
    })
  })
}

test('websocket: a sender on its own socket can publish to a room', async () => {
  const websocket = transports.find((t) => t.name === 'websocket')!
  const { result } = await measure(websocket, server.origin, { pairs: 1, receivers: 4, sendMode: 'socket', durationMs: 500, warmupMs: 100 })
  assert.ok(result.sent > 0)
  assert.equal(result.delivered, result.sent, result.firstError ?? '')
  assert.equal(result.reordered, 0)
})

test('idle receivers stay connected, get nothing, and their polls are counted', async () => {
  const shortPolling = transports.find((t) => t.name === 'short-polling')!
  const { result } = await measure(shortPolling, server.origin, { pairs: 1, idleReceivers: 4, durationMs: 600, warmupMs: 100 })
  assert.equal(result.receiveErrors, 0, result.firstError ?? '')
  assert.equal(result.receivers, 5)
  // 5 receivers polling every 50 ms: about 6,000 polls a minute.
  assert.ok(result.recvRequestsPerMin > 4000 && result.recvRequestsPerMin < 8000, `${result.recvRequestsPerMin} polls/min`)
  assert.equal(result.lost, 0)
})

test('bursts with a payload range reach one long-polling receiver whole and in order', async () => {
  const longPolling = transports.find((t) => t.name === 'long-polling')!
  const { result } = await measure(longPolling, server.origin, {
    pairs: 1,
    arrival: { kind: 'bursts', size: 40, withinMs: 5, everyMs: 300 },
    payloadBytes: 40,
    payloadMaxBytes: 400,
    durationMs: 900,
    warmupMs: 100,
  })
  assert.equal(result.sent, 120)
  assert.equal(result.delivered, 120, result.firstError ?? '')
  assert.equal(result.reordered, 0)
  // Never more than one poll per message plus a few retries, even with messages in the re-poll gap.
  assert.ok(result.recvRequestsPerMsg <= 1.2, `${result.recvRequestsPerMsg} polls per message`)
  assert.ok(result.bytesDownPerMsg > 40 && result.bytesDownPerMsg < 400 + 400, `${result.bytesDownPerMsg} bytes down per message`)
})
