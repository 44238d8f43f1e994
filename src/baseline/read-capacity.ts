import type { CapacityReport } from '../capacity/search.js'
import { UserError } from '../errors.js'
import { supportedSchemaVersion } from './read.js'

/** Whether parsed JSON says it is a capacity report (`transport-bench capacity`), before checking it is one. */
export function isCapacityJson(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'capacity'
}

/** A capacity report read back: the shape the report needs, checked, or one UserError naming the file. */
export function checkCapacityReport(data: unknown, path: string): CapacityReport {
  const d = data as Partial<CapacityReport>
  if (d.schemaVersion !== supportedSchemaVersion) {
    throw new UserError(
      `${path}: capacity schemaVersion ${String(d.schemaVersion)} is not one this version reads (${supportedSchemaVersion}); rerun the capacity search`,
    )
  }
  const wellFormed =
    typeof d.context?.settings === 'object' &&
    typeof d.capacity?.sloMs === 'number' &&
    Array.isArray(d.summaries) &&
    Array.isArray(d.steps) &&
    d.steps.every(
      (s) => typeof s?.transport === 'string' && typeof s.step?.ratePerSec === 'number' && typeof s.result?.latency === 'object',
    )
  if (!wellFormed)
    throw new UserError(`${path}: a capacity report whose context, summaries or steps are missing or malformed; rerun the capacity search`)
  return d as CapacityReport
}
