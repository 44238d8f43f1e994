import type { RunContext } from '../context.js'
import type { TransportResult } from '../metrics/summarise.js'

/** What a run produces: the context and one result per transport, in run order. */
export interface RunReport {
  schemaVersion: 1
  context: RunContext
  results: TransportResult[]
  /** `false` when the run stopped early (an error, a lost server, a signal): `results` holds the rows that finished. */
  complete?: false
}
