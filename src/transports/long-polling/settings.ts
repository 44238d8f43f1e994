import { serverDefaults } from '../../config.js'
import { durationSetting } from '../setting-kinds.js'

export type LongPollingSettings = { hold: number }

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
