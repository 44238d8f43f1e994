import { StringDecoder } from 'node:string_decoder'
import type { Dispatcher } from 'undici'
import { openHttpClient, ReplaceableClient } from '../../client/http-client.js'
import { reconnector } from '../../client/reconnect.js'
import { loopbackPath, streamSilenceLimitMs, watchSilence } from '../../client/silence.js'
import { heartbeatHeader } from '../../protocol/schemas.js'
import type { ClientContext, OnData, Receiver } from '../types.js'
import { EventStreamParser } from './event-stream.js'

/** EventSource's reconnection delay until the stream names its own with `retry:` (browsers use about 3 s). */
const defaultRetryMs = 3000

/**
 * userB reads events from one long GET and, as EventSource does, reconnects after the stream's
 * `retry:` delay when it ends or fails, with `Last-Event-ID` set to the last event's id, so the
 * server resumes after it. A heartbeat interval (plus a margin, client/silence.ts) without a
 * byte means the stream is dead (half-open): it is dropped and reconnected the same way. A `409` (the server restarted) is
 * answered by starting over without `Last-Event-ID`, as a page would open a new EventSource.
 */
export async function openSseReceiver(ctx: ClientContext, onData: OnData): Promise<Receiver> {
  const client = new ReplaceableClient(() => openHttpClient(ctx.origin, ctx.wire, 0, ctx.access), ctx.access?.http2 === true)
  let closed = false
  let lastEventId: string | undefined
  let retryMs = defaultRetryMs
  let body: Dispatcher.ResponseData['body'] | undefined
  let lastByteMs = Date.now()
  let watchdog: { stop(): void } | undefined
  const path = ctx.silence ?? loopbackPath

  const open = async (): Promise<void> => {
    ctx.wire.requests++
    const res = await client.dispatcher.request({
      method: 'GET',
      path: `/sse/${ctx.user}`,
      headers: { accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
    })
    const type = res.headers['content-type']
    if (res.statusCode !== 200 || typeof type !== 'string' || !type.startsWith('text/event-stream')) {
      const text = await res.body.text()
      // Another server instance: what the old one held is gone; start over from its first message.
      if (res.statusCode === 409) lastEventId = undefined
      throw new Error(`GET /sse/${ctx.user} answered ${res.statusCode} ${String(type)}: ${text.slice(0, 200)}`)
    }
    body = res.body
    lastByteMs = Date.now()
    const parser = new EventStreamParser(
      (id, data) => {
        if (id !== '') lastEventId = id
        onData(data, ctx.now())
      },
      (ms) => (retryMs = ms),
    )
    // undici's body yields Buffers; the decoder keeps a character split across chunks whole.
    const decoder = new StringDecoder('utf8')
    let failed = false
    const fail = (err: Error): void => {
      if (failed || closed) return
      failed = true
      watchdog?.stop()
      ctx.onError(err)
      res.body.destroy()
      reconnect.later()
    }
    res.body.on('data', (chunk: Buffer) => {
      lastByteMs = Date.now()
      parser.push(decoder.write(chunk))
    })
    res.body.on('error', fail)
    res.body.on('end', () => fail(new Error(`the event stream of ${ctx.user} ended early`)))
    const limitMs = streamSilenceLimitMs(Number(res.headers[heartbeatHeader]), path)
    watchdog = watchSilence(
      limitMs,
      () => lastByteMs,
      () => {
        if (failed || closed) return
        path.onSilent?.()
        // Over HTTP/2 the stream's session is as silent: the reconnect goes on a new one.
        client.dropConnection()
        fail(new Error(`the event stream of ${ctx.user} was silent for ${Math.round(limitMs)} ms (heartbeat + margin)`))
      },
    )
  }
  const reconnect = reconnector(() => retryMs, open, ctx)

  await open().catch(async (err: unknown) => {
    await client.close()
    throw err
  })

  return {
    async close() {
      closed = true
      reconnect.close()
      watchdog?.stop()
      body?.destroy()
      await client.close()
    },
  }
}
