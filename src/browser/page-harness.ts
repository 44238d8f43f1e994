import type { PageReceiver, PageReceiverContext, PageWindow } from '../transports/page.js'

/** One receipt as the page reports it: receiver number, the message's data, the page's clock in ms. */
export type Receipt = [receiver: number, data: string, pageMs: number]

/** What the harness adds to the page's window, and the two functions the runner exposes to it. */
export interface HarnessWindow extends PageWindow {
  performance: { now(): number; timeOrigin: number }
  __tbReceipts(receipts: Receipt[]): Promise<void>
  __tbError(receiver: number, message: string): Promise<void>
  __tb?: Harness
}

export interface Harness {
  /** The page's clock: its time origin plus its monotonic time, in ms. */
  now(): number
  /** Opens receiver `id`; resolves once it listens, or after `waitMs` with an error reported (it may still open later). */
  open(id: number, ctx: PageReceiverContext, waitMs: number): Promise<void>
  close(id: number): void
}

/**
 * The page's own script. It runs in the browser, never in Node: the page embeds its source and
 * calls it with the window and the transport's page receiver, so it may use nothing but its
 * parameters. Each receipt is stamped on the page's clock the moment it is handed over, and
 * receipts go back to the runner in small batches (the stamp, not the batch, is the receipt time).
 */
export function pageHarness(win: HarnessWindow, start: PageReceiver): void {
  const receivers = new Map<number, { close(): void }>()
  const closed = new Set<number>()
  let batch: Receipt[] = []
  let flushing = false
  const now = (): number => win.performance.timeOrigin + win.performance.now()
  const flush = (): void => {
    flushing = false
    const out = batch
    batch = []
    void win.__tbReceipts(out)
  }
  win.__tb = {
    now,
    open: async (id, ctx, waitMs) => {
      const onData = (data: string): void => {
        batch.push([id, data, now()])
        if (!flushing) {
          flushing = true
          win.setTimeout(flush, 2)
        }
      }
      const onError = (message: string): void => void win.__tbError(id, message)
      const opening = start(win, ctx, onData, onError).then((receiver) => {
        if (closed.has(id)) receiver.close()
        else receivers.set(id, receiver)
        return 'open'
      })
      const late = new Promise<string>((resolve) => win.setTimeout(() => resolve('late'), waitMs))
      if ((await Promise.race([opening, late])) === 'late') {
        onError(`receiver ${ctx.user} was not listening after ${waitMs} ms: the browser holds its request (six connections per origin?)`)
        opening.catch((err: unknown) => onError(String(err)))
      }
    },
    close: (id) => {
      closed.add(id)
      receivers.get(id)?.close()
      receivers.delete(id)
    },
  }
}

/** The script a receivers' page runs: the harness, given the transport's page receiver. */
export function receiverScript(receiver: PageReceiver): string {
  return `(${pageHarness.toString()})(window, (${receiver.toString()}))`
}
