/** How one delivery relates to those before it on the same pair. */
export type Arrival = 'in-order' | 'reordered' | 'duplicate'

/**
 * Tracks one pair's sequence numbers: a delivery seen before is a duplicate; one below the
 * highest seen so far arrived out of order. A bitmap keeps this at one bit per message.
 */
export class SequenceTracker {
  private seen = new Uint8Array(64)
  private highest = -1

  observe(seq: number): Arrival {
    this.ensure(seq)
    const byte = seq >> 3
    const bit = 1 << (seq & 7)
    if ((this.seen[byte]! & bit) !== 0) return 'duplicate'
    this.seen[byte]! |= bit
    if (seq > this.highest) {
      this.highest = seq
      return 'in-order'
    }
    return 'reordered'
  }

  private ensure(seq: number): void {
    const needed = (seq >> 3) + 1
    if (needed <= this.seen.length) return
    let size = this.seen.length
    while (size < needed) size *= 2
    const grown = new Uint8Array(size)
    grown.set(this.seen)
    this.seen = grown
  }
}
