import { StringDecoder } from 'node:string_decoder'
import { openHttpClient } from '../../client/http-client.js'
import type { ClientContext, OnData, Receiver } from '../types.js'
import { EventStreamParser } from './event-stream.js'

/** userB opens one GET and reads events from its body for the rest of the run. */
export async function openSseReceiver(ctx: ClientContext, onData: OnData): Promise<Receiver> {
  const client = openHttpClient(ctx.origin, ctx.wire, 0, ctx.access)
  let closed = false
  ctx.wire.requests++
  const res = await client.request({
    method: 'GET',
    path: `/sse/${ctx.user}`,
    headers: { accept: 'text/event-stream' },
  })
  const type = res.headers['content-type']
  if (res.statusCode !== 200 || typeof type !== 'string' || !type.startsWith('text/event-stream')) {
    const text = await res.body.text()
    await client.destroy()
    throw new Error(`GET /sse/${ctx.user} answered ${res.statusCode} ${String(type)}: ${text.slice(0, 200)}`)
  }
  const parser = new EventStreamParser((_id, data) => onData(data, ctx.now()))
  // undici's body yields Buffers; the decoder keeps a character split across chunks whole.
  const decoder = new StringDecoder('utf8')
  res.body.on('data', (chunk: Buffer) => parser.push(decoder.write(chunk)))
  res.body.on('error', (err) => {
    if (!closed) ctx.onError(err)
  })
  res.body.on('end', () => {
    if (!closed) ctx.onError(new Error(`the event stream of ${ctx.user} ended early`))
  })

  return {
    async close() {
      closed = true
      res.body.destroy()
      await client.destroy()
    },
  }
}
