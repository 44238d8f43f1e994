/** Numbers `from` (included) to `to` (excluded). */
export interface Range {
  from: number
  to: number
}

/**
 * One worker's share of a run: its groups and idle receivers, by run-wide number. A group's
 * sender and receivers stay together, so one clock stamps each send and its receipt.
 */
export interface LoadPart {
  groups: Range
  idle: Range
}

/** The whole run as one part: what a single process drives. */
export function wholeLoad(groups: number, idle: number): LoadPart {
  return { groups: { from: 0, to: groups }, idle: { from: 0, to: idle } }
}

/** Splits groups and idle receivers into `parts` contiguous shares whose sizes differ by at most one. */
export function splitLoad(groups: number, idle: number, parts: number): LoadPart[] {
  return Array.from({ length: parts }, (_, w) => ({ groups: share(groups, parts, w), idle: share(idle, parts, w) }))
}

function share(total: number, parts: number, w: number): Range {
  return { from: Math.floor((total * w) / parts), to: Math.floor((total * (w + 1)) / parts) }
}

export function sizeOf(range: Range): number {
  return range.to - range.from
}
