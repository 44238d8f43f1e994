import { linkTuning } from '../config.js'
import type { Histogram } from '../metrics/histogram.js'
import { formatMs } from '../units.js'
import { askedRttMs } from './spec.js'
import type { LinkMeasurements, LinkSpec } from './types.js'

/** What a link achieved against what it was asked, for the settings line and the CSV. */
export interface LinkVerdict {
  askedRttMs: number
  /** Achieved RTT percentiles (see achievedRtt); NaN when a direction forwarded nothing. */
  rttP50Ms: number
  rttP99Ms: number
  /**
   * The emulator's own lateness over a round trip (one piece up, one down): how long after
   * their due times it wrote them, p50 and p99. Recorded near 0, so exact to the µs.
   */
  lateP50Ms: number
  lateP99Ms: number
  /** (achieved p50 − asked) / asked; NaN when nothing was asked or measured. */
  offShare: number
  /** Whether p50 is further from the ask than linkTuning allows. */
  off: boolean
  /** One line: `achieved rtt p50 100.041 ms / p99 100.412 ms (asked 100ms)`, and why it is off when it is. */
  line: string
}

/**
 * The achieved RTT is the link's own added delay over a round trip: the distribution of one
 * piece's added delay up plus one piece's added delay down, drawn independently (each delay
 * measured from the moment the piece was read to the moment it was written on). It is
 * computed by adding rttQuantiles evenly spaced quantiles of each direction's histogram, every
 * pair with every pair (a numeric convolution): p50 is p50 up + p50 down whenever each
 * direction is symmetric about its median, and p99 is the sum's, not the sum of the p99s.
 * It leaves out what the link does not add: loopback transit (about 0.05 ms), the server, and
 * how long a chunk waited in the kernel before the link's event loop read it (a busy loop
 * shows there, in what the client measures, not here). Each direction's histogram keeps 3
 * significant digits, so the sum is exact to about 0.1%; the lateness, recorded near 0, is
 * the emulator's own error to the µs.
 */
export function achievedRtt(m: LinkMeasurements): { p50Ms: number; p99Ms: number } {
  return sumPercentiles(m.up.addedUs, m.down.addedUs)
}

export function judgeLink(spec: LinkSpec, m: LinkMeasurements): LinkVerdict {
  const asked = askedRttMs(spec)
  const rtt = achievedRtt(m)
  const late = sumPercentiles(m.up.lateUs, m.down.lateUs)
  const offShare = asked > 0 ? (rtt.p50Ms - asked) / asked : Number.NaN
  const allowedMs = Math.max(asked * linkTuning.rttToleranceShare, linkTuning.rttToleranceFloorMs)
  const off = Number.isFinite(rtt.p50Ms) && Math.abs(rtt.p50Ms - asked) > allowedMs
  const ask = `(asked ${formatMs(asked)} ms)`
  let line = `achieved rtt p50 ${formatMs(rtt.p50Ms)} ms / p99 ${formatMs(rtt.p99Ms)} ms ${ask}`
  if (!Number.isFinite(rtt.p50Ms)) line = `achieved rtt unknown: a direction forwarded nothing ${ask}`
  else if (off) line += `: off by more than ${formatMs(allowedMs)} ms, ${whyOff(late.p50Ms, allowedMs)}`
  return { askedRttMs: asked, rttP50Ms: rtt.p50Ms, rttP99Ms: rtt.p99Ms, lateP50Ms: late.p50Ms, lateP99Ms: late.p99Ms, offShare, off, line }
}

/** Late writes are the emulator's fault (a busy event loop); on-time writes mean queueing asked for by the spec. */
function whyOff(lateP50Ms: number, allowedMs: number): string {
  return lateP50Ms > allowedMs / 2
    ? `the emulator wrote late (lateness p50 ${formatMs(lateP50Ms)} ms over a round trip: its event loop was busy)`
    : 'pieces left on time: bandwidth queueing or back-to-back chunks held in order'
}

function sumPercentiles(a: Histogram, b: Histogram): { p50Ms: number; p99Ms: number } {
  if (a.totalCount === 0 || b.totalCount === 0) return { p50Ms: Number.NaN, p99Ms: Number.NaN }
  const n = linkTuning.rttQuantiles
  const qa = quantilesUs(a, n)
  const qb = quantilesUs(b, n)
  const sums = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sums[i * n + j] = qa[i]! + qb[j]!
  sums.sort()
  const at = (p: number): number => sums[Math.min(sums.length - 1, Math.floor(p * sums.length))]! / 1000
  return { p50Ms: at(0.5), p99Ms: at(0.99) }
}

/** n quantiles at the middle of n equal slices of the distribution, in µs. */
function quantilesUs(h: Histogram, n: number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = h.getValueAtPercentile(((i + 0.5) / n) * 100)
  return out
}
