import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Scheduler } from '../../src/client/scheduler.js'
import { TaskQueue } from '../../src/client/task-queue.js'
import { monotonicClock } from '../../src/clock.js'

function seeded(seed: number): () => number {
  let state = seed
  return () => (state = (state * 48271) % 2147483647) / 2147483647
}

const noop = (): void => undefined

function drain(queue: TaskQueue): number[] {
  const out: number[] = []
  for (let task = queue.pop(); task !== undefined; task = queue.pop()) out.push(task.due)
  return out
}

describe('TaskQueue', () => {
  it('is empty at first: size 0, peek and pop undefined', () => {
    const queue = new TaskQueue()
    assert.equal(queue.size, 0)
    assert.equal(queue.peek(), undefined)
    assert.equal(queue.pop(), undefined)
  })

  for (const [name, dues] of [
    ['ascending', [1, 2, 3, 4, 5]],
    ['descending', [5, 4, 3, 2, 1]],
    ['with ties', [3, 1, 3, 2, 1, 3]],
    ['one task', [7]],
    ['two tasks out of order', [2, 1]],
  ] as const) {
    it(`pops ${name} input (${dues.join(', ')}) in due order`, () => {
      const queue = new TaskQueue()
      for (const due of dues) queue.push({ due, run: noop })
      assert.equal(queue.size, dues.length)
      assert.deepEqual(
        drain(queue),
        [...dues].sort((a, b) => a - b),
      )
      assert.equal(queue.size, 0)
    })
  }

  it('pops 2000 random dues in due order, peek always showing the next one', () => {
    const random = seeded(1)
    const queue = new TaskQueue()
    const dues = Array.from({ length: 2000 }, () => Math.floor(random() * 500))
    for (const due of dues) queue.push({ due, run: noop })
    const sorted = [...dues].sort((a, b) => a - b)
    for (const want of sorted) {
      assert.equal(queue.peek()?.due, want)
      assert.equal(queue.pop()?.due, want)
    }
    assert.equal(queue.size, 0)
  })

  it('keeps due order through random interleaved pushes and pops (checked against a sorted list)', () => {
    const random = seeded(5)
    const queue = new TaskQueue()
    const reference: number[] = []
    for (let step = 0; step < 5000; step++) {
      if (random() < 0.6) {
        const due = random() * 1000
        queue.push({ due, run: noop })
        const at = reference.findIndex((d) => d > due)
        reference.splice(at === -1 ? reference.length : at, 0, due)
      } else {
        assert.equal(queue.pop()?.due, reference.shift())
      }
      assert.equal(queue.size, reference.length)
    }
    assert.deepEqual(drain(queue), reference)
  })

  it('returns the task objects it was given, and clear() empties it', () => {
    const queue = new TaskQueue()
    const task = { due: 1, run: noop }
    queue.push({ due: 2, run: noop })
    queue.push(task)
    assert.equal(queue.pop(), task)
    queue.clear()
    assert.equal(queue.size, 0)
    assert.equal(queue.pop(), undefined)
  })
})

/** Resolves when `done()` has been called `count` times; rejects after `timeoutMs`. */
function countdown(count: number, timeoutMs: number): { done: () => void; finished: Promise<void> } {
  let left = count
  let resolve!: () => void
  let timer: NodeJS.Timeout | undefined
  const finished = new Promise<void>((res, reject) => {
    resolve = res
    timer = setTimeout(() => reject(new Error(`${left} of ${count} tasks still pending after ${timeoutMs} ms`)), timeoutMs)
  }).finally(() => clearTimeout(timer))
  return {
    done: () => {
      if (--left === 0) resolve()
    },
    finished,
  }
}

/** These tests run on the real clock and event loop; test/unit/scheduler.test.ts drives the same scheduler in fake time. */
const now = (): number => monotonicClock.now()
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('Scheduler', () => {
  it('runs 50 tasks due within 100 ms in due order, none before its due time', async () => {
    const scheduler = new Scheduler()
    const random = seeded(3)
    const start = now()
    const dues = Array.from({ length: 50 }, () => start + 5 + random() * 95)
    const ran: { due: number; at: number }[] = []
    const { done, finished } = countdown(dues.length, 2000)
    try {
      for (const due of dues) {
        scheduler.at(due, () => {
          ran.push({ due, at: now() })
          done()
        })
      }
      await finished
    } finally {
      scheduler.stop()
    }
    assert.deepEqual(
      ran.map((r) => r.due),
      [...dues].sort((a, b) => a - b),
    )
    for (const { due, at } of ran) assert.ok(at >= due, `ran at ${at}, ${due - at} ms before due ${due}`)
  })

  it('runs a task whose due time has passed on a later turn, not inside at()', async () => {
    const scheduler = new Scheduler()
    const { done, finished } = countdown(1, 1000)
    let ran = false
    try {
      scheduler.at(now() - 10, () => {
        ran = true
        done()
      })
      assert.equal(ran, false)
      await finished
    } finally {
      scheduler.stop()
    }
    assert.equal(ran, true)
  })

  it('runs tasks scheduled from inside a task', async () => {
    const scheduler = new Scheduler()
    const order: string[] = []
    const { done, finished } = countdown(2, 1000)
    try {
      scheduler.at(now() + 5, () => {
        order.push('first')
        done()
        scheduler.at(now() + 5, () => {
          order.push('second')
          done()
        })
      })
      await finished
    } finally {
      scheduler.stop()
    }
    assert.deepEqual(order, ['first', 'second'])
  })

  it('drops pending tasks on stop() and ignores at() afterwards', async () => {
    const scheduler = new Scheduler()
    let runs = 0
    scheduler.at(now() + 10, () => runs++)
    scheduler.at(now() + 1, () => runs++)
    scheduler.stop()
    scheduler.at(now(), () => runs++)
    await sleep(30)
    assert.equal(runs, 0)
  })
})
