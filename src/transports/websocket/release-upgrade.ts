import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

/**
 * Lets go of the HTTP objects a WebSocket upgrade was routed with, once the socket is open.
 * @fastify/websocket routes each upgrade through Fastify with a ServerResponse attached to the
 * TCP socket (`assignSocket`), and listens for errors on the WebSocket with a closure over the
 * upgrade's Fastify request and reply. Both would keep the request, the response, their
 * streams, headers and Fastify wrappers alive for as long as the connection lasts: about 2 KB
 * of heap per idle connection, for objects nothing reads again. ws dropped its own reference
 * to the upgrade request for the same reason (websockets/ws#1104).
 *
 * The caller must add its own error listener afterwards: an error with none would throw.
 */
export function releaseUpgrade(ws: WebSocket, upgrade: IncomingMessage): void {
  // Node keeps a socket's current response as `_httpMessage`; `detachSocket` is the documented
  // inverse of the `assignSocket` that put it there.
  const socket = upgrade.socket as Socket & { _httpMessage?: ServerResponse | null }
  socket._httpMessage?.detachSocket(socket)
  ws.removeAllListeners('error')
}
