import type { Entry, Mailbox } from '../../server/mailbox.js'

/** One parked poll: the cursor it carried, and how to send its answer. */
export interface Poll {
  readonly after: number
  send(messages: Entry[]): void
}

/**
 * One user's polls on one HTTP/1.1 connection. A receiver that keeps several polls outstanding
 * (pipelined, `--long-poll-depth`) sends each with the cursor it had then, so all but the oldest
 * carry a cursor that an answer still on its way will pass. The connection remembers the
 * highest id it has put in an answer (`handed`), and a poll is answered from its effective
 * cursor max(after, handed): what the client will have read by the time it reads this answer.
 *
 * Exactly safe because HTTP/1.1 answers on one connection arrive in the order their requests
 * were sent (RFC 9112 §9.3.2): a client that reads this answer has read every earlier one; a
 * connection that dies takes the unread answers with it, and the client polls again, on a new
 * connection whose watermark starts at 0, with its true cursor. Polls here are answered with
 * messages oldest first only: a later poll's effective cursor is never below an earlier one's,
 * so while the oldest has nothing, none has. The watermark chooses what to send, never what to
 * free: the mailbox is acknowledged with the poll's own `after`, what the client has read.
 */
export class PollLine {
  /** The highest id put in an answer on this connection. */
  private handed = 0
  /** Parked polls, oldest first. */
  private readonly parked: Poll[] = []

  /** The cursor a poll is answered from: what the client will have read before this answer. */
  cursorOf(poll: Poll): number {
    return Math.max(poll.after, this.handed)
  }

  /** A poll comes in: answered at once when something is beyond its effective cursor and none older waits. */
  answerNow(poll: Poll, box: Mailbox): boolean {
    return this.parked.length === 0 && this.answerIfReady(poll, box)
  }

  /** A poll that was not answered at once waits, behind the older ones. */
  park(poll: Poll): void {
    this.parked.push(poll)
  }

  /** Something was published: answers parked polls from the oldest for as long as each has something beyond its cursor. */
  serve(box: Mailbox): void {
    while (this.parked.length > 0 && this.answerIfReady(this.parked[0]!, box)) this.parked.shift()
  }

  /** Answers a parked poll now (its hold passed, the server stops): with whatever is beyond its cursor, usually nothing. */
  answer(poll: Poll, box: Mailbox): void {
    const i = this.parked.indexOf(poll)
    if (i < 0) return
    this.parked.splice(i, 1)
    // Only the oldest may be handed messages: a later one is answered empty, so no answer overtakes another's messages.
    this.sendFrom(poll, i === 0 ? box.after(this.cursorOf(poll)) : [])
  }

  /** Forgets a poll whose connection went away: nobody reads its answer. */
  drop(poll: Poll): void {
    const i = this.parked.indexOf(poll)
    if (i >= 0) this.parked.splice(i, 1)
  }

  get parkedCount(): number {
    return this.parked.length
  }

  private answerIfReady(poll: Poll, box: Mailbox): boolean {
    const ready = box.after(this.cursorOf(poll))
    if (ready.length === 0) return false
    this.sendFrom(poll, ready)
    return true
  }

  private sendFrom(poll: Poll, messages: Entry[]): void {
    const last = messages.at(-1)
    if (last !== undefined) this.handed = Math.max(this.handed, last.id)
    poll.send(messages)
  }
}
