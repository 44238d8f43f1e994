import { transportNames } from '../../transports/registry.js'

/**
 * Colours and dashes, chosen once so a transport has the same colour in every chart and a file
 * the same dash. The palette is Okabe and Ito's, told apart by colour-blind readers too; a
 * transport owns the colour at its place in the registry, so a new one needs no entry here.
 */
const palette = ['#E69F00', '#009E73', '#0072B2', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442', '#999999']
const transportColours = new Map(transportNames.map((name, i) => [name, palette[i % palette.length]!]))
const spareColours = palette.slice(transportNames.length % palette.length)
const dashes: readonly number[][] = [[], [8, 4], [2, 3], [12, 3, 2, 3]]

/**
 * A colour for each distinct name, in order of first appearance: a transport keeps its own
 * (`sse`, `short-polling@250ms`, `websocket (socket)`) unless an earlier name took it.
 */
export function colourMap(names: readonly string[]): Map<string, string> {
  const map = new Map<string, string>()
  let spare = 0
  for (const name of names) {
    if (map.has(name)) continue
    const own = transportColours.get(name.split(/[@ :]/)[0]!)
    map.set(name, own !== undefined && ![...map.values()].includes(own) ? own : spareColours[spare++ % spareColours.length]!)
  }
  return map
}

/** A colour by position, for series that are not transports (the files in a timeline chart). */
export function colourAt(i: number): string {
  return palette[i % palette.length]!
}

/** The dash of the i-th file: solid for the first. */
export function dashOf(i: number): number[] {
  return dashes[i % dashes.length]!
}

/** The colour of the SLO line and other guides. */
export const guideColour = '#666666'
