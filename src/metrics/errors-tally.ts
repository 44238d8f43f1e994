import { messageOf } from '../errors.js'

/** Failures seen by one side of the generator: counted, and the first one kept for the report. */
export class ErrorTally {
  count = 0
  first: string | undefined

  readonly add = (err: unknown): void => {
    this.count++
    this.first ??= messageOf(err)
  }
}
