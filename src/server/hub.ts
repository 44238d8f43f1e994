import { randomBytes } from 'node:crypto'
import { Mailbox, type MailboxLimits } from './mailbox.js'
import { StreamSlots } from './stream-slots.js'

/**
 * Every user's mailbox: the only state the server shares between requests. Transports read
 * and subscribe here; POST /messages and WebSocket senders publish here. Mailboxes are never
 * removed: a cursor stays valid for as long as the server runs.
 */
export class Hub {
  private readonly mailboxes = new Map<string, Mailbox>()
  /** Room name → its members' user ids, in join order. Rooms, like mailboxes, are never removed. */
  private readonly rooms = new Map<string, Set<string>>()
  /** Open SSE streams and WebSockets per user. */
  readonly streams: StreamSlots
  /**
   * This server instance, new at each start: ids start again at 1 after a restart, so a cursor
   * is only meaningful with the instance that gave it out.
   */
  readonly instanceId = randomBytes(4).toString('hex')
  /** SSE and WebSocket receivers cut off for leaving too much unread. */
  slowConsumersCut = 0
  /** SSE and WebSocket receivers closed because their heartbeat went unanswered (half-open). */
  deadStreamsCut = 0

  constructor(
    private readonly limits: MailboxLimits,
    maxStreamsPerUser: number,
  ) {
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

  /** Adds `user` to `room` (creating it); returns the room's size. Joining twice is a no-op. */
  join(room: string, user: string): number {
    let members = this.rooms.get(room)
    if (members === undefined) {
      members = new Set()
      this.rooms.set(room, members)
    }
    members.add(user)
    return members.size
  }

  /**
   * Copies `data` into the mailbox of every member of `room`, so each receiver gets it over
   * whichever transport it uses, with its own cursor. Returns how many members it reached.
   */
  publishToRoom(room: string, data: string): number {
    const members = this.rooms.get(room)
    if (members === undefined) return 0
    for (const user of members) this.mailbox(user).publish(data)
    return members.size
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
