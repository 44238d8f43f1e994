import type { Progress } from '../load/progress.js'
import { formatMs } from '../units.js'

/** Draws one live status line on stderr; a no-op when stderr is not a terminal or --quiet is set. */
export class ProgressLine {
  readonly enabled: boolean
  private drawn = false

  constructor(
    quiet: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = !quiet && stream.isTTY === true
  }

  readonly update = (p: Progress): void => {
    if (!this.enabled) return
    const elapsed = (Math.min(p.elapsedMs, p.totalMs) / 1000).toFixed(1)
    const total = (p.totalMs / 1000).toFixed(1)
    const p50 = Number.isNaN(p.p50Ms) ? 'warming up' : `p50 ${formatMs(p.p50Ms)} ms`
    this.stream.write(`\r\x1b[K${p.transport}  ${elapsed}s / ${total}s  ${p.delivered} messages  ${p50}`)
    this.drawn = true
  }

  clear(): void {
    if (!this.drawn) return
    this.stream.write('\r\x1b[K')
    this.drawn = false
  }
}
