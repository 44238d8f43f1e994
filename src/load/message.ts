/** What the generator puts in a message's data: enough to score it on receipt. */
export interface Stamp {
  pair: number
  seq: number
  /** When userA was due to send it, on the generator's clock. */
  scheduledMs: number
}

/** Smallest payload that still holds a stamp. */
export const minPayloadBytes = 32

/**
 * A time as the stamp carries it (0.1 µs steps). The generator counts a send at this rounded
 * time too, so sender and receiver agree on whether a message falls inside the window.
 */
export function stampTime(ms: number): number {
  return Number(ms.toFixed(4))
}

/**
 * `pair:seq:scheduledMs:` then padding up to `bytes` (default: the padding's length). The
 * server relays data untouched, so userB recovers the stamp without any shared table.
 * `pair` is the sender's group: every receiver of a group gets the same data.
 */
export function encodeMessage(stamp: Stamp, padding: string, bytes: number = padding.length): string {
  const head = `${stamp.pair}:${stamp.seq}:${stamp.scheduledMs.toFixed(4)}:`
  return bytes > head.length ? head + padding.slice(head.length, bytes) : head
}

export function paddingFor(payloadBytes: number): string {
  return 'x'.repeat(payloadBytes)
}

/** Reads the stamp back; undefined for data this generator did not write. */
export function decodeMessage(data: string): Stamp | undefined {
  const match = stampPattern.exec(data)
  if (match === null) return undefined
  const pair = Number(match[1])
  const seq = Number(match[2])
  if (!Number.isSafeInteger(pair) || !Number.isSafeInteger(seq)) return undefined
  return { pair, seq, scheduledMs: Number(match[3]) }
}

const stampPattern = /^(\d{1,15}):(\d{1,15}):(\d{1,15}(?:\.\d{1,6})?):/
