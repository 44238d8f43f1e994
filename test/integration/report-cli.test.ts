import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { toJson } from '../../src/report/json.js'
import { assertOneLineError, cli } from '../helpers/cli.js'
import { capacityReport, fourTransportRun } from '../helpers/report-inputs.js'
import { fixturePath } from '../helpers/results.js'

let dir = ''
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transport-bench-report-'))
})
after(() => rm(dir, { recursive: true, force: true }))

/** The JSON the page embeds, read back out of it. */
function embeddedData(html: string): { timelines: unknown[]; distribution: { series: { label: string }[] } | null; capacity: unknown } {
  const match = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)
  assert.ok(match, 'the page embeds its data')
  return JSON.parse(match[1]!) as ReturnType<typeof embeddedData>
}

const badInput: [string, () => string[], RegExp][] = [
  ['a missing file', () => ['report', join(dir, 'nope.json')], /nope\.json: cannot read it \(ENOENT\)/],
  ['CSV results', () => ['report', fixturePath('base.csv')], /base\.csv: the HTML report needs the JSON results.*\.json beside it/],
  ['a file that is not a result', () => ['report', fixturePath('not-a-result.csv')], /not-a-result\.csv: not a transport-bench result/],
  [
    'an output folder that does not exist',
    () => ['report', fixturePath('half-a.json'), '-o', join(dir, 'no', 'x.html')],
    /-o .*x\.html: cannot write there/,
  ],
]

for (const [what, args, mentions] of badInput) {
  test(`report of ${what} exits 2 with one line naming it`, async () => {
    assertOneLineError(await cli(args()), mentions)
  })
}

test('report overlays run and capacity files into one self-contained page under 1 MB', async () => {
  const runA = join(dir, 'poll-100.json')
  const runB = join(dir, 'poll-200.json')
  const capacity = join(dir, 'capacity.json')
  await writeFile(runA, toJson(fourTransportRun(100)))
  await writeFile(runB, toJson(fourTransportRun(200, 2)))
  await writeFile(capacity, toJson(await capacityReport()))
  const out = join(dir, 'report.html')
  const outcome = await cli(['report', runA, runB, capacity, '-o', out])
  assert.equal(outcome.code, 0, outcome.stderr)
  assert.match(outcome.stderr, /report written to .*report\.html/)
  const html = await readFile(out, 'utf8')
  assert.ok((await stat(out)).size < 1024 * 1024, `${(await stat(out)).size} bytes`)
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i, 'nothing loaded from elsewhere')
  const data = embeddedData(html)
  assert.equal(data.distribution!.series.length, 8)
  assert.equal(data.timelines.length, 4)
  assert.ok(data.capacity)
})

test('report draws results written before timelines existed, and says so', async () => {
  const out = join(dir, 'old.html')
  const outcome = await cli(['report', fixturePath('half-a.json'), '-o', out])
  assert.equal(outcome.code, 0, outcome.stderr)
  const html = await readFile(out, 'utf8')
  assert.deepEqual(embeddedData(html).timelines, [])
  assert.match(html, /No timeline for short-polling/)
})

test('run --html writes the page beside the CSV and JSON, with the same name', async () => {
  const out = join(dir, 'run')
  const outcome = await cli([
    'run',
    '--transports',
    'websocket',
    '--pairs',
    '2',
    '--rate',
    '20',
    '--duration',
    '1s',
    '--warmup',
    '200ms',
    '--format',
    'csv',
    '--out',
    out,
    '--html',
  ])
  assert.equal(outcome.code, 0, outcome.stderr)
  const files = (await readdir(out)).sort()
  assert.deepEqual(
    files.map((f) => f.replace(/^.*-run\./, '')),
    ['csv', 'html', 'json'],
  )
  assert.equal(new Set(files.map((f) => f.replace(/\.\w+$/, ''))).size, 1)
  const html = await readFile(join(out, files[1]!), 'utf8')
  assert.deepEqual(
    embeddedData(html).distribution!.series.map((s) => s.label),
    ['websocket'],
  )
  const json = JSON.parse(await readFile(join(out, files[2]!), 'utf8')) as { results: { timeline: { count: number }[] }[] }
  assert.ok(json.results[0]!.timeline.length >= 1)
  assert.doesNotMatch(await readFile(join(out, files[0]!), 'utf8'), /timeline/, 'the CSV has no timeline')
})

test('run --html FILE where it cannot be written stops before running', async () => {
  const started = Date.now()
  assertOneLineError(await cli(['run', '--html', join(dir, 'no', 'r.html'), '--no-save']), /--html .*r\.html: cannot write there/)
  assert.ok(Date.now() - started < 10_000)
})
