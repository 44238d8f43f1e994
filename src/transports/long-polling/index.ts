import { ms, oneWayBoth } from '../path.js'
import type { Transport } from '../types.js'
import { openLongPollingReceiver } from './client.js'
import { longPollingRoutes } from './server.js'
import { hold, type LongPollingSettings } from './settings.js'

export const longPolling = {
  name: 'long-polling',
  title: 'long polling',
  description: 'userB asks and the server holds the answer until a message arrives or the hold times out.',
  routes: longPollingRoutes,
  settings: [hold],
  capabilities: { sends: 'post', http2: 'supported', browser: true },
  openReceiver: openLongPollingReceiver,
  expectedLatency: (_settings, path) =>
    path
      ? `about one-way up + one-way down, ${oneWayBoth(path)}, while a poll is parked; up to one round trip more (${ms(2 * (path.upMs + path.downMs))} ms) for a message that lands in the re-poll gap`
      : 'about one round trip while a poll is parked; up to two when a message lands in the re-poll gap',
} as const satisfies Transport<LongPollingSettings>
