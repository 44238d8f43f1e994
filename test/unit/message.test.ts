import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeMessage, encodeMessage, minPayloadBytes, paddingFor, stampTime, type Stamp } from '../../src/load/message.js'

function seeded(seed: number): () => number {
  let state = seed
  return () => (state = (state * 48271) % 2147483647) / 2147483647
}

describe('encodeMessage / decodeMessage', () => {
  const stamps: Stamp[] = [
    { pair: 0, seq: 0, scheduledMs: 0 },
    { pair: 3, seq: 42, scheduledMs: 1234.5679 },
    { pair: 999, seq: 123_456, scheduledMs: 9_999_999.9999 },
    { pair: 1, seq: 1, scheduledMs: 0.0001 },
  ]
  for (const stamp of stamps) {
    it(`round-trips ${JSON.stringify(stamp)}`, () => {
      assert.deepEqual(decodeMessage(encodeMessage(stamp, paddingFor(128))), stamp)
      assert.deepEqual(decodeMessage(encodeMessage(stamp, '')), stamp)
    })
  }

  it('writes the stamp as pair:seq:scheduledMs: with four decimals', () => {
    assert.equal(encodeMessage({ pair: 3, seq: 42, scheduledMs: 1234.5 }, ''), '3:42:1234.5000:')
  })

  const sizes = [minPayloadBytes, 33, 64, 100, 1000, 65_536]
  for (const size of sizes) {
    it(`pads a message to exactly ${size} bytes, stamp first`, () => {
      const data = encodeMessage({ pair: 12, seq: 3456, scheduledMs: 98_765.4321 }, paddingFor(size))
      assert.equal(data.length, size)
      assert.ok(data.startsWith('12:3456:98765.4321:'))
      assert.match(data.slice('12:3456:98765.4321:'.length), /^x*$/)
    })
  }

  it('keeps the whole stamp when the padding is shorter than it', () => {
    const data = encodeMessage({ pair: 12, seq: 3456, scheduledMs: 98_765.4321 }, paddingFor(8))
    assert.equal(data, '12:3456:98765.4321:')
  })

  it('fits the largest stamp a long run writes into minPayloadBytes', () => {
    // 10,000 pairs, a million messages each, an hour on the clock.
    const head = encodeMessage({ pair: 9999, seq: 999_999, scheduledMs: 3_600_000.1234 }, '')
    assert.ok(head.length <= minPayloadBytes, `${head} is ${head.length} bytes`)
  })

  it('paddingFor(n) is n bytes', () => {
    for (const n of [0, 1, 32, 4096]) assert.equal(paddingFor(n).length, n)
  })
})

describe('stampTime', () => {
  it('rounds to 0.1 µs steps', () => {
    assert.equal(stampTime(1.23456), 1.2346)
    assert.equal(stampTime(1.23454), 1.2345)
    assert.equal(stampTime(0), 0)
    assert.equal(stampTime(10), 10)
  })

  it('survives encode → decode exactly, for 10,000 random times in 0..1e7 ms', () => {
    const random = seeded(99)
    for (let i = 0; i < 10_000; i++) {
      const x = random() * 1e7
      const t = stampTime(x)
      const decoded = decodeMessage(encodeMessage({ pair: 1, seq: i, scheduledMs: t }, paddingFor(64)))
      assert.equal(decoded?.scheduledMs, t, `x = ${x}`)
      assert.equal(stampTime(t), t, `stampTime is idempotent at ${x}`)
      assert.ok(Math.abs(t - x) <= 0.00005 + 1e-9, `stampTime(${x}) = ${t} moved more than half a step`)
    }
  })

  it('survives encode → decode exactly for times on and near 0.1 µs boundaries', () => {
    for (let i = 0; i < 2000; i++) {
      for (const x of [i * 0.0001, i * 0.0001 + 0.00005, 1e6 + i * 0.00015, 9_999_999 + i * 0.0005]) {
        const t = stampTime(x)
        assert.equal(decodeMessage(encodeMessage({ pair: 0, seq: 0, scheduledMs: t }, ''))?.scheduledMs, t, `x = ${x}`)
      }
    }
  })
})

describe('decodeMessage rejects data it did not write', () => {
  const junk = [
    '',
    'hello',
    'x'.repeat(64),
    '1:2:3',
    '1:2',
    ':1:2:',
    'a:1:2:',
    '1:b:2:',
    '1:2:c:',
    '1.5:2:3:',
    '1:2.5:3:',
    '1:2:NaN:',
    '1:2:Infinity:',
    '{"pair":1}',
  ]
  for (const data of junk) {
    it(`returns undefined for ${JSON.stringify(data)}`, () => {
      assert.equal(decodeMessage(data), undefined)
    })
  }

  const acceptedJunk = ['1::3:', '1:2::', ' :2:3:', '1:-2:3:', '-1:2:3:']
  for (const data of acceptedJunk) {
    it(`returns undefined for ${JSON.stringify(data)} (empty or negative field)`, () => {
      assert.equal(decodeMessage(data), undefined)
    })
  }
})
