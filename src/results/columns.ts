import type { RunContext } from '../context.js'
import type { TransportResult } from '../metrics/summarise.js'
import type { Cell } from './field.js'
import { figures } from './fields.js'
import type { RunReport } from './report.js'
import { settingColumns } from '../transports/reporting.js'

/** One CSV column: its stable name and where its value comes from. */
export interface Column {
  name: string
  value: (row: TransportResult, run: RunReport) => Cell
}

/** Columns that repeat the run's context in every row; a row's own figures are declared in fields.ts. */
const contextColumns: Readonly<Record<string, (c: RunContext) => Cell>> = {
  pairs: (c) => c.settings.pairs,
  rate_per_sec: (c) => c.settings.ratePerSec,
  payload_bytes: (c) => c.settings.payloadBytes,
  duration_ms: (c) => c.settings.durationMs,
  warmup_ms: (c) => c.settings.warmupMs,
  target: (c) => c.settings.target,
  placement: (c) => c.settings.placement,
  tool_version: (c) => c.toolVersion,
  node_version: (c) => c.nodeVersion,
  cpu_model: (c) => c.cpuModel,
  cpu_count: (c) => c.cpuCount,
  os: (c) => c.os,
  commit: (c) => c.commit,
  started_at: (c) => c.startedAt,
  scenario: (c) => c.settings.scenario ?? null,
  receivers_per_group: (c) => c.settings.receiversPerGroup ?? null,
  idle_receivers: (c) => c.settings.idleReceivers ?? null,
  arrival: (c) => c.settings.arrival ?? null,
  payload_max_bytes: (c) => c.settings.payloadMaxBytes ?? null,
  tls: (c) => c.settings.tls,
  // What the window ran through; per-stage figures are in the JSON.
  stages: (c) => c.settings.stages ?? null,
  workers: (c) => c.settings.workers ?? null,
  rtt_ms: (c) => c.settings.link?.rttMs ?? null,
  bandwidth: (c) => c.settings.link?.bandwidth ?? null,
  link: (c) => c.settings.link?.name ?? null,
  shard: (c) => c.settings.shard ?? null,
  start_at: (c) => c.settings.startAt ?? null,
}

/** Columns of the run as a whole that its context does not hold: whether it ran to its end. */
const runColumns: Readonly<Record<string, (r: RunReport) => Cell>> = {
  complete: (r) => r.complete !== false,
}

/**
 * The CSV contract: column names in order. The first 17 are fixed for good; new columns are
 * only ever added at the end, so scripts that read results by name or position keep working.
 * Each name is a row figure's column (fields.ts), a transport setting's, or a context or run column (above).
 */
export const csvHeader: readonly string[] = [
  'transport',
  'sent',
  'delivered',
  'lost',
  'duplicated',
  'reordered',
  'p50_ms',
  'p90_ms',
  'p99_ms',
  'p999_ms',
  'max_ms',
  'recv_requests_per_msg',
  'bytes_up_per_msg',
  'bytes_down_per_msg',
  'connections',
  'server_cpu_ms_per_1k',
  'server_rss_mb',
  // Added after the fixed set: more about the row, then the run's context.
  'mean_ms',
  'send_mode',
  'server_dropped',
  'send_errors',
  'receive_errors',
  'send_lag_p50_us',
  'send_lag_p99_us',
  'loop_delay_p99_ms',
  'generator_cpu_pct',
  'generator_limited',
  'window_ms',
  'pairs',
  'rate_per_sec',
  'payload_bytes',
  // The transports' own settings that were released here (poll_interval_ms, long_poll_timeout_ms).
  ...settingColumns('run-settings').map((s) => s.name),
  'duration_ms',
  'warmup_ms',
  'target',
  'placement',
  'tool_version',
  'node_version',
  'cpu_model',
  'cpu_count',
  'os',
  'commit',
  'started_at',
  // --repeat: the row holds medians; how many runs, and how far p50 and p99 ranged (min–max).
  'repeats',
  'p50_ms_min',
  'p50_ms_max',
  'p99_ms_min',
  'p99_ms_max',
  // Scenarios: the shape of the load, and the cost of being connected.
  'scenario',
  'receivers_per_group',
  'idle_receivers',
  'arrival',
  'payload_max_bytes',
  'receivers',
  'recv_requests_per_min',
  'server_rss_mb_per_1k_receivers',
  // The row's own value of a swept setting (row_poll_interval_ms).
  ...settingColumns('scenario').map((s) => s.name),
  'tls',
  // Stages: what the window ran through.
  'stages',
  'workers',
  // Memory per connection held: the generator's own (is it the bottleneck at scale?) and the server's.
  'generator_rss_mb_per_1k_connections',
  'server_rss_mb_per_1k_connections',
  // A transport's newer settings: after every other column, as the CSV only grows at its end.
  ...settingColumns('end').map((s) => s.name),
  // The generator's own queue: sends that waited behind their sender's full pipeline.
  'sends_queued',
  // The emulated link: the RTT asked, the one achieved, the bandwidth and the profile (or custom).
  'rtt_ms',
  'achieved_rtt_p50_ms',
  'bandwidth',
  'link',
  // A receiver's set-up: connect to ready (first answer), and the bytes it took.
  'setup_p50_ms',
  'setup_bytes',
  // Receivers that connected again after their connection (or poll) failed.
  'reconnects',
  // The HTTP version of the row's requests and streams: 1.1, or 2 with --http2.
  'http_version',
  // Where the receivers ran: node or browser.
  'clients',
  // Shards: which share of a run spread over machines, its shared start, when its window opened, and merged shards' skew.
  'shard',
  'start_at',
  'window_opened_at_ms',
  'window_skew_ms',
  // false when the run stopped early (an error, a lost server, a signal): the file holds the rows that finished.
  'complete',
  // Why a row cannot be trusted (the target restarted during the window); empty when it can.
  'invalid',
  // Faults injected into the receivers' connections: what, how many, how fast receivers came back, and what came late.
  'faults',
  'faults_injected',
  'recovery_p50_ms',
  'recovery_max_ms',
  'late_after_fault',
  // How fast receivers found a connection that forwarded nothing (a stall), and how many they dropped for silence.
  'detect_p50_ms',
  'detect_max_ms',
  'silent_drops',
  // The round trip the receivers allowed a poll (docs/PROTOCOL.md, Silence): the run's stats read plus the link's.
  'receiver_rtt_ms',
]

/** A transport's setting: the run's value (from the context) or the row's own (a sweep varies it). */
const transportSettingColumns = new Map(
  (['run-settings', 'scenario', 'end'] as const).flatMap((place) =>
    settingColumns(place).map((s): [string, Column['value']] => [
      s.name,
      (row, run) => s.value(run.context.settings.transportSettings, row.settings),
    ]),
  ),
)

const figureColumns = new Map(figures.flatMap((f) => f.cells.map((c): [string, Column['value']] => [c.name, (row) => c.value(row)])))

function columnNamed(name: string): Column {
  const context = contextColumns[name]
  const whole = runColumns[name]
  const value =
    figureColumns.get(name) ??
    transportSettingColumns.get(name) ??
    (context && ((_row: TransportResult, run: RunReport) => context(run.context))) ??
    (whole && ((_row: TransportResult, run: RunReport) => whole(run)))
  if (value === undefined) throw new Error(`CSV column ${name} is neither a declared field's nor a context or run column`)
  return { name, value }
}

/** Every declared column, placed: a field's column missing from the header would never reach the CSV. */
function checkPlaced(): void {
  const unplaced = [...figureColumns.keys(), ...Object.keys(contextColumns), ...Object.keys(runColumns)].filter((name) => !csvHeader.includes(name))
  if (unplaced.length > 0) throw new Error(`CSV columns declared but not placed in csvHeader: ${unplaced.join(', ')}`)
}

checkPlaced()
export const csvColumns: readonly Column[] = csvHeader.map(columnNamed)
