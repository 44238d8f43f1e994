import { stringify } from 'yaml'
import { describeFaults } from '../faults/spec.js'
import { formatBandwidth } from '../link/bandwidth.js'
import type { LinkSpec } from '../link/types.js'
import type { Stage } from '../pacing/stages.js'
import { formatDurationMs } from '../units.js'
import type { Scenario } from './scenario.js'
import type { LinkFile, ScenarioFile, StageFile } from './schema.js'
import { settingsToFile } from './transport-settings.js'

/** The scenario as a file would say it, every value filled in: `--dry-run` prints it, and it loads back. */
export function toFile(s: Scenario): ScenarioFile {
  const a = s.arrival
  return {
    description: s.description,
    groups: s.groups,
    receivers: s.receivers,
    idle: s.idle,
    ...(a.kind === 'bursts'
      ? { arrival: a.kind, burst: { size: a.size, within: formatDurationMs(a.withinMs), every: formatDurationMs(a.everyMs) } }
      : { rate: a.ratePerSec, arrival: a.kind }),
    payload: s.payload.minBytes === s.payload.maxBytes ? s.payload.minBytes : { min: s.payload.minBytes, max: s.payload.maxBytes },
    ...(s.stages.length > 0 ? { stages: s.stages.map(toStageFile) } : { duration: formatDurationMs(s.durationMs) }),
    warmup: formatDurationMs(s.warmupMs),
    seed: s.seed,
    transports: s.transports,
    settings: settingsToFile(s.settings),
    ...(s.clients === 'browser' ? { clients: s.clients } : {}),
    ...(s.link ? { link: linkToFile(s.link.spec, s.link.name) } : {}),
    ...(s.faults ? { faults: describeFaults(s.faults) } : {}),
  }
}

/** Every value of the link spelled out, so the printed file loads back to the same link. */
function linkToFile(spec: LinkSpec, name: string | undefined): LinkFile {
  return {
    ...(name !== undefined ? { profile: name } : {}),
    'delay-up': formatDurationMs(spec.delayUpMs),
    'delay-down': formatDurationMs(spec.delayDownMs),
    jitter: formatDurationMs(spec.jitterMs),
    bandwidth: `${formatBandwidth(spec.bandwidthDownBitsPerSec)}/${formatBandwidth(spec.bandwidthUpBitsPerSec)}`,
  }
}

function toStageFile(stage: Stage): StageFile {
  return {
    duration: formatDurationMs(stage.durationMs),
    ...(stage.ratePerSec !== undefined ? { rate: stage.ratePerSec } : {}),
    ...(stage.groups !== undefined ? { groups: stage.groups } : {}),
  }
}

export function formatScenario(s: Scenario): string {
  return `# scenario ${s.name}, resolved: file values, then the flags given\n${stringify(toFile(s), { lineWidth: 0 })}`
}
