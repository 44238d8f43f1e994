import { oneWayBoth } from '../path.js'
import type { Transport } from '../types.js'
import { openSseReceiver } from './client.js'
import { sseRoutes } from './server.js'

export const sse = {
  name: 'sse',
  title: 'Server-Sent Events',
  description: 'Server-Sent Events: one long HTTP response on which the server writes each message as an event.',
  routes: sseRoutes,
  settings: [],
  capabilities: { sends: 'post', http2: 'supported', browser: true },
  openReceiver: openSseReceiver,
  expectedLatency: (_settings, path) =>
    path
      ? `about one-way up + one-way down, ${oneWayBoth(path)}: each message is written to a stream that is already open`
      : 'about one round trip: each message is written to a stream that is already open',
} as const satisfies Transport
