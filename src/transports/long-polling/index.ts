import type { Transport } from '../types.js'
import { openLongPollingReceiver } from './client.js'
import { longPollingRoutes } from './server.js'

export const longPolling = {
  name: 'long-polling',
  description: 'userB asks and the server holds the answer until a message arrives or the hold times out.',
  routes: longPollingRoutes,
  openReceiver: openLongPollingReceiver,
  expectedLatency: () => 'about one round trip while a poll is parked; up to two when a message lands in the re-poll gap',
} as const satisfies Transport
