import { ms, oneWayBoth, type PathDelays } from '../path.js'

/**
 * Long polling's latency in theory, with one-way delays U up and D down (round trip R = U + D),
 * messages at a fixed interval T to each receiver and N polls outstanding (`depth`).
 *
 * A poll's answer takes D down, and the next poll U up: for R after each answer, one of the N
 * polls is missing at the server (the re-poll gap, RFC 6202 §2.2). A message that finds a poll
 * parked is answered at once: U + D. With N outstanding, a poll is parked unless N answers went
 * in the last R, so at fixed arrivals every message finds one while T > R/N (depth 1: while
 * messages come less often than once a round trip; depth 2: less often than twice). At T < R/N
 * every poll finds a message waiting and is answered the moment it arrives, so polls reach the
 * server N per round trip, R/N apart, and a message waits for the next: U(0, R/N), median
 * U + D + R/(2N) (1.5 round trips at depth 1). At T = R/N exactly the client's and server's
 * turnaround (what is added to R) decides between the two.
 */
export function expectedP50Ms(depth: number, path: PathDelays): number | undefined {
  if (path.ratePerSec === undefined || path.ratePerSec <= 0) return undefined
  const round = path.upMs + path.downMs
  const intervalMs = 1000 / path.ratePerSec
  return intervalMs < round / depth ? round + round / (2 * depth) : round
}

export function expectedLatency(depth: number, path?: PathDelays): string {
  const poll = depth === 1 ? 'a poll' : `one of ${depth} pipelined polls`
  if (!path) {
    return depth === 1
      ? 'about one round trip while a poll is parked; up to two when a message lands in the re-poll gap'
      : `about one round trip while ${poll} is parked; a message waits for the next poll only when more than ${depth} come in a round trip`
  }
  const round = path.upMs + path.downMs
  const parked = `about one-way up + one-way down, ${oneWayBoth(path)}, while ${poll} is parked`
  const p50 = expectedP50Ms(depth, path)
  if (p50 === undefined) {
    return depth === 1
      ? `${parked}; up to one round trip more (${ms(round)} ms) for a message that lands in the re-poll gap`
      : `${parked}; with ${depth} outstanding, a message waits for the next poll only when more than ${depth} come in a round trip`
  }
  const every = `at ${ms(path.ratePerSec!)} msg/s a message comes every ${ms(1000 / path.ratePerSec!)} ms`
  const cover = depth === 1 ? 'one round trip' : `${ms(round / depth)} ms (a round trip / ${depth})`
  if (p50 === round) {
    const edge =
      Math.abs(1000 / path.ratePerSec! - round / depth) < 1e-9
        ? `; at exactly ${depth} a round trip the turnaround added to it decides, up to ${ms(round + round / (2 * depth))} ms`
        : ''
    return `${parked}; ${every}, no more often than ${cover}, so each finds a poll parked: median near ${ms(round)} ms${edge}`
  }
  const gap = depth === 1 ? 'the re-poll gap' : `the re-poll gap of ${depth} polls`
  return (
    `${parked}; ${every}, more often than ${cover}, so most land in ${gap}: each poll finds one waiting, polls reach the server ` +
    `every ${ms(round / depth)} ms and a message waits U(0, ${ms(round / depth)} ms) more, median near ${ms(p50)} ms (${ms(round)} + ${ms(round / (2 * depth))})`
  )
}
