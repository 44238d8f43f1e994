import { Command } from 'commander'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addLimitOptions, limitsFrom } from '../../src/cli/limit-options.js'
import { serverDefaults } from '../../src/config.js'

function parseServe(args: string[]): Record<string, unknown> {
  const command = addLimitOptions(new Command('serve').exitOverride())
  command.parse(args, { from: 'user' })
  return command.opts()
}

test('with no flags, every limit is its default from config.ts', () => {
  assert.deepEqual(limitsFrom(parseServe([])), { ...serverDefaults })
})

test('each limit flag sets its own limit and no other', () => {
  const cases: [string[], keyof typeof serverDefaults, number][] = [
    [['--body-limit', '2kb'], 'bodyLimitBytes', 2048],
    [['--max-header-size', '8kb'], 'maxHeaderBytes', 8192],
    [['--headers-timeout', '2s'], 'headersTimeoutMs', 2000],
    [['--ws-max-payload', '100'], 'wsMaxPayloadBytes', 100],
    [['--max-connections', '7'], 'maxConnections', 7],
    [['--max-streams-per-user', '2'], 'maxStreamsPerUser', 2],
    [['--max-parked-polls', '3'], 'longPollMaxParked', 3],
    [['--max-poll-hold', '1m'], 'longPollMaxTimeoutMs', 60_000],
    [['--mailbox-max-messages', '50'], 'mailboxMaxMessages', 50],
    [['--mailbox-max-bytes', '1mb'], 'mailboxMaxBytes', 1024 * 1024],
    [['--slow-consumer-max', '4mb'], 'slowConsumerMaxBufferedBytes', 4 * 1024 * 1024],
  ]
  for (const [args, limit, value] of cases) {
    const expected: Record<string, unknown> = { ...serverDefaults, [limit]: value }
    // A hold shorter than the default hold shortens the default too.
    if (limit === 'longPollMaxTimeoutMs') expected.longPollDefaultTimeoutMs = Math.min(serverDefaults.longPollDefaultTimeoutMs, value)
    assert.deepEqual(limitsFrom(parseServe(args)), expected, args.join(' '))
  }
})
