import { ms } from '../path.js'
import type { Transport } from '../types.js'
import { openShortPollingReceiver } from './client.js'
import { shortPollingRoutes } from './server.js'
import { interval, type ShortPollingSettings } from './settings.js'

export const shortPolling = {
  name: 'short-polling',
  title: 'short polling',
  description: 'userB asks every poll interval whether anything is new; most answers are empty.',
  routes: shortPollingRoutes,
  settings: [interval],
  capabilities: { sends: 'post', sweeps: interval.key, pollsEvery: interval.key, http2: 'supported', browser: true },
  openReceiver: openShortPollingReceiver,
  expectedLatency: ({ interval }, path) =>
    path
      ? `a message waits for the next poll: about one round trip plus U(0, ${interval} ms), median near ${ms(path.upMs + path.downMs + interval / 2)} ms (${ms(path.upMs + path.downMs)} + ${ms(interval / 2)})`
      : `a message waits for the next poll: about one round trip plus U(0, ${interval} ms), median near ${interval / 2} ms`,
} as const satisfies Transport<ShortPollingSettings>
