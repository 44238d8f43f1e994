import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DelayLine, type OneWay } from '../../src/link/delay-line.js'
import { Direction, type DirectionContext, type Sink } from '../../src/link/direction.js'
import { DirectionMeter, zeroCounters } from '../../src/link/meter.js'
import { seededRandom } from '../../src/pacing/arrivals.js'

/** Release times of chunks of `bytes` arriving at `arrivals`, one entry per piece. */
function releases(line: DelayLine, arrivals: readonly number[], bytes = 100): { arrivalMs: number; length: number; releaseMs: number }[] {
  const out: { arrivalMs: number; length: number; releaseMs: number }[] = []
  for (const arrivalMs of arrivals) line.admit(arrivalMs, bytes, (_offset, length, releaseMs) => out.push({ arrivalMs, length, releaseMs }))
  return out
}

const way = (delayMs: number, jitterMs = 0, bitsPerSec?: number): OneWay => ({ delayMs, jitterMs, bitsPerSec })
const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`)

describe('DelayLine: delay and jitter', () => {
  it('delays every chunk by its direction’s one-way delay, each direction its own', () => {
    const up = new DelayLine(way(20), Math.random, 1448)
    const down = new DelayLine(way(35), Math.random, 1448)
    const arrivals = [0, 1, 7.5, 100, 100.25]
    assert.deepEqual(
      releases(up, arrivals).map((r) => r.releaseMs),
      arrivals.map((t) => t + 20),
    )
    assert.deepEqual(
      releases(down, arrivals).map((r) => r.releaseMs),
      arrivals.map((t) => t + 35),
    )
  })

  it('never reorders under jitter: 10,000 chunks 0.1 ms apart at 50 ± 20 ms leave in the order they came', () => {
    const line = new DelayLine(way(50, 20), seededRandom(7), 1448)
    const out = releases(
      line,
      Array.from({ length: 10_000 }, (_, i) => i * 0.1),
    )
    for (let i = 1; i < out.length; i++) assert.ok(out[i]!.releaseMs >= out[i - 1]!.releaseMs, `chunk ${i} overtook chunk ${i - 1}`)
    for (const r of out) assert.ok(r.releaseMs - r.arrivalMs >= 30 - 1e-9 && r.releaseMs - r.arrivalMs <= 70 + 1e-9)
  })

  it('draws jitter uniformly in delay ± jitter when chunks are far enough apart not to be held back', () => {
    const line = new DelayLine(way(50, 20), seededRandom(3), 1448)
    const delays = releases(
      line,
      Array.from({ length: 4000 }, (_, i) => i * 100),
    ).map((r) => r.releaseMs - r.arrivalMs)
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length
    const below40 = delays.filter((d) => d < 40).length / delays.length
    assert.ok(Math.min(...delays) >= 30 && Math.max(...delays) <= 70)
    assert.ok(Math.abs(mean - 50) < 0.5, `mean ${mean}`)
    // Uniform on [30, 70]: a quarter of the mass lies below 40.
    assert.ok(Math.abs(below40 - 0.25) < 0.03, `share below 40 ms: ${below40}`)
  })

  it('clamps a jittered delay at 0 rather than sending a chunk before it arrived', () => {
    const line = new DelayLine(way(1, 5), seededRandom(11), 1448)
    for (const r of releases(
      line,
      Array.from({ length: 1000 }, (_, i) => i * 20),
    ))
      assert.ok(r.releaseMs >= r.arrivalMs)
  })
})

describe('DelayLine on a limited bandwidth, with FINs and the handshake', () => {
  it('serialises at the bandwidth: 10 chunks of 1250 B at 1 Mbit/s, all read at 0, leave 10 ms apart', () => {
    const line = new DelayLine(way(0, 0, 1e6), Math.random, 1448)
    const out = releases(line, Array<number>(10).fill(0), 1250)
    assert.equal(out.length, 10)
    out.forEach((r, i) => close(r.releaseMs, (i + 1) * 10, `chunk ${i}`))
  })

  it('adds the propagation delay after the time on the wire, and an idle wire starts afresh', () => {
    const line = new DelayLine(way(25, 0, 1e6), Math.random, 1448)
    const out = releases(line, [0, 0, 500], 1250)
    close(out[0]!.releaseMs, 35, 'first')
    close(out[1]!.releaseMs, 45, 'second, queued behind the first')
    close(out[2]!.releaseMs, 535, 'third, after the wire went idle')
  })

  it('cuts a large chunk into segments that trickle out at the bandwidth', () => {
    const line = new DelayLine(way(0, 0, 8e6), Math.random, 1000)
    const out = releases(line, [0], 3500)
    assert.deepEqual(
      out.map((r) => r.length),
      [1000, 1000, 1000, 500],
    )
    out.forEach((r, i) => close(r.releaseMs, [1, 2, 3, 3.5][i]!, `segment ${i}`))
  })

  it('passes a FIN on after the last chunk before it, even when jitter would draw it earlier', () => {
    const line = new DelayLine(way(50, 20), seededRandom(5), 1448)
    const out = releases(line, [0, 0.1, 0.2])
    const last = Math.max(...out.map((r) => r.releaseMs))
    for (let i = 0; i < 200; i++) assert.ok(line.admitEnd(0.3) >= last)
  })

  it('makes a FIN wait for the bytes still on the wire', () => {
    const line = new DelayLine(way(10, 0, 1e6), Math.random, 1448)
    releases(line, [0], 1250)
    close(line.admitEnd(0), 20, 'FIN after 10 ms on the wire and 10 ms of travel')
  })

  it('takes nothing as arriving before the handshake is done', () => {
    const line = new DelayLine(way(20), Math.random, 1448, 40)
    assert.deepEqual(
      releases(line, [0, 39, 41]).map((r) => r.releaseMs),
      [60, 60, 61],
    )
  })

  it('passes chunks straight through only when there is nothing at all to wait for', () => {
    assert.equal(new DelayLine(way(0), Math.random, 1448).passThrough, true)
    assert.equal(new DelayLine(way(0.01), Math.random, 1448).passThrough, false)
    assert.equal(new DelayLine(way(0, 0.01), Math.random, 1448).passThrough, false)
    assert.equal(new DelayLine(way(0, 0, 1e9), Math.random, 1448).passThrough, false)
    assert.equal(new DelayLine(way(0), Math.random, 1448, 5).passThrough, false)
  })
})

/** A clock that moves only when told, running each timer task at exactly its due time. */
class FakeTime {
  t = 0
  private tasks: { due: number; run: () => void }[] = []
  readonly now = (): number => this.t
  at(due: number, run: () => void): void {
    this.tasks.push({ due, run })
  }
  get pending(): number {
    return this.tasks.length
  }
  advanceTo(t: number): void {
    for (;;) {
      const next = this.tasks.filter((task) => task.due <= t).sort((a, b) => a.due - b.due)[0]
      if (next === undefined) break
      this.tasks.splice(this.tasks.indexOf(next), 1)
      this.t = Math.max(this.t, next.due)
      next.run()
    }
    this.t = t
  }
}

type Event = { t: number; what: 'write' | 'end' | 'reset'; bytes?: number }

class FakeSink implements Sink {
  destroyed = false
  writableEnded = false
  writableNeedDrain = false
  readonly events: Event[] = []
  private drain: (() => void) | undefined
  constructor(private readonly time: FakeTime) {}
  write(chunk: Buffer): boolean {
    this.events.push({ t: this.time.t, what: 'write', bytes: chunk.length })
    return !this.writableNeedDrain
  }
  end(): void {
    this.events.push({ t: this.time.t, what: 'end' })
    this.writableEnded = true
  }
  destroy(): void {
    this.destroyed = true
  }
  resetAndDestroy(): void {
    this.events.push({ t: this.time.t, what: 'reset' })
    this.destroyed = true
  }
  once(_event: 'drain', listener: () => void): void {
    this.drain = listener
  }
  drained(): void {
    this.writableNeedDrain = false
    const listener = this.drain
    this.drain = undefined
    listener?.()
  }
}

class FakeSource {
  paused = false
  pauses = 0
  pause(): void {
    this.paused = true
    this.pauses++
  }
  resume(): void {
    this.paused = false
  }
}

function direction(
  line: OneWay,
  queueBytes = 1 << 20,
): { time: FakeTime; sink: FakeSink; source: FakeSource; dir: Direction; meter: DirectionMeter } {
  const time = new FakeTime()
  const sink = new FakeSink(time)
  const source = new FakeSource()
  const meter = new DirectionMeter()
  const context: DirectionContext = { now: time.now, timer: time, queueBytes, counters: zeroCounters() }
  const dir = new Direction(source, sink, new DelayLine(line, seededRandom(1), 1448), meter, context)
  return { time, sink, source, dir, meter }
}

describe('Direction: timing and order', () => {
  it('writes each chunk when its delay is up and records the delay it added', () => {
    const { time, sink, dir, meter } = direction(way(30))
    dir.data(Buffer.alloc(10))
    time.advanceTo(5)
    dir.data(Buffer.alloc(20))
    time.advanceTo(29.9)
    assert.equal(sink.events.length, 0)
    time.advanceTo(100)
    assert.deepEqual(sink.events, [
      { t: 30, what: 'write', bytes: 10 },
      { t: 35, what: 'write', bytes: 20 },
    ])
    const taken = meter.take()
    assert.equal(taken.addedUs.totalCount, 2)
    // Both added 30 ms exactly; the histogram keeps 3 significant digits.
    assert.ok(Math.abs(taken.addedUs.getValueAtPercentile(0) - 30_000) <= 30 && Math.abs(taken.addedUs.maxValue - 30_000) <= 30)
    assert.equal(taken.lateUs.getValueAtPercentile(100), 1)
    assert.equal(taken.bytes, 30)
  })

  it('passes a FIN on after the last delayed chunk, never before it', () => {
    const { time, sink, dir } = direction(way(50, 20))
    for (let i = 0; i < 5; i++) {
      time.advanceTo(i * 0.1)
      dir.data(Buffer.alloc(100))
    }
    dir.end()
    time.advanceTo(1000)
    assert.deepEqual(
      sink.events.map((e) => e.what),
      ['write', 'write', 'write', 'write', 'write', 'end'],
    )
    const times = sink.events.map((e) => e.t)
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    )
  })

  it('passes a reset on after the data before it, and takes nothing after it', () => {
    const { time, sink, dir } = direction(way(10))
    dir.data(Buffer.alloc(100))
    dir.reset()
    dir.data(Buffer.alloc(100))
    time.advanceTo(100)
    assert.deepEqual(sink.events, [
      { t: 10, what: 'write', bytes: 100 },
      { t: 10, what: 'reset' },
    ])
  })
})

describe('Direction: pass-through, backpressure and teardown', () => {
  it('writes synchronously, with no timer, when there is nothing to wait for', () => {
    const { time, sink, dir } = direction(way(0))
    dir.data(Buffer.alloc(7))
    dir.end()
    assert.equal(time.pending, 0)
    assert.deepEqual(sink.events, [
      { t: 0, what: 'write', bytes: 7 },
      { t: 0, what: 'end' },
    ])
  })

  it('pauses its source past queueBytes and resumes it once half has left', () => {
    const { time, source, dir } = direction(way(0, 0, 8e6), 10_000)
    for (let i = 0; i < 6; i++) dir.data(Buffer.alloc(2000))
    assert.equal(source.paused, true, 'paused at 12,000 B held')
    assert.equal(source.pauses, 1)
    // 8 Mbit/s is 1 byte per µs, each 2,000 B chunk in segments of 1,448 and 552 B: by 7.4 ms
    // three chunks have left (6,000 B still held); at 7.448 ms a segment more, 4,552 B held.
    time.advanceTo(7.4)
    assert.equal(source.paused, true, 'still 6,000 B held at 7.4 ms')
    time.advanceTo(7.5)
    assert.equal(source.paused, false, 'resumed with 4,552 B held')
  })

  it('pauses its source while the sink’s buffer is full and resumes on drain', () => {
    const { sink, source, dir } = direction(way(0))
    sink.writableNeedDrain = true
    dir.data(Buffer.alloc(10))
    assert.equal(source.paused, true)
    sink.drained()
    assert.equal(source.paused, false)
  })

  it('drops what it holds when its sink is gone', () => {
    const { time, sink, dir } = direction(way(10))
    dir.data(Buffer.alloc(100))
    dir.end()
    dir.abort()
    time.advanceTo(100)
    assert.deepEqual(sink.events, [])
  })
})
