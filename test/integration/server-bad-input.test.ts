import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import { request } from 'undici'
import WebSocket from 'ws'
import { defaultLimits } from '../../src/server/limits.js'
import { findTransport } from '../../src/transports/registry.js'
import { measure } from '../helpers/load.js'
import { rawConnect, rawExchange } from '../helpers/raw.js'
import { startTestServer } from '../helpers/server.js'

const limits = { ...defaultLimits, bodyLimitBytes: 4096, wsMaxPayloadBytes: 4096, longPollMaxParked: 1 }
const server = await startTestServer(limits)
const json = { 'content-type': 'application/json' }

async function status(
  path: string,
  init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {},
): Promise<number> {
  const res = await request(`${server.origin}${path}`, {
    method: init.method ?? 'GET',
    body: init.body ?? null,
    headers: init.headers ?? {},
  })
  await res.body.dump()
  return res.statusCode
}

/** The HTTP status a WebSocket upgrade is refused with. */
async function upgradeStatus(path: string): Promise<number> {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}${path}`)
  ws.on('error', () => {})
  const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number; destroy: () => void }]
  res.destroy()
  return res.statusCode
}

async function closeCodeAfterSending(frame: string | Buffer, binary = false): Promise<number> {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/bad-sender`)
  ws.on('error', () => {})
  await once(ws, 'open')
  const closed = once(ws, 'close')
  ws.send(frame, { binary })
  const [code] = (await closed) as [number]
  return code
}

/** The status of the answer to raw request bytes; 0 when none came. */
async function rawStatus(bytes: string | Buffer): Promise<number> {
  const { text } = await rawExchange(server.port, bytes, 1000)
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
}

const upgradeHead = (headers: string): string =>
  `GET /websocket/raw-user HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${headers}\r\n`

/** The close code the server sends after a raw frame on an open socket, read off the wire. */
async function closeCodeAfterRawFrame(frame: Buffer): Promise<number> {
  const socket = await rawConnect(server.port)
  socket.write(upgradeHead('Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'))
  socket.on('error', () => {})
  const received: Buffer[] = []
  socket.on('data', (chunk: Buffer) => received.push(chunk))
  await new Promise((resolve) => setTimeout(resolve, 100))
  socket.write(frame)
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, 2000)
    socket.once('close', () => resolve(clearTimeout(timer)))
  })
  socket.destroy()
  const all = Buffer.concat(received)
  const frames = all.subarray(all.indexOf('\r\n\r\n') + 4)
  // A close frame from the server: 0x88, an unmasked length, then the code.
  return frames[0] === 0x88 ? frames.readUInt16BE(2) : 0
}

const badRequests: [string, () => Promise<number>, number][] = [
  ['malformed JSON', () => status('/messages', { method: 'POST', body: '{"to":', headers: json }), 400],
  ['a body without "to"', () => status('/messages', { method: 'POST', body: '{"data":"x"}', headers: json }), 400],
  ['a user id with a slash', () => status('/messages', { method: 'POST', body: '{"to":"a/b","data":"x"}', headers: json }), 400],
  ['an unknown field', () => status('/messages', { method: 'POST', body: '{"to":"a","data":"x","x":1}', headers: json }), 400],
  ['data that is an object', () => status('/messages', { method: 'POST', body: '{"to":"a","data":{}}', headers: json }), 400],
  [
    'a body over the limit',
    () => status('/messages', { method: 'POST', body: JSON.stringify({ to: 'a', data: 'x'.repeat(8192) }), headers: json }),
    413,
  ],
  [
    'a body with both "to" and "room"',
    () => status('/messages', { method: 'POST', body: '{"to":"a","room":"r","data":"x"}', headers: json }),
    400,
  ],
  ['a room id with a slash', () => status('/messages', { method: 'POST', body: '{"room":"a/b","data":"x"}', headers: json }), 400],
  ['a join without a user', () => status('/rooms/r/members', { method: 'POST', body: '{}', headers: json }), 400],
  ['a join with an unknown field', () => status('/rooms/r/members', { method: 'POST', body: '{"user":"a","x":1}', headers: json }), 400],
  [
    'a body of an unsupported type',
    () => status('/messages', { method: 'POST', body: 'to=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    415,
  ],
  ['a text body', () => status('/messages', { method: 'POST', body: 'to=a', headers: { 'content-type': 'text/plain' } }), 400],
  ['an unknown route', () => status('/nowhere'), 404],
  ['a negative cursor', () => status('/short-polling/u1?after=-1'), 400],
  ['a cursor that is not a number', () => status('/short-polling/u1?after=abc'), 400],
  ['a hold above the maximum', () => status(`/long-polling/u1?timeout=${limits.longPollMaxTimeoutMs + 1}`), 400],
  ['a malformed Last-Event-ID', () => status('/sse/u1', { headers: { 'last-event-id': 'abc' } }), 400],
  ['an upgrade for a bad user id', () => upgradeStatus('/websocket/%20'), 400],
  ['an upgrade with a bad cursor', () => upgradeStatus('/websocket/u1?after=x'), 400],
  ['a WebSocket frame that is not JSON', () => closeCodeAfterSending('hello'), 1007],
  ['a binary WebSocket frame', () => closeCodeAfterSending(Buffer.from('{}'), true), 1007],
  ['a WebSocket frame over the limit', () => closeCodeAfterSending('x'.repeat(8192)), 1009],
  ['a Last-Event-ID past the largest safe integer', () => status('/sse/u1', { headers: { 'last-event-id': '9007199254740993' } }), 400],
  ['garbage bytes instead of a request', () => rawStatus(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a])), 400],
  ['a request line with spaces in the path', () => rawStatus('GET /st ats now HTTP/1.1\r\nHost: x\r\n\r\n'), 400],
  ['a header line with no colon', () => rawStatus('GET /stats HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n'), 400],
  ['a Content-Length that is not a number', () => rawStatus('POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n'), 400],
  ['an upgrade without Sec-WebSocket-Key', () => rawStatus(upgradeHead('Sec-WebSocket-Version: 13\r\n')), 400],
  [
    'an upgrade with an unknown WebSocket version',
    () => rawStatus(upgradeHead('Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n')),
    400,
  ],
  ['a WebSocket frame without the client mask', () => closeCodeAfterRawFrame(Buffer.from([0x81, 0x02, 0x68, 0x69])), 1002],
  ['a WebSocket frame with an unknown opcode', () => closeCodeAfterRawFrame(Buffer.from([0x83, 0x80, 1, 2, 3, 4])), 1002],
  ['a continuation frame with no message to continue', () => closeCodeAfterRawFrame(Buffer.from([0x80, 0x80, 1, 2, 3, 4])), 1002],
]

for (const [what, send, expected] of badRequests) {
  test(`${what} is answered ${expected} and the server keeps serving`, async () => {
    assert.equal(await send(), expected)
    assert.equal(await status('/stats'), 200)
  })
}

const vanishing: [string, () => Promise<void>][] = [
  [
    'a client that sends half its POST body and goes',
    async () => {
      const socket = await rawConnect(server.port)
      socket.end('POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"to":"a",')
      socket.destroy()
    },
  ],
  [
    'an SSE client that goes mid-stream',
    async () => {
      const socket = await rawConnect(server.port)
      socket.write('GET /sse/vanishing HTTP/1.1\r\nHost: x\r\n\r\n')
      await once(socket, 'data')
      await status('/messages', { method: 'POST', body: '{"to":"vanishing","data":"x"}', headers: json })
      socket.destroy()
      await status('/messages', { method: 'POST', body: '{"to":"vanishing","data":"y"}', headers: json })
    },
  ],
  [
    'a long poll whose client goes while it is parked',
    async () => {
      const socket = await rawConnect(server.port)
      socket.write('GET /long-polling/vanishing-poll?timeout=5000 HTTP/1.1\r\nHost: x\r\n\r\n')
      await new Promise((resolve) => setTimeout(resolve, 50))
      socket.destroy()
    },
  ],
  [
    'a WebSocket client that stops halfway through a fragmented message',
    async () => {
      const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/fragments`)
      await once(ws, 'open')
      ws.send('{"to":"a",', { fin: false })
      await new Promise((resolve) => setTimeout(resolve, 20))
      ws.terminate()
    },
  ],
]

for (const [what, act] of vanishing) {
  test(`${what} leaves the server serving`, async () => {
    await act()
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(await status('/stats'), 200)
  })
}

test('a long poll whose client went frees its place at once', async () => {
  await vanishing[2]![1]()
  await new Promise((resolve) => setTimeout(resolve, 50))
  // longPollMaxParked is 1 here: a new poll is parked, not refused.
  const res = await request(`${server.origin}/long-polling/vanishing-poll?timeout=10`)
  assert.equal(res.statusCode, 200)
  await res.body.dump()
})

test('a second parked long poll for one user is answered 429', async () => {
  const parked = request(`${server.origin}/long-polling/parked-user?timeout=2000`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  assert.equal(await status('/long-polling/parked-user?timeout=2000'), 429)
  const res = await parked
  assert.equal(res.statusCode, 200)
  assert.deepEqual(await res.body.json(), { messages: [] })
})

test('bad requests thrown at every endpoint cost a concurrent well-behaved pair nothing', async () => {
  const sse = findTransport('sse')!
  const running = measure(sse, server.origin, { pairs: 3, durationMs: 1500 })
  // Bounded: a fixed number of rounds while the pairs run.
  for (let round = 0; round < 10; round++) {
    await Promise.all(badRequests.map(([, send]) => send()))
  }
  const { result } = await running
  assert.equal(result.lost, 0, result.firstError ?? '')
  assert.equal(result.reordered, 0)
  assert.equal(result.duplicated, 0)
})
