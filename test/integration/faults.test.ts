import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { RunReport } from '../../src/results/report.js'
import { transportNames } from '../../src/transports/registry.js'
import { assertOneLineError, cli } from '../helpers/cli.js'

/** `run` with these flags (its faults among them), as JSON, unsaved: its report, once it exited 0. */
async function faultRun(...flags: string[]): Promise<RunReport> {
  const outcome = await cli(['run', ...flags, '--format', 'json', '--no-save', '--quiet'], 60_000)
  assert.equal(outcome.code, 0, outcome.stderr)
  return JSON.parse(outcome.stdout) as RunReport
}

/** A short window of `pairs` pairs at 20 msg/s. */
const shortWindow = (pairs: number, duration: string): string[] => [
  '--pairs',
  String(pairs),
  '--rate',
  '20',
  '--duration',
  duration,
  '--warmup',
  '300ms',
]

describe('run --faults', () => {
  for (const transport of transportNames)
    it(`${transport}: receivers cut every 700 ms lose nothing, reconnect and recover`, async () => {
      const report = await faultRun('--transports', transport, ...shortWindow(3, '2500ms'), '--faults', 'drop-every=700ms')
      assert.equal(report.context.settings.faults, 'drop-every=700ms')
      const [r] = report.results
      assert.ok(r !== undefined)
      assert.equal(r.faults, 'drop-every=700ms')
      assert.equal(r.faulted, true)
      assert.equal(r.faultsInjected, 3)
      assert.equal(r.lost, 0, `${transport}: ${r.firstError}`)
      assert.equal(r.duplicated, 0, transport)
      // A short poll's connection can be cut between polls, unseen: its next poll opens another.
      if (transport !== 'short-polling') assert.ok((r.reconnects ?? 0) > 0, `${transport}: ${r.reconnects} reconnects`)
      assert.ok(Number.isFinite(r.recoveryP50Ms) && r.recoveryP50Ms! > 0, `${transport}: recovery p50 ${r.recoveryP50Ms}`)
      assert.ok(r.recoveryMaxMs! >= r.recoveryP50Ms!, transport)
      assert.ok((r.lateAfterFault ?? 0) > 0, `${transport}: ${r.lateAfterFault} late`)
    })

  it('restart: the embedded server restarted mid-window loses messages, the row is faulted, not invalid, and the run exits 0', async () => {
    const [r] = (await faultRun('--transports', 'websocket', ...shortWindow(2, '3s'), '--faults', 'restart')).results
    assert.ok(r !== undefined)
    assert.equal(r.faulted, true)
    assert.equal(r.faultsInjected, 1)
    assert.equal(r.invalid, undefined)
    assert.ok(r.lost > 0 && r.lost < r.sent, `lost ${r.lost} of ${r.sent}`)
    assert.equal(r.serverCpuMsPer1k, null)
    assert.ok((r.reconnects ?? 0) > 0)
  })

  it('with --workers 2, the runner injects and each worker measures its receivers: nothing lost, recovery pooled', async () => {
    const report = await faultRun(
      '--transports',
      'long-polling',
      '--workers',
      '2',
      ...shortWindow(4, '2500ms'),
      '--faults',
      'drop-every=700ms',
    )
    const [r] = report.results
    assert.ok(r !== undefined)
    assert.equal(r.faultsInjected, 3)
    assert.equal(r.lost, 0, r.firstError ?? '')
    assert.equal(r.duplicated, 0)
    // Every one of the 4 receivers (2 per worker) was cut 3 times and polled again.
    assert.ok((r.reconnects ?? 0) >= 12, `${r.reconnects} reconnects`)
    assert.ok(Number.isFinite(r.recoveryP50Ms) && r.recoveryP50Ms! > 0, `recovery p50 ${r.recoveryP50Ms}`)
    assert.ok((r.lateAfterFault ?? 0) > 0, `${r.lateAfterFault} late`)
  })

  it('refuses a bad --faults value with one line and exit 2', async () => {
    assertOneLineError(await cli(['run', '--faults', 'drop-every=2', '--no-save']), /--faults: drop-every expects a duration/)
    assertOneLineError(await cli(['run', '--faults', 'flood', '--no-save']), /--faults: unknown fault "flood"/)
    assertOneLineError(
      await cli(['run', '--faults', 'drop-every=1s', '--clients', 'browser', '--no-save']),
      /--faults: .*--clients browser/,
    )
  })
})

describe('run --faults stall', () => {
  // The silence bound of each transport (docs/PROTOCOL.md, "Silence"): its beat, one round trip for polls, a margin.
  const beatMs = 300
  const pollMs = 100
  const boundMs = (transport: string, rttMs: number): number =>
    transport === 'short-polling' ? pollMs + rttMs + 50 : transport === 'long-polling' ? beatMs + rttMs + 50 : beatMs + 50
  /** 3 pairs × 20 msg/s for 4 s, every receiver's path stalled for 2 s in the middle, beats of 300 ms: the rows. */
  const stallRun = async (...flags: string[]): Promise<RunReport['results']> => {
    const beats = ['--heartbeat', `${beatMs}ms`, '--long-poll-timeout', `${beatMs}ms`, '--poll-interval', `${pollMs}ms`]
    return (await faultRun(...flags, ...shortWindow(3, '4s'), '--faults', 'stall=2s', ...beats)).results
  }

  for (const transport of transportNames)
    it(`${transport}: a stalled path is found silent within its beat and a margin, and dropped; nothing is lost`, async () => {
      const [r] = await stallRun('--transports', transport)
      assert.ok(r !== undefined)
      assert.equal(r.lost, 0, `${transport}: ${r.firstError}`)
      assert.equal(r.duplicated, 0, transport)
      assert.ok((r.silentDrops ?? 0) >= 3, `${transport}: ${r.silentDrops} dropped for silence, 3 stalled`)
      const bound = boundMs(transport, r.receiverRttMs ?? Number.NaN)
      // Timers on a shared 2-core machine fire late: 100 ms of slack, still far below the stall (and the old two-beat rule).
      // The median: one receiver whose poll was slow just before (dropped, then allowed more) must not decide.
      assert.ok(r.detectP50Ms! <= bound + 100, `${transport}: found silent after ${r.detectP50Ms}/${r.detectMaxMs} ms, bound ${bound}`)
      assert.ok(r.detectP50Ms! > 0, transport)
      // Back before the stall ended: the dead connection was dropped, not waited out.
      assert.ok(r.recoveryP50Ms! < 2000, `${transport}: recovery p50 ${r.recoveryP50Ms} ms`)
    })

  it('over HTTP/2, a receiver that found its session silent goes on a new one, and is back before the stall ends', async () => {
    const results = await stallRun('--http2', '--transports', 'long-polling,sse')
    for (const r of results) {
      assert.equal(r.httpVersion, '2')
      assert.equal(r.lost, 0, `${r.transport}: ${r.firstError}`)
      assert.ok((r.silentDrops ?? 0) >= 3, `${r.transport}: ${r.silentDrops} dropped for silence`)
      // On the stalled session it would wait the stall out (2 s): a new session brings it back sooner.
      assert.ok(r.recoveryP50Ms! < 2000, `${r.transport}: recovery p50 ${r.recoveryP50Ms} ms`)
    }
  })
})
