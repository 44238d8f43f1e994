import { oneWayBoth } from '../path.js'
import type { Transport } from '../types.js'
import { openWebsocketReceiver, openWebsocketSender } from './client.js'
import { websocketRoutes } from './server.js'
import { send, type WebsocketSettings } from './settings.js'

export const websocket = {
  name: 'websocket',
  title: 'WebSocket',
  description: 'One upgraded TCP connection carrying frames both ways; the server pushes each message as a frame.',
  routes: websocketRoutes,
  settings: [send],
  // Its route and client open sockets by HTTP/1.1 upgrade (RFC 6455); over HTTP/2 a WebSocket needs
  // RFC 8441's extended CONNECT, which neither implements.
  capabilities: { sends: { ownChannel: send.key }, http2: 'unsupported', browser: true },
  openReceiver: openWebsocketReceiver,
  openSender: openWebsocketSender,
  expectedLatency: (_settings, path) =>
    path
      ? `about one-way up + one-way down, ${oneWayBoth(path)}: each message is one frame on a socket that is already open`
      : 'about one round trip: each message is one frame on a socket that is already open',
} as const satisfies Transport<WebsocketSettings>
