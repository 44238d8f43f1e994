import { generatorCapacity } from '../config.js'
import { UserError } from '../errors.js'
import { openFilesLimit } from '../open-files.js'
import { meanRatePerSec } from '../pacing/arrivals.js'
import { peakOf, peakProductOf, profileOf } from '../pacing/stages.js'
import { flagOf, pollingOf, transportsNamed } from '../transports/setting-values.js'
import type { Scenario } from './scenario.js'

// Where it was first declared; the embedded server is sized by it too (host/sizing.ts).
export { openFilesLimit }

/** Groups connected through a run: with stages, every group ever active. */
export function peakGroups(s: Scenario): number {
  return Math.round(peakOf(profileOf(s.groups, s.stages, 'groups')))
}

/** Sends per second of all senders together at the ramps' peak (the mean rate for bursts). */
function peakSendsPerSec(s: Scenario): number {
  const groups = profileOf(s.groups, s.stages, 'groups')
  if (s.arrival.kind === 'bursts') return peakOf(groups) * meanRatePerSec(s.arrival)
  return peakProductOf(groups, profileOf(s.arrival.ratePerSec, s.stages, 'ratePerSec'))
}

/** Sockets one transport's run holds open at once: a sender and each receiver, one connection each. */
export function connectionsNeeded(s: Scenario): number {
  const groups = peakGroups(s)
  return groups + groups * s.receivers + s.idle
}

/**
 * Stops a scenario that cannot run here (more sockets than the open-files limit: the server
 * process has the same limit) and returns warnings for one that would run but strain the
 * generator, each with the fix.
 */
export function checkFeasibility(s: Scenario, limit = openFilesLimit()): string[] {
  const sockets = connectionsNeeded(s)
  const files = sockets + generatorCapacity.spareFiles
  if (limit !== undefined && files > limit) {
    throw new UserError(
      `scenario ${s.name}: needs about ${files.toLocaleString('en-US')} open files (${peakGroups(s)} senders, ${peakGroups(s) * s.receivers + s.idle} receivers) ` +
        `but this process may open ${limit.toLocaleString('en-US')}, which fits ${fitsGroups(s, limit).toLocaleString('en-US')} ${s.receivers === 1 ? 'pairs' : 'groups'}; raise the limit (ulimit -n ${Math.ceil(files / 1000) * 1000}) or lower --pairs, --receivers or --idle`,
    )
  }
  const warnings: string[] = []
  const sends = peakSendsPerSec(s)
  const deliveries = sends * s.receivers
  if (sends > generatorCapacity.sendsPerSec) {
    warnings.push(
      `scenario ${s.name}: ${Math.round(sends)} sends/s is more than one generator keeps up with (about ${generatorCapacity.sendsPerSec}/s); expect generator-limited rows, or lower --pairs or --rate`,
    )
  }
  if (deliveries > generatorCapacity.deliveriesPerSec) {
    warnings.push(
      `scenario ${s.name}: ${Math.round(deliveries)} deliveries/s is more than one generator can score (about ${generatorCapacity.deliveriesPerSec}/s); lower --receivers, --pairs or --rate`,
    )
  }
  return [...warnings, ...pollWarnings(s)]
}

/** Groups (pairs) of this scenario's shape that fit under an open-files limit, its idle receivers and the spare files counted. */
function fitsGroups(s: Scenario, limit: number): number {
  return Math.max(0, Math.floor((limit - generatorCapacity.spareFiles - s.idle) / (1 + s.receivers)))
}

/** A polling transport asks once per poll gap per receiver, whatever arrives: beyond one generator, say which flag to raise. */
function pollWarnings(s: Scenario): string[] {
  return transportsNamed(s.transports).flatMap((transport) => {
    const polling = pollingOf(transport, s.settings)
    if (polling === undefined) return []
    const polls = ((peakGroups(s) * s.receivers + s.idle) * 1000) / Math.min(...polling.everyMs)
    if (polls <= generatorCapacity.pollsPerSec) return []
    return [
      `scenario ${s.name}: ${transport.title} would make ${Math.round(polls)} polls/s (about ${generatorCapacity.pollsPerSec}/s is the most one generator sustains); raise ${flagOf(polling.setting)} or lower the receivers`,
    ]
  })
}
