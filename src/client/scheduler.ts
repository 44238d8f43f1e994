import { monotonicClock, type Clock } from '../clock.js'
import { generatorTuning } from '../config.js'
import { TaskQueue } from './task-queue.js'

/**
 * How the scheduler waits: a timer for the long stretch, a turn of the event loop for the last.
 * The event loop's own by default; tests pass fake ones that move a fake clock.
 */
export interface WakeUps {
  setTimeout(wake: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  setImmediate(wake: () => void): unknown
  clearImmediate(handle: unknown): void
}

// Node's own functions, not wrappers: the scheduler wakes once per send.
const eventLoop: WakeUps = { setTimeout, clearTimeout, setImmediate, clearImmediate }

/**
 * Runs tasks at their due time on the generator's clock, to within microseconds.
 *
 * setTimeout alone wakes about 0.6 ms late on these machines, which would add that much to
 * every latency. So a task further away than the spin window is approached with setTimeout,
 * and the last stretch with setImmediate: each turn of the event loop checks the clock and
 * still polls for I/O, so receivers are not starved while a send is awaited.
 */
export class Scheduler {
  private readonly queue = new TaskQueue()
  private timer: unknown
  private immediate: unknown
  private stopped = false

  /** `clock` is the run's clock: due times are read on it, and everyone who stamps a time reads this one. */
  constructor(
    readonly clock: Clock = monotonicClock,
    private readonly wakeUps: WakeUps = eventLoop,
    private readonly spinWindowMs: number = generatorTuning.spinWindowMs,
  ) {}

  /** Runs `run` at `due` (clock ms); a time already past runs on the next turn. */
  at(due: number, run: () => void): void {
    if (this.stopped) return
    this.queue.push({ due, run })
    if (this.queue.peek()?.run === run) this.wake()
  }

  /** Resolves about `ms` from now, on a plain timer: for waits that need no precision, so nothing spins. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.wakeUps.setTimeout(resolve, ms))
  }

  /** Drops every pending task and stops waking up; `at` is ignored afterwards. */
  stop(): void {
    this.stopped = true
    this.queue.clear()
    this.cancelWake()
  }

  private readonly tick = (): void => {
    this.timer = undefined
    this.immediate = undefined
    const t = this.clock.now()
    for (let task = this.queue.peek(); task !== undefined && task.due <= t; task = this.queue.peek()) {
      this.queue.pop()
      task.run()
    }
    if (!this.stopped) this.wake()
  }

  private wake(): void {
    this.cancelWake()
    const next = this.queue.peek()
    if (next === undefined) return
    const wait = next.due - this.clock.now() - this.spinWindowMs
    if (wait > 0) this.timer = this.wakeUps.setTimeout(this.tick, wait)
    else this.immediate = this.wakeUps.setImmediate(this.tick)
  }

  private cancelWake(): void {
    if (this.timer !== undefined) this.wakeUps.clearTimeout(this.timer)
    if (this.immediate !== undefined) this.wakeUps.clearImmediate(this.immediate)
    this.timer = undefined
    this.immediate = undefined
  }
}
