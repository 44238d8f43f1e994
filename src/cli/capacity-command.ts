import { capacityContext, measureWithRun } from '../capacity/measure.js'
import { searchCapacity, type CapacityEntry, type CapacityReport, type CapacitySettings } from '../capacity/search.js'
import type { StepPlan } from '../capacity/steps.js'
import { UserError } from '../errors.js'
import type { LinkFlags } from '../link/spec.js'
import { formatCapacityCsv } from '../report/capacity-csv.js'
import { stepLine } from '../report/capacity-table.js'
import { resultBaseName } from '../report/files.js'
import { renderReport, type FormatName } from '../report/formats.js'
import { toJson } from '../report/json.js'
import { checkFeasibility } from '../scenario/feasibility.js'
import { toRunOptions } from '../scenario/options.js'
import { defaultScenario, type Scenario } from '../scenario/scenario.js'
import { settingsFromFlags } from '../scenario/transport-settings.js'
import { findTransport } from '../transports/registry.js'
import { flagOf, pollGapMs, pollingOf, sendModeOf } from '../transports/setting-values.js'
import type { TransportSettings } from '../transports/types.js'
import { formatDurationMs } from '../units.js'
import type { TransportEntry } from './args.js'
import { linkFromFlags } from './link-options.js'
import { MeasuringOutput, type ResultWriter } from './measuring-output.js'
import { resolveServer, type ServerFlags } from './server-options.js'

/** `capacity`'s flags after commander has parsed and checked each one. */
export interface CapacityFlags extends ServerFlags, LinkFlags {
  transports: TransportEntry[]
  pairs: number
  payload: number
  /** What each transport's setting flags say, by transport name and setting key. */
  settings: TransportSettings
  startRate: number
  factor: number
  maxRate: number
  maxSteps: number
  refine: number
  retries: number
  stepDuration: number
  stepWarmup: number
  slo: number
  out: string
  save: boolean
  format: FormatName<'capacity'>
  quiet?: boolean
}

export async function capacityCommand(flags: CapacityFlags): Promise<void> {
  const plan = stepPlanOf(flags)
  const output = new MeasuringOutput<CapacityReport>(flags, capacityFiles)
  const scenario = capacityScenario(flags)
  // Only the open-files check matters here: going beyond one generator's comfort is the point.
  checkFeasibility(scenario)
  const link = linkFromFlags(flags)
  const options = { ...toRunOptions(scenario), ...(await resolveServer(flags)), ...(link ? { link } : {}) }
  const entries = entriesOf(flags)
  for (const warning of sloWarnings(entries, flags)) output.notice(`warning: ${warning}`)
  const settings: CapacitySettings = { plan, sloMs: flags.slo, pairs: flags.pairs }
  const report = await searchCapacity(
    entries,
    settings,
    capacityContext(options, plan.startRatePerSec, new Date()),
    measureWithRun(options, output.progress.enabled ? { onProgress: output.progress.update } : {}),
    {
      onStepDone: (record, partial) => {
        output.notice(stepLine(record, flags.slo))
        output.keep(partial)
      },
      // Again once the transport's summary is in, so the JSON holds it.
      onTransportDone: (_summary, partial) => output.keep(partial),
    },
  )
  await output.finish(() => process.stdout.write(renderReport('capacity', flags.format, report)))
}

/** A capacity search's files: `<start>-capacity.csv` (one row per step) and `.json`. */
const capacityFiles: ResultWriter<CapacityReport> = {
  baseName: (report) => resultBaseName(report.context.startedAt, 'capacity'),
  render: (report) => ({ csv: formatCapacityCsv(report), json: toJson(report) }),
}

function stepPlanOf(flags: CapacityFlags): StepPlan {
  if (flags.maxRate < flags.startRate) {
    throw new UserError(`--max-rate ${flags.maxRate}: below --start-rate ${flags.startRate}; raise --max-rate or lower --start-rate`)
  }
  return {
    startRatePerSec: flags.startRate,
    factor: flags.factor,
    maxRatePerSec: flags.maxRate,
    maxSteps: flags.maxSteps,
    refine: flags.refine,
    retries: flags.retries,
  }
}

/** The workload of every step but its rate: pairs at a constant rate, as a plain `run`. */
function capacityScenario(flags: CapacityFlags): Scenario {
  const perPair = flags.startRate / flags.pairs
  return {
    ...defaultScenario(),
    name: 'capacity',
    description: 'pairs at a rising constant rate',
    groups: flags.pairs,
    arrival: { kind: 'constant', ratePerSec: perPair },
    payload: { minBytes: flags.payload, maxBytes: flags.payload },
    durationMs: flags.stepDuration,
    warmupMs: flags.stepWarmup,
    transports: [...new Set(flags.transports.map((e) => e.name))],
    settings: settingsFromFlags(flags.settings),
  }
}

/** A list entry's own send mode, else what the transport's setting flag says (--ws-send); POST for a transport without its own channel. */
function entriesOf(flags: CapacityFlags): CapacityEntry[] {
  return flags.transports.map((e) => {
    const transport = findTransport(e.name)!
    return { transport, sendMode: e.sendMode ?? sendModeOf(transport, flags.settings) }
  })
}

/** A polling transport waits up to its poll gap for each message: with an SLO at or below that, no rate passes. */
export function sloWarnings(entries: readonly CapacityEntry[], flags: Pick<CapacityFlags, 'settings' | 'slo'>): string[] {
  const transports = [...new Set(entries.map((e) => e.transport))]
  return transports.flatMap((transport) => {
    const polling = pollingOf(transport, flags.settings)
    const gapMs = pollGapMs(transport, flags.settings)
    if (polling === undefined || gapMs < flags.slo) return []
    return [
      `${transport.name}: its p99 is near the ${polling.setting.label} (${formatDurationMs(gapMs)}), at or above --slo ${formatDurationMs(flags.slo)}, ` +
        `so every step will fail on latency; raise --slo or lower ${flagOf(polling.setting)}`,
    ]
  })
}
