import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../../../bin/transport-bench.js', import.meta.url))

export interface Outcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs the real binary; bounded by a timeout so a hang fails the test instead of the suite. */
export function cli(args: string[], timeoutMs = 60_000): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1
      resolve({ code, stdout, stderr })
    })
  })
}

/** Exit 2 and exactly one line on stderr, naming what `mentions` matches, with no stack trace. */
export function assertOneLineError(outcome: Outcome, mentions: RegExp): void {
  assert.equal(outcome.code, 2, outcome.stderr)
  const lines = outcome.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, `one line on stderr, got:\n${outcome.stderr}`)
  assert.match(lines[0]!, /^transport-bench: /)
  assert.match(lines[0]!, mentions)
  assert.doesNotMatch(outcome.stderr, /\n\s+at /, 'no stack trace')
}
