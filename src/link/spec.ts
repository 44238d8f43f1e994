import { linkTuning } from '../config.js'
import { UserError } from '../errors.js'
import { formatDurationMs, parseDurationMs, unitHint } from '../units.js'
import { formatBandwidth, parseBandwidthPair } from './bandwidth.js'
import { findLinkProfile, profileSpec } from './profiles.js'
import type { LinkSpec } from './types.js'

/**
 * A link's delay or jitter: `0`, `25ms`, `1.5s` (parseDurationMs), at least 0 and at most
 * linkTuning.maxDelayMs. Anything else throws a UserError naming `what`, the value and what is accepted.
 */
export function parseLinkDelayMs(text: string, what: string): number {
  const ms = parseDurationMs(text)
  if (Number.isNaN(ms)) {
    const hint = unitHint(text)
    throw new UserError(`${what}: expected a duration of 0 or more, such as 0, 40ms or 1.5s (got ${text}${hint ? `; ${hint}` : ''})`)
  }
  if (ms > linkTuning.maxDelayMs) throw new UserError(`${what}: expected at most ${formatDurationMs(linkTuning.maxDelayMs)} (got ${text})`)
  return ms
}

/**
 * The link flags as typed (each optional). A profile gives the starting values; `rtt` sets
 * both delays to half of it; `delayUp` / `delayDown` set one each (not with `rtt`); `jitter`
 * and `bandwidth` (one rate, or down/up) override the profile's.
 */
export interface LinkFlags {
  link?: string | undefined
  rtt?: string | undefined
  delayUp?: string | undefined
  delayDown?: string | undefined
  jitter?: string | undefined
  bandwidth?: string | undefined
}

/** Flag names for the messages; a scenario file passes its own (`link.rtt`…). */
export const linkFlagNames: Readonly<Record<keyof LinkFlags, string>> = {
  link: '--link',
  rtt: '--rtt',
  delayUp: '--delay-up',
  delayDown: '--delay-down',
  jitter: '--jitter',
  bandwidth: '--bandwidth',
}

/** A link that adds nothing: no delay, no jitter, no bandwidth limit (a proxy that only forwards). */
export const noEmulation: LinkSpec = Object.freeze({
  delayUpMs: 0,
  delayDownMs: 0,
  jitterMs: 0,
  bandwidthUpBitsPerSec: undefined,
  bandwidthDownBitsPerSec: undefined,
})

/** The spec the flags ask for, or undefined when none is given (no link: plain loopback, as before). */
export function linkSpecFrom(flags: LinkFlags, names: Readonly<Record<keyof LinkFlags, string>> = linkFlagNames): LinkSpec | undefined {
  if (Object.values(flags).every((value) => value === undefined)) return undefined
  if (flags.rtt !== undefined && (flags.delayUp !== undefined || flags.delayDown !== undefined)) {
    const other = flags.delayUp !== undefined ? names.delayUp : names.delayDown
    throw new UserError(
      `${names.rtt}: give either ${names.rtt} or ${names.delayUp}/${names.delayDown}, not both (got ${names.rtt} and ${other})`,
    )
  }
  const spec: LinkSpec = flags.link === undefined ? { ...noEmulation } : profileSpec(findLinkProfile(flags.link, names.link))
  if (flags.rtt !== undefined) spec.delayUpMs = spec.delayDownMs = parseLinkDelayMs(flags.rtt, names.rtt) / 2
  if (flags.delayUp !== undefined) spec.delayUpMs = parseLinkDelayMs(flags.delayUp, names.delayUp)
  if (flags.delayDown !== undefined) spec.delayDownMs = parseLinkDelayMs(flags.delayDown, names.delayDown)
  if (flags.jitter !== undefined) spec.jitterMs = parseLinkDelayMs(flags.jitter, names.jitter)
  if (flags.bandwidth !== undefined) {
    const { downBitsPerSec, upBitsPerSec } = parseBandwidthPair(flags.bandwidth, names.bandwidth)
    spec.bandwidthDownBitsPerSec = downBitsPerSec
    spec.bandwidthUpBitsPerSec = upBitsPerSec
  }
  return Object.freeze(spec)
}

/** The asked round trip: one delay up plus one down (jitter is symmetric, so it leaves the median alone). */
export function askedRttMs(spec: LinkSpec): number {
  return spec.delayUpMs + spec.delayDownMs
}

/** One line for the settings under a table: `link rtt 100ms (50ms up, 50ms down), jitter ±10ms, 10mbit down / 2mbit up`. */
export function describeLink(spec: LinkSpec): string {
  const rtt = askedRttMs(spec)
  const split =
    spec.delayUpMs === spec.delayDownMs ? '' : ` (${formatDurationMs(spec.delayUpMs)} up, ${formatDurationMs(spec.delayDownMs)} down)`
  const jitter = spec.jitterMs === 0 ? '' : `, jitter ±${formatDurationMs(spec.jitterMs)} each way`
  const down = formatBandwidth(spec.bandwidthDownBitsPerSec)
  const up = formatBandwidth(spec.bandwidthUpBitsPerSec)
  const bandwidth = down === up ? `, bandwidth ${down}` : `, bandwidth ${down} down / ${up} up`
  return `link rtt ${formatDurationMs(rtt)}${split}${jitter}${bandwidth}`
}
