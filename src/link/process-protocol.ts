/**
 * What a parent and its link process say to each other over IPC (JSON). Every request carries
 * an id its answer repeats; histograms travel HdrHistogram-encoded.
 */
import { decodeHistogram, encodeHistogram } from '../metrics/histogram.js'
import type { DirectionMeasurements, LinkAddress, LinkMeasurements, LinkSpec } from './types.js'

export type ToLink =
  | { type: 'start'; id: number; spec: LinkSpec; seed: number }
  | { type: 'open'; id: number; target: LinkAddress }
  | { type: 'take'; id: number }
  | { type: 'close'; id: number }

export type FromLink =
  | { type: 'started'; id: number }
  | { type: 'opened'; id: number; address: LinkAddress }
  | { type: 'measurements'; id: number; measurements: EncodedMeasurements }
  | { type: 'closed'; id: number }
  | { type: 'failed'; id: number; message: string }

interface EncodedDirection {
  addedUs: string
  lateUs: string
  bytes: number
}

export interface EncodedMeasurements extends Omit<LinkMeasurements, 'up' | 'down'> {
  up: EncodedDirection
  down: EncodedDirection
}

export function encodeMeasurements({ up, down, ...counts }: LinkMeasurements): EncodedMeasurements {
  return { ...counts, up: encodeDirection(up), down: encodeDirection(down) }
}

export function decodeMeasurements({ up, down, ...counts }: EncodedMeasurements): LinkMeasurements {
  return { ...counts, up: decodeDirection(up), down: decodeDirection(down) }
}

function encodeDirection(d: DirectionMeasurements): EncodedDirection {
  return { addedUs: encodeHistogram(d.addedUs), lateUs: encodeHistogram(d.lateUs), bytes: d.bytes }
}

function decodeDirection(d: EncodedDirection): DirectionMeasurements {
  return { addedUs: decodeHistogram(d.addedUs), lateUs: decodeHistogram(d.lateUs), bytes: d.bytes }
}
