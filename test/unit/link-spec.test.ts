import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { UserError } from '../../src/errors.js'
import { achievedRtt, judgeLink } from '../../src/link/achieved.js'
import { formatBandwidth, parseBandwidth, parseBandwidthPair } from '../../src/link/bandwidth.js'
import { linkProfileRows, linkProfiles, linkProfilesMarkdown, profileSpec } from '../../src/link/profiles.js'
import { describeLink, linkSpecFrom, parseLinkDelayMs } from '../../src/link/spec.js'
import type { LinkMeasurements, LinkSpec } from '../../src/link/types.js'
import { newHistogram, recordUs } from '../../src/metrics/histogram.js'
import { seededRandom } from '../../src/pacing/arrivals.js'

/** Asserts `f` throws a one-line UserError (exit 2) whose message contains every fragment. */
function assertRefused(f: () => unknown, ...fragments: string[]): void {
  assert.throws(f, (err: unknown) => {
    assert.ok(err instanceof UserError, `not a UserError: ${String(err)}`)
    assert.equal(err.exitCode, 2)
    assert.ok(!err.message.includes('\n'), 'more than one line')
    for (const fragment of fragments) assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`)
    return true
  })
}

describe('parseBandwidth', () => {
  const valid: [string, number | undefined][] = [
    ['10mbit', 10e6],
    ['1.5mbit', 1.5e6],
    ['500kbit', 500e3],
    ['1gbit', 1e9],
    ['2mbyte', 16e6],
    ['64kbyte', 512e3],
    ['1000bit', 1000],
    ['10Mbit', 10e6],
    [' 10mbit ', 10e6],
    ['unlimited', undefined],
  ]
  for (const [text, bits] of valid) {
    it(`reads ${JSON.stringify(text)} as ${String(bits)} bit/s`, () => assert.equal(parseBandwidth(text, '--bandwidth'), bits))
  }

  const malformed = ['fast', '', '10', '-5mbit', '10 mbit', '10mbps', '10kb', '1e3mbit', 'NaN', 'mbit', '10constructor', '.5mbit']
  for (const text of malformed) {
    it(`refuses ${JSON.stringify(text)} in one line naming the flag, the value and the units`, () =>
      assertRefused(() => parseBandwidth(text, '--bandwidth'), '--bandwidth', `(got ${text})`, '10mbit', 'mbyte'))
  }

  for (const text of ['0mbit', '0', '999bit', '0.5kbit']) {
    it(`refuses ${JSON.stringify(text)} as below the slowest rate`, () => {
      if (text === '0') return assertRefused(() => parseBandwidth(text, '--bandwidth'), '(got 0)')
      assertRefused(() => parseBandwidth(text, '--bandwidth'), 'at least 1kbit', `(got ${text})`)
    })
  }

  it('reads one rate as both directions and down/up as two', () => {
    assert.deepEqual(parseBandwidthPair('10mbit', 'b'), { downBitsPerSec: 10e6, upBitsPerSec: 10e6 })
    assert.deepEqual(parseBandwidthPair('20mbit/5mbit', 'b'), { downBitsPerSec: 20e6, upBitsPerSec: 5e6 })
    assert.deepEqual(parseBandwidthPair('unlimited/1mbit', 'b'), { downBitsPerSec: undefined, upBitsPerSec: 1e6 })
    assertRefused(() => parseBandwidthPair('1mbit/2mbit/3mbit', 'b'), 'down/up')
    assertRefused(() => parseBandwidthPair('1mbit/', 'b'), '(got )')
  })

  it('formats rates the way they are typed', () => {
    assert.equal(formatBandwidth(10e6), '10mbit')
    assert.equal(formatBandwidth(1.6e6), '1.6mbit')
    assert.equal(formatBandwidth(768e3), '768kbit')
    assert.equal(formatBandwidth(1e9), '1gbit')
    assert.equal(formatBandwidth(500), '500bit')
    assert.equal(formatBandwidth(undefined), 'unlimited')
    for (const text of ['10mbit', '1.6mbit', '768kbit', '1gbit']) assert.equal(formatBandwidth(parseBandwidth(text, 'x')), text)
  })
})

describe('link delays and flags', () => {
  it('reads delays of 0 and more', () => {
    assert.equal(parseLinkDelayMs('0', '--rtt'), 0)
    assert.equal(parseLinkDelayMs('100ms', '--rtt'), 100)
    assert.equal(parseLinkDelayMs('1.5s', '--rtt'), 1500)
  })

  for (const text of ['-1', '-5ms', 'fast', '', '10x', '1h']) {
    it(`refuses the delay ${JSON.stringify(text)} in one line`, () =>
      assertRefused(() => parseLinkDelayMs(text, '--rtt'), '--rtt', `(got ${text})`))
  }

  it('refuses a bare number with the hint that it needs a unit', () =>
    assertRefused(() => parseLinkDelayMs('100', '--rtt'), '--rtt', '(got 100; a number needs a unit: 100ms or 100s?)'))

  it('refuses a delay beyond the typo guard', () => assertRefused(() => parseLinkDelayMs('2m', '--delay-up'), '--delay-up', 'at most 1m'))

  it('gives no spec when no link flag is set', () => assert.equal(linkSpecFrom({}), undefined))

  it('splits --rtt evenly and takes --delay-up/--delay-down as given', () => {
    assert.deepEqual(linkSpecFrom({ rtt: '100ms' }), {
      delayUpMs: 50,
      delayDownMs: 50,
      jitterMs: 0,
      bandwidthUpBitsPerSec: undefined,
      bandwidthDownBitsPerSec: undefined,
    })
    const spec = linkSpecFrom({ delayUp: '10ms', delayDown: '30ms', jitter: '2ms', bandwidth: '20mbit/5mbit' })
    assert.deepEqual(spec, { delayUpMs: 10, delayDownMs: 30, jitterMs: 2, bandwidthUpBitsPerSec: 5e6, bandwidthDownBitsPerSec: 20e6 })
  })

  it('starts from a profile and lets each flag override it', () => {
    const spec = linkSpecFrom({ link: '3g', rtt: '100ms' })
    assert.deepEqual(spec, { ...profileSpec(linkProfiles.find((p) => p.name === '3g')!), delayUpMs: 50, delayDownMs: 50 })
    assert.equal(linkSpecFrom({ link: '4g', bandwidth: 'unlimited' })?.bandwidthDownBitsPerSec, undefined)
  })

  it('refuses --rtt beside --delay-up, and an unknown profile listing the known ones', () => {
    assertRefused(() => linkSpecFrom({ rtt: '10ms', delayUp: '5ms' }), '--rtt', '--delay-up', 'not both')
    assertRefused(() => linkSpecFrom({ link: 'dialup' }), '--link', 'unknown link dialup', 'loopback', 'satellite')
    assertRefused(() => linkSpecFrom({ rtt: '-1' }), '--rtt', '(got -1)')
  })

  it('names flags the way the caller does, for a scenario file', () => {
    const names = {
      link: 'link.profile',
      rtt: 'link.rtt',
      delayUp: 'link.up',
      delayDown: 'link.down',
      jitter: 'link.jitter',
      bandwidth: 'link.bandwidth',
    }
    assertRefused(() => linkSpecFrom({ bandwidth: 'fast' }, names), 'link.bandwidth: expected')
  })

  it('describes a link in one line', () => {
    assert.equal(describeLink(linkSpecFrom({ rtt: '100ms' })!), 'link rtt 100ms, bandwidth unlimited')
    assert.equal(
      describeLink(linkSpecFrom({ delayUp: '10ms', delayDown: '30ms', jitter: '2ms', bandwidth: '20mbit/5mbit' })!),
      'link rtt 40ms (10ms up, 30ms down), jitter ±2ms each way, bandwidth 20mbit down / 5mbit up',
    )
  })
})

describe('link profiles', () => {
  it('ships the named links, each with an RTT, a jitter, a bandwidth and a source', () => {
    for (const name of ['loopback', 'lan', 'wifi', '4g', '3g', 'transatlantic', 'satellite']) {
      const p = linkProfiles.find((profile) => profile.name === name)
      assert.ok(p, `no ${name}`)
      assert.ok(p.rttMs >= 0 && p.jitterMs >= 0 && p.source.length > 20)
      assert.ok(name === 'loopback' || p.jitterMs < p.rttMs / 2, `${name}: jitter beyond the one-way delay would be clamped`)
    }
  })

  it('renders as a table with one row per profile, for the README', () => {
    const rows = linkProfileRows()
    assert.deepEqual(rows[0], ['link', 'RTT', 'jitter (each way)', 'down', 'up', 'source'])
    assert.equal(rows.length, linkProfiles.length + 1)
    assert.deepEqual(rows.find((r) => r[0] === '3g')?.slice(0, 5), ['3g', '300ms', '±10ms', '1.6mbit', '768kbit'])
    const markdown = linkProfilesMarkdown().split('\n')
    assert.equal(markdown.length, linkProfiles.length + 2)
    assert.ok(markdown.every((line) => line.startsWith('| ') && line.endsWith(' |')))
  })
})

function measurements(upUs: readonly number[], downUs: readonly number[], late = 1): LinkMeasurements {
  const direction = (values: readonly number[]): LinkMeasurements['up'] => {
    const addedUs = newHistogram()
    const lateUs = newHistogram()
    for (const v of values) {
      recordUs(addedUs, v)
      recordUs(lateUs, late)
    }
    return { addedUs, lateUs, bytes: values.length }
  }
  return { up: direction(upUs), down: direction(downUs), connections: 1, connectFailures: 0, resets: 0, pauses: 0, spanMs: 1000 }
}

const spec = (rttMs: number): LinkSpec => ({
  delayUpMs: rttMs / 2,
  delayDownMs: rttMs / 2,
  jitterMs: 0,
  bandwidthUpBitsPerSec: undefined,
  bandwidthDownBitsPerSec: undefined,
})

describe('achieved RTT', () => {
  it('adds a constant delay up and a constant delay down', () => {
    const rtt = achievedRtt(measurements(Array<number>(100).fill(20_000), Array<number>(100).fill(30_000)))
    assert.ok(Math.abs(rtt.p50Ms - 50) < 0.05 && Math.abs(rtt.p99Ms - 50) < 0.05, JSON.stringify(rtt))
  })

  it('is the distribution of a sum: uniform ± 10 ms each way gives p50 at the sum of delays and p99 below the sum of p99s', () => {
    const random = seededRandom(9)
    const uniform = (center: number): number[] => Array.from({ length: 20_000 }, () => center + (2 * random() - 1) * 10_000)
    const rtt = achievedRtt(measurements(uniform(50_000), uniform(50_000)))
    // The sum of two U(−10, 10) is triangular on (−20, 20): its p99 is 20 − 20·√(2·0.01) ≈ 17.17 ms above the centre.
    assert.ok(Math.abs(rtt.p50Ms - 100) < 0.3, `p50 ${rtt.p50Ms}`)
    assert.ok(Math.abs(rtt.p99Ms - 117.17) < 0.5, `p99 ${rtt.p99Ms}`)
  })

  it('is unknown when a direction forwarded nothing', () => {
    const verdict = judgeLink(spec(50), measurements([25_000], []))
    assert.ok(Number.isNaN(verdict.rttP50Ms))
    assert.equal(verdict.off, false)
    assert.match(verdict.line, /unknown/)
  })

  it('passes a run within 10% of the ask and flags one beyond, saying whose fault it is', () => {
    const near = judgeLink(spec(100), measurements(Array<number>(10).fill(52_000), Array<number>(10).fill(52_000)))
    assert.equal(near.off, false)
    assert.ok(Math.abs(near.offShare - 0.04) < 0.002)
    // Each direction's value is read back to 3 significant digits (its bucket's top), so within 0.1%.
    assert.ok(Math.abs(near.rttP50Ms - 104) <= 0.104, `p50 ${near.rttP50Ms}`)
    assert.match(near.line, /^achieved rtt p50 104\.\d{3} ms \/ p99 104\.\d{3} ms \(asked 100\.000 ms\)$/)
    const queued = judgeLink(spec(100), measurements(Array<number>(10).fill(60_000), Array<number>(10).fill(60_000)))
    assert.equal(queued.off, true)
    assert.match(queued.line, /off by more than 10\.000 ms, pieces left on time/)
    const late = judgeLink(spec(100), measurements(Array<number>(10).fill(60_000), Array<number>(10).fill(60_000), 9000))
    assert.match(late.line, /the emulator wrote late/)
  })

  it('does not flag the proxy’s own microseconds at an asked RTT of 0', () => {
    assert.equal(judgeLink(spec(0), measurements([20, 30], [20, 30])).off, false)
    assert.equal(judgeLink(spec(0), measurements([200], [200])).off, true)
  })
})
