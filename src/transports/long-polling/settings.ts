import { serverDefaults } from '../../config.js'
import { durationSetting, integerSetting } from '../setting-kinds.js'

export type LongPollingSettings = { hold: number; depth: number }

/** How long the server holds a poll that finds nothing; the server accepts up to its own most. */
export const hold = durationSetting({
  key: 'hold',
  label: 'long-poll hold',
  /** RFC 6202 calls 30 s a safe hold time for proxies. */
  default: 30_000,
  flag: '--long-poll-timeout <time>',
  help: 'long polling: how long the server holds an empty poll',
  what: `how long the server holds an empty poll, at most ${serverDefaults.longPollMaxTimeoutMs / 1000}s`,
  wholeMsUpTo: serverDefaults.longPollMaxTimeoutMs,
  columns: [{ name: 'long_poll_timeout_ms', of: 'run', place: 'run-settings' }],
  legacyKey: 'longPollTimeoutMs',
})

/** The most polls a receiver keeps outstanding: the server parks at most this many per user (serverDefaults.longPollMaxParked). */
export const maxDepth = 4

/**
 * How many polls each receiver keeps outstanding, pipelined on its one HTTP/1.1 connection: 1 is
 * classic long polling (a message landing in the re-poll gap waits for the next poll); with 2, a
 * poll is parked at the server while the answer to the other travels back and its successor travels up.
 */
export const depth = integerSetting({
  key: 'depth',
  label: 'long-poll depth',
  default: 1,
  min: 1,
  max: maxDepth,
  flag: '--long-poll-depth <n>',
  help: 'long polling: polls each receiver keeps outstanding, pipelined on its connection (HTTP/1.1; 1 = classic)',
  what: 'the polls each receiver keeps outstanding',
  columns: [{ name: 'long_poll_depth', of: 'run' }],
})
