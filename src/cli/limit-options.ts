import { Option, type Command } from 'commander'
import { serverDefaults } from '../config.js'
import type { ServerLimits } from '../server/limits.js'
import { formatBytes, formatDurationMs } from '../units.js'
import * as parse from './args.js'

type LimitName = Exclude<keyof ServerLimits, 'longPollDefaultTimeoutMs' | 'headersCheckIntervalMs'>

/** One `serve` flag per limit the server enforces: its name, what it bounds, how it is read. */
const limitFlags: readonly { limit: LimitName; flag: string; what: string; kind: 'bytes' | 'count' | 'ms' }[] = [
  { limit: 'bodyLimitBytes', flag: '--body-limit <bytes>', what: 'largest POST body (413 above)', kind: 'bytes' },
  { limit: 'maxHeaderBytes', flag: '--max-header-size <bytes>', what: 'largest request head (431 above)', kind: 'bytes' },
  {
    limit: 'headersTimeoutMs',
    flag: '--headers-timeout <time>',
    what: 'time to send request headers or finish a TLS handshake (408 after)',
    kind: 'ms',
  },
  {
    limit: 'bodyTimeoutMs',
    flag: '--body-timeout <time>',
    what: 'time to send a whole request, body included, at least --headers-timeout (408 after)',
    kind: 'ms',
  },
  {
    limit: 'wsMaxPayloadBytes',
    flag: '--ws-max-payload <bytes>',
    what: 'largest WebSocket frame from a client (close 1009 above)',
    kind: 'bytes',
  },
  { limit: 'maxConnections', flag: '--max-connections <n>', what: 'open connections in total (503 above)', kind: 'count' },
  {
    limit: 'maxStreamsPerUser',
    flag: '--max-streams-per-user <n>',
    what: 'open SSE streams and WebSockets per user (429 above)',
    kind: 'count',
  },
  {
    limit: 'heartbeatMs',
    flag: '--heartbeat <time>',
    what: 'heartbeat interval of SSE streams (comment) and WebSockets (ping); a client hearing nothing for one (and a margin) reconnects',
    kind: 'ms',
  },
  { limit: 'longPollMaxParked', flag: '--max-parked-polls <n>', what: 'parked long polls per user (429 above)', kind: 'count' },
  {
    limit: 'longPollMaxTimeoutMs',
    flag: '--max-poll-hold <time>',
    what: 'longest long-poll hold a client may ask for (400 above)',
    kind: 'ms',
  },
  {
    limit: 'mailboxMaxMessages',
    flag: '--mailbox-max-messages <n>',
    what: 'messages a mailbox keeps (oldest dropped and counted)',
    kind: 'count',
  },
  {
    limit: 'mailboxMaxBytes',
    flag: '--mailbox-max-bytes <bytes>',
    what: 'data bytes a mailbox keeps (oldest dropped and counted)',
    kind: 'bytes',
  },
  {
    limit: 'resumeWindowMs',
    flag: '--resume-window <time>',
    what: 'how long a message handed to a receiver is kept for its resume, unless a cursor acknowledges it first',
    kind: 'ms',
  },
  {
    limit: 'slowConsumerMaxBufferedBytes',
    flag: '--slow-consumer-max <bytes>',
    what: 'unsent bytes an SSE or WebSocket receiver may leave before it is cut off',
    kind: 'bytes',
  },
]

const parsers = { bytes: parse.bytes, count: parse.positiveInt, ms: parse.durationMs }

export function addLimitOptions(command: Command): Command {
  for (const { limit, flag, what, kind } of limitFlags) {
    const value = serverDefaults[limit]
    const shown = kind === 'ms' ? formatDurationMs(value) : kind === 'bytes' ? formatBytes(value) : String(value)
    command.addOption(new Option(flag, what).argParser(parsers[kind]).default(value, shown))
  }
  return command
}

/** The limits `serve` was given, each flag or its default. */
export function limitsFrom(flags: Record<string, unknown>): ServerLimits {
  const limits: ServerLimits = { ...serverDefaults }
  for (const { limit, flag } of limitFlags) {
    const key = flag.slice(2, flag.indexOf(' ')).replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
    const value = flags[key]
    if (typeof value === 'number') limits[limit] = value
  }
  limits.longPollDefaultTimeoutMs = Math.min(limits.longPollDefaultTimeoutMs, limits.longPollMaxTimeoutMs)
  return limits
}
