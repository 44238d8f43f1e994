import { request, type Dispatcher } from 'undici'
import { accessAgent, authHeaders, type ServerAccess } from '../client/server-access.js'
import type { Recipient } from '../protocol/messages.js'
import type { Receiver, Sender } from '../transports/types.js'
import { isRefusal, setupCause, SetupFailed, type Role } from './setup-failures.js'

/** Who is connected: groups of one sender and k receivers, plus receivers that get nothing. */
export interface Shape {
  groups: number
  /** Receivers per group: 1 is a userA/userB pair; more share a room (fan-out). */
  receiversPerGroup: number
  idleReceivers: number
  /**
   * Run-wide number of this share's first group, and of its first idle receiver (default 0).
   * Ids, rooms and message stamps use run-wide numbers, so shares on several workers never meet.
   */
  firstGroup?: number
  firstIdle?: number
}

/** One sender and its receivers; receiver r of group g is number g·k + r across the run. */
export interface Group {
  index: number
  sender: Sender
  /** userB's id for a pair, the group's room for fan-out: where userA's messages go. */
  recipient: Recipient
}

export interface Population {
  groups: Group[]
  /** Everything opened, senders and receivers (idle ones too), to close at the end. */
  close(): Promise<void>
}

/** Takes one message's data and when it was received, on the generator's clock. */
export type Deliver = (data: string, receivedMs: number) => void

/** Where receipts go: the group's receiver number `receiver`, or an idle receiver. */
export interface Deliveries {
  onData: (group: number, receiver: number) => Deliver
  onIdleData: Deliver
}

/**
 * How one user of the run is opened, by name (`3-b`, `idle-0`, `3` for a sender); ids and
 * rooms are `idOf(name)`. The seams where other kinds of users (browser receivers, users
 * behind an emulated link) plug in.
 */
export interface Openers {
  idOf: (name: string) => string
  receiver: (name: string, deliver: Deliver) => Promise<Receiver>
  sender: (name: string) => Promise<Sender>
  /** Where fan-out receivers join their group's room, during set-up. */
  server: { origin: string; access?: ServerAccess }
}

/** How many connections are opened at once, so thousands of users do not flood accept(). */
const openConcurrency = 64

/**
 * Opens every receiver (group members first, then the idle ones), joins fan-out receivers to
 * their group's room, then opens the senders. A failure closes whatever was opened and throws:
 * refusals as one SetupFailed that counts them (setup-failures.ts).
 */
export async function openPopulation(shape: Shape, open: Openers, deliveries: Deliveries): Promise<Population> {
  const { idOf } = open
  const opened: { close(): Promise<void> }[] = []
  const close = async (): Promise<void> => void (await Promise.allSettled(opened.map((o) => o.close())))
  const k = shape.receiversPerGroup
  const g0 = shape.firstGroup ?? 0
  const receiverName = (g: number, r: number): string => (k === 1 ? `${g}-b` : `${g}-b${r}`)
  const i0 = shape.firstIdle ?? 0
  try {
    await inBatches('receivers', shape.groups * k + shape.idleReceivers, opened, (i) => {
      if (i >= shape.groups * k) return open.receiver(`idle-${i0 + i - shape.groups * k}`, deliveries.onIdleData)
      const n = g0 * k + i
      const g = Math.floor(n / k)
      return open.receiver(receiverName(g, n % k), deliveries.onData(g, n))
    })
    const recipients = Array.from({ length: shape.groups }, (_, i): Recipient => {
      const g = g0 + i
      return k === 1 ? { to: idOf(receiverName(g, 0)) } : { room: idOf(`${g}-room`) }
    })
    if (k > 1) {
      const { origin, access } = open.server
      const dispatcher = accessAgent(access)
      try {
        await inBatches('receivers', shape.groups * k, [], async (i) => {
          const n = g0 * k + i
          const g = Math.floor(n / k)
          await joinRoom({ origin, access: access ?? {}, dispatcher }, idOf(`${g}-room`), idOf(receiverName(g, n % k)))
          return { close: async () => {} }
        })
      } finally {
        await dispatcher.close()
      }
    }
    const senders = await inBatches('senders', shape.groups, opened, (i) => open.sender(String(g0 + i)))
    return { groups: senders.map((sender, i) => ({ index: g0 + i, sender, recipient: recipients[i]! })), close }
  } catch (err) {
    await close()
    throw err
  }
}

/**
 * Opens `count` of `role`, `openConcurrency` at a time, keeping each in `opened`. Refusals (the
 * server's connection cap, nothing listening) come back at once, so it goes on to count them all
 * and throws SetupFailed naming how many; any other failure (a timeout) is thrown as it is.
 */
async function inBatches<T extends { close(): Promise<void> }>(
  role: Role,
  count: number,
  opened: { close(): Promise<void> }[],
  open: (n: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = []
  const refused: unknown[] = []
  for (let start = 0; start < count; start += openConcurrency) {
    const batch = Array.from({ length: Math.min(openConcurrency, count - start) }, (_, i) => start + i)
    const settled = await Promise.allSettled(batch.map(open))
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled') {
        out.push(outcome.value)
        opened.push(outcome.value)
      } else if (isRefusal(outcome.reason)) {
        refused.push(outcome.reason)
      } else {
        throw outcome.reason
      }
    }
  }
  if (refused.length > 0) throw new SetupFailed(role, refused.length, count, setupCause(refused[0]))
  return out
}

interface JoinVia {
  origin: string
  access: ServerAccess
  dispatcher: Dispatcher
}

/** POST /rooms/:room/members, on a pooled connection outside the measured wire (it is set-up). */
async function joinRoom({ origin, access, dispatcher }: JoinVia, room: string, user: string): Promise<void> {
  const res = await request(`${origin}/rooms/${room}/members`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', ...authHeaders(access) },
    body: JSON.stringify({ user }),
    headersTimeout: 10_000,
  })
  await res.body.dump()
  if (res.statusCode !== 200)
    throw new Error(`POST /rooms/${room}/members answered ${res.statusCode}; does the server support rooms (docs/PROTOCOL.md)?`)
}
