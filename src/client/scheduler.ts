import { now } from '../clock.js'
import { generatorTuning } from '../config.js'
import { TaskQueue } from './task-queue.js'

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
  private timer: NodeJS.Timeout | undefined
  private immediate: NodeJS.Immediate | undefined
  private stopped = false

  constructor(private readonly spinWindowMs: number = generatorTuning.spinWindowMs) {}

  /** Runs `run` at `due` (clock ms); a time already past runs on the next turn. */
  at(due: number, run: () => void): void {
    if (this.stopped) return
    this.queue.push({ due, run })
    if (this.queue.peek()?.run === run) this.wake()
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
    const t = now()
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
    const wait = next.due - now() - this.spinWindowMs
    if (wait > 0) this.timer = setTimeout(this.tick, wait)
    else this.immediate = setImmediate(this.tick)
  }

  private cancelWake(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    if (this.immediate !== undefined) clearImmediate(this.immediate)
    this.timer = undefined
    this.immediate = undefined
  }
}
