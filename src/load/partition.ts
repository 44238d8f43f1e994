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
  return splitPart(wholeLoad(groups, idle), parts)
}

/** Splits a share again (a shard's over its workers) the same way: contiguous, sizes within one. */
export function splitPart(part: LoadPart, parts: number): LoadPart[] {
  return Array.from({ length: parts }, (_, w) => ({ groups: share(part.groups, parts, w), idle: share(part.idle, parts, w) }))
}

/** One of `count` machines running one run together (`run --shard index/count`), numbered from 0. */
export interface Shard {
  index: number
  count: number
}

/** A shard's share of the run: the same partition as --workers, so a group's sender and receivers stay in one shard. */
export function shardOf(groups: number, idle: number, shard: Shard): LoadPart {
  return splitLoad(groups, idle, shard.count)[shard.index]!
}

function share(range: Range, parts: number, w: number): Range {
  const total = sizeOf(range)
  return { from: range.from + Math.floor((total * w) / parts), to: range.from + Math.floor((total * (w + 1)) / parts) }
}

export function sizeOf(range: Range): number {
  return range.to - range.from
}
