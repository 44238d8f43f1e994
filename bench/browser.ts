/**
 * Seven event streams in one browser page, to one origin, over HTTP/1.1 and over HTTP/2, through
 * `run`'s own pipeline (runBenchmark) with receivers in a headless Chromium:
 *   1. HTTP/1.1 over TLS: Chromium opens at most six connections per origin (and profile), and
 *      an open event stream holds its connection for good, so the seventh stream waits for one
 *      that never frees: its receiver gets nothing and its share of the messages is lost;
 *   2. HTTP/2 over TLS (ALPN h2; browsers speak HTTP/2 only over TLS): one connection per
 *      origin, each stream an HTTP/2 stream on it, so all seven are open and deliver everything.
 * Both over TLS, so the HTTP version is the only difference. Each prints delivered/sent, lost
 * against one receiver's share, the protocol the page's document came over, and the
 * connections the browser opened (the run's, less the senders', one each).
 * Usage: npm run bench:browser [-- --seconds 4 --rate 10]
 */
import { findChromium } from '../src/browser/chromium.js'
import { embeddedAccess } from '../src/cli/security-options.js'
import type { TransportResult } from '../src/metrics/summarise.js'
import { runBenchmark, type RunOptions } from '../src/run.js'
import { toRunOptions } from '../src/scenario/options.js'
import { defaultScenario } from '../src/scenario/scenario.js'
import type { ServerSecurity } from '../src/server/security.js'
import { generateLocalCertificate } from '../src/tls/certificate.js'
import { numberFlag } from './flags.js'

const seconds = numberFlag('seconds', 4)
const ratePerSec = numberFlag('rate', 10)
const streams = 7

const chromium = findChromium()
if (chromium === undefined) {
  process.stderr.write('bench:browser needs a Chromium at /usr/bin/chromium (apt-get install chromium)\n')
  process.exit(2)
}
const certificate = await generateLocalCertificate()

function sevenStreams(http2: boolean): RunOptions {
  const s = { ...defaultScenario(), transports: ['sse'], groups: streams }
  const security: ServerSecurity = { tls: certificate, ...(http2 ? { http2: true } : {}) }
  return {
    ...toRunOptions({ ...s, arrival: { kind: 'constant', ratePerSec }, durationMs: seconds * 1000, warmupMs: 1000 }),
    security,
    access: embeddedAccess(security),
    browser: { path: chromium!, pagesPerBrowser: 1, receiversPerPage: streams },
  }
}

function line(r: TransportResult): string {
  const share = Math.round(r.sent / streams)
  const browserConnections = r.connections - streams
  return (
    `   page over ${r.browser?.protocol ?? '?'}: ${r.delivered}/${r.sent} delivered, lost ${r.lost} (one receiver's share: ${share}); ` +
    `p50 ${r.latency.p50Ms.toFixed(3)} ms; browser connections ${browserConnections}` +
    (r.firstError ? `\n   first error: ${r.firstError}` : '')
  )
}

console.log(`${streams} EventSources in one page, one origin, ${streams} × ${ratePerSec} msg/s, ${seconds}s measured, over TLS`)
console.log('\n1. HTTP/1.1 (--tls)')
console.log('   theory: 6 connections per origin, each held by an open stream; the 7th waits, so one receiver gets nothing')
const h1 = (await runBenchmark(sevenStreams(false))).results[0]!
console.log(line(h1))
console.log('\n2. HTTP/2 (--http2 --tls)')
console.log('   theory: one connection, the streams multiplexed on it; all 7 open, nothing lost')
const h2 = (await runBenchmark(sevenStreams(true))).results[0]!
console.log(line(h2))
const stalled = h1.lost > 0 && h1.lost <= Math.ceil(h1.sent / streams) + 1
console.log(
  `\n${stalled && h2.lost === 0 ? 'as predicted' : 'NOT as predicted'}: HTTP/1.1 lost ${h1.lost} (${stalled ? 'the seventh stream' : 'not one stream'}), HTTP/2 lost ${h2.lost}`,
)
