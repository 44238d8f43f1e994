import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import { request } from 'undici'
import WebSocket from 'ws'
import { assertOneLineError, cli } from '../helpers/cli.js'
import { startTestServer } from '../helpers/server.js'

const token = 'origin-token-0123456789abcdef'
const app = 'http://app.example:3000'
const foreign = 'https://evil.example'
const server = await startTestServer(undefined, { token, cors: [app] })
const bearer = { authorization: `Bearer ${token}` }
const wsOrigin = server.origin.replace('http', 'ws')

/** An upgrade's outcome: 101 (opened, then closed) or the status of the refusal. */
async function upgrade(path: string, headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(`${wsOrigin}${path}`, { headers })
  ws.on('error', () => {})
  const outcome = await Promise.race([
    once(ws, 'open').then(() => 101),
    once(ws, 'unexpected-response').then(([, res]) => {
      ;(res as { destroy(): void }).destroy()
      return (res as { statusCode: number }).statusCode
    }),
  ])
  ws.terminate()
  return outcome
}

test('a cross-origin preflight from an allowed origin is answered 204 with what it may send', async () => {
  const res = await request(`${server.origin}/messages`, {
    method: 'OPTIONS',
    headers: { origin: app, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  })
  await res.body.dump()
  assert.equal(res.statusCode, 204)
  assert.equal(res.headers['access-control-allow-origin'], app)
  assert.match(String(res.headers['access-control-allow-methods']), /POST/)
  assert.match(String(res.headers['access-control-allow-headers']), /authorization/)
  assert.match(String(res.headers['access-control-allow-headers']), /content-type/)
  assert.equal(res.headers.vary, 'Origin')
})

test('a preflight or a request from an origin not allowed is answered 403, and nothing is published', async () => {
  const preflight = await request(`${server.origin}/messages`, {
    method: 'OPTIONS',
    headers: { origin: foreign, 'access-control-request-method': 'POST' },
  })
  await preflight.body.dump()
  assert.equal(preflight.statusCode, 403)
  assert.equal(preflight.headers['access-control-allow-origin'], undefined)
  const user = `origins-${process.pid}-victim`
  const post = await request(`${server.origin}/messages`, {
    method: 'POST',
    headers: { ...bearer, origin: foreign, 'content-type': 'text/plain' },
    body: JSON.stringify({ to: user, data: 'forged' }),
  })
  assert.equal(post.statusCode, 403)
  assert.match(await post.body.text(), /--cors/)
  const poll = await request(`${server.origin}/short-polling/${user}`, { headers: bearer })
  assert.deepEqual(await poll.body.json(), { messages: [] })
})

test('an allowed origin gets Access-Control-Allow-Origin on every route, the event stream and a 401 included', async () => {
  const stats = await request(`${server.origin}/stats`, { headers: { ...bearer, origin: app } })
  await stats.body.dump()
  assert.equal(stats.statusCode, 200)
  assert.equal(stats.headers['access-control-allow-origin'], app)
  const denied = await request(`${server.origin}/stats`, { headers: { origin: app } })
  await denied.body.dump()
  assert.equal(denied.statusCode, 401)
  assert.equal(denied.headers['access-control-allow-origin'], app)
  const controller = new AbortController()
  const stream = await request(`${server.origin}/sse/origins-${process.pid}-s`, {
    headers: { ...bearer, origin: app },
    signal: controller.signal,
  })
  assert.equal(stream.statusCode, 200)
  assert.equal(stream.headers['access-control-allow-origin'], app)
  controller.abort()
  await stream.body.dump().catch(() => {})
})

test('WebSocket upgrades: refused 403 from a foreign origin; accepted from an allowed one, the own origin, and without Origin', async () => {
  const path = `/websocket/origins-${process.pid}-w`
  assert.equal(await upgrade(path, { ...bearer, origin: foreign }), 403)
  assert.equal(await upgrade(path, { ...bearer, origin: 'null' }), 403)
  assert.equal(await upgrade(path, { ...bearer, origin: app }), 101)
  assert.equal(await upgrade(path, { ...bearer, origin: server.origin }), 101)
  assert.equal(await upgrade(path, bearer), 101)
})

test('the browser path for the token: ?access_token= opens the event stream and the WebSocket; a wrong one is 401', async () => {
  const user = `origins-${process.pid}-q`
  const query = `access_token=${encodeURIComponent(token)}`
  assert.equal(await upgrade(`/websocket/${user}?${query}`, { origin: app }), 101)
  assert.equal(await upgrade(`/websocket/${user}?after=0&access_token=wrong-token-000000000000`, { origin: app }), 401)
  const sent = await request(`${server.origin}/messages`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ to: user, data: 'via the query' }),
  })
  await sent.body.dump()
  const controller = new AbortController()
  const stream = await request(`${server.origin}/sse/${user}?after=0&${query}`, { headers: { origin: app }, signal: controller.signal })
  assert.equal(stream.statusCode, 200)
  // The stream opens with `retry:`; the event follows, in the same chunk or a later one.
  let seen = ''
  for await (const chunk of stream.body) {
    seen += String(chunk)
    if (seen.includes('data: ') || seen.length > 4096) break
  }
  assert.match(seen, /data: via the query/)
  controller.abort()
  await stream.body.dump().catch(() => {})
  const poll = await request(`${server.origin}/long-polling/${user}?${query}&timeout=10`)
  assert.equal(poll.statusCode, 200, await poll.body.text())
})

test("serve --cors takes only '*' or a bare origin", async () => {
  assertOneLineError(await cli(['serve', '--cors', 'http://app.example/path']), /--cors.*expected \* or an origin/)
})

test("--cors '*' lets any origin in, answered with Access-Control-Allow-Origin: *", async () => {
  const lab = await startTestServer(undefined, { cors: ['*'] })
  const res = await request(`${lab.origin}/messages`, {
    method: 'OPTIONS',
    headers: { origin: foreign, 'access-control-request-method': 'POST' },
  })
  await res.body.dump()
  assert.equal(res.statusCode, 204)
  assert.equal(res.headers['access-control-allow-origin'], '*')
  const ws = new WebSocket(`${lab.origin.replace('http', 'ws')}/websocket/origins-${process.pid}-lab`, { origin: foreign })
  await once(ws, 'open')
  ws.terminate()
})
