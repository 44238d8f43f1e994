import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import { request } from 'undici'
import WebSocket from 'ws'
import { findTransport } from '../../src/transports/registry.js'
import { assertOneLineError, cli } from '../helpers/cli.js'
import { measure } from '../helpers/load.js'
import { startTestServer } from '../helpers/server.js'

const token = 'test-token-0123456789abcdef'
const server = await startTestServer(undefined, { token })

async function status(path: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'GET'): Promise<number> {
  const body = method === 'POST' ? JSON.stringify({ to: 'someone', data: 'x' }) : null
  const res = await request(`${server.origin}${path}`, { method, body, headers: { ...headers, 'content-type': 'application/json' } })
  await res.body.dump()
  return res.statusCode
}

async function upgradeStatus(headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/someone`, { headers })
  ws.on('error', () => {})
  const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number; destroy: () => void }]
  res.destroy()
  return res.statusCode
}

const refused: [string, Record<string, string>][] = [
  ['no token', {}],
  ['a wrong token', { authorization: 'Bearer not-the-token-at-all-0000' }],
  ['the token without the Bearer scheme', { authorization: token }],
]

for (const [what, headers] of refused) {
  test(`with ${what}, every route and the WebSocket upgrade are answered 401`, async () => {
    assert.equal(await status('/stats', headers), 401)
    assert.equal(await status('/messages', headers, 'POST'), 401)
    assert.equal(await status('/short-polling/someone', headers), 401)
    assert.equal(await status('/long-polling/someone?timeout=10', headers), 401)
    assert.equal(await status('/sse/someone', headers), 401)
    assert.equal(await upgradeStatus(headers), 401)
  })
}

test('with the token, /stats answers 200', async () => {
  assert.equal(await status('/stats', { authorization: `Bearer ${token}` }), 200)
})

for (const [name, sendMode] of [
  ['sse', 'post'],
  ['websocket', 'socket'],
] as const) {
  test(`the generator sends the token: ${name} (userA ${sendMode === 'post' ? 'POSTs' : 'sends on its socket'}) loses nothing`, async () => {
    const { result } = await measure(findTransport(name)!, server.origin, {
      pairs: 2,
      durationMs: 500,
      warmupMs: 100,
      sendMode,
      access: { token },
    })
    assert.ok(result.delivered > 0)
    assert.equal(result.lost, 0, result.firstError ?? '')
    assert.equal(result.sendErrors + result.receiveErrors, 0, result.firstError ?? '')
  })
}

test('a run against a server that wants a token, given none, exits 2 naming --token', async () => {
  assertOneLineError(await cli(['run', '--target', server.origin, '--transports', 'sse', '--no-save']), /401 Unauthorized.*--token/)
})

test('serve beyond loopback without --token exits 2 before binding anything', async () => {
  assertOneLineError(await cli(['serve', '--host', '0.0.0.0', '--port', '0']), /--host 0\.0\.0\.0: .*needs --token/)
})

test('a token too short to be safe exits 2 naming --token', async () => {
  assertOneLineError(await cli(['serve', '--port', '0', '--token', 'short']), /--token.*at least 16 characters/)
})
