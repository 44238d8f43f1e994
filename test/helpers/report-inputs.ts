/**
 * Result files to draw, built without a benchmark: four transports with latency histograms
 * and timelines shaped like a real run's, and a capacity search over a fake server.
 */
import { searchCapacity, type CapacityEntry, type CapacityReport, type MeasureStep } from '../../src/capacity/search.js'
import type { RunSettings } from '../../src/context.js'
import { encodeHistogram, newHistogram, recordUs, summariseLatency } from '../../src/metrics/histogram.js'
import type { TransportResult } from '../../src/metrics/summarise.js'
import { newTimeline, recordInTimeline, summariseTimeline } from '../../src/metrics/timeline.js'
import type { RunReport } from '../../src/results/report.js'
import { findTransport } from '../../src/transports/registry.js'
import { fixtureContext, fixtureResult } from '../unit/fixtures.js'

/** Latencies spread from `baseMs` up over 8 s, the tail `tailMs` long, 1 in 100 late. */
function resultOf(transport: string, baseMs: number, tailMs: number, overrides: Partial<TransportResult> = {}): TransportResult {
  const latency = newHistogram()
  const timeline = newTimeline(8000)
  const count = 8000
  for (let i = 0; i < count; i++) {
    const us = 1000 * (baseMs + ((i * 7919) % 1000) / 1000 + (i % 100 === 0 ? (tailMs * (i % 700)) / 700 : 0))
    recordUs(latency, us)
    recordInTimeline(timeline, i, us)
  }
  return fixtureResult({
    transport,
    sent: count,
    delivered: count,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    latency: summariseLatency(latency),
    histogram: encodeHistogram(latency),
    timeline: summariseTimeline(timeline),
    ...overrides,
  })
}

/**
 * A four-transport run at the given poll interval (short polling's median near half of it),
 * the others' latencies `slower` times a base run's, so files overlaid do not hide each other.
 */
export function fourTransportRun(pollIntervalMs = 100, slower = 1): RunReport {
  const context = fixtureContext()
  const settings: RunSettings = {
    ...context.settings,
    transportSettings: { ...context.settings.transportSettings, 'short-polling': { interval: pollIntervalMs } },
  }
  return {
    schemaVersion: 1,
    context: { ...context, settings },
    results: [
      resultOf('short-polling', pollIntervalMs / 2, pollIntervalMs, { recvRequestsPerMsg: 1, bytesUpPerMsg: 323, bytesDownPerMsg: 450 }),
      resultOf('long-polling', 0.3 * slower, 20 * slower, { recvRequestsPerMsg: 1, bytesUpPerMsg: 336, bytesDownPerMsg: 450 }),
      resultOf('sse', 0.3 * slower, 10 * slower, { recvRequestsPerMsg: 0, bytesUpPerMsg: 222, bytesDownPerMsg: 265 }),
      resultOf('websocket', 0.25 * slower, 12 * slower, { recvRequestsPerMsg: 0, bytesUpPerMsg: 222, bytesDownPerMsg: 246 }),
    ],
  }
}

/**
 * A fake server for a capacity search: p99 grows 1 ms per 1,000 msg/s; the first attempt at
 * 6,000 msg/s and above fails on latency (a noisy window), so steps there are retried.
 */
function fakeServer(): MeasureStep {
  const attempts = new Map<string, number>()
  return async (entry, ratePerSec) => {
    const key = `${entry.transport.name}:${entry.sendMode}:${ratePerSec}`
    const attempt = (attempts.get(key) ?? 0) + 1
    attempts.set(key, attempt)
    const slower = entry.transport.name === 'sse' ? 1.5 : 1
    const noisy = ratePerSec >= 6000 && attempt === 1 ? 3 : 1
    const p99Ms = (slower * noisy * ratePerSec) / 1000
    return fixtureResult({
      transport: entry.transport.name,
      sendMode: entry.sendMode,
      sent: ratePerSec,
      delivered: ratePerSec,
      lost: 0,
      duplicated: 0,
      latency: { count: ratePerSec, p50Ms: p99Ms / 2, p90Ms: p99Ms * 0.9, p99Ms, p999Ms: p99Ms, maxMs: p99Ms * 1.1, meanMs: p99Ms / 2 },
      windowMs: 1000,
      serverCpuMsPer1k: 100,
      serverDropped: 0,
      sendLagP99Us: 100,
      generatorLimited: false,
    })
  }
}

/** SSE and WebSocket (socket senders) climbing from 1,000 msg/s by ×2 against a 10 ms SLO, retrying once. */
export async function capacityReport(): Promise<CapacityReport> {
  const entries: CapacityEntry[] = [
    { transport: findTransport('sse')!, sendMode: 'post' },
    { transport: findTransport('websocket')!, sendMode: 'socket' },
  ]
  const plan = { startRatePerSec: 1000, factor: 2, maxRatePerSec: 64_000, maxSteps: 20, refine: 2, retries: 1 }
  return searchCapacity(entries, { plan, sloMs: 10, pairs: 10 }, fixtureContext(), fakeServer())
}
