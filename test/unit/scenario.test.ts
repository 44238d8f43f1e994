import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { UserError } from '../../src/errors.js'
import { checkCapacity, connectionsNeeded, openFilesLimit } from '../../src/scenario/capacity.js'
import { loadScenario, parseScenario, shippedNames } from '../../src/scenario/load.js'
import { applyFlags, type ScenarioFlags } from '../../src/scenario/overrides.js'
import { formatScenario } from '../../src/scenario/print.js'
import { defaultScenario } from '../../src/scenario/scenario.js'
import { editDistance, nearest } from '../../src/scenario/suggest.js'

const invalidDir = fileURLToPath(new URL('../../../test/fixtures/scenarios/invalid/', import.meta.url))
const label = (file: string): string => `invalid/${file}`

/** Each invalid fixture and every line it must produce, in order. */
const invalid: Record<string, string[]> = {
  'unknown-key.yaml': [
    'invalid/unknown-key.yaml: groupz: unknown key, did you mean groups? (got groupz; expected one of description, groups, receivers, idle, rate, arrival, burst, payload, duration, warmup, seed, transports, settings)',
  ],
  'nested-unknown-key.yaml': [
    'invalid/nested-unknown-key.yaml: settings.short-polling.intervall: unknown key, did you mean interval? (got intervall; expected one of interval)',
  ],
  'several-problems.yaml': [
    'invalid/several-problems.yaml: groups: too small (got 0; expected senders, each with its own receivers, a whole number from 1 to 100,000)',
    'invalid/several-problems.yaml: rate: wrong type (got fast; expected messages per second per sender, above 0 and at most 10,000)',
    'invalid/several-problems.yaml: duration: malformed (got 5x; expected measured time per transport, a duration such as 500ms, 10s or 2m)',
    'invalid/several-problems.yaml: transports[1]: unknown value (got pigeon; expected one of short-polling, long-polling, sse, websocket)',
  ],
  'missing-description.yaml': ['invalid/missing-description.yaml: description: missing (expected one line saying what the scenario shows)'],
  'bursts-without-burst.yaml': [
    'invalid/bursts-without-burst.yaml: rate: not used with arrival: bursts (got 10; expected no rate: burst.size and burst.every set it)',
    'invalid/bursts-without-burst.yaml: burst: missing (expected size, within and every, for arrival: bursts)',
  ],
  'inverted-payload-range.yaml': ['invalid/inverted-payload-range.yaml: payload: min is above max (got {"min":2048,"max":64}; expected min ≤ max)'],
  'bad-poll-list.yaml': [
    'invalid/bad-poll-list.yaml: settings.short-polling.interval[1]: malformed (got fast; expected a poll interval, a duration such as 500ms, 10s or 2m)',
    'invalid/bad-poll-list.yaml: settings.short-polling.interval: a value is repeated (got ["100ms","fast","100ms"]; expected a poll interval such as 100ms, or a list of them (one row each))',
  ],
  'hold-too-long.yaml': ['invalid/hold-too-long.yaml: settings.long-polling.hold: out of range (got 5m; expected whole milliseconds from 1ms to 120s)'],
  'not-yaml.yaml': ['invalid/not-yaml.yaml: line 3, column 1: not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])'],
  'not-a-mapping.yaml': ['invalid/not-a-mapping.yaml: (root): wrong type (got ["chat","ticker"]; expected a mapping of scenario fields)'],
}

function problemsOf(file: string): string[] {
  try {
    parseScenario(readFileSync(`${invalidDir}${file}`, 'utf8'), label(file), 'x')
  } catch (err) {
    assert.ok(err instanceof UserError, `a UserError, not ${String(err)}`)
    assert.equal(err.exitCode, 2)
    return err.message.split('\n')
  }
  return assert.fail(`${file} was accepted`)
}

describe('invalid scenario files', () => {
  test('every fixture in the folder has its expected messages in this table', async () => {
    const files = (await readdir(invalidDir)).filter((f) => f.endsWith('.yaml')).sort()
    assert.deepEqual(files, Object.keys(invalid).sort())
  })
  for (const [file, lines] of Object.entries(invalid)) {
    test(`${file} is rejected with exactly its messages, all at once`, () => {
      assert.deepEqual(problemsOf(file), lines)
    })
  }
})

describe('shipped scenarios', () => {
  test('are the six documented ones', () => {
    assert.deepEqual(shippedNames(), ['burst', 'chat', 'large-payload', 'notifications', 'poll-sweep', 'ticker'])
  })
  for (const name of shippedNames()) {
    test(`${name} loads, has a description, and its --dry-run text loads back to the same scenario`, () => {
      const scenario = loadScenario(name)
      assert.ok(scenario.description.length > 20)
      assert.deepEqual(parseScenario(formatScenario(scenario), 'dry-run', name), scenario)
    })
  }
  test('their shapes are what the README promises', () => {
    const ticker = loadScenario('ticker')
    assert.deepEqual([ticker.groups, ticker.receivers, ticker.arrival], [1, 1000, { kind: 'constant', ratePerSec: 20 }])
    const notifications = loadScenario('notifications')
    assert.equal(notifications.groups * notifications.receivers + notifications.idle, 5000)
    assert.equal(notifications.arrival.kind, 'poisson')
    assert.deepEqual(loadScenario('burst').arrival, { kind: 'bursts', size: 50, withinMs: 10, everyMs: 1000 })
    assert.deepEqual(loadScenario('large-payload').payload, { minBytes: 65536, maxBytes: 65536 })
    assert.deepEqual(loadScenario('poll-sweep').pollIntervalsMs, [50, 100, 250, 500, 1000])
    assert.deepEqual(loadScenario('chat').payload, { minBytes: 200, maxBytes: 200 })
  })
})

describe('flags over a scenario', () => {
  const flags: ScenarioFlags = {
    transports: ['sse'], pairs: 3, receivers: 7, idle: 2, rate: 5, duration: 500, warmup: 100,
    payload: 40, pollInterval: 20, longPollTimeout: 1000, wsSend: 'socket',
  }
  test('only the flags the user gave replace the file values', () => {
    const chat = loadScenario('chat')
    const out = applyFlags(chat, flags, (f) => f === 'pairs' || f === 'duration')
    assert.deepEqual(out, { ...chat, groups: 3, durationMs: 500 })
  })
  test('every flag maps onto its field', () => {
    const out = applyFlags(defaultScenario(), flags, () => true)
    assert.deepEqual(
      [out.transports, out.groups, out.receivers, out.idle, out.arrival, out.durationMs, out.warmupMs, out.payload, out.pollIntervalsMs, out.longPollHoldMs, out.wsSend],
      [['sse'], 3, 7, 2, { kind: 'constant', ratePerSec: 5 }, 500, 100, { minBytes: 40, maxBytes: 40 }, [20], 1000, 'socket'],
    )
  })
  test('--rate on a burst scenario is refused, naming the fix', () => {
    assert.throws(() => applyFlags(loadScenario('burst'), flags, (f) => f === 'rate'), /--rate 5: scenario burst sends bursts.*drop --rate/)
  })
})

describe('capacity before a run', () => {
  test('the open-files soft limit is read from /proc/self/limits text', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n'
    assert.equal(openFilesLimit(text), 1024)
    assert.equal(openFilesLimit('Max open files            unlimited            unlimited            files\n'), undefined)
  })
  test('more sockets than the limit is a UserError with the ulimit fix', () => {
    const s = loadScenario('notifications')
    assert.equal(connectionsNeeded(s), 10_000)
    assert.throws(() => checkCapacity(s, 4096), (err: unknown) => {
      assert.ok(err instanceof UserError)
      assert.match(err.message, /needs about 10,064 open files \(5000 senders, 5000 receivers\) but this process may open 4,096; raise the limit \(ulimit -n 11000\)/)
      return true
    })
  })
  test('a rate beyond the generator is a warning with the fix', () => {
    const busy = { ...defaultScenario(), groups: 1, receivers: 400, arrival: { kind: 'constant', ratePerSec: 20 } as const }
    assert.deepEqual(checkCapacity(busy, 1_000_000), [
      'scenario pairs: 8000 deliveries/s is more than one generator can score (about 5000/s); lower --receivers, --pairs or --rate',
    ])
    const sends = { ...defaultScenario(), groups: 3000, arrival: { kind: 'poisson', ratePerSec: 2 } as const, transports: ['sse'] }
    assert.match(checkCapacity(sends, 1_000_000)[0]!, /^scenario pairs: 6000 sends\/s is more than one generator keeps up with .* lower --pairs or --rate$/)
  })
  test('every shipped scenario fits a 20,000-file limit; only ticker at full size strains one generator', () => {
    for (const name of shippedNames()) {
      const warnings = checkCapacity(loadScenario(name), 20_000)
      if (name === 'ticker') assert.match(warnings.join('\n'), /20000 deliveries\/s .* lower --receivers/)
      else assert.deepEqual(warnings, [], name)
    }
  })
})

test('the nearest key is suggested by edit distance', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3)
  assert.equal(nearest('warmpu', ['warmup', 'duration']), 'warmup')
  assert.equal(nearest('Transport', ['transports', 'settings']), 'transports')
})
