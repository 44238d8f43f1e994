import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { parseCsv } from '../../src/report/csv.js'
import { defaultLimits } from '../../src/server/limits.js'
import { generateLocalCertificate } from '../../src/tls/certificate.js'
import { transports } from '../../src/transports/registry.js'
import { assertOneLineError, cli } from '../helpers/cli.js'
import { measure } from '../helpers/load.js'
import { rawExchange } from '../helpers/raw.js'
import { startTestServer } from '../helpers/server.js'

const certificate = await generateLocalCertificate()
const plain = await startTestServer()
const secure = await startTestServer(undefined, { tls: certificate })
const access = { ca: certificate.cert }
const short = { pairs: 3, durationMs: 1000, warmupMs: 150 }

const dir = await mkdtemp(join(tmpdir(), 'transport-bench-tls-'))
after(() => rm(dir, { recursive: true, force: true }))
const certFile = join(dir, 'server.pem')
await writeFile(certFile, certificate.cert)

test('the generated certificate names localhost, 127.0.0.1 and ::1', () => {
  const names = new X509Certificate(certificate.cert).subjectAltName ?? ''
  assert.match(names, /DNS:localhost/)
  assert.match(names, /IP Address:127\.0\.0\.1/)
  assert.match(names, /IP Address:0:0:0:0:0:0:0:1|IP Address:::1/i)
})

for (const transport of transports) {
  test(`${transport.name} delivers every message over TLS, and its bytes per message include the TLS records`, async () => {
    assert.match(secure.origin, /^https:\/\/127\.0\.0\.1:\d+$/)
    const overTls = await measure(transport, secure.origin, { ...short, access })
    assert.ok(overTls.result.delivered > 0)
    assert.equal(overTls.result.lost, 0, overTls.result.firstError ?? '')
    assert.equal(overTls.result.duplicated, 0)
    assert.equal(overTls.result.reordered, 0)
    const inClear = await measure(transport, plain.origin, short)
    assert.equal(inClear.result.lost, 0, inClear.result.firstError ?? '')
    // A TLS 1.3 record adds 22 bytes (5 of header, 1 of inner content type, 16 of AEAD tag);
    // plaintext counters would add none. Each message's POST is a record of its own, and polls
    // only add more. On the way down, SSE and WebSocket write each message as a record of its
    // own; a poll's answer may carry several, or none, so per message it varies run to run.
    // Requests cut by the window's edges move a short run's figures by a few bytes either way,
    // so half a record is the bar: counting plaintext would add nothing at all.
    const extraUp = overTls.result.bytesUpPerMsg - inClear.result.bytesUpPerMsg
    assert.ok(extraUp >= 11, `up: ${overTls.result.bytesUpPerMsg} B/msg over TLS vs ${inClear.result.bytesUpPerMsg} in clear`)
    if (transport.name === 'sse' || transport.name === 'websocket') {
      const extraDown = overTls.result.bytesDownPerMsg - inClear.result.bytesDownPerMsg
      assert.ok(extraDown >= 11, `down: ${overTls.result.bytesDownPerMsg} B/msg over TLS vs ${inClear.result.bytesDownPerMsg} in clear`)
    }
  })
}

test('the WebSocket sender delivers over wss:// on its own socket', async () => {
  const websocket = transports.find((t) => t.name === 'websocket')!
  const { result } = await measure(websocket, secure.origin, { ...short, access, sendMode: 'socket' })
  assert.ok(result.delivered > 0)
  assert.equal(result.lost, 0, result.firstError ?? '')
})

test('a run against an https target whose certificate it was not given exits 2 naming the certificate problem', async () => {
  const outcome = await cli(['run', '--target', secure.origin, '--transports', 'sse', '--no-save'])
  assertOneLineError(
    outcome,
    /--target https:\/\/127\.0\.0\.1:\d+: the server's TLS certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT.*--ca/,
  )
})

test('a run against an https target with --ca trusts it and marks its rows as TLS', async () => {
  const outcome = await cli([
    'run',
    '--target',
    secure.origin,
    '--ca',
    certFile,
    '--transports',
    'sse',
    '--pairs',
    '1',
    '--duration',
    '300ms',
    '--warmup',
    '0ms',
    '--no-save',
    '--format',
    'csv',
    '--quiet',
  ])
  assert.equal(outcome.code, 0, outcome.stderr)
  const [row] = parseCsv(outcome.stdout)
  assert.equal(row?.tls, 'true')
  assert.equal(row?.lost, '0')
})

test('a run with its own --cert and --key serves that certificate and trusts it', async () => {
  const own = await generateLocalCertificate()
  const ownCert = join(dir, 'own.pem')
  const ownKey = join(dir, 'own-key.pem')
  await writeFile(ownCert, own.cert)
  await writeFile(ownKey, own.key)
  const outcome = await cli([
    'run',
    '--cert',
    ownCert,
    '--key',
    ownKey,
    '--transports',
    'websocket',
    '--pairs',
    '1',
    '--duration',
    '300ms',
    '--warmup',
    '0ms',
    '--no-save',
    '--format',
    'csv',
    '--quiet',
  ])
  assert.equal(outcome.code, 0, outcome.stderr)
  const [row] = parseCsv(outcome.stdout)
  assert.equal(row?.tls, 'true')
  assert.equal(row?.lost, '0')
})

test('a key that belongs to another certificate exits 2 naming both files', async () => {
  const other = await generateLocalCertificate()
  const otherKey = join(dir, 'other-key.pem')
  await writeFile(otherKey, other.key)
  assertOneLineError(
    await cli(['run', '--cert', certFile, '--key', otherKey, '--no-save']),
    /--key .*other-key\.pem: it is not the key of the certificate in --cert .*server\.pem/,
  )
})

test('a TLS client that connects and never says hello is dropped after the headers timeout', async () => {
  const strict = await startTestServer({ ...defaultLimits, headersTimeoutMs: 300, headersCheckIntervalMs: 100 }, { tls: certificate })
  const outcome = await rawExchange(strict.port, '', 3000)
  assert.equal(outcome.closed, true)
  assert.ok(outcome.elapsedMs < 1500, `closed after ${outcome.elapsedMs} ms`)
})

const badFiles: [string, string[], RegExp][] = [
  [
    'a --cert that does not exist',
    ['--cert', join(dir, 'missing.pem'), '--key', certFile],
    /--cert .*missing\.pem: cannot read it \(ENOENT\)/,
  ],
  [
    'a --cert that is not PEM',
    ['--cert', join(dir, 'server-key.pem'), '--key', join(dir, 'server-key.pem')],
    /--cert .*: not a PEM certificate/,
  ],
  ['a --key that is not a key', ['--cert', certFile, '--key', certFile], /--key .*: not a PEM private key/],
  ['a --cert without --key', ['--cert', certFile], /--cert needs --key/],
  ['a --ca without --target', ['--ca', certFile], /--ca .*: only for --target/],
]
await writeFile(join(dir, 'server-key.pem'), 'not a key\n')

for (const [what, args, mentions] of badFiles) {
  test(`run with ${what} exits 2 with one line naming the file`, async () => {
    assertOneLineError(await cli(['run', '--transports', 'sse', '--no-save', ...args]), mentions)
  })
}
