import type { Scheduler } from '../client/scheduler.js'
import { Wire } from '../client/wire.js'
import type { Clock } from '../clock.js'
import { ErrorTally } from '../metrics/errors-tally.js'
import { Recorder } from '../metrics/recorder.js'

/**
 * What one generator process drives and measures a load with, shared by every stage of
 * runLoad: the scheduler and the clock it runs on (every time is stamped on that one), the
 * recorder of sends and receipts, and where the senders' and receivers' traffic and failures
 * are counted.
 */
export interface Instruments {
  clock: Clock
  scheduler: Scheduler
  recorder: Recorder
  wires: { send: Wire; receive: Wire }
  errors: { send: ErrorTally; receive: ErrorTally }
}

/** Fresh instruments on `scheduler`'s clock, for `receivers` scored receivers (idle ones are not). */
export function instrumentsFor(scheduler: Scheduler, receivers: number): Instruments {
  return {
    clock: scheduler.clock,
    scheduler,
    recorder: new Recorder(receivers),
    wires: { send: new Wire(), receive: new Wire() },
    errors: { send: new ErrorTally(), receive: new ErrorTally() },
  }
}
