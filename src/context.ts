import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, platform, release } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TransportSettings } from './transports/types.js'

/** The settings that explain a run's rows: printed under the table, kept in every CSV row. */
export interface RunSettings {
  pairs: number
  ratePerSec: number
  durationMs: number
  warmupMs: number
  payloadBytes: number
  /**
   * Each transport's own settings, by transport name and setting key (transports/setting.ts).
   * Those released before it are also written under their flat legacy keys (transports/legacy.ts).
   */
  transportSettings: TransportSettings
  /** `embedded`, or the origin given with --target. */
  target: string
  /** `server:1 generator:0` with --pin (`server:1 workers:0,0` with --workers), else `none`. */
  placement: string
  /** The scenario run (`pairs` for plain flags); absent in results from before scenarios. */
  scenario?: string
  receiversPerGroup?: number
  idleReceivers?: number
  /** The arrival process, described (`constant 10/s`, `bursts of 50 in 10ms every 1000ms`). */
  arrival?: string
  /** Largest payload: above payloadBytes when sizes are drawn from a range. */
  payloadMaxBytes?: number
  /** Whether the run went over TLS (https and wss). */
  tls: boolean
  /** The stages the measured window ran through (`10s→rate 50; 20s→groups 200`); absent without stages. */
  stages?: string
  /** Load-generator processes (--workers); absent in results from before workers, which used 1. */
  workers?: number
  /** The emulated link between the generator and the server; absent on plain loopback. */
  link?: RunLink
  /** `run --shard`: which share of a run spread over machines (`1/4`); `all/4` once merged; absent otherwise. */
  shard?: string
  /** `run --start-at`: the instant every shard's schedule started at (ISO); absent otherwise. */
  startAt?: string
  /** Faults injected into the receivers' connections (`--faults`), as the flag takes them: `drop-every=2s`. */
  faults?: string
}

/** The emulated link a run went through (--rtt, --link…), as asked. */
export interface RunLink {
  /** The profile named with --link, or `custom`. */
  name: string
  rttMs: number
  delayUpMs: number
  delayDownMs: number
  jitterMs: number
  /** `10mbit`, `12mbit down / 2mbit up`, or `unlimited`. */
  bandwidth: string
  /** One line: `4g: link rtt 70ms, jitter ±5ms each way, bandwidth 12mbit`. */
  description: string
}

/** Where and with what a run was made, so results from several machines can be compared. */
export interface RunContext {
  toolVersion: string
  nodeVersion: string
  cpuModel: string
  cpuCount: number
  os: string
  /** Git commit of transport-bench itself, when it runs from a checkout. */
  commit: string | null
  startedAt: string
  settings: RunSettings
}

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()
  } catch {
    return null
  }
}

export function describeContext(settings: RunSettings, startedAt: Date): RunContext {
  const cpu = cpus()
  return {
    toolVersion: toolVersion(),
    nodeVersion: process.version,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpuCount: cpu.length,
    os: `${platform()} ${release()}`,
    commit: gitCommit(),
    startedAt: startedAt.toISOString(),
    settings,
  }
}
