import { newHistogram, recordUs } from '../metrics/histogram.js'
import type { DirectionMeasurements } from './types.js'

/** What one direction of a link records as it forwards: every piece's added delay and lateness. */
export class DirectionMeter {
  private current: DirectionMeasurements = fresh()

  /** A piece of `bytes` read at `readMs`, due at `dueMs`, written at `writtenMs` (all on one clock). */
  record(readMs: number, dueMs: number, writtenMs: number, bytes: number): void {
    recordUs(this.current.addedUs, (writtenMs - readMs) * 1000)
    recordUs(this.current.lateUs, (writtenMs - dueMs) * 1000)
    this.current.bytes += bytes
  }

  /** What was recorded so far; recording starts afresh. */
  take(): DirectionMeasurements {
    const taken = this.current
    this.current = fresh()
    return taken
  }
}

function fresh(): DirectionMeasurements {
  return { addedUs: newHistogram(), lateUs: newHistogram(), bytes: 0 }
}

/** Events of a whole link, all connections together. */
export interface LinkCounters {
  connections: number
  connectFailures: number
  resets: number
  pauses: number
}

export function zeroCounters(): LinkCounters {
  return { connections: 0, connectFailures: 0, resets: 0, pauses: 0 }
}
