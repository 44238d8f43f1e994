import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Mailbox, type Entry } from '../../src/server/mailbox.js'
import { depth } from '../../src/transports/long-polling/settings.js'
import { expectedLatency, expectedP50Ms } from '../../src/transports/long-polling/theory.js'
import { PollLine, type Poll } from '../../src/transports/long-polling/watermark.js'

const roomy = { maxMessages: 1000, maxBytes: 1_000_000 }

/** A poll that records its answer: the ids it was handed, undefined while parked. */
function poll(after: number): Poll & { answered?: number[] } {
  const p: Poll & { answered?: number[] } = {
    after,
    send(messages: Entry[]) {
      assert.equal(p.answered, undefined, 'a poll is answered once')
      p.answered = messages.map((m) => m.id)
    },
  }
  return p
}

/** A poll arriving as the route takes it: answered at once, or parked behind the older ones. */
function arrive(line: PollLine, box: Mailbox, p: Poll): void {
  if (!line.answerNow(p, box)) line.park(p)
}

describe('long polling: the per-connection watermark', () => {
  it('two pipelined polls with the same cursor: the first takes the message, the second stays parked for the next', () => {
    const box = new Mailbox(roomy)
    const line = new PollLine()
    const a = poll(0)
    const b = poll(0)
    arrive(line, box, a)
    arrive(line, box, b)
    box.publish('m1')
    line.serve(box)
    assert.deepEqual(a.answered, [1])
    assert.equal(b.answered, undefined, 'b carries cursor 0, but its effective cursor is 1: nothing new')
    assert.equal(line.cursorOf(b), 1)
    box.publish('m2')
    line.serve(box)
    assert.deepEqual(b.answered, [2])
  })

  it('a poll sent before an answer it has not read is answered from the watermark, at once if something is beyond it', () => {
    const box = new Mailbox(roomy)
    const line = new PollLine()
    box.publish('m1')
    const a = poll(0)
    arrive(line, box, a)
    assert.deepEqual(a.answered, [1])
    box.publish('m2')
    const b = poll(0) // sent with the cursor the client had before a's answer
    arrive(line, box, b)
    assert.deepEqual(b.answered, [2], 'not [1, 2]: m1 is in the answer before it on this connection')
  })

  it('answers in order: a later poll is never handed messages while an older one waits', () => {
    const box = new Mailbox(roomy)
    const line = new PollLine()
    const a = poll(0)
    const b = poll(0)
    arrive(line, box, a)
    arrive(line, box, b)
    // b's hold passes first (a client may ask different holds): it leaves empty, a still waits.
    line.answer(b, box)
    assert.deepEqual(b.answered, [])
    box.publish('m1')
    line.serve(box)
    assert.deepEqual(a.answered, [1])
  })
})

describe('long polling: a connection’s line over its life', () => {
  it('a new connection starts at 0: a poll there is answered from its own cursor', () => {
    const box = new Mailbox(roomy)
    const old = new PollLine()
    box.publish('m1')
    box.publish('m2')
    const a = poll(0)
    arrive(old, box, a)
    assert.deepEqual(a.answered, [1, 2])
    // The connection died before the client read a's answer: it polls again with its true cursor, 0.
    const fresh = new PollLine()
    const retry = poll(0)
    arrive(fresh, box, retry)
    assert.deepEqual(retry.answered, [1, 2], 'nothing lost: the watermark was the dead connection’s')
  })

  it('the mailbox keeps what the watermark skipped until the client’s own cursor acknowledges it', () => {
    const box = new Mailbox(roomy)
    const line = new PollLine()
    box.publish('m1')
    const a = poll(0)
    arrive(line, box, a)
    box.ack(0) // the second poll's own cursor: m1 is not acknowledged by the watermark
    assert.deepEqual(
      box.after(0).map((e) => e.id),
      [1],
    )
  })

  it('a dropped poll leaves the line; the next parked one is served', () => {
    const box = new Mailbox(roomy)
    const line = new PollLine()
    const a = poll(0)
    const b = poll(0)
    arrive(line, box, a)
    arrive(line, box, b)
    line.drop(a)
    assert.equal(line.parkedCount, 1)
    box.publish('m1')
    line.serve(box)
    assert.deepEqual(b.answered, [1])
  })
})

describe('long polling: depth setting and theory', () => {
  it('takes a whole number from 1 to 4 and names what would do otherwise', () => {
    assert.equal(depth.parse('2'), 2)
    for (const bad of ['0', '5', '1.5', 'two', '-1', '']) assert.throws(() => depth.parse(bad), /expected a whole number from 1 to 4/)
  })

  it('the re-poll gap: depth 1 at two messages a round trip waits half a round trip more at the median, depth 2 does not', () => {
    const path = { upMs: 25, downMs: 25, ratePerSec: 40 }
    assert.equal(expectedP50Ms(1, path), 75)
    assert.equal(expectedP50Ms(2, path), 50)
    assert.equal(expectedP50Ms(2, { ...path, ratePerSec: 100 }), 62.5)
    assert.equal(expectedP50Ms(1, { ...path, ratePerSec: 10 }), 50)
    assert.equal(expectedP50Ms(1, { upMs: 25, downMs: 25 }), undefined)
    assert.match(expectedLatency(1, path), /median near 75 ms \(50 \+ 25\)/)
    assert.match(expectedLatency(2, path), /median near 50 ms; at exactly 2 a round trip/)
  })
})
