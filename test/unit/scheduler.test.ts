import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { FakeTime } from '../helpers/fake-time.js'

describe('the Scheduler in fake time', () => {
  test('a task far ahead is approached with one timer, then event-loop turns for the last 2 ms, and runs within one turn of its due time', () => {
    const time = new FakeTime(0, 0.01)
    const scheduler = time.scheduler(2)
    const ran: number[] = []
    scheduler.at(100, () => ran.push(time.now()))
    time.advanceTo(99)
    assert.deepEqual(ran, [], 'nothing runs early')
    assert.equal(time.fired.timers, 1, 'one timer, woken at 98 ms')
    time.advanceTo(101)
    assert.equal(ran.length, 1)
    assert.ok(ran[0]! >= 100 && ran[0]! < 100.01, `ran at ${ran[0]} ms`)
    // 2 ms of spinning at 10 µs a turn.
    assert.ok(time.fired.turns >= 199 && time.fired.turns <= 201, `${time.fired.turns} turns`)
    assert.equal(time.waiting, 0, 'nothing left to wake for')
  })

  test('without a spin window, tasks run in due order at exactly their due times', () => {
    const time = new FakeTime(1000)
    const scheduler = time.scheduler(0)
    const dues = [1250.5, 1003, 1100, 1003.25, 1999.9999]
    const ran: [number, number][] = []
    for (const due of dues) scheduler.at(due, () => ran.push([due, time.now()]))
    time.advanceTo(3000)
    assert.deepEqual(
      ran,
      [...dues].sort((a, b) => a - b).map((due) => [due, due]),
    )
  })

  test('a task whose due time has passed runs on the next turn, not inside at()', () => {
    const time = new FakeTime(500, 0.001)
    const scheduler = time.scheduler()
    let ranAt: number | undefined
    scheduler.at(400, () => (ranAt = time.now()))
    assert.equal(ranAt, undefined)
    time.step()
    assert.equal(ranAt, 500.001)
  })

  test('tasks scheduled from inside a task run at their own due times', () => {
    const time = new FakeTime(0)
    const scheduler = time.scheduler(0)
    const ran: [string, number][] = []
    scheduler.at(5, () => {
      ran.push(['first', time.now()])
      scheduler.at(time.now() + 5, () => ran.push(['second', time.now()]))
    })
    time.advanceTo(100)
    assert.deepEqual(ran, [
      ['first', 5],
      ['second', 10],
    ])
  })

  test('stop() drops pending tasks, cancels its wake-up, and ignores at() afterwards', () => {
    const time = new FakeTime(0)
    const scheduler = time.scheduler()
    let runs = 0
    scheduler.at(10, () => runs++)
    scheduler.at(1, () => runs++)
    scheduler.stop()
    assert.equal(time.waiting, 0)
    scheduler.at(0, () => runs++)
    time.advanceTo(100)
    assert.equal(runs, 0)
  })

  test('sleep() waits on one plain timer, without spinning', async () => {
    const time = new FakeTime(0, 0.001)
    const scheduler = time.scheduler()
    await time.settle(scheduler.sleep(10))
    assert.equal(time.now(), 10)
    assert.deepEqual(time.fired, { timers: 1, turns: 0 })
  })
})
