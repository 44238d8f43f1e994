/**
 * Entry point of a load worker: a process of its own, so its CPU time and memory are its own
 * and it can be pinned to a core. It drives its part of the run with the same runLoad as a
 * single-process run, starting on the runner's common schedule, and sends back its raw load.
 */
import { once } from 'node:events'
import { performance } from 'node:perf_hooks'
import { messageOf } from '../../errors.js'
import { findTransport } from '../../transports/registry.js'
import { runLoad } from '../generator.js'
import type { LoadHooks } from '../plan.js'
import type { Progress } from '../progress.js'
import { SetupFailed } from '../setup-failures.js'
import { encodeLoad, type FromWorker, type ToWorker, type WorkerPlan } from './worker-protocol.js'

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) return resolve()
    process.send(message, undefined, {}, () => resolve())
  })
}

async function next<T extends ToWorker['type']>(type: T): Promise<Extract<ToWorker, { type: T }>> {
  for (;;) {
    const [message] = (await once(process, 'message')) as [ToWorker]
    if (message.type === type) return message as Extract<ToWorker, { type: T }>
  }
}

const hooks: LoadHooks = {
  // Epoch milliseconds to this process's monotonic clock: every worker starts at one instant.
  startAt: async () => {
    const starting = next('start')
    await send({ type: 'ready' })
    const { startEpochMs } = await starting
    return startEpochMs - performance.timeOrigin
  },
  onProgress: (p: Progress) => {
    void send({
      type: 'progress',
      elapsedMs: p.elapsedMs,
      totalMs: p.totalMs,
      delivered: p.delivered,
      p50Ms: Number.isNaN(p.p50Ms) ? null : p.p50Ms,
    })
  },
}

async function main(): Promise<void> {
  const { plan } = await next('plan')
  const load = await runLoad({ ...plan, transport: transportOf(plan) }, hooks)
  await send({ type: 'result', load: encodeLoad(load) })
}

function transportOf(plan: WorkerPlan): NonNullable<ReturnType<typeof findTransport>> {
  const transport = findTransport(plan.transport)
  if (transport === undefined) throw new Error(`unknown transport ${plan.transport}`)
  return transport
}

// The runner went away (ended or killed): nothing is waiting for this worker's result.
process.on('disconnect', () => process.exit(1))

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    const setup = err instanceof SetupFailed ? { setup: { role: err.role, failed: err.failed, total: err.total, why: err.why } } : {}
    await send({ type: 'failed', message: messageOf(err), ...setup })
    process.exit(1)
  },
)
