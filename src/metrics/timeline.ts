import { timelineTuning } from '../config.js'
import { decodeHistogram, encodeHistogram, newHistogram, recordUs, type Histogram } from './histogram.js'

/**
 * Latencies by slot of *scheduled* send time over the measured window, as recorded: slot i
 * covers [i·slotMs, (i+1)·slotMs) from the window's start. A slot's histogram is made when its
 * first delivery lands, so a slot nothing reached costs nothing.
 */
export interface TimelineRecorded {
  slotMs: number
  slots: (Histogram | undefined)[]
}

/** One slot of the timeline as reports see it (JSON only; the CSV has no room for a series). */
export interface TimelineSlot {
  /** The slot's start in ms from the start of the measured window. */
  startMs: number
  /** Messages scheduled in the slot and delivered. */
  count: number
  /** NaN (null in JSON) when nothing scheduled in the slot was delivered. */
  p50Ms: number
  p99Ms: number
  maxMs: number
}

/** Slots of whole seconds, one second wide unless the window needs more than `maxSlots` of them. */
export function timelineSlotMs(windowMs: number): number {
  const { slotMs, maxSlots } = timelineTuning
  return slotMs * Math.max(1, Math.ceil(windowMs / (slotMs * maxSlots)))
}

export function newTimeline(windowMs: number): TimelineRecorded {
  const slotMs = timelineSlotMs(windowMs)
  const count = Math.max(1, Math.ceil(windowMs / slotMs))
  return { slotMs, slots: Array.from({ length: count }, () => undefined) }
}

/** Called once per delivery in the window: a division, an index and one histogram record. */
export function recordInTimeline(timeline: TimelineRecorded, offsetMs: number, latencyUs: number): void {
  const slots = timeline.slots
  // A message scheduled at the very end of the window can round into one slot past the last.
  const i = Math.min(Math.floor(offsetMs / timeline.slotMs), slots.length - 1)
  if (i < 0) return
  recordUs((slots[i] ??= newHistogram(timelineTuning.significantDigits)), latencyUs)
}

/** Pure: slot by slot, count, p50, p99 and max, each percentile clamped to the slot's exact max. */
export function summariseTimeline(timeline: TimelineRecorded): TimelineSlot[] {
  return timeline.slots.map((h, i) => {
    const count = h?.totalCount ?? 0
    const maxMs = h !== undefined && count > 0 ? h.maxValue / 1000 : Number.NaN
    // A percentile is its bucket's highest equivalent value, up to 1% above the max at 2 digits.
    const at = (p: number): number => (h !== undefined && count > 0 ? Math.min(h.getValueAtPercentile(p) / 1000, maxMs) : Number.NaN)
    return { startMs: i * timeline.slotMs, count, p50Ms: at(50), p99Ms: at(99), maxMs }
  })
}

/** Timelines of one window recorded in several processes (--workers), slot by slot added up. */
export function addTimelines(parts: readonly TimelineRecorded[]): TimelineRecorded {
  const first = parts[0]
  if (first === undefined) throw new Error('addTimelines needs at least one part')
  const slots = first.slots.map((_, i) => {
    const present = parts.map((p) => p.slots[i]).filter((h): h is Histogram => h !== undefined)
    if (present.length === 0) return undefined
    const sum = newHistogram(timelineTuning.significantDigits)
    for (const h of present) sum.add(h)
    return sum
  })
  return { slotMs: first.slotMs, slots }
}

/** A recorded timeline as JSON text (IPC between workers): each slot HdrHistogram-encoded, null when empty. */
export interface EncodedTimeline {
  slotMs: number
  slots: (string | null)[]
}

export function encodeTimeline(timeline: TimelineRecorded): EncodedTimeline {
  return { slotMs: timeline.slotMs, slots: timeline.slots.map((h) => (h === undefined ? null : encodeHistogram(h))) }
}

export function decodeTimeline(encoded: EncodedTimeline): TimelineRecorded {
  return { slotMs: encoded.slotMs, slots: encoded.slots.map((text) => (text === null ? undefined : decodeHistogram(text))) }
}
