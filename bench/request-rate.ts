/**
 * How many requests per second transport-bench's own HTTP client makes, against autocannon, in
 * the same run on the same server: both hammer GET /short-polling/<user>?after=0 (one 64-byte
 * message waiting, so every answer has a body) for `--seconds` (default 5) at 10 and 100
 * connections, closed loop. Ours goes through the short-polling receiver's code path
 * (openHttpClient, getJson: the body is read and JSON-parsed, and the wire counted); autocannon
 * reads each body but does not parse it. The server has its own core, the clients share the
 * other (when there are 2). Rounds alternate the two; the figures are medians of `--runs` (3).
 * Usage: npm run bench:request-rate [-- --seconds 5 --runs 3]
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { getJson, openHttpClient } from '../src/client/http-client.js'
import { Wire } from '../src/client/wire.js'
import { monotonicClock } from '../src/clock.js'
import { startEmbeddedServer } from '../src/host/embedded.js'
import { median } from '../src/metrics/repeats.js'
import { pinProcess } from '../src/pinning.js'
import type { PollReply } from '../src/protocol/schemas.js'
import type { AutocannonFigures } from './autocannon-child.js'
import { benchPlacement, numberFlag } from './flags.js'

const seconds = numberFlag('seconds', 5)
const runs = numberFlag('runs', 3)
const concurrencies = [10, 100] as const
const user = 'rate-probe'
const path = `/short-polling/${user}?after=0`
const autocannonChild = fileURLToPath(new URL('./autocannon-child.js', import.meta.url))
/** The 0.9× target: below it, the generator itself would be what limits a polling run. */
const targetRatio = 0.9

interface Rate {
  reqPerSec: number
  /** The client's CPU time per request: what it costs, whatever else shares the core. */
  cpuUsPerReq: number
  /** Non-2xx answers and socket errors: a rate with failures in it is not comparable. */
  failures: number
}

/** autocannon in a child process, on the generator's core; one JSON line on stdout. */
async function autocannon(origin: string, connections: number, cpu: number | undefined): Promise<Rate> {
  const args = [autocannonChild, `${origin}${path}`, String(connections), String(seconds)]
  const [command, argv] = cpu === undefined ? [process.execPath, args] : ['taskset', ['-c', String(cpu), process.execPath, ...args]]
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
  if (code !== 0) throw new Error(`autocannon exited with ${code}`)
  const figures = JSON.parse(out) as AutocannonFigures
  return { reqPerSec: figures.requests / figures.seconds, cpuUsPerReq: figures.cpuUs / figures.requests, failures: figures.failures }
}

/** Ours: `connections` keep-alive clients, each sending its next GET once the last answer is parsed. */
async function ours(origin: string, connections: number): Promise<Rate> {
  const wire = new Wire()
  const clients = Array.from({ length: connections }, () => openHttpClient(origin, wire))
  const started = monotonicClock.now()
  const cpuBefore = process.cpuUsage()
  const deadline = started + seconds * 1000
  let done = 0
  let failures = 0
  await Promise.all(
    clients.map(async (client) => {
      while (monotonicClock.now() < deadline) {
        try {
          const reply = await getJson<PollReply>(client, wire, path)
          if (reply.messages.length === 1) done++
          else failures++
        } catch {
          failures++
        }
      }
    }),
  )
  const elapsedS = (monotonicClock.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  await Promise.all(clients.map((c) => c.close()))
  return { reqPerSec: done / elapsedS, cpuUsPerReq: (cpu.user + cpu.system) / done, failures }
}

function printLine(connections: number, theirs: readonly Rate[], mine: readonly Rate[]): void {
  const a = median(theirs.map((r) => r.reqPerSec))
  const b = median(mine.map((r) => r.reqPerSec))
  const cpuA = median(theirs.map((r) => r.cpuUsPerReq))
  const cpuB = median(mine.map((r) => r.cpuUsPerReq))
  const failures = [...theirs, ...mine].reduce((sum, r) => sum + r.failures, 0)
  process.stdout.write(
    `c=${String(connections).padEnd(3)}  autocannon ${a.toFixed(0).padStart(6)} req/s (${cpuA.toFixed(0)} µs CPU/req)  ` +
      `transport-bench ${b.toFixed(0).padStart(6)} req/s (${cpuB.toFixed(0)} µs CPU/req)  ` +
      `ratio ${(b / a).toFixed(2)} (target ≥ ${targetRatio}: ${b / a >= targetRatio ? 'yes' : 'NO'})  failures ${failures}  ` +
      `[runs: ${theirs.map((r) => r.reqPerSec.toFixed(0)).join('/')} vs ${mine.map((r) => r.reqPerSec.toFixed(0)).join('/')}]\n`,
  )
}

async function leaveOneMessage(origin: string): Promise<void> {
  const res = await request(`${origin}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: user, data: 'x'.repeat(64) }),
  })
  await res.body.dump()
  if (res.statusCode !== 200) throw new Error(`POST /messages answered ${res.statusCode}`)
}

const where = benchPlacement()
const server = await startEmbeddedServer(where ? { cpu: where.serverCpu } : {})
try {
  if (where) await pinProcess(process.pid, where.generatorCpu)
  await leaveOneMessage(server.origin)
  process.stdout.write(
    `request rate: GET ${path}, ${seconds} s per run, medians of ${runs} alternating runs; ` +
      `${where ? `server on cpu ${where.serverCpu}, clients on cpu ${where.generatorCpu}` : 'unpinned'}\n`,
  )
  for (const connections of concurrencies) {
    const theirs: Rate[] = []
    const mine: Rate[] = []
    for (let run = 0; run < runs; run++) {
      theirs.push(await autocannon(server.origin, connections, where?.generatorCpu))
      mine.push(await ours(server.origin, connections))
    }
    printLine(connections, theirs, mine)
  }
} finally {
  await server.stop()
}
