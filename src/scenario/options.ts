import { meanRatePerSec } from '../pacing/arrivals.js'
import type { RunOptions } from '../run.js'
import { findTransport } from '../transports/registry.js'
import type { Transport } from '../transports/types.js'
import type { Scenario } from './scenario.js'

/** What the runner needs to measure a scenario on an embedded server (the CLI adds --target and --pin). */
export function toRunOptions(s: Scenario): RunOptions {
  return {
    transports: s.transports.map((name) => findTransport(name)).filter((t): t is Transport => t !== undefined),
    pairs: s.groups,
    ratePerSec: meanRatePerSec(s.arrival),
    durationMs: s.durationMs,
    warmupMs: s.warmupMs,
    payloadBytes: s.payload.minBytes,
    settings: { pollIntervalMs: s.pollIntervalsMs[0]!, longPollTimeoutMs: s.longPollHoldMs },
    wsSend: s.wsSend,
    scenario: s.name,
    receivers: s.receivers,
    idleReceivers: s.idle,
    arrival: s.arrival,
    payloadMaxBytes: s.payload.maxBytes,
    seed: s.seed,
    pollIntervalsMs: s.pollIntervalsMs,
    ...(s.stages.length > 0 ? { stages: s.stages } : {}),
  }
}
