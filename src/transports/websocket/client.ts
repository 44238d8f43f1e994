import { once } from 'node:events'
import WebSocket from 'ws'
import { connectCounted } from '../../client/counted-socket.js'
import { authHeaders } from '../../client/server-access.js'
import { encodeOutgoing } from '../../protocol/messages.js'
import type { ClientContext, OnData, Receiver, Sender } from '../types.js'

/** Opens the user's socket; its TCP connection (under TLS, for wss) is counted from the start. */
async function connect(ctx: ClientContext): Promise<WebSocket> {
  const url = new URL(`${ctx.origin.replace(/^http/, 'ws')}/websocket/${ctx.user}`)
  const access = ctx.access ?? {}
  const secure = url.protocol === 'wss:'
  const ws = new WebSocket(url, {
    // Compression off: frames on the wire are then exactly what RFC 6455 §5.2 describes.
    perMessageDeflate: false,
    headers: authHeaders(access),
    createConnection: () =>
      connectCounted(ctx.wire, { hostname: url.hostname, port: Number(url.port) || (secure ? 443 : 80), secure, ca: access.ca }),
  })
  ctx.wire.requests++
  const opened = once(ws, 'open')
  const failed = once(ws, 'unexpected-response').then(([, res]) => {
    throw new Error(`GET /websocket/${ctx.user} answered ${(res as { statusCode?: number }).statusCode} instead of upgrading`)
  })
  await Promise.race([opened, failed])
  ws.on('close', (code, reason) => {
    if (code !== 1000 && code !== 1005) ctx.onError(new Error(`socket of ${ctx.user} closed ${code} ${reason.toString()}`))
  })
  return ws
}

async function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return
  const closed = once(ws, 'close')
  ws.close(1000)
  await closed
}

/** userB keeps one socket and takes each text frame as a message. */
export async function openWebsocketReceiver(ctx: ClientContext, onData: OnData): Promise<Receiver> {
  const ws = await connect(ctx)
  // Text frames arrive as one Buffer (ws joins fragments); binary frames are not ours.
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) onData(data.toString(), ctx.now())
  })
  return { close: () => closeSocket(ws) }
}

/** userA sends each message as a `{"to","data"}` (or `{"room","data"}`) text frame on its own socket. */
export async function openWebsocketSender(ctx: ClientContext): Promise<Sender> {
  const ws = await connect(ctx)
  return {
    send: (recipient, data) => ws.send(encodeOutgoing(recipient, data)),
    close: () => closeSocket(ws),
  }
}
