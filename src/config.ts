/**
 * Every tunable of transport-bench in one place, with the reason for its value.
 * Flags and scenario files override the run defaults; the rest are fixed by design.
 */

/** What `transport-bench run` does with no flags: about 45 s for all four transports. Each transport's own settings default in its declaration (src/transports/<name>/). */
export const runDefaults = {
  pairs: 100,
  /** Messages per second per pair; 100 pairs × 10/s = 1,000 messages/s in total. */
  ratePerSec: 10,
  durationMs: 8000,
  /** Excluded from every figure: JIT warm-up, connection set-up, first allocations. */
  warmupMs: 2000,
  /** Bytes of each message's data field (sequence number and send time included). */
  payloadBytes: 64,
  outDir: 'results',
} as const

export const serverDefaults = {
  host: '127.0.0.1',
  port: 8080,
  /** Largest POST body; a larger one is answered 413. */
  bodyLimitBytes: 1024 * 1024,
  /** Most messages a mailbox holds before the oldest is dropped (and counted). */
  mailboxMaxMessages: 10_000,
  /** Most bytes of message data a mailbox holds before the oldest is dropped. */
  mailboxMaxBytes: 8 * 1024 * 1024,
  /** Hold of a long poll that names none. */
  longPollDefaultTimeoutMs: 30_000,
  /** Longest hold a long poll may ask for. */
  longPollMaxTimeoutMs: 120_000,
  /** Parked long polls per user; one more is answered 429. */
  longPollMaxParked: 4,
  /** Unsent bytes an SSE or WebSocket receiver may leave queued before it is cut off. */
  slowConsumerMaxBufferedBytes: 16 * 1024 * 1024,
  /** Largest WebSocket frame accepted from a client; a larger one closes with 1009. */
  wsMaxPayloadBytes: 1024 * 1024,
  /** Largest request head (request line and headers); a larger one is answered 431. */
  maxHeaderBytes: 16 * 1024,
  /**
   * Time a client has to finish its request headers (and, over TLS, its handshake); a client
   * that opens a connection and stalls is answered 408 and dropped instead of holding a slot.
   */
  headersTimeoutMs: 10_000,
  /**
   * Time a client has to send a whole request, body included (at least headersTimeoutMs); a
   * body trickled byte by byte is answered 408 and dropped instead of holding a slot for ever.
   */
  bodyTimeoutMs: 30_000,
  /** How often Node looks for connections past headersTimeoutMs. */
  headersCheckIntervalMs: 1000,
  /** Open TCP connections, all clients together; a request on one more is answered 503 and closed. */
  maxConnections: 10_000,
  /**
   * How long a message written to a stream (or handed to a poll) is kept for the receiver to
   * resume from, when no cursor acknowledges it first: longer than a dead stream takes to be
   * noticed (a heartbeat and a margin) and reconnected.
   */
  resumeWindowMs: 60_000,
  /**
   * Interval of the heartbeat on every SSE stream (a comment line) and WebSocket (a ping). A
   * stream whose heartbeat is still unsent, or a socket whose ping is unanswered, one interval
   * later is closed; a client that hears nothing for an interval and a margin reconnects
   * (client/silence.ts).
   */
  heartbeatMs: 10_000,
  /** Open SSE streams and WebSockets per user; one more is answered 429. */
  maxStreamsPerUser: 4,
} as const

export const tlsDefaults = {
  /** A generated certificate lives only as long as the process; a day is plenty. */
  generatedValidityMs: 24 * 60 * 60 * 1000,
} as const

export const generatorTuning = {
  /**
   * A send due within this many ms is waited for by yielding to the event loop
   * (setImmediate) rather than by setTimeout, whose wake-ups run about 0.6 ms late on these
   * machines. Yielding keeps I/O flowing, so receipts are not delayed by the wait.
   */
  spinWindowMs: 2,
  /** Delay before the first send, so every receiver is connected and the schedule starts clean. */
  startDelayMs: 100,
  /** After the last arrival, how long to wait for stragglers beyond twice a polling transport's poll gap. */
  drainMs: 2000,
  /** However much is still arriving, stop waiting this long after the window ends. */
  drainMaxMs: 60_000,
  /** Send lag p99 above this share of latency p99 marks a row as generator-limited. */
  lagShareLimit: 0.25,
  /** …unless the lag is below this, which no reader of a millisecond table would notice. */
  lagFloorUs: 200,
  /** Event-loop delay p99 above this marks a row as generator-limited. */
  loopDelayLimitMs: 10,
  /** Most POSTs a sender pipelines on its connection (HTTP/1.1 keeps them in order). */
  maxSendPipelining: 64,
  /** Receivers the set-up probe opens after each row's load (load/setup-probe.ts). */
  setupProbes: 3,
  /** A probe receiver not ready within this is left out of the set-up figures. */
  setupProbeTimeoutMs: 10_000,
} as const

/** run --workers: the load spread over child processes, each with its own event loop and core. */
export const workerTuning = {
  /** More workers than this gains nothing on any machine we target and risks fork storms. */
  maxWorkers: 64,
  /** Time for a worker to start and open its users (thousands of connections, 64 at a time). */
  readyTimeoutMs: 120_000,
  /** Beyond the schedule and the longest drain: time to close the users and send the result. */
  resultMarginMs: 30_000,
  /** After SIGTERM, how long a worker may take to exit before SIGKILL. */
  stopTimeoutMs: 5000,
} as const

/**
 * What one load-generator process keeps up with on a small VM (2 cores, server beside it)
 * before its send lag or event-loop delay distorts latencies: a scenario beyond these gets
 * a warning before the run. Rough on purpose: the generator-limited flag is the real check.
 */
export const generatorCapacity = {
  sendsPerSec: 5000,
  /**
   * Measured with ticker (one room) on a 2-core VM, server and generator pinned apart: 5,000
   * deliveries/s arrive within milliseconds; at 10,000/s a backlog of seconds builds up.
   */
  deliveriesPerSec: 5000,
  pollsPerSec: 20_000,
  /** File descriptors beyond the users' sockets: stdio, the server stats client, libraries. */
  spareFiles: 64,
} as const

/** HdrHistogram bounds for latencies in microseconds: 1 µs to 10 min at 3 significant digits. */
export const histogramBounds = {
  lowestUs: 1,
  highestUs: 10 * 60 * 1_000_000,
  significantDigits: 3,
} as const

/**
 * The latency timeline (JSON `results[].timeline`): a small histogram per slot of scheduled send
 * time, so a report can draw p50 and p99 across the window and show where it bent.
 */
export const timelineTuning = {
  /** One point per second: what a person reads off a run of seconds to minutes. */
  slotMs: 1000,
  /**
   * Longer windows get wider slots (whole seconds) so there are at most this many: each slot's
   * histogram holds about 13 KB, so the timeline stays under 2 MB however long the run.
   */
  maxSlots: 120,
  /** 1% is plenty for a chart, and takes 13 KB a histogram against 87 KB at 3 digits. */
  significantDigits: 2,
} as const

/** What `transport-bench capacity` does with no flags: a few minutes per transport. */
export const capacityDefaults = {
  /** Pairs stay fixed; each step raises the rate per pair. */
  pairs: 100,
  /** Total messages/s of the first step: 10/s per pair, as a default run. */
  startRatePerSec: 1000,
  /** Each step asks this many times the last: ten steps cover 1,000 to about 38,000 msg/s. */
  factor: 1.5,
  /** Far above what one generator process sends, so a real limit stops the climb first. */
  maxRatePerSec: 200_000,
  /** Climbing steps per transport, refinements not counted: bounds the run however the flags are set. */
  maxSteps: 20,
  /** Bisections between the last pass and the first failure, to sharpen the knee. */
  refine: 2,
  /** Re-runs of a failing step: a knee must fail twice, not once by a VM pause. */
  retries: 1,
  stepDurationMs: 4000,
  /** A fresh server per step: its JIT and its connections need a moment; 1 s left first steps failing on generator lag. */
  stepWarmupMs: 2000,
  /** p99 budget of a sustainable rate: a chat message shown within one frame or so. */
  sloMs: 10,
} as const

/**
 * When a capacity step counts as saturated on either side. The generator's CPU is not among
 * them: its scheduler yields in a loop near each send, so it shows about one core at any rate
 * worth measuring; its send lag and achieved rate say when it truly falls behind.
 */
export const capacityTuning = {
  /** The generator kept up when it sent at least this share of the asked rate over the window. */
  minSendShare: 0.95,
  /** …and its send lag p99 stayed below this share of the SLO (the lag is inside every latency). */
  maxSendLagShareOfSlo: 0.5,
  /** Server CPU over the window, in % of one core, from which the server counts as saturated (Node serves on one thread). */
  serverSaturatedCpuPct: 90,
  /** Most bisections --refine accepts: each halves the gap, so 10 is already within 0.1%. */
  maxRefine: 10,
  /** Most re-runs --retries accepts. */
  maxRetries: 5,
} as const

/** The emulated network link (src/link/): a user-space TCP proxy that delays each direction. */
export const linkTuning = {
  /**
   * A chunk due within this many ms is waited for by yielding to the event loop rather than by
   * setTimeout, which wakes about 0.6 ms late here: the same window as the generator's
   * scheduler, so added delay is accurate to tens of µs.
   */
  spinWindowMs: 2,
  /**
   * On a bandwidth-limited direction a chunk is cut into pieces of this size, each spending
   * its own serialisation time: the payload of one TCP segment on a 1500-byte MTU path with
   * timestamps, so a large write trickles out as on a real link instead of arriving at once.
   */
  segmentBytes: 1448,
  /**
   * Bytes a direction of one connection may hold before it stops reading its sender (resumed
   * at half): a fast sender cannot grow the proxy's memory. Like a TCP window, it bounds one
   * connection's throughput at queueBytes / one-way delay (1 MiB over 50 ms: 168 Mbit/s).
   */
  queueBytes: 1024 * 1024,
  /** Slowest bandwidth accepted: below it one 1448-byte segment takes over 11 s. */
  minBandwidthBitsPerSec: 1000,
  /** Longest one-way delay or jitter accepted: a typo guard (a GEO satellite hop is about 0.3 s). */
  maxDelayMs: 60_000,
  /**
   * A run's achieved RTT p50 counts as off when it differs from the asked RTT by more than
   * this share of it…
   */
  rttToleranceShare: 0.1,
  /** …or than this, whichever is larger: at an asked RTT of 0 the proxy's own µs must not count as off. */
  rttToleranceFloorMs: 0.1,
  /** Quantiles taken of each direction when adding their histograms into an RTT distribution. */
  rttQuantiles: 256,
  /** Time for the link process to start and answer. */
  startTimeoutMs: 15_000,
  /** After SIGTERM, how long the link process may take to exit before SIGKILL. */
  stopTimeoutMs: 5000,
} as const
