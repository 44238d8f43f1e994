import type { RunContext } from '../context.js'
import type { TransportResult } from '../metrics/summarise.js'
import type { SendMode, Transport } from '../transports/types.js'
import { bracket, ceilingReason, maxStepsOf, nextStep, type CeilingReason, type Step, type StepOutcome, type StepPlan } from './steps.js'
import { judgeStep, verdictLimits, type FailReason, type Verdict, type VerdictLimits } from './verdict.js'

/** One transport to push: WebSocket with POST senders and with socket senders are two. */
export interface CapacityEntry {
  transport: Transport
  sendMode: SendMode
}

/** A step as measured and judged. */
export interface StepRecord {
  transport: string
  sendMode: SendMode
  step: Step
  /** 1 for the first measurement of the step, 2 for its first retry, and so on. */
  attempt: number
  verdict: Verdict
  result: TransportResult
}

export type StopReason = FailReason | CeilingReason

/** A transport's answer: the highest rate it sustained, and what stopped the climb. */
export interface CapacitySummary {
  transport: string
  sendMode: SendMode
  /** Highest total messages/s that passed; null when even the first step failed. */
  sustainableRatePerSec: number | null
  /** The step that rate was measured at. */
  sustained: StepRecord | null
  stop: StopReason
  /** The lowest failing step (the knee's upper side); null when the ceiling ended the climb. */
  stoppedBy: StepRecord | null
}

export interface CapacitySettings {
  plan: StepPlan
  sloMs: number
  pairs: number
}

/** What `capacity` produces: the context, its settings, one summary per transport and every step. */
export interface CapacityReport {
  schemaVersion: 1
  kind: 'capacity'
  context: RunContext
  capacity: CapacitySettings
  summaries: CapacitySummary[]
  steps: StepRecord[]
}

/** Measures one transport at one total rate: a real run in the CLI, canned figures in a test. */
export type MeasureStep = (entry: CapacityEntry, ratePerSec: number) => Promise<TransportResult>

export interface CapacityEvents {
  onStepStart?: (entry: CapacityEntry, step: Step) => void
  /** After each step, with the report so far, so a late failure keeps what was measured. */
  onStepDone?: (record: StepRecord, report: CapacityReport) => void
  onTransportDone?: (summary: CapacitySummary, report: CapacityReport) => void
}

/** For each entry in turn, climbs its rate step by step until a step fails or the ceiling is reached. */
export async function searchCapacity(
  entries: readonly CapacityEntry[],
  settings: CapacitySettings,
  context: RunContext,
  measure: MeasureStep,
  events: CapacityEvents = {},
): Promise<CapacityReport> {
  const report: CapacityReport = { schemaVersion: 1, kind: 'capacity', context, capacity: settings, summaries: [], steps: [] }
  for (const entry of entries) {
    const records = await climb(
      entry,
      settings,
      measure,
      (record) => {
        report.steps.push(record)
        events.onStepDone?.(record, report)
      },
      events,
    )
    const summary = summarise(entry, settings.plan, records)
    report.summaries.push(summary)
    events.onTransportDone?.(summary, report)
  }
  return report
}

async function climb(
  entry: CapacityEntry,
  settings: CapacitySettings,
  measure: MeasureStep,
  record: (r: StepRecord) => void,
  events: CapacityEvents,
): Promise<StepRecord[]> {
  const limits = verdictLimits(settings.sloMs)
  const records: StepRecord[] = []
  for (
    let step = nextStep(settings.plan, []);
    step !== undefined && records.length < maxStepsOf(settings.plan);
    step = nextStep(settings.plan, outcomes(records))
  ) {
    events.onStepStart?.(entry, step)
    records.push(await measureStep(entry, step, settings.plan.retries, measure, limits, record))
  }
  return records
}

/** A step measured until it passes or has failed 1 + `retries` times; every attempt is recorded, the last one decides. */
async function measureStep(
  entry: CapacityEntry,
  step: Step,
  retries: number,
  measure: MeasureStep,
  limits: VerdictLimits,
  record: (r: StepRecord) => void,
): Promise<StepRecord> {
  for (let attempt = 1; ; attempt++) {
    const result = await measure(entry, step.ratePerSec)
    const done: StepRecord = {
      transport: entry.transport.name,
      sendMode: entry.sendMode,
      step,
      attempt,
      verdict: judgeStep(result, step.ratePerSec, limits),
      result,
    }
    record(done)
    if (done.verdict.pass || attempt > retries) return done
  }
}

function outcomes(records: readonly StepRecord[]): StepOutcome[] {
  return records.map((r) => ({ step: r.step, pass: r.verdict.pass }))
}

/** Pure: a transport's steps reduced to its highest sustained rate and what stopped it. */
export function summarise(entry: CapacityEntry, plan: StepPlan, records: readonly StepRecord[]): CapacitySummary {
  const { highestPass, lowestFail } = bracket(outcomes(records))
  const sustained = records.find((r) => r.verdict.pass && r.step.ratePerSec === highestPass) ?? null
  const stoppedBy = records.find((r) => !r.verdict.pass && r.step.ratePerSec === lowestFail) ?? null
  return {
    transport: entry.transport.name,
    sendMode: entry.sendMode,
    sustainableRatePerSec: highestPass ?? null,
    sustained,
    stop: stoppedBy?.verdict.reason ?? ceilingReason(plan, outcomes(records)),
    stoppedBy,
  }
}
