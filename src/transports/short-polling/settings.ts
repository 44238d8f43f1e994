import { durationSetting } from '../setting-kinds.js'

export type ShortPollingSettings = { interval: number }

/** Time between the starts of two polls: a fixed-rate timer. */
export const interval = durationSetting({
  key: 'interval',
  label: 'poll interval',
  /** Ten polls a second per receiver: a wait of about 50 ms at the median, plain beside the push transports, at one request per 100 ms. */
  default: 100,
  flag: '--poll-interval <time>',
  help: 'short polling: time between poll starts',
  columns: [
    { name: 'poll_interval_ms', of: 'run', place: 'run-settings' },
    { name: 'row_poll_interval_ms', of: 'row', place: 'scenario' },
  ],
  legacyKey: 'pollIntervalMs',
})
