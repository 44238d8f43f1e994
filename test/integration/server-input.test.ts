import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import WebSocket from 'ws'
import { defaultLimits } from '../../src/server/limits.js'
import { transports } from '../../src/transports/registry.js'
import { rawConnect } from '../helpers/raw.js'
import { startTestServer } from '../helpers/server.js'

const limits = { ...defaultLimits, bodyLimitBytes: 4096, wsMaxPayloadBytes: 4096, headersTimeoutMs: 300, bodyTimeoutMs: 600 }
const server = await startTestServer({ ...limits, headersCheckIntervalMs: 100 })

/** The status a receive route answers a plain GET with (validation comes before any upgrade). */
async function receiveStatus(name: string, query: string): Promise<number> {
  const res = await request(`${server.origin}/${name}/cursor-user?${query}`)
  await res.body.dump()
  return res.statusCode
}

/** The status a WebSocket upgrade is refused with. */
async function upgradeStatus(query: string): Promise<number> {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/cursor-user?${query}`)
  ws.on('error', () => {})
  const [, answer] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number; destroy: () => void }]
  answer.destroy()
  return answer.statusCode
}

const badCursors = ['Infinity', '0x10', '1e3', '+3', '-1', '', ' 1', '1.0', '9007199254740992', '99999999999999999', 'NaN']

for (const { name } of transports) {
  test(`${name}: a cursor that is not plain digits up to 2^53-1 is answered 400`, async () => {
    for (const cursor of badCursors) {
      assert.equal(await receiveStatus(name, `after=${encodeURIComponent(cursor)}`), 400, `after=${cursor}`)
    }
  })
}

test('a WebSocket upgrade with a cursor that is not plain digits is refused 400 before upgrading', async () => {
  for (const cursor of badCursors) assert.equal(await upgradeStatus(`after=${encodeURIComponent(cursor)}`), 400, `after=${cursor}`)
})

test('after=Infinity leaves the mailbox as it was', async () => {
  await request(`${server.origin}/messages`, {
    method: 'POST',
    body: '{"to":"infinity-user","data":"kept"}',
    headers: { 'content-type': 'application/json' },
  })
  const refused = await request(`${server.origin}/short-polling/infinity-user?after=Infinity`)
  await refused.body.dump()
  assert.equal(refused.statusCode, 400)
  const res = await request(`${server.origin}/short-polling/infinity-user?after=0`)
  assert.deepEqual(await res.body.json(), { messages: [{ id: 1, data: 'kept' }] })
})

test('the largest cursor, 2^53-1, is taken', async () => {
  const res = await request(`${server.origin}/short-polling/cursor-user?after=9007199254740991`)
  assert.equal(res.statusCode, 200)
  await res.body.dump()
})

test('a body trickled byte by byte is answered 408 after the body timeout', async () => {
  const socket = await rawConnect(server.port)
  const received: Buffer[] = []
  socket.on('data', (chunk: Buffer) => received.push(chunk))
  socket.on('error', () => {})
  socket.write('POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{')
  const started = Date.now()
  // Bounded: a byte every 50 ms for at most 3 s, far past the 600 ms body timeout.
  const trickle = setInterval(() => socket.write(' '), 50)
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 3000))])
  clearInterval(trickle)
  socket.destroy()
  const text = Buffer.concat(received).toString('latin1')
  assert.match(text, /^HTTP\/1\.1 408/)
  assert.ok(Date.now() - started < 2000, `answered after ${Date.now() - started} ms`)
})

test('a body over the limit is answered 413, and the client reads it every time', async () => {
  const body = Buffer.alloc(256 * 1024, 'x')
  for (let trial = 0; trial < 10; trial++) {
    const socket = await rawConnect(server.port)
    const received: Buffer[] = []
    socket.on('data', (chunk: Buffer) => received.push(chunk))
    socket.on('error', () => {})
    socket.write(`POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`)
    socket.write(body)
    await Promise.race([once(socket, 'data'), once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 2000))])
    await new Promise((resolve) => setTimeout(resolve, 20))
    socket.destroy()
    assert.match(Buffer.concat(received).toString('latin1'), /^HTTP\/1\.1 413/, `trial ${trial}`)
  }
})

test('a WebSocket frame over the limit is closed 1009, and the client reads the code every time', async () => {
  for (let trial = 0; trial < 10; trial++) {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/big-frames`)
    ws.on('error', () => {})
    await once(ws, 'open')
    const closed = once(ws, 'close')
    ws.send('x'.repeat(64 * 1024))
    ws.send('x'.repeat(64 * 1024))
    const [code] = (await closed) as [number]
    assert.equal(code, 1009, `trial ${trial}`)
  }
})

const bin = fileURLToPath(new URL('../../../bin/transport-bench.js', import.meta.url))

test('serve ends its SSE streams and parked polls and closes WebSockets with 1001 on SIGTERM, within a second', async () => {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] })
  try {
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    // Bounded by the test's own timeout: the server prints its origin once it listens.
    while (!/on (http:\/\/\S+):/.test(stderr)) await once(child.stderr, 'data')
    const origin = /on (http:\/\/\S+):/.exec(stderr)![1]!
    const sse = await request(`${origin}/sse/stopping`)
    const sseEnded = sse.body.dump().then(() => 'ended')
    const poll = request(`${origin}/long-polling/stopping?timeout=60000`)
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/websocket/stopping`)
    await once(ws, 'open')
    const wsClosed = once(ws, 'close')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const exited = once(child, 'exit')
    const started = Date.now()
    child.kill('SIGTERM')
    const [code] = (await wsClosed) as [number]
    assert.equal(code, 1001)
    assert.equal(await sseEnded, 'ended')
    const answer = await poll
    assert.equal(answer.statusCode, 200)
    assert.deepEqual(await answer.body.json(), { messages: [] })
    await exited
    // The server cuts whatever is left at 0.9 s; the margin is for a loaded machine's scheduling.
    assert.ok(Date.now() - started < 1500, `exited after ${Date.now() - started} ms`)
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
})
