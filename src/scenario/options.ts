import { meanRatePerSec } from '../pacing/arrivals.js'
import type { RunOptions } from '../run.js'
import { transportsNamed } from '../transports/setting-values.js'
import { splitSweeps } from '../transports/sweeps.js'
import type { Scenario } from './scenario.js'

/** What the runner needs to measure a scenario on an embedded server (the CLI adds --target and --pin). */
export function toRunOptions(s: Scenario): RunOptions {
  const { settings, sweeps } = splitSweeps(s.settings)
  return {
    transports: transportsNamed(s.transports),
    pairs: s.groups,
    ratePerSec: meanRatePerSec(s.arrival),
    durationMs: s.durationMs,
    warmupMs: s.warmupMs,
    payloadBytes: s.payload.minBytes,
    settings,
    scenario: s.name,
    receivers: s.receivers,
    idleReceivers: s.idle,
    arrival: s.arrival,
    payloadMaxBytes: s.payload.maxBytes,
    seed: s.seed,
    sweeps,
    ...(s.stages.length > 0 ? { stages: s.stages } : {}),
    ...(s.link ? { link: s.link } : {}),
    ...(s.faults ? { faults: s.faults } : {}),
  }
}
