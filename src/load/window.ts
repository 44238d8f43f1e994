import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { subtractCounts, type WireCounts } from '../client/wire.js'
import type { Window } from '../metrics/recorder.js'
import type { Instruments } from './instruments.js'
import type { LoadHooks } from './plan.js'
import type { SetupWatch } from './setup-failures.js'

/** Event-loop delay sampling period; the histogram records whole periods, so it is subtracted. */
const loopDelayResolutionMs = 5

/** What the generator did during the measured window. */
export interface Measured {
  send: WireCounts
  receive: WireCounts
  windowMs: number
  generatorCpuMs: number
  loopDelayP99Ms: number
  generatorRssEndBytes: number
  connectionsHeld: number
}

/** A window whose start edge has passed: the counters as they read then, and the loop-delay monitor running. */
export interface OpenWindow {
  window: Window
  start: Snapshot
  loopDelay: IntervalHistogram
}

interface Snapshot {
  atMs: number
  cpuUs: number
  send: WireCounts
  receive: WireCounts
  rssBytes: number
  openSockets: number
}

/**
 * The warm-up: the schedule runs unmeasured until the window's start edge, where the counters
 * are read and the runner told (it reads the server's stats there). If the server refused any
 * user meanwhile (`watch`), the window never opens: the run fails there instead.
 */
export function warmUp(instruments: Instruments, window: Window, hooks: LoadHooks, watch?: SetupWatch): Promise<OpenWindow> {
  const loopDelay = monitorEventLoopDelay({ resolution: loopDelayResolutionMs })
  return new Promise((resolve, reject) =>
    instruments.scheduler.at(window.startMs, () => {
      const refused = watch?.close()
      if (refused !== undefined) return reject(refused)
      loopDelay.enable()
      const start = snapshot(instruments)
      hooks.onWindowEdge?.('start')
      resolve({ window, start, loopDelay })
    }),
  )
}

/** The measured window, up to its end edge: what the generator's sockets, CPU and memory did in it. */
export async function measureWindow(instruments: Instruments, open: OpenWindow, hooks: LoadHooks): Promise<Measured> {
  const { start, loopDelay } = open
  const end = await new Promise<Snapshot>((resolve) =>
    instruments.scheduler.at(open.window.endMs, () => {
      const end = snapshot(instruments)
      loopDelay.disable()
      hooks.onWindowEdge?.('end')
      resolve(end)
    }),
  )
  return {
    send: subtractCounts(end.send, start.send),
    receive: subtractCounts(end.receive, start.receive),
    windowMs: end.atMs - start.atMs,
    generatorCpuMs: (end.cpuUs - start.cpuUs) / 1000,
    loopDelayP99Ms: loopDelay.count > 0 ? Math.max(0, loopDelay.percentile(99) / 1e6 - loopDelayResolutionMs) : 0,
    generatorRssEndBytes: end.rssBytes,
    connectionsHeld: end.openSockets,
  }
}

function snapshot({ clock, wires }: Instruments): Snapshot {
  const cpu = process.cpuUsage()
  return {
    atMs: clock.now(),
    cpuUs: cpu.user + cpu.system,
    send: wires.send.snapshot(),
    receive: wires.receive.snapshot(),
    rssBytes: process.memoryUsage.rss(),
    openSockets: wires.send.openSockets + wires.receive.openSockets,
  }
}
