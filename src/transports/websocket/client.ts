import { once } from 'node:events'
import type { IncomingMessage } from 'node:http'
import WebSocket from 'ws'
import { connectCounted } from '../../client/counted-socket.js'
import { InstanceCursor } from '../../client/instance-cursor.js'
import { reconnector } from '../../client/reconnect.js'
import { authHeaders } from '../../client/server-access.js'
import { loopbackPath, streamSilenceLimitMs, watchSilence } from '../../client/silence.js'
import { encodeOutgoing } from '../../protocol/messages.js'
import { heartbeatHeader, instanceHeader } from '../../protocol/schemas.js'
import type { ClientContext, OnData, Receiver, Sender } from '../types.js'

/** What the 101 said: the server instance and its heartbeat interval (ms). */
interface Upgraded {
  instance: string | undefined
  heartbeatMs: number
}

/** Opens the user's socket; its TCP connection (under TLS, for wss) is counted from the start. */
async function connect(
  ctx: ClientContext,
  query = '',
  upgraded?: (answer: Upgraded) => void,
  listen?: (ws: WebSocket) => void,
): Promise<WebSocket> {
  const url = new URL(`${ctx.origin.replace(/^http/, 'ws')}/websocket/${ctx.user}${query}`)
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
  // Listeners go on before the socket opens: a backlog can arrive with the 101 itself.
  listen?.(ws)
  const opened = once(ws, 'open')
  ws.once('upgrade', (res: IncomingMessage) => upgraded?.(answerOf(res)))
  const failed = once(ws, 'unexpected-response').then(async ([, res]) => {
    const answer = res as IncomingMessage
    upgraded?.(answerOf(answer))
    // The answer's reason (a 503 names the server's connection cap), read briefly and bounded.
    const reason = await bodyStart(answer)
    throw new Error(`GET /websocket/${ctx.user} answered ${answer.statusCode} instead of upgrading${reason ? `: ${reason}` : ''}`)
  })
  await Promise.race([opened, failed])
  ws.on('close', (code, reason) => {
    if (code !== 1000 && code !== 1005) ctx.onError(new Error(`socket of ${ctx.user} closed ${code} ${reason.toString()}`))
  })
  return ws
}

/** Up to 200 characters of a refused upgrade's body, waiting at most 1 s for them; the answer is destroyed after. */
async function bodyStart(answer: IncomingMessage): Promise<string> {
  let text = ''
  const done = new Promise<void>((resolve) => {
    answer.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      if (text.length >= 200) resolve()
    })
    answer.once('end', resolve).once('error', () => resolve())
  })
  const timer = setTimeout(() => answer.destroy(), 1000)
  await Promise.race([done, once(answer, 'close')]).catch(() => undefined)
  clearTimeout(timer)
  answer.destroy()
  return text.slice(0, 200)
}

function answerOf(res: IncomingMessage): Upgraded {
  const instance = res.headers[instanceHeader]
  return { instance: typeof instance === 'string' ? instance : undefined, heartbeatMs: Number(res.headers[heartbeatHeader]) }
}

async function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return
  const closed = once(ws, 'close')
  ws.close(1000)
  await closed
}

/** How long a receiver waits before subscribing again after its socket failed. */
const resubscribeDelayMs = 1000

/**
 * userB keeps one socket and takes each text frame as a message. Its cursor is the frames it
 * has (the server sends one per message, in id order, from its `after`): when the socket fails,
 * or is silent for a heartbeat interval and a margin (half-open), it subscribes again with
 * `?after=<cursor>&instance=<instance>` after a second, so the server resumes after it. A `409`
 * (the server restarted) starts it over from 0 with the new instance.
 */
export async function openWebsocketReceiver(ctx: ClientContext, onData: OnData): Promise<Receiver> {
  const at = new InstanceCursor()
  let closed = false
  let ws: WebSocket | undefined
  let watchdog: { stop(): void } | undefined
  const path = ctx.silence ?? loopbackPath

  const subscribe = async (): Promise<void> => {
    const query = at.instance === undefined && at.cursor === 0 ? '' : `?${at.query()}`
    let heartbeatMs = Number.NaN
    let lastHeardMs = Date.now()
    const socket = await connect(
      ctx,
      query,
      (answer) => {
        at.answeredBy(answer.instance)
        heartbeatMs = answer.heartbeatMs
      },
      (opening) => {
        // Text frames arrive as one Buffer (ws joins fragments); binary frames are not ours.
        opening.on('message', (data: Buffer, isBinary) => {
          lastHeardMs = Date.now()
          if (isBinary) return
          at.cursor++
          onData(data.toString(), ctx.now())
        })
        opening.on('ping', () => (lastHeardMs = Date.now()))
      },
    )
    ws = socket
    // Terminated, it closes 1006: counted as a receive error by the close listener.
    const watch = watchSilence(
      streamSilenceLimitMs(heartbeatMs, path),
      () => lastHeardMs,
      () => {
        if (closed || socket.readyState !== socket.OPEN) return
        path.onSilent?.()
        socket.terminate()
      },
    )
    watchdog = watch
    socket.on('close', () => {
      watch.stop()
      if (!closed) resubscribe.later()
    })
  }
  const resubscribe = reconnector(() => resubscribeDelayMs, subscribe, ctx)

  await subscribe()
  return {
    async close() {
      closed = true
      resubscribe.close()
      watchdog?.stop()
      if (ws !== undefined) await closeSocket(ws)
    },
  }
}

/** userA sends each message as a `{"to","data"}` (or `{"room","data"}`) text frame on its own socket. */
export async function openWebsocketSender(ctx: ClientContext): Promise<Sender> {
  const ws = await connect(ctx)
  return {
    send: (recipient, data) => ws.send(encodeOutgoing(recipient, data)),
    close: () => closeSocket(ws),
  }
}
