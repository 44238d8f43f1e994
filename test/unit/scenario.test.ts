import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { UserError } from '../../src/errors.js'
import { checkFeasibility, connectionsNeeded, openFilesLimit } from '../../src/scenario/feasibility.js'
import { loadScenario, parseScenario, shippedNames } from '../../src/scenario/load.js'
import { applyFlags, type ScenarioFlags } from '../../src/scenario/overrides.js'
import { formatScenario } from '../../src/scenario/print.js'
import { defaultScenario } from '../../src/scenario/scenario.js'
import { editDistance, nearest } from '../../src/scenario/suggest.js'
import { transportNames } from '../../src/transports/registry.js'

const invalidDir = fileURLToPath(new URL('../../../test/fixtures/scenarios/invalid/', import.meta.url))
const label = (file: string): string => `invalid/${file}`

/** Each invalid fixture and every line it must produce, in order. */
const invalid: Record<string, string[]> = {
  'unknown-key.yaml': [
    'invalid/unknown-key.yaml: groupz: unknown key, did you mean groups? (got groupz; expected one of description, groups, receivers, idle, rate, arrival, burst, payload, duration, stages, warmup, seed, transports, settings, link, faults, clients)',
  ],
  'nested-unknown-key.yaml': [
    'invalid/nested-unknown-key.yaml: settings.short-polling.intervall: unknown key, did you mean interval? (got intervall; expected one of interval)',
  ],
  'several-problems.yaml': [
    'invalid/several-problems.yaml: groups: too small (got 0; expected senders, each with its own receivers, a whole number from 1 to 100,000)',
    'invalid/several-problems.yaml: rate: wrong type (got fast; expected messages per second per sender, above 0 and at most 10,000)',
    'invalid/several-problems.yaml: duration: malformed (got 5x; expected measured time per transport, a duration such as 500ms, 10s or 2m)',
    // Every registered transport, in registry order: a fifth one joins the list by itself.
    `invalid/several-problems.yaml: transports[1]: unknown value (got pigeon; expected one of ${transportNames.join(', ')})`,
  ],
  'missing-description.yaml': ['invalid/missing-description.yaml: description: missing (expected one line saying what the scenario shows)'],
  'bursts-without-burst.yaml': [
    'invalid/bursts-without-burst.yaml: rate: not used with arrival: bursts (got 10; expected no rate: burst.size and burst.every set it)',
    'invalid/bursts-without-burst.yaml: burst: missing (expected size, within and every, for arrival: bursts)',
  ],
  'inverted-payload-range.yaml': [
    'invalid/inverted-payload-range.yaml: payload: min is above max (got {"min":2048,"max":64}; expected min ≤ max)',
  ],
  'bad-poll-list.yaml': [
    'invalid/bad-poll-list.yaml: settings.short-polling.interval[1]: malformed (got fast; expected a poll interval, a duration such as 500ms, 10s or 2m)',
    'invalid/bad-poll-list.yaml: settings.short-polling.interval: a value is repeated (got ["100ms","fast","100ms"]; expected a poll interval such as 100ms, or a list of them (one row each))',
  ],
  'hold-too-long.yaml': [
    'invalid/hold-too-long.yaml: settings.long-polling.hold: out of range (got 5m; expected whole milliseconds from 1ms to 120s)',
  ],
  'not-yaml.yaml': [
    'invalid/not-yaml.yaml: line 3, column 1: not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])',
  ],
  'not-a-mapping.yaml': ['invalid/not-a-mapping.yaml: (root): wrong type (got ["chat","ticker"]; expected a mapping of scenario fields)'],
  'stages-with-duration.yaml': [
    "invalid/stages-with-duration.yaml: duration: not used with stages (got 10s; expected no duration: the stages' durations add up to the measured time)",
  ],
  'stage-without-target.yaml': [
    'invalid/stage-without-target.yaml: stages[0]: no target (got {"duration":"5s"}; expected rate, groups or both: the values the stage ramps to)',
    'invalid/stage-without-target.yaml: stages[1].duration: too small (got 0ms; expected at least 1ms)',
  ],
  'bursts-rate-stage.yaml': [
    'invalid/bursts-rate-stage.yaml: stages[1].rate: not used with arrival: bursts (got 50; expected groups targets only: burst.size and burst.every set the rate)',
  ],
  'stage-bad-fields.yaml': [
    'invalid/stage-bad-fields.yaml: stages[0].pace: unknown key, did you mean rate? (got pace; expected one of duration, rate, groups)',
    'invalid/stage-bad-fields.yaml: stages[1].duration: malformed (got soon; expected how long the stage ramps, a duration such as 500ms, 10s or 2m)',
    "invalid/stage-bad-fields.yaml: stages[1].groups: too small (got -1; expected groups sending at the stage's end (every group ever active is connected from the start; the others send nothing), a whole number from 0 to 100,000)",
  ],
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
  test('are the seven documented ones', () => {
    assert.deepEqual(shippedNames(), ['burst', 'chat', 'large-payload', 'notifications', 'poll-sweep', 'ramp', 'ticker'])
  })
  for (const name of shippedNames()) {
    test(`${name} loads, has a description, and its --dry-run text loads back to the same scenario`, () => {
      const scenario = loadScenario(name)
      assert.ok(scenario.description.length > 20)
      assert.deepEqual(parseScenario(formatScenario(scenario), 'dry-run', name), scenario)
    })
  }
  test('their shapes are what docs/USAGE.md promises', () => {
    const ticker = loadScenario('ticker')
    assert.deepEqual([ticker.groups, ticker.receivers, ticker.arrival], [1, 1000, { kind: 'constant', ratePerSec: 20 }])
    const notifications = loadScenario('notifications')
    assert.equal(notifications.groups * notifications.receivers + notifications.idle, 5000)
    assert.equal(notifications.arrival.kind, 'poisson')
    assert.deepEqual(loadScenario('burst').arrival, { kind: 'bursts', size: 50, withinMs: 10, everyMs: 1000 })
    assert.deepEqual(loadScenario('large-payload').payload, { minBytes: 65536, maxBytes: 65536 })
    assert.deepEqual(loadScenario('poll-sweep').settings['short-polling'], { interval: [50, 100, 250, 500, 1000] })
    assert.deepEqual(loadScenario('chat').payload, { minBytes: 200, maxBytes: 200 })
    const ramp = loadScenario('ramp')
    assert.deepEqual([ramp.groups, ramp.arrival, ramp.durationMs], [50, { kind: 'constant', ratePerSec: 1 }, 25_000])
    assert.deepEqual(ramp.stages, [
      { durationMs: 10_000, ratePerSec: 10 },
      { durationMs: 10_000, ratePerSec: 50 },
      { durationMs: 5000, ratePerSec: 50 },
    ])
  })
})

describe('stages', () => {
  const staged = (stages: string): string => `description: a ramp\ngroups: 2\nrate: 5\nstages:\n${stages}`
  test('resolve to a measured window as long as their sum, the starting values from the top level', () => {
    const s = parseScenario(
      staged('  - {duration: 2s, rate: 40}\n  - {duration: 500ms, groups: 10}\n  - {duration: 1m, rate: 1, groups: 0}\n'),
      'x.yaml',
      'x',
    )
    assert.equal(s.durationMs, 62_500)
    assert.deepEqual(s.stages, [
      { durationMs: 2000, ratePerSec: 40 },
      { durationMs: 500, groups: 10 },
      { durationMs: 60_000, ratePerSec: 1, groups: 0 },
    ])
    assert.deepEqual([s.groups, s.arrival], [2, { kind: 'constant', ratePerSec: 5 }])
    assert.deepEqual(parseScenario(formatScenario(s), 'dry-run', 'x'), s, '--dry-run prints the stages and loads back')
    assert.match(formatScenario(s), /\nstages:\n {2}- duration: 2s\n {4}rate: 40\n/)
    assert.doesNotMatch(formatScenario(s), /\nduration:/)
  })
  test('an empty list is refused by the schema', () => {
    assert.throws(
      () => parseScenario(staged('  []\n'), 'x.yaml', 'x'),
      /x\.yaml: stages: empty list \(got \[\]; expected a list of at most 50 stages/,
    )
  })
  test('--duration over stages is refused, naming the fix; --rate and --pairs set the starting values', () => {
    const flags: ScenarioFlags = {
      transports: ['sse'],
      pairs: 3,
      receivers: 1,
      idle: 0,
      rate: 7,
      duration: 5000,
      warmup: 100,
      payload: 40,
      settings: { 'short-polling': { interval: 20 }, 'long-polling': { hold: 1000 }, websocket: { send: 'post' } },
    }
    assert.throws(
      () => applyFlags(loadScenario('ramp'), flags, (f) => f === 'duration'),
      (err: unknown) => {
        assert.ok(err instanceof UserError)
        assert.equal(
          err.message,
          '--duration 5s: scenario ramp has stages, whose durations add up to the measured time; drop --duration or edit the stages in a copy of the file',
        )
        return true
      },
    )
    const out = applyFlags(loadScenario('ramp'), flags, (f) => f === 'rate' || f === 'pairs')
    assert.deepEqual(
      [out.groups, out.arrival, out.stages, out.durationMs],
      [3, { kind: 'constant', ratePerSec: 7 }, loadScenario('ramp').stages, 25_000],
    )
  })
  test("capacity counts every group ever active, and sends at the ramps' peak", () => {
    // 2 → 3000 groups while 5 → 2 msg/s: groups × rate peaks at about 6251/s inside the stage, above the 6000 at its end.
    const s = parseScenario(staged('  - {duration: 1s, groups: 3000, rate: 2}\n  - {duration: 1s, groups: 1}\n'), 'x.yaml', 'x')
    assert.equal(connectionsNeeded(s), 6000)
    assert.match(
      checkFeasibility({ ...s, transports: ['sse'] }, 1_000_000)[0]!,
      /^scenario x: 6251 sends\/s is more than one generator keeps up with/,
    )
  })
})

describe('flags over a scenario', () => {
  const flags: ScenarioFlags = {
    transports: ['sse'],
    pairs: 3,
    receivers: 7,
    idle: 2,
    rate: 5,
    duration: 500,
    warmup: 100,
    payload: 40,
    settings: { 'short-polling': { interval: 20 }, 'long-polling': { hold: 1000, depth: 2 }, websocket: { send: 'socket' } },
  }
  test('only the flags the user gave replace the file values', () => {
    const chat = loadScenario('chat')
    const out = applyFlags(chat, flags, (f) => f === 'pairs' || f === 'duration')
    assert.deepEqual(out, { ...chat, groups: 3, durationMs: 500 })
  })
  test('every flag maps onto its field', () => {
    const out = applyFlags(defaultScenario(), flags, () => true)
    assert.deepEqual(
      [
        out.transports,
        out.groups,
        out.receivers,
        out.idle,
        out.arrival,
        out.durationMs,
        out.warmupMs,
        out.payload,
        out.settings['short-polling'],
        out.settings['long-polling'],
        out.settings.websocket,
      ],
      [
        ['sse'],
        3,
        7,
        2,
        { kind: 'constant', ratePerSec: 5 },
        500,
        100,
        { minBytes: 40, maxBytes: 40 },
        { interval: [20] },
        { hold: 1000, depth: 2 },
        { send: 'socket' },
      ],
    )
  })
  test('--rate on a burst scenario is refused, naming the fix', () => {
    assert.throws(() => applyFlags(loadScenario('burst'), flags, (f) => f === 'rate'), /--rate 5: scenario burst sends bursts.*drop --rate/)
  })
})

describe('capacity before a run', () => {
  test('the open-files soft limit is read from /proc/self/limits text', () => {
    const text =
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n'
    assert.equal(openFilesLimit(text), 1024)
    assert.equal(openFilesLimit('Max open files            unlimited            unlimited            files\n'), undefined)
  })
  test('more sockets than the limit is a UserError with the ulimit fix', () => {
    const s = loadScenario('notifications')
    assert.equal(connectionsNeeded(s), 10_000)
    assert.throws(
      () => checkFeasibility(s, 4096),
      (err: unknown) => {
        assert.ok(err instanceof UserError)
        assert.match(
          err.message,
          /needs about 10,064 open files \(5000 senders, 5000 receivers\) but this process may open 4,096, which fits 2,016 pairs; raise the limit \(ulimit -n 11000\)/,
        )
        return true
      },
    )
  })
  test('a rate beyond the generator is a warning with the fix', () => {
    const busy = { ...defaultScenario(), groups: 1, receivers: 400, arrival: { kind: 'constant', ratePerSec: 20 } as const }
    assert.deepEqual(checkFeasibility(busy, 1_000_000), [
      'scenario pairs: 8000 deliveries/s is more than one generator can score (about 5000/s); lower --receivers, --pairs or --rate',
    ])
    const sends = { ...defaultScenario(), groups: 3000, arrival: { kind: 'poisson', ratePerSec: 2 } as const, transports: ['sse'] }
    assert.match(
      checkFeasibility(sends, 1_000_000)[0]!,
      /^scenario pairs: 6000 sends\/s is more than one generator keeps up with .* lower --pairs or --rate$/,
    )
  })
  test('every shipped scenario fits a 20,000-file limit; only ticker at full size strains one generator', () => {
    for (const name of shippedNames()) {
      const warnings = checkFeasibility(loadScenario(name), 20_000)
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
