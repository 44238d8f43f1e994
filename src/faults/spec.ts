import { UserError } from '../errors.js'
import { formatDurationMs, parseDurationMs, unitHint } from '../units.js'

/**
 * Faults injected into the receivers' connections during the measured window (`--faults`, a
 * scenario's `faults:`). Only receivers are faulted: senders are the publisher, and a fault on
 * their POSTs would be a loss of the publisher's, not of the transport's.
 */
export interface FaultSpec {
  /** Cut (reset) every receiver connection every this many ms. */
  dropEveryMs?: number
  /** Cut every receiver connection at random instants, this many times per second on average (seeded). */
  dropRatePerSec?: number
  /** Stop forwarding both ways, without closing, for this long (once): the half-open case. */
  stallMs?: number
  /** When the stall starts, from the window's start; the middle of the window (a quarter in with restart) by default. */
  stallAtMs?: number
  /** Restart the embedded server once, in the middle of the window, on the same port. */
  restart?: boolean
}

const kinds = ['drop-every', 'drop-rate', 'stall', 'stall-at', 'restart'] as const
const expected = `a comma-separated list of drop-every=<time>, drop-rate=<per second>, stall=<time>, stall-at=<time> and restart, such as drop-every=2s,stall=3s`

/** Parses `drop-every=2s,stall=3s,restart`; a bad value throws a UserError naming `what` (the flag or the file key). */
export function parseFaults(text: string, what = '--faults'): FaultSpec {
  const spec: FaultSpec = {}
  const seen = new Set<string>()
  const items = text.split(',').map((item) => item.trim())
  if (items.every((item) => item === '')) throw new UserError(`${what}: expected ${expected} (got an empty list)`)
  for (const item of items) {
    const [key = '', value, ...rest] = item.split('=').map((part) => part.trim())
    if (!(kinds as readonly string[]).includes(key) || rest.length > 0)
      throw new UserError(`${what}: unknown fault ${JSON.stringify(item)}; expected ${expected}`)
    if (seen.has(key)) throw new UserError(`${what}: ${key} is given twice (got ${text})`)
    seen.add(key)
    if (key === 'restart') {
      if (value !== undefined) throw new UserError(`${what}: restart takes no value (got ${item})`)
      spec.restart = true
      continue
    }
    if (value === undefined || value === '')
      throw new UserError(`${what}: ${key} needs a value, such as ${key}=${key === 'drop-rate' ? '0.5' : '2s'}`)
    if (key === 'drop-rate') {
      const rate = Number(value)
      if (!Number.isFinite(rate) || rate <= 0 || rate > 100)
        throw new UserError(`${what}: drop-rate expects cuts per second, above 0 and at most 100, such as 0.5 (got ${value})`)
      spec.dropRatePerSec = rate
      continue
    }
    const ms = parseDurationMs(value)
    const hint = unitHint(value)
    const min = key === 'stall-at' ? 0 : 100
    if (Number.isNaN(ms) || ms < min)
      throw new UserError(
        `${what}: ${key} expects a duration of at least ${formatDurationMs(min)}, such as 2s (got ${value}${hint ? `; ${hint}` : ''})`,
      )
    if (key === 'drop-every') spec.dropEveryMs = ms
    else if (key === 'stall') spec.stallMs = ms
    else spec.stallAtMs = ms
  }
  if (spec.stallAtMs !== undefined && spec.stallMs === undefined) throw new UserError(`${what}: stall-at needs stall=<time> (got ${text})`)
  return spec
}

/** The faults as the flag takes them, in a fixed order: `drop-every=2s,stall=3s`; it parses back to the same spec. */
export function describeFaults(spec: FaultSpec): string {
  return [
    spec.dropEveryMs !== undefined ? `drop-every=${formatDurationMs(spec.dropEveryMs)}` : undefined,
    spec.dropRatePerSec !== undefined ? `drop-rate=${spec.dropRatePerSec}` : undefined,
    spec.stallMs !== undefined ? `stall=${formatDurationMs(spec.stallMs)}` : undefined,
    spec.stallAtMs !== undefined ? `stall-at=${formatDurationMs(spec.stallAtMs)}` : undefined,
    spec.restart === true ? 'restart' : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(',')
}

/** One fault of a run's schedule: what, and when from the window's start. */
export interface PlannedFault {
  kind: 'drop' | 'stall' | 'restart'
  atMs: number
  /** A stall's length. */
  durationMs?: number
}

/**
 * When each fault happens over a window of `windowMs`, in order: drops every dropEveryMs from
 * the first interval on, random drops (seeded, Poisson) at dropRatePerSec, the stall at
 * stallAtMs (else the middle; a quarter in when restart is asked, which takes the middle), and
 * the restart in the middle. Every process that plans the same spec and window gets the same instants.
 */
export function planFaults(spec: FaultSpec, windowMs: number, random: () => number): PlannedFault[] {
  const planned: PlannedFault[] = []
  if (spec.dropEveryMs !== undefined)
    for (let at = spec.dropEveryMs; at < windowMs; at += spec.dropEveryMs) planned.push({ kind: 'drop', atMs: at })
  if (spec.dropRatePerSec !== undefined) {
    // Bounded: each step moves forward by a positive gap, so the loop ends past windowMs.
    for (let at = nextGap(spec.dropRatePerSec, random); at < windowMs; at += nextGap(spec.dropRatePerSec, random))
      planned.push({ kind: 'drop', atMs: Math.round(at) })
  }
  if (spec.stallMs !== undefined)
    planned.push({ kind: 'stall', atMs: spec.stallAtMs ?? (spec.restart === true ? windowMs / 4 : windowMs / 2), durationMs: spec.stallMs })
  if (spec.restart === true) planned.push({ kind: 'restart', atMs: windowMs / 2 })
  return planned.filter((f) => f.atMs < windowMs).sort((a, b) => a.atMs - b.atMs)
}

function nextGap(ratePerSec: number, random: () => number): number {
  return Math.max(1, (-Math.log(1 - random()) * 1000) / ratePerSec)
}
