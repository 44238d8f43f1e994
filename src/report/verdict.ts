import type { RunSummary } from '../results/summary.js'
import { formatMs } from '../units.js'
import { displayWidth, wrap } from './text.js'

/** `1.23×`, `20.6×`, `206×`: as many digits as tell ratios of that size apart. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(ratio < 10 ? 2 : ratio < 100 ? 1 : 0)}×`
}

const noiseNote: Record<RunSummary['noise'], string> = {
  repeats: 'the two p50s’ min–max over the repeats overlap',
  histogram: 'the two p50s’ 95% intervals overlap (sampling in this run only; --repeat 3 adds run-to-run spread)',
}

/** How noise was judged: what `within noise` means, or that no row was. */
function noiseLine(summary: RunSummary): string {
  const some = summary.ranking.some((r) => r.withinNoise === true)
  return some ? `within noise: ${noiseNote[summary.noise]}` : `none within noise of the fastest, where ${noiseNote[summary.noise]}`
}

/** Keeps a figure and its unit on one line when the cost line wraps. */
const nbsp = '\u00a0'

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

/**
 * The verdict, as hyperfine gives one: transports ranked by p50 with each one's ratio to the
 * fastest and whether it is told apart from noise, then what each one's messages cost.
 */
export function formatVerdict(summary: RunSummary): string[] {
  const ranked = summary.ranking
  const fastest = ranked[0]
  if (fastest === undefined) return []
  const nameWidth = Math.max(...ranked.map((r) => displayWidth(r.transport)))
  const p50s = ranked.map((r) => (r.p50Ms === null ? 'n/a' : `${formatMs(r.p50Ms)} ms`))
  const p50Width = Math.max(...p50s.map(displayWidth))
  const lines = ranked.map((r, i) => {
    const judgement =
      i === 0
        ? 'fastest'
        : r.ratio === null
          ? 'nothing delivered'
          : `${formatRatio(r.ratio)} ${fastest.transport}’s${r.withinNoise === true ? ', within noise' : ''}`
    return `  ${r.transport.padEnd(nameWidth)}  ${p50s[i]!.padStart(p50Width)}  ${judgement}`
  })
  const costs = summary.cost.map((c) => {
    const parts = [
      c.requestsPerMsg === null
        ? 'requests n/a'
        : `${c.requestsPerMsg.toFixed(2)}${nbsp}request${c.requestsPerMsg.toFixed(2) === '1.00' ? '' : 's'}/msg`,
      c.bytesPerMsg === null ? 'bytes n/a' : `${count(c.bytesPerMsg)}${nbsp}B/msg`,
      ...(c.idleRequestsPerMin === null ? [] : [`${count(c.idleRequestsPerMin)}${nbsp}requests/min even when idle`]),
    ]
    return `${c.transport} ${parts.join(', ')}`
  })
  return ['verdict by p50 (median latency):', ...lines, wrap(noiseLine(summary)), wrap(`cost: ${costs.join('; ')}`)]
}
