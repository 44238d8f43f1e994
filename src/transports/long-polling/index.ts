import type { Transport } from '../types.js'
import { openLongPollingReceiver } from './client.js'
import { longPollingPageReceiver } from './page-receiver.js'
import { longPollingRoutes } from './server.js'
import { depth, hold, type LongPollingSettings } from './settings.js'
import { expectedLatency } from './theory.js'

export const longPolling = {
  name: 'long-polling',
  title: 'long polling',
  description: 'userB asks and the server holds the answer until a message arrives or the hold times out.',
  routes: longPollingRoutes,
  settings: [hold, depth],
  capabilities: { sends: 'post', http2: 'supported', browser: true },
  openReceiver: openLongPollingReceiver,
  pageReceiver: longPollingPageReceiver,
  expectedLatency: ({ depth }, path) => expectedLatency(depth, path),
  // Pipelining needs HTTP/1.1's in-order answers, and browsers do not pipeline: one poll each there.
  settingsWith: (settings, { http2, browser }) => (http2 || browser ? { ...settings, depth: 1 } : settings),
} as const satisfies Transport<LongPollingSettings>
