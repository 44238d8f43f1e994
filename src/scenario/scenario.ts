import { runDefaults } from '../config.js'
import { parseFaults, type FaultSpec } from '../faults/spec.js'
import { linkSpecFrom } from '../link/spec.js'
import type { LinkSpec } from '../link/types.js'
import type { ArrivalProcess } from '../pacing/arrivals.js'
import { totalMs, type Stage } from '../pacing/stages.js'
import { transportNames } from '../transports/registry.js'
import type { TransportSettings } from '../transports/types.js'
import { parseDurationMs } from '../units.js'
import type { LinkFile, ScenarioFile, StageFile } from './schema.js'
import { defaultScenarioSettings, settingProblems, settingsFromFile } from './transport-settings.js'
import type { Problem } from './validate.js'

/** A scenario with every value known: what `run` measures and `--dry-run` prints. */
export interface Scenario {
  name: string
  description: string
  /** Senders; each has `receivers` receivers of its own. */
  groups: number
  receivers: number
  idle: number
  arrival: ArrivalProcess
  payload: { minBytes: number; maxBytes: number }
  /** The measured window; with stages, the sum of their durations. */
  durationMs: number
  /** Ramps of the rate and groups over the measured window, from `arrival`'s rate and `groups`; empty for none. */
  stages: Stage[]
  warmupMs: number
  seed: number
  transports: string[]
  /** Each transport's settings by name and key; a swept one holds a list, one row per value (transports/sweeps.ts). */
  settings: TransportSettings
  /** An emulated link between the generator and the server (the file's `link:` block, or the link flags). */
  link?: { spec: LinkSpec; name?: string }
  /** Where the receivers run: the generator's Node clients, or pages of a headless Chromium. */
  clients: 'node' | 'browser'
  /** Faults injected into the receivers' connections (the file's `faults:`, or --faults). */
  faults?: FaultSpec
}

/** The scenario of a plain `run`: userA/userB pairs at a constant rate, every default from config.ts. */
export function defaultScenario(): Scenario {
  return {
    name: 'pairs',
    description: `userA/userB pairs at a constant rate`,
    groups: runDefaults.pairs,
    receivers: 1,
    idle: 0,
    arrival: { kind: 'constant', ratePerSec: runDefaults.ratePerSec },
    payload: { minBytes: runDefaults.payloadBytes, maxBytes: runDefaults.payloadBytes },
    durationMs: runDefaults.durationMs,
    stages: [],
    warmupMs: runDefaults.warmupMs,
    seed: 1,
    transports: [...transportNames],
    settings: defaultScenarioSettings(),
    clients: 'node',
  }
}

/**
 * Fills a schema-valid file's gaps from the defaults and checks what the schema cannot say
 * (fields that depend on each other). Returns the scenario, or every problem found.
 */
export function resolveFile(name: string, file: ScenarioFile): { scenario: Scenario } | { problems: Problem[] } {
  const base = defaultScenario()
  const problems: Problem[] = []
  const ms = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : parseDurationMs(text))
  const arrival = arrivalOf(file, base, problems)
  const payload =
    typeof file.payload === 'object'
      ? { minBytes: file.payload.min, maxBytes: file.payload.max }
      : file.payload === undefined
        ? base.payload
        : { minBytes: file.payload, maxBytes: file.payload }
  if (payload.minBytes > payload.maxBytes)
    problems.push({ path: 'payload', what: 'min is above max', got: file.payload, expected: 'min ≤ max' })
  const stages = (file.stages ?? []).map(stageOf)
  problems.push(...stageProblems(file, arrival))
  const scenario: Scenario = {
    name,
    description: file.description,
    groups: file.groups ?? base.groups,
    receivers: file.receivers ?? base.receivers,
    idle: file.idle ?? base.idle,
    arrival,
    payload,
    durationMs: stages.length > 0 ? totalMs(stages) : ms(file.duration, base.durationMs),
    stages,
    warmupMs: ms(file.warmup, base.warmupMs),
    seed: file.seed ?? base.seed,
    transports: file.transports ?? base.transports,
    settings: settingsFromFile(file.settings, base.settings),
    clients: file.clients ?? base.clients,
  }
  const link = linkOfFile(file.link)
  if (link !== undefined) scenario.link = link
  if (file.faults !== undefined) scenario.faults = parseFaults(file.faults, 'faults')
  problems.push(...rangeProblems(scenario, file))
  return problems.length > 0 ? { problems } : { scenario }
}

/** The file's `link:` block as a spec; a bad value throws one line naming `link.<key>`. */
function linkOfFile(file: LinkFile | undefined): Scenario['link'] {
  if (file === undefined) return undefined
  const names = {
    link: 'link.profile',
    rtt: 'link.rtt',
    delayUp: 'link.delay-up',
    delayDown: 'link.delay-down',
    jitter: 'link.jitter',
    bandwidth: 'link.bandwidth',
  }
  const flags = {
    link: file.profile,
    rtt: file.rtt,
    delayUp: file['delay-up'],
    delayDown: file['delay-down'],
    jitter: file.jitter,
    bandwidth: file.bandwidth,
  }
  const spec = linkSpecFrom(flags, names)
  if (spec === undefined) return undefined
  return { spec, ...(file.profile !== undefined ? { name: file.profile.trim().toLowerCase() } : {}) }
}

function arrivalOf(file: ScenarioFile, base: Scenario, problems: Problem[]): ArrivalProcess {
  const kind = file.arrival ?? 'constant'
  if (kind !== 'bursts') {
    if (file.burst !== undefined)
      problems.push({
        path: 'burst',
        what: 'only used with arrival: bursts',
        got: `arrival: ${kind}`,
        expected: 'arrival: bursts, or no burst',
      })
    return { kind, ratePerSec: file.rate ?? (base.arrival.kind === 'bursts' ? 1 : base.arrival.ratePerSec) }
  }
  if (file.rate !== undefined)
    problems.push({
      path: 'rate',
      what: 'not used with arrival: bursts',
      got: file.rate,
      expected: 'no rate: burst.size and burst.every set it',
    })
  if (file.burst === undefined) {
    problems.push({ path: 'burst', what: 'missing', expected: 'size, within and every, for arrival: bursts' })
    return { kind: 'bursts', size: 1, withinMs: 0, everyMs: 1000 }
  }
  return { kind: 'bursts', size: file.burst.size, withinMs: parseDurationMs(file.burst.within), everyMs: parseDurationMs(file.burst.every) }
}

function stageOf(file: StageFile): Stage {
  return {
    durationMs: parseDurationMs(file.duration),
    ...(file.rate !== undefined ? { ratePerSec: file.rate } : {}),
    ...(file.groups !== undefined ? { groups: file.groups } : {}),
  }
}

/** What the schema cannot say about stages: they replace duration, each needs a target, bursts have no rate. */
function stageProblems(file: ScenarioFile, arrival: ArrivalProcess): Problem[] {
  if (file.stages === undefined) return []
  const problems: Problem[] = []
  if (file.duration !== undefined) {
    problems.push({
      path: 'duration',
      what: 'not used with stages',
      got: file.duration,
      expected: "no duration: the stages' durations add up to the measured time",
    })
  }
  file.stages.forEach((stage, i) => {
    if (stage.rate === undefined && stage.groups === undefined) {
      problems.push({
        path: `stages[${i}]`,
        what: 'no target',
        got: stage,
        expected: 'rate, groups or both: the values the stage ramps to',
      })
    }
    if (arrival.kind === 'bursts' && stage.rate !== undefined) {
      problems.push({
        path: `stages[${i}].rate`,
        what: 'not used with arrival: bursts',
        got: stage.rate,
        expected: 'groups targets only: burst.size and burst.every set the rate',
      })
    }
    if (parseDurationMs(stage.duration) < 1)
      problems.push({ path: `stages[${i}].duration`, what: 'too small', got: stage.duration, expected: 'at least 1ms' })
  })
  return problems
}

/** Limits between fields, and duration values the pattern lets through but a run cannot use. */
function rangeProblems(s: Scenario, file: ScenarioFile): Problem[] {
  const problems: Problem[] = []
  if (s.stages.length === 0 && s.durationMs < 1)
    problems.push({ path: 'duration', what: 'too small', got: file.duration, expected: 'at least 1ms' })
  problems.push(...settingProblems(file.settings, s.settings))
  const a = s.arrival
  if (a.kind === 'bursts' && file.burst !== undefined && (a.everyMs < 1 || a.withinMs >= a.everyMs)) {
    problems.push({
      path: 'burst.within',
      what: 'a burst must end before the next begins',
      got: `within ${file.burst.within}, every ${file.burst.every}`,
      expected: 'within shorter than every',
    })
  }
  return problems
}
