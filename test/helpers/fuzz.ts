/**
 * Throws malformed input at every endpoint of a real server (in a process of its own) while
 * well-behaved pairs keep sending, and counts what went wrong: server crashes, 5xx answers
 * and messages the well-behaved pairs lost. Seeded and bounded in count and time, so a run is
 * repeatable and short. Used by test/integration/fuzz.test.ts and `npm run fuzz`.
 */
import fc from 'fast-check'
import { connect, type Socket } from 'node:net'
import WebSocket from 'ws'
import { startEmbeddedServer } from '../../src/host/embedded.js'
import { defaultLimits } from '../../src/server/limits.js'
import { findTransport } from '../../src/transports/registry.js'
import { measure } from './load.js'
import { isRunning } from './process.js'

export interface FuzzOptions {
  seed: number
  /** Most inputs to try. */
  numRuns: number
  /** Fuzzing stops after this long even if numRuns are not done; the pairs send meanwhile. */
  timeLimitMs: number
}

export interface FuzzOutcome {
  seed: number
  inputsTried: number
  crashes: number
  /** Answers with a 5xx status: malformed input must get a 4xx. */
  serverErrors: number
  /** Messages the well-behaved pairs lost, over all of them. */
  lost: number
  delivered: number
  /** The first input that crashed the server or drew a 5xx, for a bug report. */
  firstFailure: string | null
}

/** What one input does to the server, and what it answered. */
interface Exchange {
  describe: string
  run(port: number): Promise<{ status?: number }>
}

/** How long an input may wait for an answer; an unanswered input is dropped half-open. */
const answerWaitMs = 150

function settle(socket: Socket, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    const done = (): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(text)
    }
    const timer = setTimeout(done, waitMs)
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1')
      // The status line is all that is judged; an SSE stream would never end by itself.
      if (text.includes('\r\n')) done()
    })
    socket.on('error', done)
    socket.on('close', done)
  })
}

/** Writes `bytes` on a fresh connection; returns the status line's code, if one came. */
async function rawRequest(port: number, bytes: Uint8Array | string, vanish: boolean): Promise<{ status?: number }> {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  socket.write(bytes)
  if (vanish) {
    // A client that goes away mid-request, before any answer.
    socket.destroy()
    return {}
  }
  const text = await settle(socket, answerWaitMs)
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text)
  return match ? { status: Number(match[1]) } : {}
}

/** Opens a WebSocket, then writes raw bytes (garbage frames) or sends text (maybe never finished). */
async function webSocketFrames(
  port: number,
  frames: { raw: boolean; chunks: Uint8Array[]; finish: boolean },
): Promise<{ status?: number }> {
  let socket: Socket | undefined
  const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket/fuzz`, { createConnection: () => (socket = connect(port, '127.0.0.1')) })
  ws.on('error', () => {})
  const opened = await new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true))
    ws.once('close', () => resolve(false))
    ws.once('unexpected-response', () => resolve(false))
  })
  if (!opened) return {}
  frames.chunks.forEach((chunk, i) => {
    if (frames.raw) socket!.write(chunk)
    // Fragments of one message; without `finish` the last never comes.
    else ws.send(Buffer.from(chunk).toString('utf8'), { fin: frames.finish && i === frames.chunks.length - 1 })
  })
  await new Promise((resolve) => setTimeout(resolve, 20))
  ws.terminate()
  return {}
}

/** Mostly characters that survive URL and header parsing, so inputs get past the first check. */
const token = fc.oneof(fc.stringMatching(/^[\w.%?=&-]{0,24}$/), fc.string({ unit: 'grapheme-ascii', maxLength: 24 }))
const bytes = fc.uint8Array({ maxLength: 1024 })
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'G\x00T', '')
const path = fc
  .tuple(fc.constantFrom('/', '/messages', '/stats', '/short-polling/', '/long-polling/', '/sse/', '/websocket/', '/nowhere/'), token)
  .map(([p, s]) => p + s)
const headerName = fc.constantFrom(
  'Content-Type',
  'Content-Length',
  'Last-Event-ID',
  'Authorization',
  'Upgrade',
  'Connection',
  'Sec-WebSocket-Key',
  'Sec-WebSocket-Version',
  'Transfer-Encoding',
  'X-Fuzz',
)
const header = fc.tuple(headerName, token).map(([name, value]) => `${name}: ${value}\r\n`)

/** Every kind of malformed input, each an Exchange. */
const exchanges: fc.Arbitrary<Exchange> = fc.oneof(
  fc.tuple(bytes, fc.boolean()).map(([b, vanish]): Exchange => ({
    describe: `raw bytes ${Buffer.from(b).toString('hex').slice(0, 120)}${vanish ? ' (then vanish)' : ''}`,
    run: (port) => rawRequest(port, b, vanish),
  })),
  fc
    .tuple(method, path, fc.array(header, { maxLength: 6 }), fc.string({ maxLength: 64 }), fc.boolean())
    .map(([m, p, hs, body, vanish]): Exchange => {
      const text = `${m} ${p} HTTP/1.1\r\nHost: fuzz\r\n${hs.join('')}\r\n${body}`
      return { describe: `request ${JSON.stringify(text)}`, run: (port) => rawRequest(port, text, vanish) }
    }),
  fc
    .tuple(
      fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 64 })),
      fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1'),
    )
    .map(([body, type]): Exchange => {
      const length = Buffer.byteLength(body)
      const text = `POST /messages HTTP/1.1\r\nHost: fuzz\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\n\r\n${body}`
      return { describe: `POST /messages ${type} ${JSON.stringify(body).slice(0, 160)}`, run: (port) => rawRequest(port, text, false) }
    }),
  fc
    .record({ raw: fc.boolean(), chunks: fc.array(bytes, { minLength: 1, maxLength: 4 }), finish: fc.boolean() })
    .map((frames): Exchange => ({
      describe: `WebSocket ${frames.raw ? 'raw bytes' : 'text frames'} ${frames.chunks.map((c) => Buffer.from(c).toString('hex').slice(0, 40)).join(' | ')}${frames.finish ? '' : ' (unfinished)'}`,
      run: (port) => webSocketFrames(port, frames),
    })),
)

export async function fuzzServer(options: FuzzOptions): Promise<FuzzOutcome> {
  // A short headers timeout, so half-open inputs free their connection during the run.
  const server = await startEmbeddedServer({ limits: { ...defaultLimits, headersTimeoutMs: 1000 } })
  const port = Number(new URL(server.origin).port)
  const outcome: FuzzOutcome = {
    seed: options.seed,
    inputsTried: 0,
    crashes: 0,
    serverErrors: 0,
    lost: 0,
    delivered: 0,
    firstFailure: null,
  }
  try {
    const load = { pairs: 2, durationMs: options.timeLimitMs, warmupMs: 200 }
    const pairs = Promise.all([
      measure(findTransport('sse')!, server.origin, load),
      measure(findTransport('websocket')!, server.origin, { ...load, sendMode: 'socket' }),
    ])
    const property = fc.asyncProperty(exchanges, async (exchange) => {
      outcome.inputsTried++
      const { status } = await exchange.run(port)
      if (status !== undefined && status >= 500) outcome.serverErrors++
      if (!isRunning(server.pid)) outcome.crashes++
      if (outcome.firstFailure === null && outcome.crashes > 0) outcome.firstFailure = `server gone after (or during) ${exchange.describe}`
      if (outcome.firstFailure === null && status !== undefined && status >= 500)
        outcome.firstFailure = `${exchange.describe} answered ${status}`
      return outcome.crashes === 0
    })
    await fc.check(property, {
      seed: options.seed,
      numRuns: options.numRuns,
      interruptAfterTimeLimit: options.timeLimitMs,
      endOnFailure: true,
    })
    for (const { result } of await pairs) {
      outcome.lost += result.lost
      outcome.delivered += result.delivered
    }
  } finally {
    if (!isRunning(server.pid)) outcome.crashes = Math.max(outcome.crashes, 1)
    await server.stop()
  }
  return outcome
}
