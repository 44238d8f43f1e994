import { UserError } from '../errors.js'
import { formatDurationMs } from '../units.js'
import { formatBandwidth } from './bandwidth.js'
import type { LinkSpec } from './types.js'

/** A named network link, with where its figures come from. */
export interface LinkProfile {
  name: string
  /** Round trip, split evenly between up and down. */
  rttMs: number
  /** One-way variation per chunk, each direction (uniform ± this). */
  jitterMs: number
  downBitsPerSec: number | undefined
  upBitsPerSec: number | undefined
  /** Where RTT and bandwidth come from; a jitter no source gives is marked as ours. */
  source: string
}

/**
 * The shipped profiles. Browser and WebPageTest presets give RTT and bandwidth but no jitter;
 * where no public source gives one, the jitter is ours and the source says so.
 */
export const linkProfiles: readonly LinkProfile[] = [
  {
    name: 'loopback',
    rttMs: 0,
    jitterMs: 0,
    downBitsPerSec: undefined,
    upBitsPerSec: undefined,
    source: 'no emulation: the machine’s own loopback (a TCP round trip of 0.04–0.07 ms on a 2-core VM, bench:link-cost)',
  },
  {
    name: 'lan',
    rttMs: 0.5,
    jitterMs: 0.05,
    downBitsPerSec: 1e9,
    upBitsPerSec: 1e9,
    source: 'gigabit Ethernet line rate (IEEE 802.3ab, 1000BASE-T); RTT and jitter ours: a switched LAN answers ping in well under 1 ms',
  },
  {
    name: 'wifi',
    rttMs: 2,
    jitterMs: 0.5,
    downBitsPerSec: 30e6,
    upBitsPerSec: 15e6,
    source: 'Firefox DevTools throttling preset “Wi-Fi” (30 Mbps down, 15 Mbps up, 2 ms); jitter ours',
  },
  {
    name: '4g',
    rttMs: 70,
    jitterMs: 5,
    downBitsPerSec: 12e6,
    upBitsPerSec: 12e6,
    source: 'WebPageTest connectivity profile “LTE (12 Mbps, 70ms RTT)”; jitter ours',
  },
  {
    name: '3g',
    rttMs: 300,
    jitterMs: 10,
    downBitsPerSec: 1.6e6,
    upBitsPerSec: 768e3,
    source: 'WebPageTest connectivity profile “3G (1.6 Mbps/768 Kbps 300ms RTT)”; jitter ours',
  },
  {
    name: 'transatlantic',
    rttMs: 75,
    jitterMs: 1,
    downBitsPerSec: undefined,
    upBitsPerSec: undefined,
    source:
      'London–New York: light in fibre over the 5,570 km great circle needs 56 ms RTT; Verizon’s transatlantic SLA allows a 90 ms monthly average; bandwidth left to the access link (add --bandwidth); jitter ours',
  },
  {
    name: 'satellite',
    rttMs: 600,
    jitterMs: 10,
    downBitsPerSec: 25e6,
    upBitsPerSec: 3e6,
    source:
      'geostationary hop: ITU-T G.114 gives about 260 ms one way for a 36,000 km orbit, and the FCC’s Measuring Broadband America reports GEO satellite round trips near 600 ms; 25/3 Mbps, the FCC broadband benchmark such plans are sold at; jitter ours',
  },
]

export const linkProfileNames: readonly string[] = linkProfiles.map((p) => p.name)

/** The profile of that name; a UserError listing the names otherwise. */
export function findLinkProfile(name: string, what: string): LinkProfile {
  const profile = linkProfiles.find((p) => p.name === name.trim().toLowerCase())
  if (profile === undefined) throw new UserError(`${what}: unknown link ${name} (expected one of ${linkProfileNames.join(', ')})`)
  return profile
}

/** A profile's spec: its RTT split evenly between the two directions. */
export function profileSpec(profile: LinkProfile): LinkSpec {
  return {
    delayUpMs: profile.rttMs / 2,
    delayDownMs: profile.rttMs / 2,
    jitterMs: profile.jitterMs,
    bandwidthUpBitsPerSec: profile.upBitsPerSec,
    bandwidthDownBitsPerSec: profile.downBitsPerSec,
  }
}

/** The profiles as table rows, header first: name, RTT, jitter, bandwidth down / up, source. */
export function linkProfileRows(): string[][] {
  return [
    ['link', 'RTT', 'jitter (each way)', 'down', 'up', 'source'],
    ...linkProfiles.map((p) => [
      p.name,
      formatDurationMs(p.rttMs),
      p.jitterMs === 0 ? '0' : `±${formatDurationMs(p.jitterMs)}`,
      formatBandwidth(p.downBitsPerSec),
      formatBandwidth(p.upBitsPerSec),
      p.source,
    ]),
  ]
}

/** The same rows as a Markdown table, for the README. */
export function linkProfilesMarkdown(): string {
  const [header, ...rows] = linkProfileRows()
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  return [line(header!), line(header!.map(() => '---')), ...rows.map(line)].join('\n')
}
