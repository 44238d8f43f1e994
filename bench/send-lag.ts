/**
 * How late a send can leave on this machine, with no network at all: 1,000 tasks a second for
 * a few seconds, each timed from its due time to the moment it runs.
 *   1. the floor: a bare loop that spins on the clock and checks nothing else, so what it
 *      sees is the machine (VM pauses, preemption, GC), not any scheduler;
 *   2. transport-bench's Scheduler (setTimeout, then setImmediate near the due time), which
 *      must also keep I/O flowing, so it cannot spin as tightly.
 * Both run in this process, pinned to the generator's core when the machine has two or more.
 * Usage: npm run bench:send-lag [-- --seconds 5 --runs 3]
 */
import { Scheduler } from '../src/client/scheduler.js'
import { monotonicClock } from '../src/clock.js'
import { pinProcess } from '../src/pinning.js'
import { benchPlacement, numberFlag } from './flags.js'

const ratePerSec = 1000
const seconds = numberFlag('seconds', 5)
const runs = Math.round(numberFlag('runs', 3))

interface LagFigures {
  p50Us: number
  p99Us: number
  maxUs: number
}

function figuresOf(lagsUs: number[]): LagFigures {
  const sorted = [...lagsUs].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { p50Us: at(0.5), p99Us: at(0.99), maxUs: sorted[sorted.length - 1]! }
}

/** Spins on the clock and runs each task the moment it is due; yields only to let the loop breathe between tasks. */
function bareLoop(count: number): Promise<number[]> {
  const lags: number[] = []
  const t0 = monotonicClock.now() + 50
  let i = 0
  return new Promise((resolve) => {
    const loop = (): void => {
      let t = monotonicClock.now()
      const due = t0 + i * (1000 / ratePerSec)
      // Within 50 µs: hold the loop until the due time, as tightly as JavaScript can.
      if (t >= due - 0.05) {
        while (t < due) t = monotonicClock.now()
        lags.push((monotonicClock.now() - due) * 1000)
        if (++i === count) return resolve(lags)
      }
      setImmediate(loop)
    }
    setImmediate(loop)
  })
}

function throughScheduler(count: number): Promise<number[]> {
  const scheduler = new Scheduler()
  const lags: number[] = []
  const t0 = monotonicClock.now() + 50
  return new Promise((resolve) => {
    const at = (k: number): void => {
      const due = t0 + k * (1000 / ratePerSec)
      scheduler.at(due, () => {
        lags.push((monotonicClock.now() - due) * 1000)
        if (k + 1 === count) {
          scheduler.stop()
          resolve(lags)
        } else at(k + 1)
      })
    }
    at(0)
  })
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!

function line(name: string, figures: LagFigures[]): string {
  const m = (f: (x: LagFigures) => number): string => median(figures.map(f)).toFixed(1).padStart(8)
  return `${name.padEnd(24)} p50 ${m((x) => x.p50Us)} µs  p99 ${m((x) => x.p99Us)} µs  max ${m((x) => x.maxUs)} µs`
}

async function main(): Promise<void> {
  const where = benchPlacement()
  if (where) await pinProcess(process.pid, where.generatorCpu)
  const count = seconds * ratePerSec
  const bare: LagFigures[] = []
  const scheduled: LagFigures[] = []
  for (let run = 0; run < runs; run++) {
    bare.push(figuresOf(await bareLoop(count)))
    scheduled.push(figuresOf(await throughScheduler(count)))
  }
  console.log(
    `send lag at ${ratePerSec} tasks/s, no network, ${seconds} s per run, medians of ${runs} alternating runs; ${where ? `pinned to cpu ${where.generatorCpu}` : 'not pinned'}`,
  )
  console.log(line('bare spin loop (floor)', bare))
  console.log(line('transport-bench Scheduler', scheduled))
}

await main()
