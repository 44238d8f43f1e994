import { ExitCode, messageOf, UserError } from '../errors.js'
import { addressOf, originAt } from '../link/path.js'
import { noEmulation } from '../link/spec.js'
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
 * server, or of the run's link); the generator's scheduler calls `inject` at each planned
 * instant (`faultsAtMs`, from the window's start) and its recorder measures recovery from it.
 */
export interface FaultInjector {
  receiverOrigin: string
  /** When each fault is injected, in ms from the window's start. */
  faultsAtMs: readonly number[]
  /** Fault number `index` of `faultsAtMs` is due: injected now (the generator's scheduler calls it on time). */
  inject: (index: number) => void
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
  const proxy = new FaultProxy(noEmulation)
  const address = await proxy.open(addressOf(origin))
  let closed = false
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
    receiverOrigin: originAt(origin, address),
    faultsAtMs: planned.map((f) => f.atMs),
    inject: (index) => {
      const fault = planned[index]
      if (fault !== undefined && !closed) inject(fault)
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
      closed = true
      await restarting
      await proxy.close()
    },
  }
}

/**
 * After the restart injected here: server figures read across it would compare two processes, so
 * they are unknown rather than wrong; and the new instance is the one asked for, not a reason to
 * distrust the row (summarise marks a row invalid when the server's instance changed).
 */
const serverNotComparable = {
  invalid: undefined,
  serverCpuMsPer1k: null,
  serverRssMb: null,
  serverDropped: null,
  serverRssMbPer1kReceivers: null,
  serverRssMbPer1kConnections: null,
} as const
