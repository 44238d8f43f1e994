import type { Transport } from '../types.js'
import { openWebsocketReceiver, openWebsocketSender } from './client.js'
import { websocketRoutes } from './server.js'

export const websocket = {
  name: 'websocket',
  description: 'One upgraded TCP connection carrying frames both ways; the server pushes each message as a frame.',
  routes: websocketRoutes,
  openReceiver: openWebsocketReceiver,
  openSender: openWebsocketSender,
  expectedLatency: () => 'about one round trip: each message is one frame on a socket that is already open',
} as const satisfies Transport
