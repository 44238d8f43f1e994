/**
 * Hand-built values shared by the unit tests: a run context, transport results and a report,
 * with awkward figures on purpose (fractions, NaN, null, commas and quotes in text).
 */
import type { WireCounts } from '../../src/client/wire.js'
import type { RunContext } from '../../src/context.js'
import { encodeHistogram, newHistogram, recordUs } from '../../src/metrics/histogram.js'
import type { TransportResult } from '../../src/metrics/summarise.js'
import type { ServerStats } from '../../src/protocol/stats.js'
import type { RunReport } from '../../src/results/report.js'

export function fixtureContext(): RunContext {
  return {
    toolVersion: '0.1.0',
    nodeVersion: 'v20.19.0',
    cpuModel: 'Test CPU, "quoted" @ 3.00GHz',
    cpuCount: 8,
    os: 'linux 6.1.0',
    commit: null,
    startedAt: '2026-11-26T13:05:00.123Z',
    settings: {
      pairs: 50,
      ratePerSec: 20,
      durationMs: 10_000,
      warmupMs: 2000,
      payloadBytes: 128,
      transportSettings: { 'short-polling': { interval: 100 }, 'long-polling': { hold: 30_000 }, websocket: { send: 'post' } },
      target: 'embedded',
      placement: 'none',
      tls: false,
    },
  }
}

/** Latencies 1..`count` ms in µs steps of 1000: a histogram string a result can carry. */
export function fixtureHistogram(count: number): string {
  const h = newHistogram()
  for (let i = 1; i <= count; i++) recordUs(h, i * 1000)
  return encodeHistogram(h)
}

/** A result with every figure known, several of them fractional. */
export function fixtureResult(overrides: Partial<TransportResult> = {}): TransportResult {
  return {
    transport: 'short-polling',
    sendMode: 'post',
    sent: 10_000,
    delivered: 9_997,
    lost: 3,
    duplicated: 2,
    reordered: 1,
    latency: { count: 9_997, p50Ms: 50.123, p90Ms: 90.001, p99Ms: 99.999, p999Ms: 100.5, maxMs: 123.456, meanMs: 51.23456789012345 },
    recvRequestsPerMsg: 1 / 3,
    bytesUpPerMsg: 712.5,
    bytesDownPerMsg: 2 / 7,
    connections: 100,
    serverCpuMsPer1k: 123.456789,
    serverRssMb: 87.25,
    serverDropped: 0,
    sendLagP50Us: 12,
    sendLagP99Us: 250,
    loopDelayP99Ms: 1.5,
    generatorCpuPct: 33.33333333333333,
    generatorLimited: false,
    sendErrors: 0,
    receiveErrors: 1,
    firstError: 'socket hang up, then "retry"',
    windowMs: 10_000,
    histogram: fixtureHistogram(9_997),
    receivers: 50,
    recvRequestsPerMin: 30_000,
    serverRssMbPer1kReceivers: 12.5,
    generatorRssMbPer1kConnections: 4.25,
    serverRssMbPer1kConnections: 6.25,
    ...overrides,
  }
}

/** A result where nothing was delivered and the server said nothing: NaN and null figures. */
export function unknownResult(): TransportResult {
  return fixtureResult({
    transport: 'websocket',
    sendMode: 'socket',
    delivered: 0,
    lost: 10_000,
    duplicated: 0,
    reordered: 0,
    latency: {
      count: 0,
      p50Ms: Number.NaN,
      p90Ms: Number.NaN,
      p99Ms: Number.NaN,
      p999Ms: Number.NaN,
      maxMs: Number.NaN,
      meanMs: Number.NaN,
    },
    recvRequestsPerMsg: Number.NaN,
    bytesUpPerMsg: Number.NaN,
    bytesDownPerMsg: Number.NaN,
    serverCpuMsPer1k: null,
    serverRssMb: null,
    serverDropped: null,
    serverRssMbPer1kReceivers: null,
    serverRssMbPer1kConnections: null,
    generatorLimited: true,
    firstError: null,
    histogram: encodeHistogram(newHistogram()),
  })
}

export function fixtureReport(): RunReport {
  return {
    schemaVersion: 1,
    context: fixtureContext(),
    results: [
      fixtureResult(),
      fixtureResult({
        transport: 'sse',
        delivered: 10_000,
        lost: 0,
        latency: { ...fixtureResult().latency, count: 10_000 },
        histogram: fixtureHistogram(10_000),
      }),
      unknownResult(),
    ],
  }
}

export function wireCounts(requests: number, connections: number, bytesUp: number, bytesDown: number): WireCounts {
  return { requests, connections, bytesUp, bytesDown }
}

export function serverStats(overrides: Partial<ServerStats> = {}): ServerStats {
  return {
    cpuUserUs: 0,
    cpuSystemUs: 0,
    rssBytes: 0,
    maxRssBytes: 0,
    dropped: 0,
    connectionsAccepted: 0,
    users: 0,
    slowConsumersCut: 0,
    ...overrides,
  }
}
