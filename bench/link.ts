/**
 * What the user-space link costs on loopback, and whether it gives the RTT it is asked for.
 * A TCP echo server runs in a child process (pinned to the server's core when the machine has
 * two); this process is the client, pinned to the generator's core, and sends 16-byte pings:
 *   1. paced: 1,000 pings/s sent by the project's Scheduler, so this process busy-waits near
 *      each send as the load generator does; round trip direct, then through the link at
 *      rtt 0 run inline (in this process) and in a process of its own (on either core);
 *   2. back-to-back: each ping sent the moment the last answer arrives, direct, through a bare
 *      hand-written JS proxy (the floor of any user-space proxy) and through the link inline,
 *      with this process's CPU time per round trip (the proxy's cost, beside the client's);
 *   3. achieved RTT at --rtt 50ms and 100ms (100 pings/s): what the client saw and what the
 *      link measured itself (judgeLink), against the ask.
 * Each figure is the median of --runs runs (3), the placements alternating within each run.
 * Usage: npm run bench:link-cost [-- --seconds 3 --runs 3]
 */
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Scheduler } from '../src/client/scheduler.js'
import { monotonicClock } from '../src/clock.js'
import { judgeLink } from '../src/link/achieved.js'
import { startLink, type LinkOptions } from '../src/link/create.js'
import type { LinkAddress, LinkEmulator, LinkSpec } from '../src/link/types.js'
import { pinProcess } from '../src/pinning.js'
import { benchPlacement, numberFlag } from './flags.js'

const seconds = numberFlag('seconds', 3)
const runs = Math.round(numberFlag('runs', 3))
const frameBytes = 16
const echoEntry = fileURLToPath(new URL('./echo-child.js', import.meta.url))

interface Rtt {
  p50Ms: number
  p99Ms: number
}
interface Measured extends Rtt {
  cpuUsPerRoundTrip: number
  link?: { p50Ms: number; p99Ms: number; lateP50Ms: number; lateP99Ms: number; off: boolean }
}

const spec = (rttMs: number): LinkSpec => ({
  delayUpMs: rttMs / 2,
  delayDownMs: rttMs / 2,
  jitterMs: 0,
  bandwidthUpBitsPerSec: undefined,
  bandwidthDownBitsPerSec: undefined,
})

function percentiles(values: number[]): Rtt {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { p50Ms: at(0.5), p99Ms: at(0.99) }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!

/** Reads 16-byte echoes and reports each one's sequence number. */
function onFrames(socket: Socket, answered: (seq: number) => void): void {
  let pending: Buffer = Buffer.alloc(0)
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
    let at = 0
    for (; at + frameBytes <= pending.length; at += frameBytes) answered(pending.readUInt32LE(at))
    pending = pending.subarray(at)
  })
}

function frame(seq: number): Buffer {
  const buffer = Buffer.alloc(frameBytes)
  buffer.writeUInt32LE(seq, 0)
  return buffer
}

async function dial(address: LinkAddress): Promise<Socket> {
  const socket = connect({ ...address, noDelay: true })
  await once(socket, 'connect')
  return socket
}

/** Pings at a fixed rate, each sent by the Scheduler at its time; round trips from the actual send. */
async function paced(socket: Socket, ratePerSec: number): Promise<number[]> {
  const count = Math.round(seconds * ratePerSec)
  const sentAt = new Float64Array(count)
  const rtts: number[] = []
  const scheduler = new Scheduler()
  const done = new Promise<void>((resolve) =>
    onFrames(socket, (seq) => {
      rtts.push(monotonicClock.now() - sentAt[seq]!)
      if (rtts.length === count) resolve()
    }),
  )
  const t0 = monotonicClock.now() + 50
  for (let k = 0; k < count; k++) {
    scheduler.at(t0 + (k * 1000) / ratePerSec, () => {
      sentAt[k] = monotonicClock.now()
      socket.write(frame(k))
    })
  }
  await done
  scheduler.stop()
  socket.removeAllListeners('data')
  return rtts
}

/** One ping at a time, the next sent the moment the last answer arrives. */
async function backToBack(socket: Socket, count: number): Promise<{ rtts: number[]; cpuUs: number }> {
  const rtts: number[] = []
  let sentAt = 0
  const cpu = process.cpuUsage()
  await new Promise<void>((resolve) => {
    onFrames(socket, (seq) => {
      rtts.push(monotonicClock.now() - sentAt)
      if (seq + 1 === count) return resolve()
      sentAt = monotonicClock.now()
      socket.write(frame(seq + 1))
    })
    sentAt = monotonicClock.now()
    socket.write(frame(0))
  })
  const used = process.cpuUsage(cpu)
  socket.removeAllListeners('data')
  return { rtts, cpuUs: used.user + used.system }
}

type Mode = { kind: 'paced'; ratePerSec: number } | { kind: 'back-to-back'; count: number }

/**
 * The least any user-space proxy costs: a hand-written pass-through with nothing but a read
 * and a write per chunk each way, to set the link's own figures against.
 */
async function startBareProxy(target: LinkAddress): Promise<{ address: LinkAddress; close: () => void }> {
  const sockets = new Set<Socket>()
  const keep = (socket: Socket): Socket => {
    sockets.add(socket.on('error', () => {}).on('close', () => sockets.delete(socket)))
    return socket
  }
  const server = createServer({ noDelay: true }, (client) => {
    const upstream = keep(connect({ ...target, noDelay: true }))
    keep(client)
    client.on('data', (chunk: Buffer) => upstream.write(chunk))
    upstream.on('data', (chunk: Buffer) => client.write(chunk))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const close = (): void => {
    server.close()
    for (const socket of sockets) socket.destroy()
  }
  return { address: { host: '127.0.0.1', port: (server.address() as AddressInfo).port }, close }
}

/** One measurement of a row: direct, through a fresh link, or through the bare proxy, after a short warm-up. */
async function measure(echo: LinkAddress, row: Row): Promise<Measured> {
  const { mode, rttMs } = row
  const link: LinkEmulator | undefined = rttMs === undefined ? undefined : await startLink(spec(rttMs), row.options ?? {})
  const bare = row.bare === true ? await startBareProxy(echo) : undefined
  try {
    const socket = await dial(link ? await link.open(echo) : (bare?.address ?? echo))
    await backToBack(socket, 200)
    await link?.takeMeasurements()
    let rtts: number[]
    let cpuUs = Number.NaN
    if (mode.kind === 'paced') rtts = await paced(socket, mode.ratePerSec)
    else ({ rtts, cpuUs } = await backToBack(socket, mode.count))
    const verdict = link ? judgeLink(link.spec, await link.takeMeasurements()) : undefined
    socket.destroy()
    return {
      ...percentiles(rtts),
      cpuUsPerRoundTrip: cpuUs / rtts.length,
      ...(verdict
        ? {
            link: {
              p50Ms: verdict.rttP50Ms,
              p99Ms: verdict.rttP99Ms,
              lateP50Ms: verdict.lateP50Ms,
              lateP99Ms: verdict.lateP99Ms,
              off: verdict.off,
            },
          }
        : {}),
    }
  } finally {
    await link?.close()
    bare?.close()
  }
}

interface Row {
  name: string
  /** Through startBareProxy instead of a link. */
  bare?: true
  mode: Mode
  rttMs?: number
  options?: LinkOptions
}

const ms = (x: number): string => x.toFixed(3).padStart(8)

function print(name: string, figures: Measured[], baseline?: Measured[]): void {
  const m = (f: (x: Measured) => number): number => median(figures.map(f))
  let line = `  ${name.padEnd(44)} p50 ${ms(m((x) => x.p50Ms))} ms  p99 ${ms(m((x) => x.p99Ms))} ms`
  if (baseline) line += `  added p50 ${ms(m((x) => x.p50Ms) - median(baseline.map((x) => x.p50Ms)))} ms`
  if (Number.isFinite(figures[0]!.cpuUsPerRoundTrip))
    line += `  this process's CPU ${m((x) => x.cpuUsPerRoundTrip).toFixed(1)} µs/round trip`
  if (figures[0]!.link) {
    const off = figures.filter((x) => x.link?.off).length
    const us = (f: (x: NonNullable<Measured['link']>) => number): string => (m((x) => f(x.link!)) * 1000).toFixed(0)
    line += `  link's own: p50 ${ms(m((x) => x.link!.p50Ms))} ms  p99 ${ms(m((x) => x.link!.p99Ms))} ms`
    line += `, late p50 ${us((l) => l.lateP50Ms)} µs  p99 ${us((l) => l.lateP99Ms)} µs; off in ${off}/${figures.length} runs`
  }
  console.log(line)
}

async function main(): Promise<void> {
  const where = benchPlacement()
  const echoChild = fork(echoEntry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  try {
    const [{ port }] = (await once(echoChild, 'message')) as [{ port: number }]
    const echo = { host: '127.0.0.1', port }
    if (where && echoChild.pid !== undefined) {
      await pinProcess(echoChild.pid, where.serverCpu)
      await pinProcess(process.pid, where.generatorCpu)
    }
    const paced1k: Mode = { kind: 'paced', ratePerSec: 1000 }
    const paced100: Mode = { kind: 'paced', ratePerSec: 100 }
    const b2b: Mode = { kind: 'back-to-back', count: Math.round(seconds * 5000) }
    const processOn = (cpu: number | undefined): LinkOptions => ({ placement: 'process', ...(cpu === undefined ? {} : { cpu }) })
    const linkProcesses: [string, LinkOptions][] = where
      ? [
          [`process on cpu ${where.generatorCpu} (client's)`, processOn(where.generatorCpu)],
          [`process on cpu ${where.serverCpu} (server's)`, processOn(where.serverCpu)],
        ]
      : [['process', processOn(undefined)]]
    const groups: [string, Row[]][] = [
      [
        `paced: 1,000 pings/s for ${seconds} s, sent by the Scheduler (this process busy-waits near each send, as the generator does)`,
        [
          { name: 'direct', mode: paced1k },
          { name: 'link rtt 0, inline', mode: paced1k, rttMs: 0, options: { placement: 'inline' } },
          ...linkProcesses.map(([name, options]): Row => ({ name: `link rtt 0, ${name}`, mode: paced1k, rttMs: 0, options })),
        ],
      ],
      [
        `back-to-back: ${b2b.count.toLocaleString('en-US')} round trips, each ping sent when the last answer arrives`,
        [
          { name: 'direct', mode: b2b },
          { name: 'bare JS proxy, in process (the floor)', mode: b2b, bare: true },
          { name: 'link rtt 0, inline', mode: b2b, rttMs: 0, options: { placement: 'inline' } },
        ],
      ],
      [
        `achieved RTT: 100 pings/s for ${seconds} s; the link's own figure is its added delay up + down (judgeLink)`,
        [50, 100].flatMap((rttMs) => [
          { name: `link rtt ${rttMs}ms, inline`, mode: paced100, rttMs, options: { placement: 'inline' } } satisfies Row,
          ...linkProcesses.map(([name, options]): Row => ({ name: `link rtt ${rttMs}ms, ${name}`, mode: paced100, rttMs, options })),
        ]),
      ],
    ]
    console.log(
      `link cost on loopback: 16-byte pings to a TCP echo server; ${where ? `echo on cpu ${where.serverCpu}, client on cpu ${where.generatorCpu}` : 'not pinned'}; medians of ${runs} runs`,
    )
    for (const [title, rows] of groups) {
      const figures = rows.map((): Measured[] => [])
      for (let run = 0; run < runs; run++) {
        for (const [i, row] of rows.entries()) figures[i]!.push(await measure(echo, row))
      }
      console.log(title)
      rows.forEach((row, i) => print(row.name, figures[i]!, row.rttMs === 0 || row.bare ? figures[0] : undefined))
    }
  } finally {
    echoChild.kill('SIGTERM')
  }
}

await main()
