import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { runLoad } from '../../src/load/generator.js'
import { instrumentsFor } from '../../src/load/instruments.js'
import { decodeMessage } from '../../src/load/message.js'
import type { LoadHooks, LoadPlan, Workload } from '../../src/load/plan.js'
import type { Group } from '../../src/load/population.js'
import { measuredWindow } from '../../src/load/schedule.js'
import { scheduleSends } from '../../src/load/sends.js'
import { groupsOpened } from '../../src/pacing/ramps.js'
import type { Recipient } from '../../src/protocol/messages.js'
import type { OnData, Transport } from '../../src/transports/types.js'
import { FakeTime } from '../helpers/fake-time.js'

const constant = (ratePerSec: number): Workload['arrival'] => ({ kind: 'constant', ratePerSec })

function workload(overrides: Partial<Workload> = {}): Workload {
  return { pairs: 4, ratePerSec: 10, arrival: constant(10), durationMs: 1000, warmupMs: 0, payloadBytes: 64, ...overrides }
}

/** Groups whose senders write down each send: its group, sequence number, stamped due time, and when it left. */
function recordingGroups(time: FakeTime, count: number): { groups: Group[]; sends: [number, number, number, number][] } {
  const sends: [number, number, number, number][] = []
  const groups = Array.from({ length: count }, (_, index): Group => ({
    index,
    recipient: { to: `${index}-b` },
    sender: {
      send: (_recipient, data) => {
        const stamp = decodeMessage(data)!
        sends.push([stamp.pair, stamp.seq, stamp.scheduledMs, time.now()])
      },
      close: async () => {},
    },
  }))
  return { groups, sends }
}

/** The send schedule alone, run in fake time from `t0` to the window's end. */
function sendsOf(w: Workload, t0: number, spinWindowMs = 0): { sends: [number, number, number, number][]; sent: number } {
  const time = new FakeTime(0)
  const instruments = instrumentsFor(time.scheduler(spinWindowMs), 4)
  const { groups, sends } = recordingGroups(time, groupsOpened(w))
  const window = measuredWindow(t0, w)
  instruments.recorder.setWindow(window)
  scheduleSends(w, groups, instruments, t0, window)
  time.advanceTo(window.endMs + 1000)
  return { sends, sent: instruments.recorder.recorded.sent }
}

describe('the send schedule in fake time', () => {
  test('constant senders start staggered over one period and each sends exactly at its due times', () => {
    const { sends, sent } = sendsOf(workload(), 1000)
    // 4 senders at 10/s: group g is due at 1000 + 25·g + 100·k, until the window's end at 2000.
    const expected = [0, 1, 2, 3].flatMap((g) => Array.from({ length: 10 }, (_, k) => [g, k, 1000 + 25 * g + 100 * k]))
    assert.deepEqual(
      sends.map(([g, seq, due]) => [g, seq, due]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!),
      expected,
    )
    assert.ok(
      sends.every(([, , due, at]) => at === due),
      'each leaves at its due time',
    )
    assert.equal(sent, 40)
  })

  test('with the real 2 ms spin window, every send leaves within one event-loop turn of its due time', () => {
    const { sends } = sendsOf(workload({ pairs: 2 }), 1000, 2)
    assert.equal(sends.length, 20)
    for (const [, , due, at] of sends) assert.ok(at >= due && at - due < 0.0011, `due ${due}, left at ${at}`)
  })

  test('a group that ramps in sends from its activation on, keeping its phase', () => {
    // Groups ramp 1 → 3 over the 1 s window: group 1 activates at 250 ms (where the ramp crosses 1.5), group 2 at 750 ms.
    const { sends } = sendsOf(workload({ pairs: 1, stages: [{ durationMs: 1000, groups: 3 }] }), 1000)
    const firstOf = (g: number): number | undefined => sends.find(([group]) => group === g)?.[2]
    // The stagger is over the 3 groups ever opened: group g's phase is g/3 of 100 ms.
    assert.equal(firstOf(0), 1000)
    assert.equal(firstOf(1), Number((1000 + 100 / 3 + 300).toFixed(4)), 'the first of its own times after 1250')
    assert.equal(firstOf(2), Number((1000 + 200 / 3 + 700).toFixed(4)), 'the first of its own times after 1750')
    assert.equal(sends.filter(([g]) => g === 2).length, 3)
  })

  test('a ramped rate sends what the ramp integrates to, at the exact times the integral reaches each message', () => {
    // One sender ramps 10 → 25 msg/s over 1 s (17.5 messages' worth): the first at once, the k-th when 10t + 7.5t² = k (t in s).
    const { sends } = sendsOf(workload({ pairs: 1, stages: [{ durationMs: 1000, ratePerSec: 25 }] }), 0)
    assert.equal(sends.length, 18)
    sends.forEach(([, k, due]) => {
      const t = (-10 + Math.sqrt(100 + 30 * k)) / 15
      assert.ok(Math.abs(due - 1000 * t) < 1e-3, `message ${k} due at ${due} ms, expected ${1000 * t}`)
    })
  })
})

/** An in-memory transport on fake time: a message reaches its receiver `delayMs` after it is sent. */
function fakeTransport(time: FakeTime, delayMs: number): Transport {
  const receivers = new Map<string, OnData>()
  return {
    name: 'fake',
    title: 'a fake',
    description: 'in memory, on fake time',
    settings: [],
    capabilities: { sends: 'post', http2: 'supported', browser: false },
    routes: async () => {},
    expectedLatency: () => `${delayMs} ms`,
    openReceiver: async (ctx, onData) => {
      receivers.set(ctx.user, onData)
      return { close: async () => void receivers.delete(ctx.user) }
    },
    openSender: async () => ({
      send: (recipient: Recipient, data: string) => {
        time.setTimeout(() => receivers.get(recipient.to ?? '')?.(data, time.now()), delayMs)
      },
      close: async () => {},
    }),
  }
}

function fakePlan(time: FakeTime, overrides: Partial<LoadPlan> = {}): LoadPlan {
  return {
    ...workload({ pairs: 1, warmupMs: 200 }),
    transport: fakeTransport(time, 0.25),
    settings: {},
    origin: 'http://fake.invalid',
    runId: 'fake',
    sendMode: 'socket',
    ...overrides,
  }
}

describe('runLoad in fake time', () => {
  test('the window opens at the end of warm-up and closes after the duration, to the turn; a send due at the start edge counts', async () => {
    const time = new FakeTime(0)
    const edges: [string, number][] = []
    const hooks: LoadHooks = { startAt: async () => 1000, onWindowEdge: (edge) => edges.push([edge, time.now()]) }
    const load = await time.settle(runLoad(fakePlan(time), hooks, time.scheduler()))
    assert.deepEqual(
      edges.map(([edge]) => edge),
      ['start', 'end'],
    )
    const [[, startAt], [, endAt]] = edges as [[string, number], [string, number]]
    assert.ok(startAt >= 1200 && startAt < 1200.0011, `start edge at ${startAt} ms`)
    assert.ok(endAt >= 2200 && endAt < 2200.0011, `end edge at ${endAt} ms`)
    assert.ok(Math.abs(load.windowMs - 1000) < 0.0011, `window ${load.windowMs} ms`)
    // Sends are due at 1000, 1100, … 2100: 12 in all, the 10 from 1200 (the start edge itself) on in the window.
    assert.equal(load.recorded.sentTotal, 12)
    assert.equal(load.recorded.sent, 10)
    assert.equal(load.recorded.delivered, 10)
    // Latency runs from the due time: one fake transit plus at most one turn of send lag.
    assert.ok(load.recorded.latency.minNonZeroValue >= 250 && load.recorded.latency.maxValue <= 252, 'latency 250-251 µs')
    assert.ok(load.recorded.sendLag.maxValue <= 1, 'send lag within a microsecond')
  })

  test('without a start hook, the schedule starts the start delay after the users are open', async () => {
    const time = new FakeTime(5000)
    const edges: number[] = []
    await time.settle(runLoad(fakePlan(time), { onWindowEdge: () => edges.push(time.now()) }, time.scheduler(0)))
    // 100 ms start delay, 200 ms warm-up, 1 s window.
    assert.deepEqual(edges, [5300, 6300])
  })

  test('stages are counted stage by stage, with the targets each ramps to', async () => {
    const time = new FakeTime(0)
    const plan = fakePlan(time, {
      pairs: 2,
      warmupMs: 0,
      durationMs: 2000,
      stages: [
        { durationMs: 1000, groups: 4 },
        { durationMs: 1000, ratePerSec: 20 },
      ],
    })
    const load = await time.settle(runLoad(plan, { startAt: async () => 0 }, time.scheduler(0)))
    assert.equal(load.receiversConnected, 4, 'every group ever active is open from the start')
    assert.deepEqual(load.stageTargets, [
      { ratePerSec: 10, groups: 4 },
      { ratePerSec: 20, groups: 4 },
    ])
    assert.deepEqual(
      load.recorded.stages.map((s) => [s.fromMs, s.toMs, s.sent, s.delivered]),
      // Stage 1: groups 2 → 4 at 10/s; the 3rd is active from 250 ms, the 4th from 750 ms, and each
      // sends at once when it joins: 10 + 10 + 8 + 3. Stage 2: 4 groups ramping 10 → 20 msg/s, 15 each.
      [
        [0, 1000, 31, 31],
        [1000, 2000, 60, 60],
      ],
    )
  })
})
