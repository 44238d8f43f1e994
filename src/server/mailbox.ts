/** One message as a mailbox holds it: a per-user cursor id and opaque data. */
export interface Entry {
  readonly id: number
  readonly data: string
}

export interface MailboxLimits {
  readonly maxMessages: number
  readonly maxBytes: number
}

export type Listener = (entry: Entry) => void

/**
 * A user's queue of messages with a cursor. Ids are consecutive from 1, so the entries after
 * a cursor are found by index. Polling receivers acknowledge with their cursor, which frees
 * what they have; push receivers take each entry as it is published. When a bound is hit the
 * oldest entry goes, and it is counted as dropped if no receiver had taken it yet.
 */
export class Mailbox {
  private entries: Entry[] = []
  private head = 0
  private bytes = 0
  private lastId = 0
  /** Highest id handed to any receiver: evicting below it loses nothing. */
  private takenId = 0
  private readonly listeners = new Set<Listener>()
  dropped = 0

  constructor(private readonly limits: MailboxLimits) {}

  get size(): number {
    return this.entries.length - this.head
  }

  get lastIdPublished(): number {
    return this.lastId
  }

  publish(data: string): Entry {
    const entry: Entry = { id: ++this.lastId, data }
    this.entries.push(entry)
    this.bytes += data.length
    this.evictOverLimits()
    for (const listener of this.listeners) listener(entry)
    return entry
  }

  /** Entries with an id above `cursor`, oldest first. */
  after(cursor: number): Entry[] {
    const first = this.entries[this.head]
    if (first === undefined || cursor >= this.lastId) return []
    const skip = Math.max(0, cursor - first.id + 1)
    const out = this.entries.slice(this.head + skip)
    this.markTaken(this.lastId)
    return out
  }

  /** Frees every entry up to and including `cursor`: the receiver has them. */
  ack(cursor: number): void {
    while (this.size > 0 && this.entries[this.head]!.id <= cursor) this.shift()
    this.compact()
  }

  /** Calls `listener` for each entry published from now on; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Serves a push receiver (SSE, WebSocket): everything after `cursor` now, then each entry as
   * it is published. An entry `deliver` wrote is freed at once; one it refused stays for a later
   * connection to resume from. Returns the unsubscribe function.
   */
  follow(cursor: number, deliver: (entry: Entry) => boolean): () => void {
    this.ack(cursor)
    for (const entry of this.after(cursor)) if (deliver(entry)) this.ack(entry.id)
    return this.subscribe((entry) => {
      this.markTaken(entry.id)
      if (deliver(entry)) this.ack(entry.id)
    })
  }

  markTaken(id: number): void {
    if (id > this.takenId) this.takenId = id
  }

  private evictOverLimits(): void {
    while (this.size > this.limits.maxMessages || (this.bytes > this.limits.maxBytes && this.size > 1)) {
      const evicted = this.shift()
      if (evicted.id > this.takenId) this.dropped++
    }
    this.compact()
  }

  private shift(): Entry {
    const entry = this.entries[this.head]!
    this.entries[this.head] = undefined as unknown as Entry
    this.head++
    this.bytes -= entry.data.length
    return entry
  }

  /** Reclaims the freed prefix now and then, so shifting stays O(1) amortised. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head)
      this.head = 0
    }
  }
}
