/**
 * The text/event-stream format, both ways: the server's encoder and the client's parser.
 * Only the fields this protocol uses (id, event, data) are kept; comments and other fields are skipped.
 */

/**
 * The event type of a message whose data holds a CR. The format splits lines on CR, LF and CRLF
 * alike and a client rejoins `data:` lines with LF, so a CR cannot survive as such: that data is
 * sent as one JSON string instead, under this type, and the client parses it back.
 */
export const jsonEventType = 'json'

/**
 * One event: `id:` so a reconnecting client can resume, `data:` per line of the data. Data with
 * a CR goes as `event: json` and `data: <JSON string>` (one line), so it arrives byte for byte.
 */
export function encodeEvent(id: number | string, data: string): string {
  if (data.includes('\r')) return `id: ${id}\nevent: ${jsonEventType}\ndata: ${JSON.stringify(data)}\n\n`
  if (!data.includes('\n')) return `id: ${id}\ndata: ${data}\n\n`
  const lines = data.split('\n').map((line) => `data: ${line}\n`)
  return `id: ${id}\n${lines.join('')}\n`
}

/** An event id as this server writes it, `<instance>:<message id>`, or a bare message id. */
export function parseEventId(text: string): { instance: string | undefined; id: string } {
  const colon = text.lastIndexOf(':')
  return colon === -1 ? { instance: undefined, id: text } : { instance: text.slice(0, colon), id: text.slice(colon + 1) }
}

export type EventHandler = (id: string, data: string) => void

/** Incremental parser: feed it chunks as they arrive; it calls `onEvent` per complete event. */
export class EventStreamParser {
  private buffer = ''
  private afterCr = false
  private id = ''
  private type = ''
  private data: string[] = []

  constructor(
    private readonly onEvent: EventHandler,
    /** Called with each `retry:` the stream sends: the reconnection delay it asks for, ms. */
    private readonly onRetry?: (ms: number) => void,
  ) {}

  push(chunk: string): void {
    // Lines end with CRLF, LF or a lone CR. A CR that ends a chunk ends its line at once (no
    // waiting), and an LF that opens the next chunk is then the rest of that CRLF.
    if (this.afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1)
    this.afterCr = chunk.endsWith('\r')
    this.buffer += chunk
    const lineEnd = /\r\n|\r|\n/g
    let start = 0
    for (let match = lineEnd.exec(this.buffer); match !== null; match = lineEnd.exec(this.buffer)) {
      this.line(this.buffer.slice(start, match.index))
      start = match.index + match[0].length
    }
    this.buffer = this.buffer.slice(start)
  }

  private line(line: string): void {
    if (line === '') return this.dispatch()
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') this.data.push(value)
    else if (field === 'id') this.id = value
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry?.(Number(value))
    else if (field === 'event') this.type = value
  }

  private dispatch(): void {
    if (this.data.length > 0) {
      const data = this.data.join('\n')
      this.onEvent(this.id, this.type === jsonEventType ? decodeJsonData(data) : data)
    }
    this.data = []
    this.type = ''
  }
}

/** The data of an `event: json`: a JSON string; anything else is kept as it came, so the receiver reports it. */
function decodeJsonData(data: string): string {
  try {
    const value: unknown = JSON.parse(data)
    return typeof value === 'string' ? value : data
  } catch {
    return data
  }
}
