import { formatMs } from '../units.js'
import { figuresOf, type FieldSpec, type Figure, type ResultFields } from './field.js'

/**
 * Every field of a transport's result, declared once: its CSV column, its table heading, how
 * compare and the gate read it, and how it combines over `--repeat` runs (the typical run:
 * usually the median) and over `merge` (the pieces as one longer run: counters add up, costs
 * are re-divided, percentiles come from the added histograms). The CSV's column order is in
 * columns.ts; the table's default columns in report/table.ts.
 */
export const resultFields: ResultFields = {
  transport: { column: 'transport', label: 'transport', repeat: 'first', merge: 'first', why: 'the row’s name: merge groups rows by it' },
  sendMode: {
    column: 'send_mode',
    label: 'send',
    flag: { word: 'socket', when: (mode) => mode === 'socket', means: 'userA sends on the transport’s own connection' },
    repeat: 'first',
    merge: 'first',
    why: 'part of what the row is: the same in every run of it',
  },
  sent: { column: 'sent', label: 'sent', repeat: 'median', merge: 'sum', why: 'a counter: the pieces of a merge add up' },
  delivered: { column: 'delivered', label: 'delivered', repeat: 'median', merge: 'sum', why: 'a counter' },
  lost: {
    column: 'lost',
    label: 'lost',
    digits: 0,
    text: String,
    compare: { group: 'correctness', better: 'lower' },
    repeat: 'median',
    merge: 'sum',
    why: 'a counter; the median on its own, so it need not equal sent − delivered',
  },
  duplicated: {
    column: 'duplicated',
    label: 'dup',
    digits: 0,
    text: String,
    compare: { group: 'correctness', better: 'lower' },
    repeat: 'median',
    merge: 'sum',
    why: 'a counter',
  },
  reordered: {
    column: 'reordered',
    label: 'reord',
    digits: 0,
    text: String,
    compare: { group: 'correctness', better: 'lower' },
    repeat: 'median',
    merge: 'sum',
    why: 'a counter',
  },
  latency: {
    fields: {
      count: { repeat: 'median', merge: 'fromHistogram', why: 'the typical run’s over repeats; a merge counts the added histogram' },
      p50Ms: latencyField('p50_ms', 'p50 ms', 'p50'),
      p90Ms: latencyField('p90_ms', 'p90 ms', 'p90'),
      p99Ms: latencyField('p99_ms', 'p99 ms', 'p99'),
      p999Ms: latencyField('p999_ms', 'p99.9 ms', 'p999'),
      maxMs: latencyField('max_ms', 'max ms', 'max'),
      meanMs: latencyField('mean_ms', 'mean ms'),
    },
  },
  recvRequestsPerMsg: perMessage('recv_requests_per_msg', 'req/msg', 'req', 2),
  bytesUpPerMsg: perMessage('bytes_up_per_msg', 'B up/msg', 'B', 0),
  bytesDownPerMsg: perMessage('bytes_down_per_msg', 'B down/msg', 'B', 0),
  connections: {
    column: 'connections',
    label: 'conns',
    digits: 0,
    text: String,
    compare: { group: 'cost', better: 'lower' },
    repeat: 'median',
    merge: 'sum',
    why: 'a counter: each piece of a merge opened its own',
  },
  serverCpuMsPer1k: { ...perMessage('server_cpu_ms_per_1k', 'srv CPU ms/1k', 'ms', 1), shards: 'oncePerDelivered' },
  serverRssMb: {
    column: 'server_rss_mb',
    label: 'srv RSS MB',
    unit: 'MB',
    digits: 1,
    compare: { group: 'cost', better: 'lower' },
    repeat: 'median',
    merge: 'max',
    why: 'a peak: the merged run’s peak is the highest of its pieces’ (shards read the same server’s)',
  },
  serverDropped: {
    column: 'server_dropped',
    label: 'srv dropped',
    repeat: 'median',
    merge: 'sum',
    shards: 'first',
    why: 'a counter; unknown stays unknown; every shard read the same server, so merged shards take one’s',
  },
  sendLagP50Us: worstCase('send_lag_p50_us', 'lag p50 µs', 'µs'),
  sendLagP99Us: worstCase('send_lag_p99_us', 'lag p99 µs', 'µs'),
  loopDelayP99Ms: worstCase('loop_delay_p99_ms', 'loop p99 ms', 'ms'),
  generatorCpuPct: {
    column: 'generator_cpu_pct',
    label: 'gen CPU %',
    unit: '%',
    digits: 0,
    repeat: 'median',
    merge: 'perWindow',
    shards: 'sum',
    why: 'a share of the window: CPU time over window time, so pieces weigh by their window; shards run at once, so their shares add up',
  },
  generatorLimited: {
    column: 'generator_limited',
    label: 'gen-limited',
    flag: { word: 'gen-limited', when: Boolean, means: 'the generator fell behind its schedule: see below' },
    repeat: 'any',
    merge: 'anyOrLimited',
    why: 'a warning: one distorted run taints the row; a merge also checks its own worst lag against its p99',
  },
  sendsQueued: {
    column: 'sends_queued',
    label: 'sends queued',
    digits: 0,
    repeat: 'median',
    merge: 'sum',
    why: 'a counter: sends that waited behind a full pipeline',
  },
  sendErrors: { column: 'send_errors', label: 'send err', repeat: 'median', merge: 'sum', why: 'a counter' },
  receiveErrors: { column: 'receive_errors', label: 'recv err', repeat: 'median', merge: 'sum', why: 'a counter' },
  reconnects: { column: 'reconnects', label: 'reconn', repeat: 'median', merge: 'sum', why: 'a counter' },
  firstError: { repeat: 'firstKnown', merge: 'firstKnown', why: 'an example that explains losses: any run’s will do (JSON only)' },
  windowMs: {
    column: 'window_ms',
    label: 'window ms',
    digits: 0,
    repeat: 'median',
    merge: 'sum',
    shards: 'max',
    why: 'measured time: a merge is as long as its pieces together; shards measure one window at once',
  },
  histogram: {
    repeat: 'addHistograms',
    merge: 'addHistograms',
    why: 'every run’s latencies, so the row can still be merged (JSON only)',
  },
  repeats: {
    columns: {
      repeats: (s) => s?.count ?? 1,
      p50_ms_min: (s) => s?.p50Ms.min ?? null,
      p50_ms_max: (s) => s?.p50Ms.max ?? null,
      p99_ms_min: (s) => s?.p99Ms.min ?? null,
      p99_ms_max: (s) => s?.p99Ms.max ?? null,
    },
    repeat: 'spread',
    merge: 'drop',
    why: 'the spread of the repeats; a merged row is a sum, not a median, so the spread no longer applies',
  },
  receivers: {
    column: 'receivers',
    label: 'rcv',
    repeat: 'median',
    merge: 'max',
    shards: 'sum',
    why: 'set by the scenario, so the same in every run; where runs differ (merge does not check fan-out or idle users), the most held at once, whatever the order of the files; shards hold theirs at once',
  },
  recvRequestsPerMin: {
    column: 'recv_requests_per_min',
    label: 'req/min',
    digits: 0,
    repeat: 'median',
    merge: 'perWindow',
    shards: 'sum',
    why: 'a rate over the window: requests over minutes, so pieces weigh by their window; shards’ requests arrive at once, so they add up',
  },
  serverRssMbPer1kReceivers: { ...memoryPer1k('server_rss_mb_per_1k_receivers', 'srv MB/1k rcv', 'receiver'), shards: 'oncePerReceiver' },
  generatorRssMbPer1kConnections: memoryPer1k('generator_rss_mb_per_1k_connections', 'gen MB/1k conn', 'connection held'),
  serverRssMbPer1kConnections: {
    ...memoryPer1k('server_rss_mb_per_1k_connections', 'srv MB/1k conn', 'connection held'),
    shards: 'oncePerReceiver',
  },
  achievedRttP50Ms: {
    column: 'achieved_rtt_p50_ms',
    label: 'rtt p50 ms',
    unit: 'ms',
    digits: 3,
    repeat: 'median',
    merge: 'max',
    why: 'what the link achieved, with no histogram kept: the worst piece’s bounds the merged one from above',
  },
  achievedRttP99Ms: { repeat: 'median', merge: 'max', why: 'as achievedRttP50Ms (JSON only)' },
  linkOff: {
    flag: { word: 'link-off', when: Boolean, means: 'the link’s achieved round trip is off its --rtt: see below' },
    repeat: 'any',
    merge: 'any',
    why: 'a warning: one run off the asked RTT taints the row',
  },
  linkNote: { repeat: 'firstKnown', merge: 'firstKnown', why: 'an example line for the notes (JSON only)' },
  setupP50Ms: {
    column: 'setup_p50_ms',
    label: 'setup ms',
    unit: 'ms',
    digits: 3,
    repeat: 'median',
    merge: 'max',
    why: 'a median of a few probes, no histogram kept: the worst piece’s bounds the merged one from above',
  },
  setupBytes: { column: 'setup_bytes', label: 'setup B', digits: 0, repeat: 'median', merge: 'max', why: 'as setupP50Ms' },
  httpVersion: {
    columns: { http_version: (v) => v ?? null },
    repeat: 'first',
    merge: 'first',
    why: 'part of what the row is (HTTP/1.1, or HTTP/2 with --http2): the same in every run of it',
  },
  settings: {
    repeat: 'first',
    merge: 'first',
    why: 'the row’s own settings (their CSV columns are the transports’: columns.ts): the same in every run of it',
  },
  stages: {
    each: {
      stage: { repeat: 'first', merge: 'first', why: 'the scenario’s: the same in every run' },
      startMs: { repeat: 'first', merge: 'first', why: 'the scenario’s' },
      endMs: { repeat: 'first', merge: 'first', why: 'the scenario’s' },
      ratePerSec: { repeat: 'first', merge: 'first', why: 'the scenario’s target' },
      groups: { repeat: 'first', merge: 'first', why: 'the scenario’s target' },
      sent: { repeat: 'median', merge: 'sum', why: 'a counter' },
      delivered: { repeat: 'median', merge: 'sum', why: 'a counter' },
      lost: { repeat: 'median', merge: 'sum', why: 'a counter' },
      p50Ms: { repeat: 'median', merge: 'max', why: 'no histogram per stage: the worst piece’s bounds the merged percentile from above' },
      p99Ms: { repeat: 'median', merge: 'max', why: 'no histogram per stage: the worst piece’s bounds the merged percentile from above' },
      maxMs: { repeat: 'median', merge: 'max', why: 'the largest of the pieces is the merged largest' },
    },
    why: 'the row’s figures per stage, stage by stage (JSON only)',
  },
  timeline: {
    each: {
      startMs: { repeat: 'first', merge: 'first', why: 'the slot’s place in the window: the same in every run' },
      count: { repeat: 'median', merge: 'sum', why: 'a counter' },
      p50Ms: { repeat: 'median', merge: 'max', why: 'only summaries are kept per slot: the worst piece’s bounds the merged percentile from above' },
      p99Ms: { repeat: 'median', merge: 'max', why: 'only summaries are kept per slot: the worst piece’s bounds the merged percentile from above' },
      maxMs: { repeat: 'median', merge: 'max', why: 'the largest of the pieces is the merged largest' },
    },
    why: 'latency per second of scheduled send time, slot by slot (JSON only; --workers adds the slots’ histograms before this)',
  },
  clients: {
    column: 'clients',
    label: 'clients',
    repeat: 'first',
    merge: 'first',
    why: 'part of what the row is (node or browser receivers): the same in every run of it',
  },
  browser: {
    repeat: 'first',
    merge: 'first',
    why: 'the browser and its pages, set by the run; the clock offset of the first run stands for the row (JSON only)',
  },
  windowOpenedAtMs: {
    column: 'window_opened_at_ms',
    repeat: 'first',
    merge: 'drop',
    why: 'a shard’s own instant on its own clock: merged shards keep only how far apart they were (window_skew_ms)',
  },
  windowSkewMs: {
    column: 'window_skew_ms',
    label: 'skew ms',
    unit: 'ms',
    digits: 3,
    repeat: 'max',
    merge: 'max',
    shards: 'skew',
    why: 'how far apart merged shards’ windows opened; merging merged results keeps the worst',
  },
  invalid: {
    column: 'invalid',
    flag: { word: 'invalid', when: (cause) => typeof cause === 'string', means: 'not a measurement of one server: see below' },
    repeat: 'firstKnown',
    merge: 'firstKnown',
    why: 'why the row cannot be trusted (the target restarted during the window): one such run taints the row',
  },
  faults: {
    column: 'faults',
    label: 'faults',
    repeat: 'first',
    merge: 'first',
    why: 'part of what the row is (the faults asked with --faults): the same in every run of it',
  },
  faultsInjected: { column: 'faults_injected', label: 'injected', digits: 0, repeat: 'median', merge: 'sum', why: 'a counter' },
  faulted: {
    flag: { word: 'faulted', when: Boolean, means: 'measured under faults injected into the receivers’ connections (--faults): see below' },
    repeat: 'any',
    merge: 'any',
    why: 'a mark: one faulted run makes the row a fault run',
  },
  recoveryP50Ms: {
    column: 'recovery_p50_ms',
    label: 'recov p50 ms',
    unit: 'ms',
    digits: 1,
    repeat: 'median',
    merge: 'max',
    why: 'a percentile with no histogram kept: the worst piece’s bounds the merged one from above',
  },
  recoveryMaxMs: {
    column: 'recovery_max_ms',
    label: 'recov max ms',
    unit: 'ms',
    digits: 1,
    repeat: 'median',
    merge: 'max',
    why: 'the largest of the pieces is the merged largest',
  },
  lateAfterFault: { column: 'late_after_fault', label: 'late', digits: 0, repeat: 'median', merge: 'sum', why: 'a counter' },
  detectP50Ms: {
    column: 'detect_p50_ms',
    label: 'detect p50 ms',
    unit: 'ms',
    digits: 1,
    repeat: 'median',
    merge: 'max',
    why: 'a percentile with no histogram kept: the worst piece’s bounds the merged one from above',
  },
  detectMaxMs: {
    column: 'detect_max_ms',
    label: 'detect max ms',
    unit: 'ms',
    digits: 1,
    repeat: 'median',
    merge: 'max',
    why: 'the largest of the pieces is the merged largest',
  },
  receiverRttMs: {
    column: 'receiver_rtt_ms',
    label: 'receiver RTT ms',
    unit: 'ms',
    digits: 2,
    repeat: 'median',
    merge: 'max',
    why: 'an allowance: the longest any piece allowed bounds what the merged row allowed',
  },
  silentDrops: { column: 'silent_drops', label: 'silent drops', digits: 0, repeat: 'median', merge: 'sum', why: 'a counter' },
}

/** A number field's declaration, for a number that may be null (unknown) or not. */
type NumberSpec = Omit<FieldSpec<number>, 'text' | 'columns'>

function latencyField(column: string, label: string, metric?: string): FieldSpec<number, 'fromHistogram'> {
  return {
    column,
    label,
    unit: 'ms',
    digits: 3,
    text: formatMs,
    ...(metric === undefined ? {} : { compare: { group: 'latency', name: metric, better: 'lower' } }),
    repeat: 'median',
    merge: 'fromHistogram',
    why: 'the typical run over repeats; a merge re-summarises the added histograms',
  }
}

function perMessage(column: string, label: string, unit: string, digits: number): NumberSpec {
  return {
    column,
    label,
    unit,
    digits,
    compare: { group: 'cost', better: 'lower' },
    repeat: 'median',
    merge: 'perDelivered',
    why: 'a cost per delivered message: the pieces’ totals over their total delivered',
  }
}

function worstCase(column: string, label: string, unit: string): NumberSpec {
  return {
    column,
    label,
    unit,
    digits: unit === 'ms' ? 1 : 0,
    repeat: 'median',
    merge: 'max',
    why: 'a percentile of the generator’s own lag, with no histogram kept: the worst piece’s bounds the merged one from above',
  }
}

function memoryPer1k(column: string, label: string, per: string): NumberSpec {
  return {
    column,
    label,
    unit: 'MB',
    digits: 1,
    repeat: 'median',
    merge: 'mean',
    why: `memory grown per ${per}, on a fresh server and generator each time: pieces of the same settings hold as many, so the mean is total over total`,
  }
}

/** The row's figures, flattened: what the CSV, the table and compare pick from. */
export const figures: readonly Figure[] = figuresOf(resultFields)

/** A figure by its CSV column (`p99_ms`) or its compare name (`p99`). */
export function findFigure(name: string): Figure | undefined {
  return figures.find((f) => f.column === name || f.compare?.name === name || f.cells.some((c) => c.name === name))
}
