import { Scheduler, type WakeUps } from '../../src/client/scheduler.js'
import type { Clock } from '../../src/clock.js'

interface Pending {
  atMs: number
  order: number
  wake: () => void
}

/**
 * Fake time for the generator's pacing: a clock that moves only when a wake-up fires, and the
 * scheduler's wake-ups queued on it. A timer fires exactly at its time; a turn of the event
 * loop costs `turnMs`, so a scheduler spinning toward a due time gets there, as on a real
 * machine, but without sleeping and to the same microsecond every run.
 */
export class FakeTime implements Clock, WakeUps {
  private t: number
  private order = 0
  private readonly pending = new Map<number, Pending>()
  /** Timers and turns that fired, by kind: how the scheduler waited. */
  readonly fired = { timers: 0, turns: 0 }

  constructor(
    startMs = 0,
    readonly turnMs = 0.001,
  ) {
    this.t = startMs
  }

  now(): number {
    return this.t
  }

  /** A scheduler on this time, with the real spin window unless a test gives one. */
  scheduler(spinWindowMs?: number): Scheduler {
    return spinWindowMs === undefined ? new Scheduler(this, this) : new Scheduler(this, this, spinWindowMs)
  }

  setTimeout(wake: () => void, ms: number): unknown {
    return this.add(this.t + Math.max(0, ms), () => {
      this.fired.timers++
      wake()
    })
  }

  setImmediate(wake: () => void): unknown {
    return this.add(this.t + this.turnMs, () => {
      this.fired.turns++
      wake()
    })
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number)
  }

  clearImmediate(handle: unknown): void {
    this.pending.delete(handle as number)
  }

  /** Wake-ups not yet fired. */
  get waiting(): number {
    return this.pending.size
  }

  /** Fires the earliest wake-up (the first queued among equals), moving the clock to its time; false when none is left. */
  step(): boolean {
    let next: [number, Pending] | undefined
    for (const entry of this.pending) {
      const [, p] = entry
      if (next === undefined || p.atMs < next[1].atMs || (p.atMs === next[1].atMs && p.order < next[1].order)) next = entry
    }
    if (next === undefined) return false
    this.pending.delete(next[0])
    this.t = Math.max(this.t, next[1].atMs)
    next[1].wake()
    return true
  }

  /** Fires every wake-up due up to `ms`, then leaves the clock at `ms`. */
  advanceTo(ms: number): void {
    for (;;) {
      const due = [...this.pending.values()].some((p) => p.atMs <= ms)
      if (!due || !this.step()) break
    }
    this.t = Math.max(this.t, ms)
  }

  /**
   * Fires wake-ups one by one until `work` settles, letting real promise callbacks run between
   * them (the code under test awaits). Fails rather than run past `limitMs` of fake time.
   */
  async settle<T>(work: Promise<T>, limitMs = 600_000): Promise<T> {
    let settled = false
    work.then(
      () => (settled = true),
      () => (settled = true),
    )
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve))
      if (settled) return work
      if (this.t > limitMs) throw new Error(`fake time passed ${limitMs} ms before the work settled`)
      if (!this.step()) throw new Error(`fake time ran out of wake-ups at ${this.t} ms before the work settled`)
    }
  }

  private add(atMs: number, wake: () => void): number {
    const id = ++this.order
    this.pending.set(id, { atMs, order: id, wake })
    return id
  }
}
