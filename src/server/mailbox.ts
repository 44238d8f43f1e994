/** One message as a mailbox holds it: a per-user cursor id and opaque data. */
export interface Entry {
  readonly id: number
  readonly data: string
}

export interface MailboxLimits {
  readonly maxMessages: number
  readonly maxBytes: number
  /**
   * How long an entry handed to a receiver is kept for a resume, when no cursor acknowledges it
   * first (ms; none: until a cursor or the bounds free it).
   */
  readonly resumeWindowMs?: number
}

export type Listener = (entry: Entry) => void

/** A moment a receiver was first handed the entries up to `id`. */
interface Handed {
  id: number
  at: number
}

/**
 * A user's queue of messages with a cursor. Ids are consecutive from 1, so the entries after
 * a cursor are found by index. An entry stays until a receiver acknowledges it with a cursor
 * (a poll's `after`, a reconnecting stream's Last-Event-ID or `after`), so one written to a
 * connection that died unseen is there for the resume; an entry handed out and never
 * acknowledged goes after the resume window. When a bound is hit the oldest entry goes, and it
 * is counted as dropped if no receiver had taken it yet.
 */
export class Mailbox {
  private entries: Entry[] = []
  private head = 0
  private bytes = 0
  private lastId = 0
  /** Highest id handed to any receiver: evicting below it loses nothing. */
  private takenId = 0
  /** When the taken watermark rose, oldest first: entries handed out longer ago than the resume window go. */
  private handed: Handed[] = []
  private handedHead = 0
  private readonly listeners = new Set<Listener>()
  dropped = 0

  constructor(
    private readonly limits: MailboxLimits,
    private readonly now: () => number = Date.now,
  ) {}

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
    this.expireHanded()
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
   * Serves a push receiver (SSE, WebSocket): acknowledges `cursor`, then hands over everything
   * after it now and each entry as it is published. What `deliver` wrote stays until a later
   * cursor acknowledges it or the resume window passes: written is not read, and a connection
   * that died unseen is resumed from the reader's own cursor. Returns the unsubscribe function.
   */
  follow(cursor: number, deliver: (entry: Entry) => boolean): () => void {
    this.ack(cursor)
    for (const entry of this.after(cursor)) deliver(entry)
    return this.subscribe((entry) => {
      this.markTaken(entry.id)
      deliver(entry)
    })
  }

  markTaken(id: number): void {
    if (id <= this.takenId) return
    this.takenId = id
    if (this.limits.resumeWindowMs === undefined) return
    const at = this.now()
    const last = this.handed[this.handed.length - 1]
    if (last !== undefined && last.at === at) last.id = id
    else this.handed.push({ id, at })
  }

  /** Frees the entries handed out longer ago than the resume window: nobody came back for them. */
  private expireHanded(): void {
    const window = this.limits.resumeWindowMs
    if (window === undefined || this.handedHead === this.handed.length) return
    const oldest = this.now() - window
    let upTo = 0
    while (this.handedHead < this.handed.length && this.handed[this.handedHead]!.at <= oldest) upTo = this.handed[this.handedHead++]!.id
    if (upTo > 0) this.ack(upTo)
    if (this.handedHead > 64 && this.handedHead * 2 > this.handed.length) {
      this.handed = this.handed.slice(this.handedHead)
      this.handedHead = 0
    }
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
