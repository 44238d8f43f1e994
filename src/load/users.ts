import type { ClientContext, Receiver, Sender, Transport } from '../transports/types.js'
import { openPostSender } from './post-sender.js'

/** How userA sends: POST /messages (every transport) or the transport's own socket. */
export type SendMode = 'post' | 'socket'

export interface Pair {
  index: number
  sender: Sender
  receiver: Receiver
  /** userB's id: where userA's messages go. */
  to: string
}

/** How many connections are opened at once, so thousands of users do not flood accept(). */
const openConcurrency = 64

export async function openPairs(
  transport: Transport,
  count: number,
  context: (role: 'a' | 'b', index: number) => ClientContext,
  sendMode: SendMode,
  onData: (index: number) => (data: string) => void,
): Promise<Pair[]> {
  const pairs: Pair[] = []
  for (let start = 0; start < count; start += openConcurrency) {
    const batch = Array.from({ length: Math.min(openConcurrency, count - start) }, (_, k) => start + k)
    const settled = await Promise.allSettled(batch.map((i) => openPair(transport, i, context, sendMode, onData(i))))
    for (const outcome of settled) if (outcome.status === 'fulfilled') pairs.push(outcome.value)
    const failed = settled.find((outcome) => outcome.status === 'rejected')
    if (failed !== undefined) {
      await closePairs(pairs)
      throw failed.reason
    }
  }
  return pairs
}

async function openPair(
  transport: Transport,
  index: number,
  context: (role: 'a' | 'b', index: number) => ClientContext,
  sendMode: SendMode,
  onData: (data: string) => void,
): Promise<Pair> {
  const b = context('b', index)
  const receiver = await transport.openReceiver(b, onData)
  const a = context('a', index)
  try {
    const sender = sendMode === 'socket' && transport.openSender ? await transport.openSender(a) : openPostSender(a)
    return { index, sender, receiver, to: b.user }
  } catch (err) {
    await receiver.close()
    throw err
  }
}

export async function closePairs(pairs: readonly Pair[]): Promise<void> {
  await Promise.allSettled(pairs.flatMap((p) => [p.sender.close(), p.receiver.close()]))
}
