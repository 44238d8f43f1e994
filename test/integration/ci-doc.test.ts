import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { access, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { cli } from '../helpers/cli.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const bin = join(root, 'bin', 'transport-bench.js')

interface Workflow {
  env: Record<string, string>
  /** The shell of each `run:` step, in order. */
  steps: string[]
}

/** Reads the workflow out of docs/CI.md: the job's env and every `run:` step, dedented. */
function parseWorkflow(markdown: string): Workflow {
  const yaml = /```yaml\n([\s\S]*?)```/.exec(markdown)?.[1]
  assert.ok(yaml, 'docs/CI.md has a yaml block')
  const lines = yaml.split('\n')
  const env: Record<string, string> = {}
  const steps: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const envEntry = /^ {6}([A-Z_]+): (.*)$/.exec(line)
    if (envEntry) env[envEntry[1]!] = envEntry[2]!
    const run = /^(\s*)(?:- )?run: (.*)$/.exec(line)
    if (!run) continue
    if (run[2] !== '|') {
      steps.push(run[2]!)
      continue
    }
    const body: string[] = []
    const indent = run[1]!.length + 2
    while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || lines[i + 1]!.length - lines[i + 1]!.trimStart().length >= indent)) {
      body.push(lines[++i]!.slice(indent))
    }
    steps.push(body.join('\n'))
  }
  return { env, steps }
}

/** The doc's flags at test scale: the same flags, small values, short polling only. */
function scaleDown(flags: string): string {
  const small: Record<string, string> = {
    '--transports': 'short-polling',
    '--pairs': '5',
    '--rate': '7',
    '--duration': '1s',
    '--warmup': '200ms',
    '--repeat': '2',
  }
  return flags.replace(/(--[a-z-]+) (\S+)/g, (whole, flag: string) => (flag in small ? `${flag} ${small[flag]}` : whole))
}

/** `npx transport-bench …` in a step runs this checkout's binary. */
const prelude = `npx() { if [ "$1" = transport-bench ]; then shift; node "${bin}" "$@"; else echo "unexpected: npx $*" >&2; return 1; fi; }\n`

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-e', '-c', prelude + script], { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr })
    })
  })
}

describe('the workflow in docs/CI.md', () => {
  let workflow: Workflow
  let dir = ''
  let env: Record<string, string> = {}

  before(async () => {
    workflow = parseWorkflow(await readFile(join(root, 'docs', 'CI.md'), 'utf8'))
    dir = await mkdtemp(join(tmpdir(), 'transport-bench-ci-'))
    env = {
      ...workflow.env,
      BENCH_FLAGS: scaleDown(workflow.env.BENCH_FLAGS ?? ''),
      // A loose limit at test scale; the doc's own limits are parsed by the test below.
      MAX_REGRESSION: 'p50=100%',
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    }
  })
  after(() => rm(dir, { recursive: true, force: true }))

  async function runSteps(): Promise<void> {
    for (const step of workflow.steps.filter((s) => s !== 'npm ci')) {
      const outcome = await bash(step, dir, env)
      assert.equal(outcome.code, 0, `step failed:\n${step}\n${outcome.stderr}`)
    }
  }

  test('has the steps and settings the test expects', () => {
    assert.equal(workflow.steps.length, 4)
    assert.match(env.BENCH_FLAGS!, /^--transports short-polling --pairs 5 --rate 7 --duration 1s --warmup 200ms --repeat 2$/)
  })

  test('a first run, without a baseline, measures, writes a JUnit file and promotes a baseline', async () => {
    await runSteps()
    await access(join(dir, 'results', 'gate.xml'))
    await access(join(dir, 'baseline', 'base.json'))
  })

  test('a second run gates against that baseline and puts a markdown comparison on the summary', async () => {
    await rm(join(dir, 'results'), { recursive: true, force: true })
    await runSteps()
    assert.match(await readFile(join(dir, 'summary.md'), 'utf8'), /^### latency\n/)
    assert.match(
      await readFile(join(dir, 'results', 'gate.xml'), 'utf8'),
      /<testcase classname="transport-bench.short-polling" name="p50 ≤ \+100%"/,
    )
  })

  test("the doc's own limits parse and pass a baseline against itself", async () => {
    const base = join(dir, 'baseline', 'base.json')
    const outcome = await cli([
      'check',
      base,
      '--baseline',
      base,
      '--max-regression',
      workflow.env.MAX_REGRESSION!,
      '--fail-if',
      workflow.env.FAIL_IF!,
    ])
    assert.equal(outcome.code, 0, outcome.stderr)
  })
})
