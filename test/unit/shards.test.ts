import fc from 'fast-check'
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as parse from '../../src/cli/args.js'
import { shardOf, sizeOf, splitPart } from '../../src/load/partition.js'

describe('the shard partition', () => {
  it('gives every group and idle receiver to exactly one shard, for any n, and keeps shares within one of each other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 64 }),
        (groups, idle, n) => {
          fc.pre(n <= groups)
          const shards = Array.from({ length: n }, (_, index) => shardOf(groups, idle, { index, count: n }))
          for (const [key, total] of [
            ['groups', groups],
            ['idle', idle],
          ] as const) {
            const owner = new Array<number>(total).fill(0)
            for (const s of shards) for (let g = s[key].from; g < s[key].to; g++) owner[g]!++
            assert.ok(
              owner.every((c) => c === 1),
              `${key}: each of ${total} in exactly one of ${n} shards`,
            )
            const sizes = shards.map((s) => sizeOf(s[key]))
            assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('splits a shard over its workers without leaving it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 2000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        (groups, n, workers) => {
          const shards = Array.from({ length: n }, (_, index) => shardOf(groups, 0, { index, count: n }))
          const pieces = shards.flatMap((s) => splitPart(s, workers))
          const covered = pieces.flatMap((p) => Array.from({ length: sizeOf(p.groups) }, (_, i) => p.groups.from + i))
          assert.deepEqual(
            covered,
            Array.from({ length: groups }, (_, i) => i),
          )
        },
      ),
    )
  })
})

describe('--shard and --start-at', () => {
  it('read i/n from 0, and refuse anything else in a line', () => {
    assert.deepEqual(parse.shard('1/4'), { index: 1, count: 4 })
    assert.deepEqual(parse.shard('0/1'), { index: 0, count: 1 })
    for (const bad of ['4/4', '1', '-1/2', '1/0', 'a/b', '1/2/3']) assert.throws(() => parse.shard(bad), /index|expected/, bad)
  })

  it('read an ISO instant with its zone or +duration, never one that has passed', () => {
    const soon = new Date(Date.now() + 60_000).toISOString()
    assert.equal(parse.startAt(soon), Date.parse(soon))
    const relative = parse.startAt('+30s')
    assert.ok(Math.abs(relative - (Date.now() + 30_000)) < 1000)
    assert.throws(() => parse.startAt('2020-01-01T00:00:00Z'), /passed/)
    for (const bad of ['2099-01-01 10:00', '2099-01-01T10:00:00', 'tomorrow', '+30', '+soon'])
      assert.throws(() => parse.startAt(bad), /expected|unit/, bad)
  })
})
