import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import type { CapacityReport } from '../../src/capacity/search.js'
import { capacityCsvHeader } from '../../src/report/capacity-csv.js'
import { parseCsv } from '../../src/report/csv.js'
import { assertOneLineError, cli } from '../helpers/cli.js'

const badInput: [string, string[], RegExp][] = [
  ['a factor that does not climb', ['capacity', '--factor', '1'], /--factor.*above 1.*got 1/],
  ['a send mode on a transport that only POSTs', ['capacity', '--transports', 'sse:socket'], /sse always sends by POST/],
  ['an unknown send mode', ['capacity', '--transports', 'websocket:carrier'], /websocket:post or websocket:socket.*websocket:carrier/],
  ['a malformed SLO', ['capacity', '--slo', 'fast'], /--slo.*fast.*500ms/],
  ['too many refinements', ['capacity', '--refine', '11'], /--refine.*0 to 10/],
  ['too many retries', ['capacity', '--retries', '6'], /--retries.*0 to 5/],
  [
    'a ceiling below the start',
    ['capacity', '--start-rate', '5000', '--max-rate', '100', '--no-save'],
    /--max-rate 100: below --start-rate 5000/,
  ],
]

for (const [what, args, mentions] of badInput) {
  test(`capacity with ${what} exits 2 with one line naming the input`, async () => {
    assertOneLineError(await cli(args), mentions)
  })
}

const reasons = ['loss', 'duplicate', 'generator', 'server-cpu', 'latency', 'max-rate', 'max-steps']

test('capacity on websocket steps up to a tiny ceiling and writes one CSV row per step with a stop reason', async () => {
  const out = await mkdtemp(join(tmpdir(), 'transport-bench-capacity-'))
  after(() => rm(out, { recursive: true, force: true }))
  const outcome = await cli([
    'capacity',
    '--transports',
    'websocket:socket',
    '--pairs',
    '2',
    '--start-rate',
    '20',
    '--factor',
    '2',
    '--max-rate',
    '40',
    '--refine',
    '1',
    '--retries',
    '0',
    '--step-duration',
    '500ms',
    '--step-warmup',
    '200ms',
    '--format',
    'csv',
    '--out',
    out,
  ])
  assert.equal(outcome.code, 0, outcome.stderr)
  const rows = parseCsv(outcome.stdout)
  assert.ok(rows.length >= 1 && rows.length <= 3, `between one and three steps, got ${rows.length}`)
  assert.deepEqual(
    rows.map((r) => r.step),
    rows.map((_, i) => String(i + 1)),
  )
  for (const row of rows) {
    assert.equal(row.transport, 'websocket')
    assert.equal(row.send_mode, 'socket')
    assert.equal(row.reason === '', row.pass === 'true', 'a reason exactly when the step failed')
  }
  assert.match(outcome.stderr, /websocket \(socket\) step 1 at 20 msg\/s: (pass|fail)/)

  const files = (await readdir(out)).sort()
  assert.equal(files.length, 2)
  assert.match(files[0]!, /-capacity\.csv$/)
  const written = await readFile(join(out, files[0]!), 'utf8')
  assert.equal(written.split('\n')[0], capacityCsvHeader.join(','))
  assert.equal(parseCsv(written).length, rows.length)
  const json = JSON.parse(await readFile(join(out, files[1]!), 'utf8')) as CapacityReport
  assert.equal(json.steps.length, rows.length)
  assert.equal(json.summaries.length, 1)
  assert.ok(reasons.includes(json.summaries[0]!.stop), `a known stop reason, got ${json.summaries[0]!.stop}`)
})
