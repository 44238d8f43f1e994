import type { RunContext } from '../context.js'
import type { TransportResult } from '../metrics/summarise.js'
import { settingColumns } from '../transports/reporting.js'
import type { ColumnPlace } from '../transports/setting.js'

type Cell = string | number | boolean | null

/** One CSV column: its stable name and where its value comes from. */
interface Column {
  name: string
  value: (row: TransportResult, context: RunContext) => Cell
}

const col = (name: string, value: Column['value']): Column => ({ name, value })

/** The transports' settings' columns that sit at `place` (transports/reporting.ts). */
const settingsAt = (place: ColumnPlace): Column[] =>
  settingColumns(place).map((s) => col(s.name, (r, c) => s.value(c.settings.transportSettings, r.settings)))

/**
 * The CSV contract. The first 17 names are fixed for good; new columns are only ever added
 * at the end, so scripts that read results by name or position keep working.
 */
export const csvColumns: readonly Column[] = [
  col('transport', (r) => r.transport),
  col('sent', (r) => r.sent),
  col('delivered', (r) => r.delivered),
  col('lost', (r) => r.lost),
  col('duplicated', (r) => r.duplicated),
  col('reordered', (r) => r.reordered),
  col('p50_ms', (r) => r.latency.p50Ms),
  col('p90_ms', (r) => r.latency.p90Ms),
  col('p99_ms', (r) => r.latency.p99Ms),
  col('p999_ms', (r) => r.latency.p999Ms),
  col('max_ms', (r) => r.latency.maxMs),
  col('recv_requests_per_msg', (r) => r.recvRequestsPerMsg),
  col('bytes_up_per_msg', (r) => r.bytesUpPerMsg),
  col('bytes_down_per_msg', (r) => r.bytesDownPerMsg),
  col('connections', (r) => r.connections),
  col('server_cpu_ms_per_1k', (r) => r.serverCpuMsPer1k),
  col('server_rss_mb', (r) => r.serverRssMb),
  // Added after the fixed set: more about the row, then the run's context.
  col('mean_ms', (r) => r.latency.meanMs),
  col('send_mode', (r) => r.sendMode),
  col('server_dropped', (r) => r.serverDropped),
  col('send_errors', (r) => r.sendErrors),
  col('receive_errors', (r) => r.receiveErrors),
  col('send_lag_p50_us', (r) => r.sendLagP50Us),
  col('send_lag_p99_us', (r) => r.sendLagP99Us),
  col('loop_delay_p99_ms', (r) => r.loopDelayP99Ms),
  col('generator_cpu_pct', (r) => r.generatorCpuPct),
  col('generator_limited', (r) => r.generatorLimited),
  col('window_ms', (r) => r.windowMs),
  col('pairs', (_, c) => c.settings.pairs),
  col('rate_per_sec', (_, c) => c.settings.ratePerSec),
  col('payload_bytes', (_, c) => c.settings.payloadBytes),
  ...settingsAt('run-settings'),
  col('duration_ms', (_, c) => c.settings.durationMs),
  col('warmup_ms', (_, c) => c.settings.warmupMs),
  col('target', (_, c) => c.settings.target),
  col('placement', (_, c) => c.settings.placement),
  col('tool_version', (_, c) => c.toolVersion),
  col('node_version', (_, c) => c.nodeVersion),
  col('cpu_model', (_, c) => c.cpuModel),
  col('cpu_count', (_, c) => c.cpuCount),
  col('os', (_, c) => c.os),
  col('commit', (_, c) => c.commit),
  col('started_at', (_, c) => c.startedAt),
  // --repeat: the row holds medians; how many runs, and how far p50 and p99 ranged (min–max).
  col('repeats', (r) => r.repeats?.count ?? 1),
  col('p50_ms_min', (r) => r.repeats?.p50Ms.min ?? null),
  col('p50_ms_max', (r) => r.repeats?.p50Ms.max ?? null),
  col('p99_ms_min', (r) => r.repeats?.p99Ms.min ?? null),
  col('p99_ms_max', (r) => r.repeats?.p99Ms.max ?? null),
  // Scenarios: the shape of the load, and the cost of being connected.
  col('scenario', (_, c) => c.settings.scenario ?? null),
  col('receivers_per_group', (_, c) => c.settings.receiversPerGroup ?? null),
  col('idle_receivers', (_, c) => c.settings.idleReceivers ?? null),
  col('arrival', (_, c) => c.settings.arrival ?? null),
  col('payload_max_bytes', (_, c) => c.settings.payloadMaxBytes ?? null),
  col('receivers', (r) => r.receivers),
  col('recv_requests_per_min', (r) => r.recvRequestsPerMin),
  col('server_rss_mb_per_1k_receivers', (r) => r.serverRssMbPer1kReceivers),
  ...settingsAt('scenario'),
  col('tls', (_, c) => c.settings.tls),
  // Stages: what the window ran through; per-stage figures are in the JSON.
  col('stages', (_, c) => c.settings.stages ?? null),
  col('workers', (_, c) => c.settings.workers ?? null),
  // Memory per connection held: the generator's own (is it the bottleneck at scale?) and the server's.
  col('generator_rss_mb_per_1k_connections', (r) => r.generatorRssMbPer1kConnections),
  col('server_rss_mb_per_1k_connections', (r) => r.serverRssMbPer1kConnections),
  // A transport's new settings: after every other column, as the CSV only grows at its end.
  ...settingsAt('end'),
]

export const csvHeader: readonly string[] = csvColumns.map((c) => c.name)
