import { Agent, request, type Dispatcher } from 'undici'
import { authHeaders, type ServerAccess } from '../client/server-access.js'
import type { Recipient } from '../protocol/messages.js'
import type { ClientContext, OnData, SendMode, Sender, Transport } from '../transports/types.js'
import { openPostSender } from './post-sender.js'

/** Who is connected: groups of one sender and k receivers, plus receivers that get nothing. */
export interface Shape {
  groups: number
  /** Receivers per group: 1 is a userA/userB pair; more share a room (fan-out). */
  receiversPerGroup: number
  idleReceivers: number
  /** POSTs a sender may have in flight, in order, on its connection (bursts); default 1. */
  sendPipelining?: number
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

/** Callbacks for receipt: the group's receiver number `receiver`, or an idle receiver. */
export interface Deliveries {
  onData: (group: number, receiver: number) => OnData
  onIdleData: OnData
}

/** How many connections are opened at once, so thousands of users do not flood accept(). */
const openConcurrency = 64

/** Names users and rooms within a run: `idOf('3-b')` is `<runId>-3-b`; `context` gives that user's client context. */
export interface Naming {
  idOf: (name: string) => string
  context: (role: 'a' | 'b', name: string) => ClientContext
}

/**
 * Opens every receiver (group members first, then the idle ones), joins fan-out receivers to
 * their group's room, then opens the senders. A failure closes whatever was opened and throws.
 */
export async function openPopulation(
  transport: Transport,
  shape: Shape,
  naming: Naming,
  sendMode: SendMode,
  deliveries: Deliveries,
): Promise<Population> {
  const { idOf, context } = naming
  const opened: { close(): Promise<void> }[] = []
  const close = async (): Promise<void> => void (await Promise.allSettled(opened.map((o) => o.close())))
  const k = shape.receiversPerGroup
  const g0 = shape.firstGroup ?? 0
  const receiverName = (g: number, r: number): string => (k === 1 ? `${g}-b` : `${g}-b${r}`)
  try {
    await inBatches(shape.groups * k, opened, (i) => {
      const n = g0 * k + i
      const g = Math.floor(n / k)
      return transport.openReceiver(context('b', receiverName(g, n % k)), deliveries.onData(g, n))
    })
    const i0 = shape.firstIdle ?? 0
    await inBatches(shape.idleReceivers, opened, (i) => transport.openReceiver(context('b', `idle-${i0 + i}`), deliveries.onIdleData))
    const recipients = Array.from({ length: shape.groups }, (_, i): Recipient => {
      const g = g0 + i
      return k === 1 ? { to: idOf(receiverName(g, 0)) } : { room: idOf(`${g}-room`) }
    })
    if (k > 1) {
      const { origin, access } = context('b', 'join')
      const dispatcher = new Agent({ connect: access?.ca !== undefined ? { ca: access.ca } : {} })
      try {
        await inBatches(shape.groups * k, [], async (i) => {
          const n = g0 * k + i
          const g = Math.floor(n / k)
          await joinRoom({ origin, access: access ?? {}, dispatcher }, idOf(`${g}-room`), idOf(receiverName(g, n % k)))
          return { close: async () => {} }
        })
      } finally {
        await dispatcher.close()
      }
    }
    const senders = await inBatches(shape.groups, opened, (i) => {
      const a = context('a', String(g0 + i))
      return sendMode === 'socket' && transport.openSender ? transport.openSender(a) : openPostSender(a, shape.sendPipelining)
    })
    return { groups: senders.map((sender, i) => ({ index: g0 + i, sender, recipient: recipients[i]! })), close }
  } catch (err) {
    await close()
    throw err
  }
}

/** Opens `count` things, `openConcurrency` at a time, keeping each in `opened`; throws the first failure. */
async function inBatches<T extends { close(): Promise<void> }>(
  count: number,
  opened: { close(): Promise<void> }[],
  open: (n: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = []
  for (let start = 0; start < count; start += openConcurrency) {
    const batch = Array.from({ length: Math.min(openConcurrency, count - start) }, (_, i) => start + i)
    const settled = await Promise.allSettled(batch.map(open))
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled') {
        out.push(outcome.value)
        opened.push(outcome.value)
      }
    }
    const failed = settled.find((outcome) => outcome.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }
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
