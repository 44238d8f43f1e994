import type { Transport } from '../types.js'
import { openShortPollingReceiver } from './client.js'
import { shortPollingRoutes } from './server.js'

export const shortPolling = {
  name: 'short-polling',
  description: 'userB asks every poll interval whether anything is new; most answers are empty.',
  routes: shortPollingRoutes,
  openReceiver: openShortPollingReceiver,
  expectedLatency: ({ pollIntervalMs }) =>
    `a message waits for the next poll: about one round trip plus U(0, ${pollIntervalMs} ms), median near ${pollIntervalMs / 2} ms`,
} as const satisfies Transport
