import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Wire } from '../client/wire.js'
import type { Clock } from '../clock.js'
import type { BrowserFacts } from '../metrics/load-result.js'
import type { OnData, Receiver, ReceiverContext, Transport } from '../transports/types.js'
import { launchChromium } from './chromium.js'
import { measureClockOffset, type ClockOffset } from './clock-offset.js'
import { startCountingProxy, type CountingProxy } from './counting-proxy.js'
import { receiverScript, type HarnessWindow, type Receipt } from './page-harness.js'

/** How the receivers are spread over Chromium: what `--clients browser` is given. */
export interface BrowserOptions {
  /** The Chromium or Chrome executable. */
  path: string
  /** Pages per browser profile; a profile's pages share its connections (six per origin over HTTP/1.1). */
  pagesPerBrowser: number
  /** Receivers in one page. */
  receiversPerPage: number
}

export interface BrowserSetup {
  transport: Transport
  /** The server's origin; the pages reach it through the counting proxy. */
  origin: string
  /** The PEM certificate the server's TLS is trusted by (the run's own); the browser trusts exactly it. */
  ca?: string
  /** Where the browser's traffic is counted (the receivers' side). */
  wire: Wire
  /** The generator's clock: receipts are converted to it. */
  clock: Clock
  /** Unix time of the generator clock's zero, so the offset printed compares two Unix times (0: the raw offset). */
  clockEpochMs?: number
  options: BrowserOptions
}

/** Browser receivers: each `receiver` call opens one in the next page with room. */
export interface BrowserClients {
  receiver(ctx: ReceiverContext, deliver: OnData): Promise<Receiver>
  /** What the run should say about the browser: its version, its pages and the clock offsets measured. */
  facts(): BrowserFacts
  close(): Promise<void>
}

/** How long a receiver may take to start listening before the run notes it and goes on. */
const listenWaitMs = 5000

interface ReceiverPage {
  page: Page
  offset: ClockOffset
}

interface Listener {
  deliver: OnData
  onError: (err: unknown) => void
}

/**
 * Launches Chromium and a counting proxy in front of the server. Receiver n goes to page
 * ⌊n / receiversPerPage⌋, and page p to browser profile ⌊p / pagesPerBrowser⌋; pages and
 * profiles open as receivers need them. Every page loads from the proxy's origin, so each of
 * its requests is same-origin, and the page's clock offset from the generator's is measured
 * as it opens.
 */
export async function openBrowserClients(setup: BrowserSetup): Promise<BrowserClients> {
  const { transport, options } = setup
  if (transport.pageReceiver === undefined) throw new Error(`${transport.name} has no browser receiver`)
  const script = receiverScript(transport.pageReceiver)
  const browser: Browser = await launchChromium(options.path, setup.ca)
  let proxy: CountingProxy
  try {
    proxy = await startCountingProxy(setup.origin, setup.wire)
  } catch (err) {
    await browser.close()
    throw err
  }
  const profiles: Promise<BrowserContext>[] = []
  const pages: Promise<ReceiverPage>[] = []
  const offsets: ClockOffset[] = []
  const protocols = new Set<string>()
  const listeners = new Map<number, Listener>()
  let next = 0

  const profileAt = (index: number): Promise<BrowserContext> =>
    (profiles[index] ??= browser.newContext(setup.ca === undefined ? { ignoreHTTPSErrors: true } : {}).then((context) => {
      // Each request the browser sends, counted as the Node clients count theirs; the proxy counts the bytes.
      context.on('request', () => void setup.wire.requests++)
      return context
    }))

  const pageAt = (index: number): Promise<ReceiverPage> =>
    (pages[index] ??= (async () => {
      const context = await profileAt(Math.floor(index / options.pagesPerBrowser))
      const page = await context.newPage()
      page.on('websocket', () => void setup.wire.requests++)
      let offset: ClockOffset = { offsetMs: 0, uncertaintyMs: 0 }
      await page.exposeFunction('__tbReceipts', (receipts: Receipt[]) => {
        for (const [id, data, pageMs] of receipts) listeners.get(id)?.deliver(data, pageMs - offset.offsetMs)
      })
      await page.exposeFunction('__tbError', (id: number, message: string) => listeners.get(id)?.onError(new Error(message)))
      // Any document of the server's origin will do (this path answers 404): its script is
      // then added as a script tag. Nothing is intercepted, which would change how the page's
      // WebSockets connect.
      await page.goto(`${proxy.origin}/transport-bench/receivers`)
      await page.addScriptTag({ content: script })
      // What the browser negotiated with the server (through the proxy, which passes TLS and ALPN through): h2 or http/1.1.
      protocols.add(
        await page.evaluate(
          () => (globalThis as unknown as ProtocolWindow).performance.getEntriesByType('navigation')[0]?.nextHopProtocol ?? '?',
        ),
      )
      offset = await measureClockOffset(setup.clock, () => page.evaluate(() => (globalThis as unknown as HarnessWindow).__tb!.now()))
      offsets.push(offset)
      return { page, offset }
    })())

  return {
    async receiver(ctx, deliver) {
      const id = next++
      const { page } = await pageAt(Math.floor(id / options.receiversPerPage))
      listeners.set(id, { deliver, onError: ctx.onError })
      const pageCtx = { origin: proxy.origin, user: ctx.user, settings: { ...ctx.settings }, phase: ctx.phase ?? Math.random() }
      await page.evaluate(([id, pageCtx, waitMs]) => (globalThis as unknown as HarnessWindow).__tb!.open(id, pageCtx, waitMs), [
        id,
        pageCtx,
        listenWaitMs,
      ] as const)
      return {
        close: async () => {
          listeners.delete(id)
          await page.evaluate((id) => (globalThis as unknown as HarnessWindow).__tb!.close(id), id).catch(() => undefined)
        },
      }
    },
    facts() {
      return {
        ...factsOf(browser.version(), options, profiles.length, offsets, setup.clockEpochMs ?? 0),
        protocol: [...protocols].join(', '),
      }
    },
    async close() {
      await browser.close().catch(() => undefined)
      await proxy.close()
    },
  }
}

/** The page's navigation timing, as far as it names the protocol its document came over. */
interface ProtocolWindow {
  performance: { getEntriesByType(type: 'navigation'): { nextHopProtocol?: string }[] }
}

/** The browser's part of a row: which browser, how the receivers were spread, and the clock offsets the pages measured. */
function factsOf(
  version: string,
  options: BrowserOptions,
  profiles: number,
  offsets: readonly ClockOffset[],
  epochMs: number,
): BrowserFacts {
  const sorted = offsets.map((o) => o.offsetMs - epochMs).sort((a, b) => a - b)
  return {
    browser: version,
    profiles,
    pages: offsets.length,
    pagesPerBrowser: options.pagesPerBrowser,
    receiversPerPage: options.receiversPerPage,
    clockOffsetMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    clockOffsetSpreadMs: sorted.length > 0 ? sorted[sorted.length - 1]! - sorted[0]! : 0,
    clockUncertaintyMs: Math.max(0, ...offsets.map((o) => o.uncertaintyMs)),
  }
}
