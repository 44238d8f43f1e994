import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { parseCsv } from '../../src/report/csv.js'
import { csvHeader } from '../../src/results/columns.js'
import { assertOneLineError, cli } from '../helpers/cli.js'
import { resultsSchemaErrors } from '../helpers/results-schema.js'

const badInput: [string, string[], RegExp][] = [
  ['an unknown transport', ['run', '--transports', 'carrier-pigeon'], /carrier-pigeon.*choose from short-polling/],
  ['a negative rate', ['run', '--rate', '-5'], /--rate.*-5/],
  ['a malformed duration', ['run', '--duration', '5x'], /--duration.*5x.*500ms/],
  ['a duration without its unit', ['run', '--duration', '5'], /--duration.*got 5; a number needs a unit: 5ms or 5s\?/],
  ['a payload too small for the stamp', ['run', '--payload', '4'], /--payload.*at least 32/],
  ['an unknown flag', ['run', '--colour'], /unknown option '--colour'/],
  ['an unknown command', ['fly'], /unknown command 'fly'/],
  ['a target that is not a URL', ['run', '--target', 'localhost'], /--target.*http:\/\/127\.0\.0\.1:8080/],
  ['an unreachable target', ['run', '--target', 'http://127.0.0.1:1'], /--target http:\/\/127\.0\.0\.1:1: cannot reach.*ECONNREFUSED/],
]

for (const [what, args, mentions] of badInput) {
  test(`${what} exits 2 with one line naming the input`, async () => {
    assertOneLineError(await cli(args), mentions)
  })
}

test('serve on a busy port exits 2 with one line naming the port', async () => {
  const holder = createServer()
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  try {
    const port = (holder.address() as AddressInfo).port
    assertOneLineError(await cli(['serve', '--port', String(port)]), new RegExp(`--port ${port}: .*already in use`))
  } finally {
    holder.close()
  }
})

test('no command shows the commands and exits 0', async () => {
  const outcome = await cli([])
  assert.equal(outcome.code, 0)
  assert.match(outcome.stdout + outcome.stderr, /Commands:\n\s+run /)
  assert.doesNotMatch(outcome.stderr, /outputHelp/)
})

test('--help exits 0 and shows an example', async () => {
  const outcome = await cli(['run', '--help'])
  assert.equal(outcome.code, 0)
  assert.match(outcome.stdout, /Examples:\n\s+\$ transport-bench run/)
})

test('a short run prints CSV on stdout and writes CSV and JSON results', async () => {
  const out = await mkdtemp(join(tmpdir(), 'transport-bench-'))
  after(() => rm(out, { recursive: true, force: true }))
  const outcome = await cli([
    'run',
    '--transports',
    'sse,websocket',
    '--pairs',
    '2',
    '--rate',
    '20',
    '--duration',
    '500ms',
    '--warmup',
    '200ms',
    '--format',
    'csv',
    '--out',
    out,
  ])
  assert.equal(outcome.code, 0, outcome.stderr)
  const rows = parseCsv(outcome.stdout)
  assert.deepEqual(
    rows.map((r) => r.transport),
    ['sse', 'websocket'],
  )
  for (const row of rows) assert.equal(row.lost, '0')
  const files = (await readdir(out)).sort()
  assert.equal(files.length, 2)
  assert.match(files[0]!, /-run\.csv$/)
  const written = await readFile(join(out, files[0]!), 'utf8')
  assert.equal(written.split('\n')[0], csvHeader.join(','))
  const json = JSON.parse(await readFile(join(out, files[1]!), 'utf8')) as { schemaVersion: number; results: unknown[] }
  assert.equal(json.schemaVersion, 1)
  assert.equal(json.results.length, 2)
  assert.deepEqual(resultsSchemaErrors(json), [], 'the written JSON conforms to docs/results-v1.schema.json')
})

test('a default run prints a table, its verdict and its settings in 100 columns', async () => {
  const outcome = await cli(['run', '--pairs', '2', '--rate', '20', '--duration', '500ms', '--warmup', '200ms', '--no-save'])
  assert.equal(outcome.code, 0, outcome.stderr)
  // Bytes, as awk '{ print length }' counts them in most locales.
  const longest = Math.max(...outcome.stdout.split('\n').map((line) => Buffer.byteLength(line)))
  assert.ok(longest <= 100, `a line of ${longest} bytes:\n${outcome.stdout}`)
  assert.match(outcome.stdout, /^transport +p50 ms +p99 ms +max ms +lost +req\/msg +B\/msg up\+down +flags\n/)
  assert.match(outcome.stdout, /\nverdict by p50 \(median latency\):\n {2}\S+ +[\d.]+ ms {2}fastest\n/)
  assert.match(outcome.stdout, /\ncost: short-polling /)
  assert.match(outcome.stdout, /\nwarning: few latencies/)
})
