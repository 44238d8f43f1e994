import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SequenceTracker, type Arrival } from '../../src/metrics/sequence.js'

function observeAll(seqs: readonly number[]): Arrival[] {
  const tracker = new SequenceTracker()
  return seqs.map((seq) => tracker.observe(seq))
}

describe('SequenceTracker', () => {
  const cases: { name: string; seqs: number[]; expected: Arrival[] }[] = [
    { name: 'calls consecutive sequence numbers in order', seqs: [0, 1, 2, 3], expected: ['in-order', 'in-order', 'in-order', 'in-order'] },
    { name: 'calls a gap in order (a loss is not a reordering)', seqs: [0, 5, 9], expected: ['in-order', 'in-order', 'in-order'] },
    { name: 'calls a repeat of the latest a duplicate', seqs: [0, 1, 1], expected: ['in-order', 'in-order', 'duplicate'] },
    { name: 'calls a repeat of an older one a duplicate', seqs: [0, 1, 2, 0], expected: ['in-order', 'in-order', 'in-order', 'duplicate'] },
    { name: 'calls a late arrival below the highest reordered', seqs: [0, 2, 1], expected: ['in-order', 'in-order', 'reordered'] },
    {
      name: 'calls a repeat of a reordered one a duplicate',
      seqs: [3, 1, 1, 3],
      expected: ['in-order', 'reordered', 'duplicate', 'duplicate'],
    },
    { name: 'starts with seq 0 in order', seqs: [0], expected: ['in-order'] },
    {
      name: 'handles sequence numbers that share one bitmap byte',
      seqs: [7, 6, 5, 4, 3, 2, 1, 0, 8],
      expected: ['in-order', 'reordered', 'reordered', 'reordered', 'reordered', 'reordered', 'reordered', 'reordered', 'in-order'],
    },
  ]
  for (const { name, seqs, expected } of cases) {
    it(`${name}: ${seqs.join(', ')}`, () => {
      assert.deepEqual(observeAll(seqs), expected)
    })
  }

  it('grows beyond its initial bitmap (seq 10000) and still remembers earlier ones', () => {
    const tracker = new SequenceTracker()
    assert.equal(tracker.observe(3), 'in-order')
    assert.equal(tracker.observe(10_000), 'in-order')
    assert.equal(tracker.observe(10_000), 'duplicate')
    assert.equal(tracker.observe(3), 'duplicate')
    assert.equal(tracker.observe(9_999), 'reordered')
    assert.equal(tracker.observe(9_999), 'duplicate')
    assert.equal(tracker.observe(511), 'reordered')
    assert.equal(tracker.observe(1_000_000), 'in-order')
    assert.equal(tracker.observe(10_000), 'duplicate')
    assert.equal(tracker.observe(1_000_000), 'duplicate')
  })

  it('classifies every one of 20,000 in-order deliveries as in-order, and each repeat as a duplicate', () => {
    const tracker = new SequenceTracker()
    for (let seq = 0; seq < 20_000; seq++) assert.equal(tracker.observe(seq), 'in-order')
    for (let seq = 0; seq < 20_000; seq += 997) assert.equal(tracker.observe(seq), 'duplicate')
  })

  it('sees each of a shuffled sequence once: exactly one duplicate per repeat, reordered = those below the running max', () => {
    let state = 12345
    const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const seqs = Array.from({ length: 3000 }, (_, i) => i)
    for (let i = seqs.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[seqs[i], seqs[j]] = [seqs[j]!, seqs[i]!]
    }
    let highest = -1
    let expectedReordered = 0
    for (const seq of seqs) {
      if (seq < highest) expectedReordered++
      else highest = seq
    }
    const arrivals = observeAll([...seqs, ...seqs])
    assert.equal(arrivals.filter((a) => a === 'duplicate').length, seqs.length)
    assert.equal(arrivals.filter((a) => a === 'reordered').length, expectedReordered)
    assert.equal(arrivals.filter((a) => a === 'in-order').length, seqs.length - expectedReordered)
  })
})
