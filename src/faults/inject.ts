import { monotonicClock } from '../clock.js'
import { ExitCode, messageOf, UserError } from '../errors.js'
import type { LoadResult } from '../metrics/load-result.js'
import { seededRandom } from '../pacing/arrivals.js'
import { recoveryFigures, type FaultFigures } from './figures.js'
import { FaultProxy } from './proxy.js'
import { describeFaults, planFaults, type FaultSpec, type PlannedFault } from './spec.js'

/** A server the injector may restart (the embedded one); a --target is restarted by nobody here. */
export interface Restartable {
  restart(): Promise<void>
}

/**
 * Faults on one row's receivers: they connect through `receiverOrigin` (a proxy in front of the
 * server, or of the run's link), and from the window's start each planned fault is injected at
 * its instant; the recorder is told the same instants (`faultsAtMs`) and measures recovery.
 */
export interface FaultInjector {
  receiverOrigin: string
  /** When each fault is injected, in ms from the window's start. */
  faultsAtMs: readonly number[]
  /** The measured window opened: the faults start on their schedule. */
  startWindow(): void
  /** The row's fault figures, from what was injected and what the generator recorded. */
  figures(load: LoadResult): Promise<FaultFigures>
  /** Stops what is still to come and closes the proxy, resetting its connections. */
  close(): Promise<void>
}

export interface FaultOptions {
  /** Where the receivers' proxy forwards to: the server, or the run's link in front of it. */
  origin: string
  windowMs: number
  /** The embedded server, so `restart` can restart it; undefined with --target. */
  server?: Restartable
  seed?: number
}

/** Opens the receivers' proxy and plans the faults of one row. */
export async function openFaults(spec: FaultSpec, { origin, windowMs, server, seed = 1 }: FaultOptions): Promise<FaultInjector> {
  // A --target is not restarted from here: restarting it is its operator's, and the run sees it by its instance id.
  const planned = planFaults(spec, windowMs, seededRandom(seed)).filter((f) => f.kind !== 'restart' || server !== undefined)
  const proxy = new FaultProxy({
    delayUpMs: 0,
    delayDownMs: 0,
    jitterMs: 0,
    bandwidthUpBitsPerSec: undefined,
    bandwidthDownBitsPerSec: undefined,
  })
  const url = new URL(origin)
  const address = await proxy.open({
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
  })
  const timers = new Set<NodeJS.Timeout>()
  let injected = 0
  let restarted = false
  let restarting: Promise<void> = Promise.resolve()
  let failure: string | undefined

  const inject = (fault: PlannedFault): void => {
    injected++
    if (fault.kind === 'drop') proxy.cut()
    else if (fault.kind === 'stall') proxy.stall(fault.durationMs ?? 0)
    else {
      restarted = true
      restarting = server!.restart().catch((err: unknown) => void (failure = messageOf(err)))
    }
  }

  return {
    receiverOrigin: `${url.protocol}//${address.host}:${address.port}`,
    faultsAtMs: planned.map((f) => f.atMs),
    startWindow: () => {
      const startMs = monotonicClock.now()
      for (const fault of planned) {
        const timer = setTimeout(
          () => {
            timers.delete(timer)
            inject(fault)
          },
          Math.max(0, startMs + fault.atMs - monotonicClock.now()),
        )
        timers.add(timer)
      }
    },
    figures: async (load) => {
      await restarting
      if (failure !== undefined) throw new UserError(`--faults restart: the server did not come back: ${failure}`, ExitCode.RuntimeFailure)
      return {
        faults: describeFaults(spec),
        faultsInjected: injected,
        faulted: true,
        ...recoveryFigures(load),
        ...(restarted ? serverNotComparable : {}),
      }
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await restarting
      await proxy.close()
    },
  }
}

/** Server figures read across a restart compare two processes: unknown rather than wrong. */
const serverNotComparable = {
  serverCpuMsPer1k: null,
  serverRssMb: null,
  serverDropped: null,
  serverRssMbPer1kReceivers: null,
  serverRssMbPer1kConnections: null,
} as const
