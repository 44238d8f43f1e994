import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Script } from 'node:vm'
import { measureClockOffset } from '../../src/browser/clock-offset.js'
import { pageHarness, receiverScript } from '../../src/browser/page-harness.js'
import { browserOptionsOf } from '../../src/cli/browser-options.js'
import { UserError } from '../../src/errors.js'
import { parseScenario } from '../../src/scenario/load.js'
import { formatScenario } from '../../src/scenario/print.js'
import { transportNames, transports } from '../../src/transports/registry.js'

describe('the clock offset of a page', () => {
  test('keeps the exchange with the shortest round trip, its midpoint, and half that trip as the uncertainty', async () => {
    // The generator's clock advances by each exchange's round trip; the page reads 1000 ms ahead, late in the slow ones.
    const trips = [8, 2, 5, 2.5]
    let now = 0
    let i = 0
    const clock = { now: () => now }
    const offset = await measureClockOffset(clock, async () => {
      const trip = trips[i++ % trips.length]!
      const read = now + (trip === 2 ? 1 : trip * 0.9) + 1000
      now += trip
      return read
    })
    assert.deepEqual(offset, { offsetMs: 1000, uncertaintyMs: 1 })
  })
})

describe('browser receivers', () => {
  test('every transport that says a page can receive on it has a page receiver, and the page script embeds it whole', () => {
    for (const t of transports) {
      assert.equal(t.capabilities.browser, t.pageReceiver !== undefined, t.name)
      if (t.pageReceiver) {
        const script = receiverScript(t.pageReceiver)
        assert.ok(script.includes(t.pageReceiver.toString()) && script.includes(pageHarness.toString()))
        // Sent as source: it must parse on its own (a vm.Script compiles without running).
        assert.doesNotThrow(() => new Script(script), t.name)
      }
    }
  })

  const flags = { pages: 1, receiversPerPage: 1, workers: 1 }
  test('--clients browser refuses several workers, a token, and a --browser-path that does not exist, in one line each', () => {
    const refuses = (run: () => unknown, message: RegExp): void =>
      assert.throws(run, (err: unknown) => err instanceof UserError && message.test(err.message))
    refuses(
      () => browserOptionsOf('browser', { ...flags, workers: 2 }, {}, transportNames),
      /^--workers 2: browser receivers run in one process/,
    )
    refuses(() => browserOptionsOf('browser', flags, { token: 'x' }, transportNames), /^--token: a page cannot send it/)
    refuses(() => browserOptionsOf('browser', flags, { http2: true }, transportNames), /^--http2: a browser speaks HTTP\/2 only over TLS/)
    refuses(
      () => browserOptionsOf('browser', { ...flags, target: 'http://127.0.0.1:8080' }, { http2: true }, transportNames),
      /^--http2: a browser speaks HTTP\/2 only over TLS/,
    )
    refuses(
      () => browserOptionsOf('browser', { ...flags, browserPath: '/no/such/chromium' }, {}, transportNames),
      /^--browser-path \/no\/such\/chromium: no such file/,
    )
    refuses(
      () => browserOptionsOf('node', { ...flags, browserPath: '/usr/bin/chromium' }, {}, transportNames),
      /only with --clients browser/,
    )
    assert.equal(browserOptionsOf('node', flags, {}, transportNames), undefined)
  })
})

describe('clients in a scenario file', () => {
  test('clients: browser is read, printed back by --dry-run, and anything else refused', () => {
    const s = parseScenario('description: in pages\nclients: browser\n', 'x.yaml', 'x')
    assert.equal(s.clients, 'browser')
    assert.match(formatScenario(s), /\nclients: browser\n/)
    assert.equal(parseScenario(formatScenario(s), 'y.yaml', 'y').clients, 'browser')
    assert.equal(parseScenario('description: plain\n', 'x.yaml', 'x').clients, 'node')
    assert.throws(
      () => parseScenario('description: x\nclients: firefox\n', 'x.yaml', 'x'),
      /x\.yaml: clients: .*node \(the default\) or browser/,
    )
  })
})
