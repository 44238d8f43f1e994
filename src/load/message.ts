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
 * `pair:seq:scheduledMs:` then padding up to `payloadBytes`. The server relays data
 * untouched, so userB recovers the stamp without any shared table.
 */
export function encodeMessage(stamp: Stamp, padding: string): string {
  const head = `${stamp.pair}:${stamp.seq}:${stamp.scheduledMs.toFixed(4)}:`
  return padding.length > head.length ? head + padding.slice(head.length) : head
}

export function paddingFor(payloadBytes: number): string {
  return 'x'.repeat(payloadBytes)
}

/** Reads the stamp back; undefined for data this generator did not write. */
export function decodeMessage(data: string): Stamp | undefined {
  const a = data.indexOf(':')
  const b = data.indexOf(':', a + 1)
  const c = data.indexOf(':', b + 1)
  if (a <= 0 || b <= a || c <= b) return undefined
  const pair = Number(data.slice(0, a))
  const seq = Number(data.slice(a + 1, b))
  const scheduledMs = Number(data.slice(b + 1, c))
  if (!Number.isInteger(pair) || !Number.isInteger(seq) || !Number.isFinite(scheduledMs)) return undefined
  return { pair, seq, scheduledMs }
}
