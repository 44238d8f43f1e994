import { runLoad } from '../../src/load/generator.js'
import type { LoadPlan } from '../../src/load/plan.js'
import type { LoadResult } from '../../src/metrics/load-result.js'
import { summarise, type TransportResult } from '../../src/metrics/summarise.js'
import type { Transport } from '../../src/transports/types.js'

let runs = 0

/** A short real run of one transport against `origin`, summarised; small enough for a test. */
export async function measure(
  transport: Transport,
  origin: string,
  overrides: Partial<LoadPlan> = {},
): Promise<{ result: TransportResult; load: LoadResult }> {
  const plan: LoadPlan = {
    transport,
    origin,
    runId: `t${process.pid}x${++runs}`,
    pairs: 5,
    ratePerSec: 20,
    durationMs: 1000,
    warmupMs: 200,
    payloadBytes: 64,
    settings: { 'short-polling': { interval: 50 }, 'long-polling': { hold: 30_000 } },
    sendMode: 'post',
    // The arrival is filled in where a run is resolved; here, a constant rate unless a test says otherwise.
    arrival: { kind: 'constant', ratePerSec: overrides.ratePerSec ?? 20 },
    ...overrides,
  }
  const load = await runLoad(plan)
  return { result: summarise(transport.name, plan.sendMode, load, {}), load }
}
