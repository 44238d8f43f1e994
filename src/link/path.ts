import type { RunLink } from '../context.js'
import { judgeLink, type LinkVerdict } from './achieved.js'
import { formatBandwidth } from './bandwidth.js'
import { startLink, type LinkOptions } from './create.js'
import { askedRttMs, describeLink } from './spec.js'
import type { LinkAddress, LinkEmulator, LinkSpec } from './types.js'

/** The link a run's generator reaches the server through: one emulated link per TCP connection it opens. */
export interface LinkPath {
  /** The origin to reach the server at: the link's listener, same scheme. */
  origin: string
  /** The measured window starts: what the link did during set-up and warm-up is left out. */
  startWindow(): void
  /** What the link achieved over the window (and the drain after it), against what was asked. */
  verdict(): Promise<LinkVerdict>
  close(): Promise<void>
}

/**
 * Starts an emulated link in front of `origin` (an embedded server or --target): every
 * connection the generator opens to the returned origin gets its own delays and bandwidth,
 * as each would on its own TCP path. Server stats are read around it, directly.
 */
export async function openLinkPath(spec: LinkSpec, origin: string, options: LinkOptions = {}): Promise<LinkPath> {
  const link: LinkEmulator = await startLink(spec, options)
  try {
    const address = await link.open(addressOf(origin))
    let windowStart: Promise<unknown> = Promise.resolve()
    return {
      origin: originAt(origin, address),
      startWindow: () => void (windowStart = link.takeMeasurements()),
      verdict: async () => {
        await windowStart
        return judgeLink(spec, await link.takeMeasurements())
      },
      close: () => link.close(),
    }
  } catch (err) {
    await link.close()
    throw err
  }
}

/** A row's link figures: what the link achieved while that row was measured. */
export interface LinkFigures {
  achievedRttP50Ms: number
  achievedRttP99Ms: number
  /** Achieved RTT p50 further than 10% from the ask: the row's latencies are not at the asked RTT. */
  linkOff: boolean
  /** One line for the table's notes: the achieved RTT, and why it is off when it is. */
  linkNote: string
}

export function linkFigures(verdict: LinkVerdict): LinkFigures {
  return { achievedRttP50Ms: verdict.rttP50Ms, achievedRttP99Ms: verdict.rttP99Ms, linkOff: verdict.off, linkNote: verdict.line }
}

/** What a run's context records of its link: the ask, in the CSV's and the settings line's words. */
export function describeRunLink(spec: LinkSpec, name: string | undefined): RunLink {
  const down = formatBandwidth(spec.bandwidthDownBitsPerSec)
  const up = formatBandwidth(spec.bandwidthUpBitsPerSec)
  return {
    name: name ?? 'custom',
    rttMs: askedRttMs(spec),
    delayUpMs: spec.delayUpMs,
    delayDownMs: spec.delayDownMs,
    jitterMs: spec.jitterMs,
    bandwidth: down === up ? down : `${down} down / ${up} up`,
    description: `${name === undefined ? '' : `${name}: `}${describeLink(spec)}`,
  }
}

/** Where `origin` (`https://[::1]:8443`) listens: its host without brackets, its port or the scheme's. */
export function addressOf(origin: string): LinkAddress {
  const url = new URL(origin)
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80) }
}

/** `origin`'s scheme at `address`: where a proxy in front of it is reached. */
export function originAt(origin: string, address: LinkAddress): string {
  return `${new URL(origin).protocol}//${address.host}:${address.port}`
}
