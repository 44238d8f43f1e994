import type { Wire } from './wire.js'

/** What a retry is counted on and what its failures are reported to. */
export interface RetryReporting {
  wire: Wire
  onError: (err: unknown) => void
}

/** A receiver's way back after its connection failed: one attempt at a time, each after a delay. */
export interface Reconnector {
  /** Schedules an attempt after the delay; nothing if one is already scheduled or the receiver is closed. */
  later(): void
  /** Stops what is scheduled; nothing is tried afterwards. */
  close(): void
}

/**
 * Tries `attempt` after `delayMs()` (read at each try: a stream may change it, as SSE's `retry:`
 * does), counting each try as a reconnect and trying again after a failure. Bounded by close():
 * one attempt per delay until the receiver is closed.
 */
export function reconnector(delayMs: () => number, attempt: () => Promise<void>, { wire, onError }: RetryReporting): Reconnector {
  let closed = false
  let pending: NodeJS.Timeout | undefined
  const later = (): void => {
    if (closed || pending !== undefined) return
    pending = setTimeout(() => {
      pending = undefined
      if (closed) return
      wire.reconnects++
      attempt().catch((err: unknown) => {
        if (closed) return
        onError(err)
        later()
      })
    }, delayMs())
  }
  return {
    later,
    close() {
      closed = true
      clearTimeout(pending)
    },
  }
}
