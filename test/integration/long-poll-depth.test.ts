import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { describe, it } from 'node:test'
import { Scheduler } from '../../src/client/scheduler.js'
import { Wire } from '../../src/client/wire.js'
import { runBenchmark } from '../../src/run.js'
import { toRunOptions } from '../../src/scenario/options.js'
import { defaultScenario } from '../../src/scenario/scenario.js'
import { findTransport } from '../../src/transports/registry.js'
import { settingsOf } from '../../src/transports/setting-values.js'
import { publish, until } from '../helpers/mailbox.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()
const longPolling = findTransport('long-polling')!

/** The ids of each complete answer read so far on a raw connection, in the order they arrived. */
function answersOn(socket: Socket): number[][] {
  const answers: number[][] = []
  let text = ''
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString()
    for (;;) {
      const head = text.indexOf('\r\n\r\n')
      const length = /content-length: (\d+)/i.exec(text.slice(0, head))
      if (head < 0 || !length || text.length < head + 4 + Number(length[1])) return
      const body = text.slice(head + 4, head + 4 + Number(length[1]))
      text = text.slice(head + 4 + Number(length[1]))
      answers.push((JSON.parse(body) as { messages: { id: number }[] }).messages.map((m) => m.id))
    }
  })
  return answers
}

describe('long polling with pipelined polls (--long-poll-depth)', () => {
  it('two polls pipelined with the same cursor on one connection: the first takes a message, the second waits for the next', async () => {
    const user = `depth-raw-${process.pid}`
    const socket = connect(Number(new URL(server.origin).port), '127.0.0.1')
    const answers = answersOn(socket)
    try {
      const get = `GET /long-polling/${user}?after=0&timeout=5000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`
      socket.write(get + get)
      await new Promise((resolve) => setTimeout(resolve, 100))
      await publish(server.origin, user, 'one')
      await until(() => answers.length === 1, 2000)
      await new Promise((resolve) => setTimeout(resolve, 100))
      assert.deepEqual(answers, [[1]], 'the second poll carries cursor 0 but the first answer on its connection has 1: it stays parked')
      await publish(server.origin, user, 'two')
      await until(() => answers.length === 2, 2000)
      assert.deepEqual(answers, [[1], [2]])
    } finally {
      socket.destroy()
    }
  })

  for (const depth of [2, 4]) {
    it(`depth ${depth}: a receiver whose connection is cut again and again loses nothing, duplicates nothing, keeps order`, async () => {
      const scheduler = new Scheduler()
      const wire = new Wire()
      const user = `depth-cut-${process.pid}-${depth}`
      const got: string[] = []
      const receiver = await longPolling.openReceiver(
        {
          origin: server.origin,
          user,
          settings: settingsOf(longPolling, { 'long-polling': { hold: 2000, depth } }),
          onError: () => {},
          wire,
          scheduler,
          now: () => performance.now(),
        },
        (data) => got.push(data),
      )
      const sent: string[] = []
      try {
        await publish(server.origin, user, 'warm')
        sent.push('warm')
        await until(() => got.length === 1, 3000)
        assert.equal(wire.connections, 1, `${depth} polls share one connection`)
        for (let i = 0; i < 120; i++) {
          await publish(server.origin, user, `m${i}`)
          sent.push(`m${i}`)
          // Cut while answers and pipelined polls are on the wire.
          if (i % 30 === 15) server.app.server.closeAllConnections()
        }
        await until(() => got.length >= sent.length, 8000)
        await new Promise((resolve) => setTimeout(resolve, 200))
        assert.deepEqual(got, sent)
        assert.ok(wire.connections > 1, 'the cuts took effect')
      } finally {
        scheduler.stop()
        await receiver.close()
      }
    })
  }
})

describe('long polling with pipelined polls through an emulated link', () => {
  it('at --rtt 40ms and 40 msg/s (under two a round trip), depth 2 delivers everything once, in order, with a lower p50 than depth 1', async () => {
    const s = defaultScenario()
    const base = toRunOptions({ ...s, groups: 3, arrival: { kind: 'constant', ratePerSec: 40 }, durationMs: 3000, warmupMs: 500 })
    const link = {
      spec: { delayUpMs: 20, delayDownMs: 20, jitterMs: 0, bandwidthUpBitsPerSec: undefined, bandwidthDownBitsPerSec: undefined },
    }
    const p50: number[] = []
    for (const depth of [1, 2]) {
      const report = await runBenchmark({ ...base, transports: [longPolling], settings: { 'long-polling': { hold: 30_000, depth } }, link })
      const r = report.results[0]!
      assert.equal(
        r.lost + r.duplicated + r.reordered,
        0,
        `depth ${depth}: ${r.lost} lost, ${r.duplicated} duplicated, ${r.reordered} reordered`,
      )
      assert.equal(r.delivered, r.sent, `depth ${depth}`)
      p50.push(r.latency.p50Ms)
    }
    // Theory: depth 1 about 40 + 20 ms (every message lands in the re-poll gap), depth 2 about 40 ms.
    assert.ok(p50[1]! < p50[0]!, `p50 depth 2 ${p50[1]} ms, depth 1 ${p50[0]} ms`)
    assert.ok(p50[1]! < 48, `p50 depth 2 ${p50[1]} ms, theory 40 ms`)
  })
})
