import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { openBrowserClients, type BrowserOptions } from '../../src/browser/session.js'
import type { ServerAccess } from '../../src/client/server-access.js'
import { Wire } from '../../src/client/wire.js'
import { monotonicClock } from '../../src/clock.js'
import type { TransportResult } from '../../src/metrics/summarise.js'
import { generateLocalCertificate } from '../../src/tls/certificate.js'
import { findTransport, transports } from '../../src/transports/registry.js'
import { chromiumPath, noChromium } from '../helpers/chromium.js'
import { measure } from '../helpers/load.js'
import { awkward, publishAll } from '../helpers/mailbox.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()

function inBrowser(options: Partial<BrowserOptions> = {}): BrowserOptions {
  return { path: chromiumPath!, pagesPerBrowser: 1, receiversPerPage: 1, ...options }
}

// Every transport a page can receive on, so a new one is tested in the browser the moment it says it can.
for (const t of transports.filter((t) => t.capabilities.browser)) {
  describe(`${t.name} in a browser page`, { skip: noChromium }, () => {
    test('delivers every message once and in order, counting the browser’s own requests and bytes', async () => {
      const { result, load } = await measure(t, server.origin, { pairs: 3, durationMs: 1000, warmupMs: 300, browser: inBrowser() })
      assert.equal(result.clients, 'browser')
      assert.ok(result.sent >= 50, `sent ${result.sent}`)
      assert.equal(result.lost, 0, result.firstError ?? 'lost messages')
      assert.equal(result.duplicated + result.reordered, 0)
      assert.equal(result.receiveErrors, 0, result.firstError ?? '')
      assert.equal(load.recorded.latency.totalCount, result.delivered)
      // Receipts are on the generator's clock once corrected: never before the send was due (allowing the offset's uncertainty).
      const facts = result.browser!
      assert.ok(facts.pages === 3 && facts.profiles === 3, JSON.stringify(facts))
      assert.ok(Number.isFinite(facts.clockUncertaintyMs) && facts.clockUncertaintyMs < 100, JSON.stringify(facts))
      assert.ok(result.latency.maxMs < 5000, `max ${result.latency.maxMs} ms`)
      assert.ok(load.receive.bytesDown > 0, JSON.stringify(load.receive))
      // A poll's request head as the browser writes it (user agent, accept-*, sec-fetch-*) is hundreds of bytes.
      if (load.receive.requests > 3) assert.ok(load.receive.bytesUp / load.receive.requests > 250, JSON.stringify(load.receive))
    })
  })
}

/** Seven SSE receivers in one page, 7 pairs × 10 msg/s for 1 s, against `origin`. */
async function sevenStreams(origin: string, access?: ServerAccess): Promise<TransportResult> {
  const { result } = await measure(findTransport('sse')!, origin, {
    pairs: 7,
    ratePerSec: 10,
    durationMs: 1000,
    warmupMs: 300,
    ...(access ? { access } : {}),
    browser: inBrowser({ receiversPerPage: 7 }),
  })
  return result
}

describe('six connections per origin', { skip: noChromium }, () => {
  test('a page holding seven event streams to one HTTP/1.1 origin leaves the seventh waiting', async () => {
    const result = await sevenStreams(server.origin)
    assert.equal(result.browser?.pages, 1)
    assert.equal(result.browser?.protocol, 'http/1.1')
    // Six streams deliver everything; the seventh never opens while they hold the browser's six connections.
    assert.ok(result.lost > 0 && result.lost <= Math.ceil(result.sent / 7) + 1, `lost ${result.lost} of ${result.sent}`)
    assert.match(result.firstError ?? '', /not listening after .*six connections per origin/)
  })
})

describe('HTTP/2 in a browser', { skip: noChromium }, () => {
  test('a page holding seven event streams to one origin over h2 (TLS) gets every message on each: one connection, seven streams', async () => {
    const certificate = await generateLocalCertificate()
    const secure = await startTestServer(undefined, { http2: true, tls: certificate })
    const result = await sevenStreams(secure.origin, { http2: true, ca: certificate.cert })
    assert.equal(result.browser?.protocol, 'h2', JSON.stringify(result.browser))
    assert.ok(result.sent >= 60, `sent ${result.sent}`)
    assert.equal(result.lost, 0, result.firstError ?? 'lost messages')
    assert.equal(result.duplicated + result.reordered, 0)
    assert.equal(result.receiveErrors, 0, result.firstError ?? '')
    // Seven streams share one connection; the run's certificate is trusted at the first handshake, so none is retried.
    assert.equal(result.connections, 7 + 1, 'one connection per sender (Node, h2), one for the browser')
  })
})

// What the Node receivers are held to in relay-bytes.test.ts (helpers/mailbox.ts: awkward).

for (const t of transports.filter((t) => t.capabilities.browser)) {
  describe(`${t.name} in a browser page, awkward data`, { skip: noChromium }, () => {
    test('data with CR, CRLF, LF and escapes arrives byte for byte (SSE: CR comes as event: json)', async () => {
      const user = `relay-page-${process.pid}-${t.name}`
      const defaults = Object.fromEntries(t.settings.map((s) => [s.key, s.default]))
      const browser = await openBrowserClients({
        transport: t,
        origin: server.origin,
        wire: new Wire(),
        clock: monotonicClock,
        options: inBrowser(),
      })
      const received: string[] = []
      const errors: unknown[] = []
      try {
        const receiver = await browser.receiver(
          { origin: server.origin, user, settings: { ...defaults, interval: 20, hold: 30_000 }, onError: (err) => errors.push(err) },
          (data) => void received.push(data),
        )
        await publishAll(server.origin, user, awkward, received)
        assert.deepEqual(received, awkward)
        assert.deepEqual(errors, [])
        await receiver.close()
      } finally {
        await browser.close()
      }
    })
  })
}
