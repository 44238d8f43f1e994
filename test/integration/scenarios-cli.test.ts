import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseCsv } from '../../src/report/csv.js'

const bin = fileURLToPath(new URL('../../../bin/transport-bench.js', import.meta.url))
const invalidDir = fileURLToPath(new URL('../../../test/fixtures/scenarios/invalid/', import.meta.url))

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs the real binary; bounded by a timeout so a hang fails the test instead of the suite. */
function cli(args: string[], timeoutMs = 90_000): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1
      resolve({ code, stdout, stderr })
    })
  })
}

const brief = ['--duration', '500ms', '--warmup', '100ms', '--no-save', '--quiet', '--format', 'csv']

/** Each shipped scenario, scaled down with flags so that it runs in seconds, the rows it must print, and what each row sends when that is exact. */
const shipped: [string, string[], string[], number?][] = [
  ['chat', ['--pairs', '4', '--rate', '20'], ['short-polling', 'long-polling', 'sse', 'websocket']],
  ['ticker', ['--receivers', '20'], ['sse', 'websocket', 'long-polling', 'short-polling']],
  ['notifications', ['--pairs', '20', '--rate', '4', '--poll-interval', '100ms'], ['short-polling', 'long-polling', 'sse', 'websocket']],
  // The first burst is due at the start: with no warm-up, exactly one burst of 50 falls inside the window.
  ['burst', ['--warmup', '0ms'], ['short-polling', 'long-polling', 'sse', 'websocket'], 50],
  ['large-payload', ['--pairs', '2'], ['short-polling', 'long-polling', 'sse', 'websocket']],
  [
    'poll-sweep',
    ['--pairs', '4'],
    [
      'short-polling@50ms',
      'short-polling@100ms',
      'short-polling@250ms',
      'short-polling@500ms',
      'short-polling@1s',
      'long-polling',
      'sse',
      'websocket',
    ],
  ],
]

for (const [name, flags, rows, sentEach] of shipped) {
  test(`the shipped scenario ${name} runs briefly against a real server and loses nothing`, async () => {
    const outcome = await cli(['run', name, ...brief, ...flags])
    assert.equal(outcome.code, 0, outcome.stderr)
    const records = parseCsv(outcome.stdout)
    assert.deepEqual(
      records.map((r) => r.transport),
      rows,
    )
    for (const r of records) {
      assert.equal(r.scenario, name)
      assert.ok(Number(r.sent) > 0, `${r.transport}: sent ${r.sent}`)
      if (sentEach !== undefined) assert.equal(Number(r.sent), sentEach, r.transport)
      assert.equal(r.lost, '0', `${r.transport}: ${r.lost} lost`)
      assert.equal(r.delivered, r.sent, r.transport)
    }
  })
}

test('--dry-run prints the resolved scenario, flags over file values, and exits 0', async () => {
  const outcome = await cli(['run', 'ticker', '--receivers', '3', '--dry-run'])
  assert.equal(outcome.code, 0, outcome.stderr)
  assert.match(outcome.stdout, /^# scenario ticker, resolved/)
  assert.match(outcome.stdout, /\nreceivers: 3\n/)
  assert.match(outcome.stdout, /\nrate: 20\n/)
})

test('scenarios lists one line per shipped scenario', async () => {
  const outcome = await cli(['scenarios'])
  assert.equal(outcome.code, 0, outcome.stderr)
  const lines = outcome.stdout.trimEnd().split('\n')
  assert.deepEqual(
    lines.map((l) => l.split(/\s+/)[0]),
    ['burst', 'chat', 'large-payload', 'notifications', 'poll-sweep', 'ramp', 'ticker'],
  )
  assert.match(lines[5]!, /^ramp\s+50 pairs ramping from 1 to 50 messages\/s/)
  assert.match(lines[6]!, /^ticker\s+1 sender broadcasting 20 messages\/s to 1,000 receivers/)
})

test('a scenario file with several problems exits 2 with one line per problem and no stack trace', async () => {
  const outcome = await cli(['run', `${invalidDir}several-problems.yaml`])
  assert.equal(outcome.code, 2)
  const lines = outcome.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 4, outcome.stderr)
  for (const line of lines) assert.match(line, /^transport-bench: .*several-problems\.yaml: \S+: .* \(got .*; expected .*\)$/)
  assert.doesNotMatch(outcome.stderr, /\n\s+at /)
})

test('an unknown scenario name exits 2 naming the shipped ones', async () => {
  const outcome = await cli(['run', 'chatt'])
  assert.equal(outcome.code, 2)
  assert.match(outcome.stderr, /^transport-bench: scenario chatt: no such shipped scenario; choose from burst, chat,/)
})

test('a staged scenario runs end to end: the JSON has per-stage figures and the context names the stages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'transport-bench-stages-'))
  try {
    const file = join(dir, 'short-ramp.yaml')
    writeFileSync(
      file,
      'description: a short ramp\ngroups: 2\nrate: 5\nstages:\n  - {duration: 500ms, rate: 20}\n  - {duration: 500ms, groups: 4}\ntransports: [sse]\n',
    )
    const outcome = await cli(['run', file, '--warmup', '100ms', '--no-save', '--quiet', '--format', 'json'])
    assert.equal(outcome.code, 0, outcome.stderr)
    const report = JSON.parse(outcome.stdout) as {
      context: { settings: { stages: string; durationMs: number } }
      results: { sent: number; lost: number; stages: { sent: number; groups: number }[] }[]
    }
    assert.deepEqual([report.context.settings.stages, report.context.settings.durationMs], ['500ms→rate 20; 500ms→groups 4', 1000])
    const [sse] = report.results
    assert.equal(sse?.lost, 0)
    assert.deepEqual(
      sse.stages.map((s) => s.groups),
      [2, 4],
    )
    assert.equal(sse.stages[0]!.sent + sse.stages[1]!.sent, sse.sent)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('--duration on a scenario with stages exits 2 naming the fix; --dry-run lists the stages', async () => {
  const refused = await cli(['run', 'ramp', '--duration', '5s'])
  assert.equal(refused.code, 2)
  assert.equal(
    refused.stderr,
    'transport-bench: --duration 5s: scenario ramp has stages, whose durations add up to the measured time; drop --duration or edit the stages in a copy of the file\n',
  )
  const dry = await cli(['run', 'ramp', '--dry-run'])
  assert.equal(dry.code, 0, dry.stderr)
  assert.match(dry.stdout, /\nstages:\n {2}- duration: 10s\n {4}rate: 10\n/)
})
