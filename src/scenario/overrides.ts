import { UserError } from '../errors.js'
import { declaredSettings } from '../transports/setting-values.js'
import type { TransportSettings } from '../transports/types.js'
import { formatDurationMs } from '../units.js'
import type { Scenario } from './scenario.js'
import { withListed } from './transport-settings.js'

/** The `run` flags a scenario's values can be overridden with, as commander parsed them. */
export interface ScenarioFlags {
  transports: string[]
  pairs: number
  receivers: number
  idle: number
  rate: number
  duration: number
  warmup: number
  payload: number
  /** Where the receivers run (--clients). */
  clients?: 'node' | 'browser'
  /** What each transport's setting flags say (`--poll-interval`), by transport name and setting key. */
  settings: TransportSettings
}

/** A flag the user may have typed: one of ScenarioFlags, or a transport's setting flag. */
export type FlagRef = Exclude<keyof ScenarioFlags, 'settings'> | { transport: string; key: string }

type Apply = (s: Scenario, flags: ScenarioFlags) => void

const overrides: { [K in Exclude<keyof ScenarioFlags, 'settings'>]: Apply } = {
  transports: (s, f) => void (s.transports = f.transports),
  pairs: (s, f) => void (s.groups = f.pairs),
  receivers: (s, f) => void (s.receivers = f.receivers),
  idle: (s, f) => void (s.idle = f.idle),
  rate: (s, f) => {
    if (s.arrival.kind === 'bursts')
      throw new UserError(
        `--rate ${f.rate}: scenario ${s.name} sends bursts, whose size and period set the rate; drop --rate or edit the burst in a copy of the file`,
      )
    s.arrival = { ...s.arrival, ratePerSec: f.rate }
  },
  duration: (s, f) => {
    // Refused rather than dropping the stages: a run that silently stopped ramping would look like a ramp's result.
    if (s.stages.length > 0) {
      throw new UserError(
        `--duration ${formatDurationMs(f.duration)}: scenario ${s.name} has stages, whose durations add up to the measured time; drop --duration or edit the stages in a copy of the file`,
      )
    }
    s.durationMs = f.duration
  },
  warmup: (s, f) => void (s.warmupMs = f.warmup),
  payload: (s, f) => void (s.payload = { minBytes: f.payload, maxBytes: f.payload }),
  clients: (s, f) => void (s.clients = f.clients ?? s.clients),
}

/**
 * The scenario with each flag the user actually typed laid over it (`given` says which:
 * commander's value source is `cli`); defaults of flags they did not type never win over the file.
 */
export function applyFlags(scenario: Scenario, flags: ScenarioFlags, given: (flag: FlagRef) => boolean): Scenario {
  const out: Scenario = { ...scenario, arrival: { ...scenario.arrival }, payload: { ...scenario.payload } }
  for (const key of Object.keys(overrides) as (keyof typeof overrides)[]) if (given(key)) overrides[key](out, flags)
  for (const { transport, setting } of declaredSettings()) {
    const value = flags.settings[transport.name]?.[setting.key]
    // A swept setting's flag gives one value: one row, whatever list the file had.
    if (value !== undefined && given({ transport: transport.name, key: setting.key }))
      out.settings = withListed(out.settings, transport, setting, value)
  }
  return out
}
