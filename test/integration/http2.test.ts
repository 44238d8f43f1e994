import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect } from 'node:http2'
import { test } from 'node:test'
import WebSocket from 'ws'
import { parseCsv } from '../../src/report/csv.js'
import { generateLocalCertificate } from '../../src/tls/certificate.js'
import { transports } from '../../src/transports/registry.js'
import { cli } from '../helpers/cli.js'
import { measure } from '../helpers/load.js'
import { startTestServer } from '../helpers/server.js'

const certificate = await generateLocalCertificate()
const clear = await startTestServer(undefined, { http2: true })
const secure = await startTestServer(undefined, { http2: true, tls: certificate })
const short = { pairs: 3, durationMs: 1000, warmupMs: 150 }

/** The HTTP version a plain GET is answered with, asked over HTTP/2 (prior knowledge, or ALPN h2 over TLS). */
async function answeredOver(origin: string): Promise<string> {
  const session = connect(origin, { ca: certificate.cert })
  try {
    const stream = session.request({ ':path': '/stats' })
    const [headers] = (await once(stream, 'response')) as [Record<string, unknown>]
    stream.resume()
    await once(stream, 'end')
    return `${String(headers[':status'])} over ${session.alpnProtocol ?? 'h2c'}`
  } finally {
    session.close()
  }
}

test('--http2 serves HTTP/2: prior-knowledge h2c in clear, ALPN h2 over TLS', async () => {
  assert.equal(await answeredOver(clear.origin), '200 over h2c')
  assert.equal(await answeredOver(secure.origin), '200 over h2')
})

for (const t of transports.filter((t) => t.capabilities.http2 === 'supported')) {
  for (const [name, server, access] of [
    ['h2c', clear, { http2: true }],
    ['h2 over TLS', secure, { http2: true, ca: certificate.cert }],
  ] as const) {
    test(`${t.name} over ${name}: every message once and in order, one connection per user`, async () => {
      const { result } = await measure(t, server.origin, { ...short, access })
      assert.ok(result.delivered > 0)
      assert.equal(result.lost, 0, result.firstError ?? '')
      assert.equal(result.duplicated + result.reordered, 0)
      assert.equal(result.sendErrors + result.receiveErrors, 0, result.firstError ?? '')
      assert.equal(result.connections, 2 * short.pairs, 'one connection per sender and per receiver')
      assert.ok(result.bytesUpPerMsg > 0 && result.bytesDownPerMsg > 0)
    })
  }
}

test('over TLS the same port still upgrades WebSockets over HTTP/1.1 (ALPN http/1.1)', async () => {
  const ws = new WebSocket(`${secure.origin.replace('https', 'wss')}/websocket/h2-${process.pid}`, { ca: certificate.cert })
  await once(ws, 'open')
  ws.close()
})

test('run --http2 --tls: SSE and polling rows over HTTP/2, one connection per user; the WebSocket row over HTTP/1.1', async () => {
  const args = ['run', '--http2', '--tls', '--transports', 'long-polling,sse,websocket', '--pairs', '2', '--rate', '10']
  const outcome = await cli([...args, '--duration', '1s', '--warmup', '300ms', '--no-save', '--format', 'csv', '--quiet'])
  assert.equal(outcome.code, 0, outcome.stderr)
  const rows = parseCsv(outcome.stdout)
  assert.deepEqual(
    rows.map((r) => [r.transport, r.http_version, r.connections, r.lost]),
    [
      ['long-polling', '2', '4', '0'],
      ['sse', '2', '4', '0'],
      ['websocket', '1.1', '4', '0'],
    ],
  )
  const columns = Object.keys(rows[0]!)
  assert.ok(columns.indexOf('http_version') > columns.indexOf('setup_bytes'), 'http_version comes after the columns before it')
})
