/** One-way delays of an emulated link between the generator and the server, for the theory beside a row. */
export interface PathDelays {
  upMs: number
  downMs: number
  /** Messages a second to each receiver, when they come at a fixed rate: a theory that depends on the rate uses it. */
  ratePerSec?: number
}

/** `50 ms (25 up + 25 down)`, `50 ms` when both ways are equal and the split says nothing more. */
export function oneWayBoth(path: PathDelays): string {
  return `${ms(path.upMs + path.downMs)} ms (${ms(path.upMs)} up + ${ms(path.downMs)} down)`
}

/** A figure in ms as theory quotes it: up to 3 decimals, no trailing zeros. */
export function ms(value: number): string {
  return String(Number(value.toFixed(3)))
}
