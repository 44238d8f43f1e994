import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
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
  ['poll-sweep', ['--pairs', '4'], ['short-polling@50ms', 'short-polling@100ms', 'short-polling@250ms', 'short-polling@500ms', 'short-polling@1s', 'long-polling', 'sse', 'websocket']],
]

for (const [name, flags, rows, sentEach] of shipped) {
  test(`the shipped scenario ${name} runs briefly against a real server and loses nothing`, async () => {
    const outcome = await cli(['run', name, ...brief, ...flags])
    assert.equal(outcome.code, 0, outcome.stderr)
    const records = parseCsv(outcome.stdout)
    assert.deepEqual(records.map((r) => r.transport), rows)
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
  assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), ['burst', 'chat', 'large-payload', 'notifications', 'poll-sweep', 'ticker'])
  assert.match(lines[5]!, /^ticker\s+1 sender broadcasting 20 messages\/s to 1,000 receivers/)
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
