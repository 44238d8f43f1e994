import type { LoadResult } from '../metrics/load-result.js'
import { stageTargetsOf } from '../pacing/ramps.js'
import type { Instruments } from './instruments.js'
import { sizeOf, type LoadPart } from './partition.js'
import type { Workload } from './plan.js'
import type { Measured } from './window.js'

/** The run as recorded, raw: summarise.ts derives every figure of the row from it. */
export function score(
  workload: Workload,
  part: LoadPart,
  instruments: Instruments,
  measured: Measured,
  rssBeforeBytes: number,
): LoadResult {
  const { recorder, wires, errors } = instruments
  return {
    recorded: recorder.recorded,
    ...measured,
    connectionsTotal: wires.send.connections + wires.receive.connections,
    sendErrors: errors.send,
    receiveErrors: errors.receive,
    receiversConnected: sizeOf(part.groups) * (workload.receivers ?? 1) + sizeOf(part.idle),
    generatorRssBeforeBytes: rssBeforeBytes,
    ...(workload.stages?.length ? { stageTargets: stageTargetsOf(workload) } : {}),
  }
}
