import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Mailbox, type Entry } from '../../src/server/mailbox.js'

const roomy = { maxMessages: 1000, maxBytes: 1_000_000 }

const ids = (entries: readonly Entry[]): number[] => entries.map((e) => e.id)

function filled(count: number, limits = roomy): Mailbox {
  const box = new Mailbox(limits)
  for (let i = 1; i <= count; i++) box.publish(`m${i}`)
  return box
}

describe('Mailbox ids and cursors', () => {
  it('numbers entries consecutively from 1 and keeps their data', () => {
    const box = new Mailbox(roomy)
    assert.equal(box.lastIdPublished, 0)
    assert.deepEqual(box.publish('a'), { id: 1, data: 'a' })
    assert.deepEqual(box.publish('b'), { id: 2, data: 'b' })
    assert.deepEqual(box.publish('c'), { id: 3, data: 'c' })
    assert.equal(box.lastIdPublished, 3)
    assert.equal(box.size, 3)
  })

  const cursors: [number, number[]][] = [
    [0, [1, 2, 3, 4, 5]],
    [1, [2, 3, 4, 5]],
    [3, [4, 5]],
    [4, [5]],
    [5, []],
    [99, []],
  ]
  for (const [cursor, expected] of cursors) {
    it(`returns ids [${expected.join(', ')}] after cursor ${cursor} of 5`, () => {
      const box = filled(5)
      const out = box.after(cursor)
      assert.deepEqual(ids(out), expected)
      assert.deepEqual(
        out.map((e) => e.data),
        expected.map((id) => `m${id}`),
      )
    })
  }

  it('does not free anything on after(): the same cursor reads the same entries again', () => {
    const box = filled(3)
    assert.deepEqual(ids(box.after(1)), [2, 3])
    assert.deepEqual(ids(box.after(1)), [2, 3])
    assert.equal(box.size, 3)
  })

  it('returns nothing from an empty mailbox', () => {
    assert.deepEqual(new Mailbox(roomy).after(0), [])
  })
})

describe('Mailbox ack', () => {
  it('frees every entry up to and including the cursor', () => {
    const box = filled(5)
    box.ack(2)
    assert.equal(box.size, 3)
    assert.deepEqual(ids(box.after(0)), [3, 4, 5])
    box.ack(5)
    assert.equal(box.size, 0)
    assert.deepEqual(box.after(0), [])
    box.publish('m6')
    assert.deepEqual(ids(box.after(5)), [6])
  })

  it('ignores an ack below what is already freed, and an ack of 0', () => {
    const box = filled(4)
    box.ack(3)
    box.ack(1)
    box.ack(0)
    assert.deepEqual(ids(box.after(0)), [4])
  })

  it('never counts acknowledged entries as dropped', () => {
    const box = filled(10, { maxMessages: 3, maxBytes: 1_000_000 })
    const dropped = box.dropped
    box.ack(10)
    assert.equal(box.dropped, dropped)
  })

  it('frees bytes, so an acknowledged mailbox takes new entries without evicting', () => {
    const box = new Mailbox({ maxMessages: 100, maxBytes: 10 })
    box.publish('aaaa')
    box.publish('bbbb')
    box.ack(2)
    box.publish('cccc')
    box.publish('dddd')
    assert.equal(box.dropped, 0)
    assert.deepEqual(ids(box.after(0)), [3, 4])
  })

  it('stays consistent across many publish/ack cycles (the freed prefix is compacted)', () => {
    const box = new Mailbox({ maxMessages: 50, maxBytes: 1_000_000 })
    for (let i = 1; i <= 5000; i++) {
      box.publish(`m${i}`)
      if (i % 3 === 0) box.ack(i - 1)
    }
    assert.deepEqual(ids(box.after(4997)), [4998, 4999, 5000])
    assert.equal(box.after(0)[0]?.id, 4998)
    assert.equal(box.dropped, 0)
  })
})

describe('Mailbox eviction', () => {
  it('keeps the newest maxMessages entries and counts the untaken evicted ones as dropped', () => {
    const box = filled(5, { maxMessages: 3, maxBytes: 1_000_000 })
    assert.equal(box.size, 3)
    assert.equal(box.dropped, 2)
    assert.deepEqual(ids(box.after(0)), [3, 4, 5])
  })

  it('returns what is left when the cursor fell behind evicted entries', () => {
    const box = filled(5, { maxMessages: 3, maxBytes: 1_000_000 })
    assert.deepEqual(ids(box.after(1)), [3, 4, 5])
  })

  it('does not count evicted entries as dropped once a poll has taken them', () => {
    const box = filled(3, { maxMessages: 3, maxBytes: 1_000_000 })
    assert.deepEqual(ids(box.after(0)), [1, 2, 3])
    box.publish('m4')
    box.publish('m5')
    box.publish('m6')
    assert.equal(box.dropped, 0, 'ids 1-3 were taken')
    box.publish('m7')
    assert.equal(box.dropped, 1, 'id 4 was never taken')
    assert.deepEqual(ids(box.after(0)), [5, 6, 7])
  })

  it('does not count as dropped what a subscriber marked taken', () => {
    const box = new Mailbox({ maxMessages: 2, maxBytes: 1_000_000 })
    box.subscribe((entry) => box.markTaken(entry.id))
    for (let i = 1; i <= 100; i++) box.publish(`m${i}`)
    assert.equal(box.size, 2)
    assert.equal(box.dropped, 0)
  })

  it('evicts the oldest entries past maxBytes and counts them as dropped', () => {
    const box = new Mailbox({ maxMessages: 100, maxBytes: 10 })
    box.publish('aaaa')
    box.publish('bbbb')
    assert.equal(box.dropped, 0)
    box.publish('cccc')
    assert.equal(box.dropped, 1)
    assert.deepEqual(ids(box.after(0)), [2, 3])
  })

  it('keeps a single entry larger than maxBytes rather than emptying the mailbox', () => {
    const box = new Mailbox({ maxMessages: 100, maxBytes: 10 })
    box.publish('aaaa')
    box.publish('bbbb')
    box.publish('x'.repeat(50))
    assert.equal(box.size, 1)
    assert.equal(box.dropped, 2)
    box.publish('y')
    assert.equal(box.dropped, 3, 'the big one was never taken either')
    assert.deepEqual(ids(box.after(0)), [4])
  })

  it('keeps the last maxMessages of thousands of publishes, past compaction', () => {
    const box = filled(5000, { maxMessages: 10, maxBytes: 1_000_000 })
    assert.equal(box.size, 10)
    assert.equal(box.dropped, 4990)
    assert.deepEqual(ids(box.after(0)), [4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000])
  })
})

describe('Mailbox subscribe', () => {
  it('calls each listener for entries published after it subscribed, until it unsubscribes', () => {
    const box = filled(2)
    const seenA: number[] = []
    const seenB: number[] = []
    const offA = box.subscribe((e) => seenA.push(e.id))
    box.subscribe((e) => seenB.push(e.id))
    box.publish('m3')
    box.publish('m4')
    offA()
    box.publish('m5')
    assert.deepEqual(seenA, [3, 4])
    assert.deepEqual(seenB, [3, 4, 5])
  })

  it('passes the published entry itself, with its data', () => {
    const box = new Mailbox(roomy)
    const seen: Entry[] = []
    box.subscribe((e) => seen.push(e))
    const entry = box.publish('hello')
    assert.deepEqual(seen, [{ id: 1, data: 'hello' }])
    assert.equal(seen[0], entry)
  })

  it('lets a listener unsubscribe itself while being called', () => {
    const box = new Mailbox(roomy)
    const seen: number[] = []
    const off = box.subscribe((e) => {
      seen.push(e.id)
      off()
    })
    box.publish('a')
    box.publish('b')
    assert.deepEqual(seen, [1])
  })
})

describe('Mailbox delivery that survives a dead connection', () => {
  it('keeps what a push receiver was handed until a cursor acknowledges it', () => {
    const box = filled(3)
    const written: number[] = []
    const stop = box.follow(0, (e) => written.push(e.id) > 0)
    box.publish('m4')
    stop()
    assert.deepEqual(written, [1, 2, 3, 4])
    assert.equal(box.size, 4, 'written is not read')
    box.follow(2, () => true)()
    assert.deepEqual(ids(box.after(2)), [3, 4])
    assert.equal(box.size, 2)
  })

  it('frees what it handed out once the resume window has passed, and nothing before', () => {
    let now = 1000
    const box = new Mailbox({ ...roomy, resumeWindowMs: 500 }, () => now)
    box.follow(0, () => true)
    box.publish('m1')
    now = 1400
    box.publish('m2')
    assert.equal(box.size, 2)
    now = 1600
    box.publish('m3')
    assert.deepEqual(ids(box.after(0)), [2, 3], 'm1 was handed out 600 ms ago')
    assert.equal(box.dropped, 0)
  })

  it('never expires what no receiver was handed', () => {
    let now = 0
    const box = new Mailbox({ ...roomy, resumeWindowMs: 10 }, () => now)
    box.publish('m1')
    now = 1000
    box.publish('m2')
    assert.equal(box.size, 2)
  })
})
