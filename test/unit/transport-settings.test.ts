import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseResults } from '../../src/baseline/read.js'
import { settingsDifferences } from '../../src/baseline/settings.js'
import { sloWarnings } from '../../src/cli/capacity-command.js'
import { formatTable } from '../../src/report/table.js'
import { csvHeader } from '../../src/results/columns.js'
import { runSettingsOf } from '../../src/run.js'
import { checkFeasibility } from '../../src/scenario/feasibility.js'
import { loadScenario, parseScenario } from '../../src/scenario/load.js'
import { toRunOptions } from '../../src/scenario/options.js'
import { applyFlags, type ScenarioFlags } from '../../src/scenario/overrides.js'
import { defaultScenario } from '../../src/scenario/scenario.js'
import { legacySettingKeys, settingsFromLegacy } from '../../src/transports/legacy.js'
import { findTransport, transports } from '../../src/transports/registry.js'
import { describeSettings, expectedLatency } from '../../src/transports/reporting.js'
import { defaultSettings, findSetting, sendModeOf, settingsOf, settingsUsed, withSendMode } from '../../src/transports/setting-values.js'
import { sweepRows } from '../../src/transports/sweeps.js'
import type { Transport } from '../../src/transports/types.js'
import { fixture } from '../helpers/results.js'
import { fixtureReport } from './fixtures.js'

const named = (name: string): Transport => findTransport(name)!

/** The header as released before settings were per transport. */
const released =
  'transport,sent,delivered,lost,duplicated,reordered,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,recv_requests_per_msg,bytes_up_per_msg,' +
  'bytes_down_per_msg,connections,server_cpu_ms_per_1k,server_rss_mb,mean_ms,send_mode,server_dropped,send_errors,receive_errors,' +
  'send_lag_p50_us,send_lag_p99_us,loop_delay_p99_ms,generator_cpu_pct,generator_limited,window_ms,pairs,rate_per_sec,payload_bytes,' +
  'poll_interval_ms,long_poll_timeout_ms,duration_ms,warmup_ms,target,placement,tool_version,node_version,cpu_model,cpu_count,os,' +
  'commit,started_at,repeats,p50_ms_min,p50_ms_max,p99_ms_min,p99_ms_max,scenario,receivers_per_group,idle_receivers,arrival,' +
  'payload_max_bytes,receivers,recv_requests_per_min,server_rss_mb_per_1k_receivers,row_poll_interval_ms,tls,stages,workers,' +
  'generator_rss_mb_per_1k_connections,server_rss_mb_per_1k_connections'

describe('transport declarations', () => {
  for (const t of transports) {
    it(`${t.name}: its capabilities name settings it declares, and its send capability matches its sender`, () => {
      const keys = t.settings.map((s) => s.key)
      assert.equal(new Set(keys).size, keys.length, 'setting keys are unique')
      const { sends, sweeps, pollsEvery } = t.capabilities
      for (const key of [sweeps, pollsEvery]) if (key !== undefined) assert.ok(keys.includes(key), `${key} is declared`)
      if (pollsEvery !== undefined) assert.equal(typeof findSetting(t, pollsEvery)!.default, 'number', 'a poll gap is in ms')
      assert.equal('openSender' in t, sends !== 'post', 'a sender exactly when userA can send on an own channel')
      if (sends !== 'post') {
        const send = findSetting(t, sends.ownChannel)!
        assert.deepEqual([send.parse('post'), send.parse('socket')], ['post', 'socket'])
      }
    })
    for (const s of t.settings) {
      it(`${t.name}.${s.key}: its default parses back from the flag and from a file as it prints`, () => {
        assert.deepEqual(s.parse(String(s.format(s.default))), s.default)
        assert.deepEqual(s.file.read(s.format(s.default)), s.default)
        assert.equal(s.file.problem?.(s.default, s.format(s.default)), undefined)
      })
    }
  }

  it('flags, legacy keys and CSV columns are each claimed once across transports', () => {
    const settings = transports.flatMap((t) => t.settings)
    const flags = settings.map((s) => s.flag.name.split(' ')[0])
    const legacy = settings.flatMap((s) => (s.legacyKey === undefined ? [] : [s.legacyKey]))
    assert.equal(new Set(flags).size, flags.length)
    assert.equal(new Set(legacy).size, legacy.length)
    assert.equal(new Set(csvHeader).size, csvHeader.length)
  })
})

describe('what the declarations feed', () => {
  it("a default run's CSV header starts with the released one, byte for byte (new columns only ever follow)", () => {
    assert.ok(`${csvHeader.join(',')},`.startsWith(`${released},`), csvHeader.join(','))
  })

  it('the settings line says each setting as it always has', () => {
    const [labelled, ...clauses] = describeSettings(defaultSettings())
    assert.ok(labelled?.startsWith('poll interval 100ms, long-poll hold 30s'), labelled)
    assert.deepEqual(clauses, ['WebSocket userA POSTs'])
    const socket = withSendMode(defaultSettings(), named('websocket'), 'socket')
    assert.deepEqual(describeSettings(socket).at(-1), 'WebSocket userA sends on its socket')
    assert.match(
      formatTable(fixtureReport()),
      /2s warm-up\ntransports: poll interval 100ms, long-poll hold 30s[^;]*; WebSocket userA POSTs\nserver: embedded/,
    )
  })

  it("a row's theory line reads its own settings, a swept row's included", () => {
    const rows = sweepRows(named('short-polling'), defaultSettings(), { 'short-polling': [50, 1000] })
    assert.deepEqual(
      rows.map((r) => r.label),
      ['short-polling@50ms', 'short-polling@1s'],
    )
    assert.match(expectedLatency(rows[1]!.label, rows[1]!.settings)!, /U\(0, 1000 ms\), median near 500 ms/)
    assert.equal(expectedLatency('carrier-pigeon', defaultSettings()), undefined)
  })

  it('a sweep of one value, or of a transport that sweeps nothing, is one plain row', () => {
    assert.deepEqual(
      sweepRows(named('short-polling'), defaultSettings(), { 'short-polling': [250] }).map((r) => r.label),
      ['short-polling'],
    )
    assert.deepEqual(
      sweepRows(named('sse'), defaultSettings(), { sse: [1, 2] }).map((r) => r.label),
      ['sse'],
    )
  })
})

describe('what the declarations decide', () => {
  it('userA sends on the own channel only where a transport has one and its setting says so', () => {
    const socket = withSendMode(defaultSettings(), named('websocket'), 'socket')
    assert.equal(sendModeOf(named('websocket'), socket), 'socket')
    assert.equal(sendModeOf(named('websocket'), defaultSettings()), 'post')
    assert.equal(sendModeOf(named('sse'), withSendMode(socket, named('sse'), 'socket')), 'post')
  })

  it('a file sweep becomes run sweeps, and a typed flag replaces it with one value', () => {
    const sweep = loadScenario('poll-sweep')
    const options = toRunOptions(sweep)
    assert.deepEqual(options.sweeps?.['short-polling'], [50, 100, 250, 500, 1000])
    assert.deepEqual(options.settings['short-polling'], { interval: 50 })
    const flags: ScenarioFlags = { ...defaultFlags(), settings: { ...defaultSettings(), 'short-polling': { interval: 75 } } }
    const typed = applyFlags(sweep, flags, (f) => typeof f === 'object' && f.key === 'interval')
    assert.deepEqual(typed.settings['short-polling'], { interval: [75] })
    assert.deepEqual(applyFlags(sweep, flags, () => false).settings, sweep.settings)
  })

  it('a polling transport beyond one generator is a warning naming its flag', () => {
    const busy = { ...defaultScenario(), groups: 1, idle: 2500, transports: ['short-polling', 'sse'] }
    assert.deepEqual(checkFeasibility(busy, 1_000_000), [
      'scenario pairs: short polling would make 25010 polls/s (about 20000/s is the most one generator sustains); raise --poll-interval or lower the receivers',
    ])
    assert.deepEqual(checkFeasibility({ ...busy, transports: ['sse'] }, 1_000_000), [])
  })

  it("capacity warns when an SLO is at or below a polling transport's poll gap", () => {
    const entries = [
      { transport: named('short-polling'), sendMode: 'post' as const },
      { transport: named('sse'), sendMode: 'post' as const },
    ]
    assert.deepEqual(sloWarnings(entries, { settings: defaultSettings(), slo: 10 }), [
      'short-polling: its p99 is near the poll interval (100ms), at or above --slo 10ms, so every step will fail on latency; raise --slo or lower --poll-interval',
    ])
    assert.deepEqual(sloWarnings(entries, { settings: defaultSettings(), slo: 101 }), [])
  })

  it('a scenario file names an unknown transport setting with the keys it has', () => {
    assert.throws(() => parseScenario('description: x\nsettings:\n  sse: {a: 1}\n', 'x.yaml', 'x'), {
      message:
        /^x\.yaml: settings\.sse: unknown key, did you mean websocket\? \(got sse; expected one of short-polling, long-polling, websocket/,
    })
  })
})

describe('results written before settings were per transport', () => {
  it('read back with their settings, and compare with new files on the same terms', async () => {
    const old = await fixture('half-a.json')
    assert.deepEqual(old.report?.context.settings.transportSettings, {
      'short-polling': { interval: 100 },
      'long-polling': { hold: 30_000 },
      websocket: { send: 'post' },
    })
    assert.deepEqual(old.settings?.transports, { poll_interval_ms: 100, long_poll_timeout_ms: 30_000 })
    const slower = await fixture('slower-polls.csv')
    assert.ok(old.settings && slower.settings)
    assert.ok(settingsDifferences(old.settings, slower.settings).includes('poll interval 100ms vs 200ms'))
  })

  it('a row holding the old flat keys is read as per-transport settings', () => {
    const report = fixtureReport()
    const text = JSON.stringify({ ...report, results: report.results.map((r) => ({ ...r, settings: { pollIntervalMs: 250 } })) })
    assert.deepEqual(parseResults(text, 'old.json').report?.results[0]?.settings, { 'short-polling': { interval: 250 } })
  })

  it('new files still carry the old flat keys beside the per-transport settings', () => {
    const settings = runSettingsOf(toRunOptions(defaultScenario()))
    assert.deepEqual(legacySettingKeys(settings.transportSettings), { pollIntervalMs: 100, longPollTimeoutMs: 30_000, wsSend: 'post' })
    const written = JSON.parse(JSON.stringify(settings)) as Record<string, unknown>
    assert.deepEqual([written.pollIntervalMs, written.wsSend], [100, 'post'])
    assert.deepEqual(settingsFromLegacy({ wsSend: 'socket' }), { websocket: { send: 'socket' } })
  })
})

function defaultFlags(): Omit<ScenarioFlags, 'settings'> {
  return { transports: ['sse'], pairs: 1, receivers: 1, idle: 0, rate: 1, duration: 1000, warmup: 0, payload: 64 }
}

describe('settings the receivers really use', () => {
  const longPolling = findTransport('long-polling')!
  const asked = { 'long-polling': { hold: 500, depth: 3 } }

  it('keeps pipelined long polls over HTTP/1.1 from Node, and one poll over HTTP/2 or in a browser, whose theory follows', () => {
    assert.deepEqual(settingsUsed(longPolling, asked, { http2: false, browser: false }), asked)
    for (const clients of [
      { http2: true, browser: false },
      { http2: false, browser: true },
    ]) {
      const used = settingsUsed(longPolling, asked, clients)
      assert.deepEqual(used['long-polling'], { hold: 500, depth: 1 }, JSON.stringify(clients))
      assert.equal(longPolling.expectedLatency(settingsOf(longPolling, used)), longPolling.expectedLatency({ hold: 500, depth: 1 }))
    }
  })

  it('leaves a transport without a rule as given', () => {
    const sse = findTransport('sse')!
    assert.equal(settingsUsed(sse, asked, { http2: true, browser: true }), asked)
  })
})
