import { linkTuning } from '../config.js'
import { UserError } from '../errors.js'

/**
 * The bandwidth units accepted, in bits per second each: decimal (SI) multiples, as `tc` and
 * every ISP count them. Bits by default, bytes spelled out (`2mbyte`), because `mbps` is
 * megabits to an ISP and megabytes to `tc`.
 */
const bitsPerUnit = {
  bit: 1,
  kbit: 1e3,
  mbit: 1e6,
  gbit: 1e9,
  kbyte: 8e3,
  mbyte: 8e6,
  gbyte: 8e9,
} as const

const BANDWIDTH = /^(\d+(?:\.\d+)?)([a-z]+)$/
const expected = `a rate such as 10mbit, 500kbit, 1gbit or 2mbyte (units ${Object.keys(bitsPerUnit).join(', ')}), or unlimited`

/**
 * Parses `10mbit`, `1.5mbit`, `500kbit`, `1gbit`, `2mbyte` (case does not matter) into bits
 * per second, and `unlimited` into undefined. Anything else throws a UserError naming `what`
 * (the flag or the file key), the value and what is accepted.
 */
export function parseBandwidth(text: string, what: string): number | undefined {
  const trimmed = text.trim().toLowerCase()
  if (trimmed === 'unlimited') return undefined
  const match = BANDWIDTH.exec(trimmed)
  const unit = match?.[2] as keyof typeof bitsPerUnit | undefined
  if (!match || unit === undefined || !Object.hasOwn(bitsPerUnit, unit)) throw new UserError(`${what}: expected ${expected} (got ${text})`)
  const bitsPerSec = Number(match[1]) * bitsPerUnit[unit]
  if (!(bitsPerSec >= linkTuning.minBandwidthBitsPerSec))
    throw new UserError(`${what}: expected at least ${formatBandwidth(linkTuning.minBandwidthBitsPerSec)} (got ${text})`)
  return bitsPerSec
}

/** `10mbit` for both directions, or `down/up` as ISPs quote them: `20mbit/5mbit`. */
export function parseBandwidthPair(text: string, what: string): { downBitsPerSec: number | undefined; upBitsPerSec: number | undefined } {
  const parts = text.split('/')
  if (parts.length > 2) throw new UserError(`${what}: expected one rate for both directions or down/up such as 20mbit/5mbit (got ${text})`)
  const down = parseBandwidth(parts[0]!, what)
  const up = parts.length === 2 ? parseBandwidth(parts[1]!, what) : down
  return { downBitsPerSec: down, upBitsPerSec: up }
}

/** Bits per second as a user would type them back: `10mbit`, `768kbit`, `1.6mbit`, `unlimited`. */
export function formatBandwidth(bitsPerSec: number | undefined): string {
  if (bitsPerSec === undefined) return 'unlimited'
  for (const [unit, factor] of [
    ['gbit', 1e9],
    ['mbit', 1e6],
    ['kbit', 1e3],
  ] as const) {
    if (bitsPerSec >= factor) return `${Number((bitsPerSec / factor).toPrecision(4))}${unit}`
  }
  return `${bitsPerSec}bit`
}
