import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { formatJson } from '../../src/report/json.js'
import { assertOneLineError, cli } from '../helpers/cli.js'
import { fixturePath } from '../helpers/results.js'
import { fixtureReport } from '../unit/fixtures.js'

const base = fixturePath('base.csv')
const next = fixturePath('new.csv')
let dir = ''

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transport-bench-baseline-'))
})
after(() => rm(dir, { recursive: true, force: true }))

/** Writes a JSON report to the temp folder and returns its path. */
async function jsonFile(name: string, edit: (r: ReturnType<typeof fixtureReport>) => void = () => {}): Promise<string> {
  const report = fixtureReport()
  edit(report)
  const path = join(dir, name)
  await writeFile(path, formatJson(report))
  return path
}

describe('compare', () => {
  test('prints one table per metric group without colour when stdout is not a terminal, exit 0', async () => {
    const outcome = await cli(['compare', base, next])
    assert.equal(outcome.code, 0, outcome.stderr)
    assert.match(outcome.stdout, /^latency\n/)
    assert.match(outcome.stdout, /\ncost\n/)
    assert.match(outcome.stdout, /\ncorrectness\n/)
    assert.match(outcome.stdout, /\nshort-polling {2}50\.000 +60\.000 \+20\.0% worse\n/)
    assert.ok(!outcome.stdout.includes('\u001b['), 'no colour codes')
  })

  test('prints the chosen metrics as markdown, CSV and JSON files side by side, exit 0', async () => {
    const outcome = await cli([
      'compare',
      base,
      next,
      await jsonFile('compare.json', (r) => Object.assign(r.context.settings, { pairs: 10, ratePerSec: 10, payloadBytes: 64 })),
      '--metrics',
      'p50,p99_ms',
      '--format',
      'markdown',
    ])
    assert.equal(outcome.code, 0, outcome.stderr)
    assert.match(outcome.stdout, /^### latency\n\n\| transport \| p50 ms · base\.csv \| p50 ms · new\.csv \| p50 ms · compare\.json \|/)
    assert.doesNotMatch(outcome.stdout, /### cost/)
  })

  const bad: [what: string, args: () => Promise<string[]>, mentions: RegExp][] = [
    ['one file', async () => ['compare', base], /compare needs at least two result files/],
    [
      'a CSV that is not a result',
      async () => ['compare', base, fixturePath('not-a-result.csv')],
      /not-a-result\.csv: not a transport-bench result \(missing/,
    ],
    [
      'a JSON of another schema version',
      async () => ['compare', base, fixturePath('future.json')],
      /future\.json: schemaVersion 2 is not one this version reads/,
    ],
    ['a file that does not exist', async () => ['compare', base, join(dir, 'nope.csv')], /nope\.csv: cannot read it \(ENOENT\)/],
    ['an unknown metric', async () => ['compare', base, next, '--metrics', 'p95'], /--metrics.*unknown metric p95; choose from p50/],
    ['an unknown format', async () => ['compare', base, next, '--format', 'html'], /--format.*table, csv, markdown/],
    [
      'more labels than files',
      async () => ['compare', base, next, '--label', 'a', '--label', 'b', '--label', 'c'],
      /--label given 3 times for 2 files/,
    ],
  ]
  for (const [what, args, mentions] of bad) {
    test(`refuses ${what} in one line, exit 2`, async () => {
      assertOneLineError(await cli(await args()), mentions)
    })
  }

  test('compares runs at other poll intervals in under 100 columns, names them by the setting, and says it differs, exit 0', async () => {
    const outcome = await cli(['compare', base, fixturePath('slower-polls.csv')])
    assert.equal(outcome.code, 0, outcome.stderr)
    const longest = Math.max(...outcome.stdout.split('\n').map((line) => Buffer.byteLength(line)))
    assert.ok(longest < 100, `a line of ${longest} bytes:\n${outcome.stdout}`)
    assert.match(outcome.stdout, /\nsettings that differ from the first file’s: poll interval 100ms vs 200ms\n/)
    assert.match(outcome.stdout, /\np50 ms +poll interval 100ms +poll interval 200ms\n/)
    assert.match(outcome.stdout, /\nshort-polling +50\.000 +100\.000 \+100\.0% worse\n/)
  })

  test('names files by --label, and still takes --allow-settings-change from older scripts, exit 0', async () => {
    const args = ['compare', base, fixturePath('slower-polls.csv'), '--label', 'fast', '--label', 'slow', '--metrics', 'p50']
    const outcome = await cli([...args, '--allow-settings-change'])
    assert.equal(outcome.code, 0, outcome.stderr)
    assert.match(outcome.stdout, /\np50 ms +fast +slow\n/)
    assert.match(outcome.stdout.replace(/\n +/g, ' '), /^files: fast = \S+base\.csv; slow = \S+slower-polls\.csv\n/)
  })
})

describe('check', () => {
  test('passes within the limits, exit 0', async () => {
    const outcome = await cli(['check', next, '--baseline', base, '--max-regression', 'p50=25%,bytes_down_per_msg=5%'])
    assert.equal(outcome.code, 0, outcome.stderr)
  })

  test('fails a regression with one stderr line per violation and a JUnit file of every check, exit 3', async () => {
    const junit = join(dir, 'gate.xml')
    const outcome = await cli([
      'check',
      next,
      '--baseline',
      base,
      '--max-regression',
      'p50=10%,recv_requests_per_msg=20%,p99=10%',
      '--junit',
      junit,
    ])
    assert.equal(outcome.code, 3, outcome.stderr)
    const lines = outcome.stderr.trimEnd().split('\n')
    assert.deepEqual(lines, [
      'regression: short-polling p50: baseline 50.000 ms, now 60.000 ms, change +20.0%, limit p50 ≤ +10%',
      'regression: short-polling recv_requests_per_msg: baseline 2.00 req, now 2.50 req, change +25.0%, limit recv_requests_per_msg ≤ +20%',
      `transport-bench: 2 of 9 checks failed against baseline ${base}`,
    ])
    const xml = await readFile(junit, 'utf8')
    assert.match(xml, /tests="9" failures="2"/)
  })

  test('fails an absolute budget without a baseline, exit 3', async () => {
    const outcome = await cli(['check', next, '--fail-if', 'p99_ms>50,lost>0'])
    assert.equal(outcome.code, 3, outcome.stderr)
    assert.match(
      outcome.stderr,
      /^over budget: short-polling p99: baseline unknown, now 95\.000 ms, change n\/a, limit fail if p99_ms>50\n/,
    )
    assert.match(outcome.stderr, /\nover budget: short-polling lost: .*now 2, .*limit fail if lost>0\n/)
  })

  const bad: [what: string, args: string[], mentions: RegExp][] = [
    ['no rules', ['check', next], /nothing to check/],
    ['a regression limit without a baseline', ['check', next, '--max-regression', 'p99=10%'], /--max-regression needs --baseline/],
    [
      'a malformed regression limit',
      ['check', next, '--baseline', base, '--max-regression', 'p99=ten%'],
      /--max-regression.*metric=percent such as p99=10% \(got p99=ten%\)/,
    ],
    ['a malformed budget', ['check', next, '--fail-if', 'p99_ms=>5'], /--fail-if.*operator \(> >= < <= ==\).*\(got p99_ms=>5\)/],
    ['a budget on an unknown metric', ['check', next, '--fail-if', 'speed>5'], /--fail-if.*unknown metric speed/],
    [
      'a baseline of other settings',
      ['check', fixturePath('slower-polls.csv'), '--baseline', base, '--max-regression', 'p50=10%'],
      /poll interval 100ms vs 200ms/,
    ],
    [
      'a baseline that is not a result',
      ['check', next, '--baseline', fixturePath('not-a-result.csv'), '--max-regression', 'p50=10%'],
      /not-a-result\.csv: not a transport-bench result/,
    ],
  ]
  for (const [what, args, mentions] of bad) {
    test(`refuses ${what} in one line, exit 2`, async () => {
      assertOneLineError(await cli(args), mentions)
    })
  }
})

describe('merge', () => {
  test('adds two halves into one result, exit 0', async () => {
    const out = join(dir, 'all.json')
    const outcome = await cli(['merge', fixturePath('half-a.json'), fixturePath('half-b.json'), '-o', out])
    assert.equal(outcome.code, 0, outcome.stderr)
    assert.equal(outcome.stderr, `merged 2 files into ${out}\n`)
    const merged = JSON.parse(await readFile(out, 'utf8')) as ReturnType<typeof fixtureReport>
    assert.equal(merged.schemaVersion, 1)
    assert.deepEqual([merged.results[0]!.sent, merged.results[0]!.latency.count], [102, 100])
    assert.ok(Math.abs(merged.results[0]!.latency.p50Ms - 50) <= 0.05)
  })

  const bad: [what: string, args: () => Promise<string[]>, mentions: RegExp][] = [
    ['CSV results', async () => ['merge', base, next, '-o', join(dir, 'x.json')], /base\.csv: merge needs the JSON results/],
    [
      'a JSON of another schema version',
      async () => ['merge', await jsonFile('m.json'), fixturePath('future.json'), '-o', join(dir, 'x.json')],
      /future\.json: schemaVersion 2/,
    ],
    [
      'runs of other settings',
      async () => [
        'merge',
        await jsonFile('m1.json'),
        await jsonFile('m2.json', (r) => void (r.context.settings.pairs = 7)),
        '-o',
        join(dir, 'x.json'),
      ],
      /pairs 50 vs 7\); compare runs of the same settings$/,
    ],
    ['no output file', async () => ['merge', await jsonFile('m3.json'), await jsonFile('m4.json')], /required option '-o, --out <file>'/],
  ]
  for (const [what, args, mentions] of bad) {
    test(`refuses ${what} in one line, exit 2`, async () => {
      assertOneLineError(await cli(await args()), mentions)
    })
  }
})
