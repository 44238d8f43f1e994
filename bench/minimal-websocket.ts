import { once } from 'node:events'
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'

export interface MinimalFigures {
  delivered: number
  p50Ms: number
  p99Ms: number
}

/**
 * The least code that measures WebSocket delivery against the same server: userA sends
 * `{"to","data"}` frames on its own socket, userB's socket gets the data, latency runs from the
 * scheduled send. No histogram library, no counting, no abstraction: a yardstick for the
 * overhead transport-bench's own generator adds.
 */
export async function measureMinimalWebsocket(
  origin: string,
  pairs: number,
  ratePerSec: number,
  durationMs: number,
  warmupMs: number,
): Promise<MinimalFigures> {
  const url = origin.replace(/^http/, 'ws')
  const latencies: number[] = []
  const open = async (user: string): Promise<WebSocket> => {
    const ws = new WebSocket(`${url}/websocket/${user}`, { perMessageDeflate: false })
    await once(ws, 'open')
    return ws
  }
  const receivers = await Promise.all(Array.from({ length: pairs }, (_, i) => open(`min-${i}-b`)))
  const senders = await Promise.all(Array.from({ length: pairs }, (_, i) => open(`min-${i}-a`)))
  const t0 = performance.now() + 100
  const measureFrom = t0 + warmupMs
  for (const ws of receivers) {
    ws.on('message', (data: Buffer) => {
      const at = performance.now()
      const due = Number(data.toString().split('|', 1)[0])
      if (due >= measureFrom) latencies.push(at - due)
    })
  }
  await sendOnSchedule(senders, pairs, ratePerSec, t0, t0 + warmupMs + durationMs)
  await new Promise((resolve) => setTimeout(resolve, 500))
  await Promise.all(
    [...senders, ...receivers].map((ws) => {
      ws.close()
      return once(ws, 'close')
    }),
  )
  latencies.sort((a, b) => a - b)
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN
  return { delivered: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99) }
}

/** Sends message k of pair k mod n when it is due, yielding to the event loop between checks. */
function sendOnSchedule(senders: WebSocket[], pairs: number, ratePerSec: number, t0: number, endMs: number): Promise<void> {
  const intervalMs = 1000 / ratePerSec
  const padding = 'x'.repeat(48)
  let k = 0
  return new Promise((resolve) => {
    const loop = (): void => {
      const now = performance.now()
      for (;;) {
        const pair = k % pairs
        const due = t0 + (pair * intervalMs) / pairs + Math.floor(k / pairs) * intervalMs
        if (due >= endMs) return resolve()
        if (due > now) break
        senders[pair]!.send(JSON.stringify({ to: `min-${pair}-b`, data: `${due}|${padding}` }))
        k++
      }
      setImmediate(loop)
    }
    setImmediate(loop)
  })
}
