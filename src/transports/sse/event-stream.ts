/**
 * The text/event-stream format, both ways: the server's encoder and the client's parser.
 * Only the fields this protocol uses (id, data) are kept; comments and other fields are skipped.
 */

/** One event: `id:` so a reconnecting client can resume, `data:` per line of the data. */
export function encodeEvent(id: number, data: string): string {
  if (!data.includes('\n') && !data.includes('\r')) return `id: ${id}\ndata: ${data}\n\n`
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`)
  return `id: ${id}\n${lines.join('')}\n`
}

export type EventHandler = (id: string, data: string) => void

/** Incremental parser: feed it chunks as they arrive; it calls `onEvent` per complete event. */
export class EventStreamParser {
  private buffer = ''
  private id = ''
  private data: string[] = []

  constructor(private readonly onEvent: EventHandler) {}

  push(chunk: string): void {
    this.buffer += chunk
    let start = 0
    for (let end = this.buffer.indexOf('\n', start); end !== -1; end = this.buffer.indexOf('\n', start)) {
      const line = this.buffer.slice(start, end > start && this.buffer[end - 1] === '\r' ? end - 1 : end)
      start = end + 1
      this.line(line)
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
  }

  private dispatch(): void {
    if (this.data.length > 0) this.onEvent(this.id, this.data.join('\n'))
    this.data = []
  }
}
