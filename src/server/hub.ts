import { Mailbox, type MailboxLimits } from './mailbox.js'
import { StreamSlots } from './stream-slots.js'

/**
 * Every user's mailbox: the only state the server shares between requests. Transports read
 * and subscribe here; POST /messages and WebSocket senders publish here. Mailboxes are never
 * removed: a cursor stays valid for as long as the server runs.
 */
export class Hub {
  private readonly mailboxes = new Map<string, Mailbox>()
  /** Open SSE streams and WebSockets per user. */
  readonly streams: StreamSlots
  /** SSE and WebSocket receivers cut off for leaving too much unread. */
  slowConsumersCut = 0

  constructor(private readonly limits: MailboxLimits, maxStreamsPerUser: number) {
    this.streams = new StreamSlots(maxStreamsPerUser)
  }

  mailbox(user: string): Mailbox {
    let box = this.mailboxes.get(user)
    if (box === undefined) {
      box = new Mailbox(this.limits)
      this.mailboxes.set(user, box)
    }
    return box
  }

  publish(to: string, data: string): number {
    return this.mailbox(to).publish(data).id
  }

  /** Messages evicted unread from any mailbox since the server started. */
  get dropped(): number {
    let total = 0
    for (const box of this.mailboxes.values()) total += box.dropped
    return total
  }

  get users(): number {
    return this.mailboxes.size
  }
}
