/**
 * Two scenarios at full size, measured on this machine, not asserted:
 *   1. ticker: 1 sender → 1,000 receivers in a room at 20 messages/s, on SSE and WebSocket:
 *      does every receiver get every message, and what is the p99 latency of each;
 *   2. notifications: 5,000 mostly idle receivers on every transport: requests per minute and
 *      server memory per 1,000 connected receivers (the cost of being connected).
 * Server and generator are pinned to separate cores when possible.
 * Usage: npm run bench:scenarios [-- --only ticker|notifications]
 */
import { cpus } from 'node:os'
import type { TransportResult } from '../src/metrics/summarise.js'
import { choosePlacement, type Placement } from '../src/pinning.js'
import { formatTable } from '../src/report/table.js'
import { runBenchmark } from '../src/run.js'
import { checkFeasibility, connectionsNeeded, openFilesLimit } from '../src/scenario/feasibility.js'
import { loadScenario } from '../src/scenario/load.js'
import { toRunOptions } from '../src/scenario/options.js'
import type { Scenario } from '../src/scenario/scenario.js'
import { formatMs } from '../src/units.js'

const onlyArg = process.argv.indexOf('--only')
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined

/** Server and generator on separate cores when the machine allows (as `run --pin`), so they do not compete. */
function placement(): Placement | undefined {
  try {
    return cpus().length >= 2 ? choosePlacement() : undefined
  } catch {
    return undefined
  }
}
const where = placement()

async function measure(scenario: Scenario): Promise<TransportResult[]> {
  const limit = openFilesLimit()
  process.stdout.write(`\n== ${scenario.name}: ${scenario.description}\n`)
  process.stdout.write(`   ${connectionsNeeded(scenario)} sockets per transport; open-files limit ${limit ?? 'unknown'}\n`)
  for (const warning of checkFeasibility(scenario, limit)) process.stdout.write(`   warning: ${warning}\n`)
  const report = await runBenchmark(
    { ...toRunOptions(scenario), ...(where ? { placement: where } : {}) },
    {
      onTransportDone: (r) => process.stderr.write(`${scenario.name} ${r.transport}: ${r.delivered}/${r.sent} delivered\n`),
    },
  )
  process.stdout.write(formatTable(report))
  return report.results
}

function tickerLine(r: TransportResult, receivers: number): string {
  const complete =
    r.sent > 0 && r.delivered === r.sent && r.lost === 0 && r.duplicated === 0 && r.reordered === 0 && r.receivers === receivers
  return (
    `ticker ${r.transport}: ${r.receivers} receivers, ${r.sent / receivers} messages each, ${r.delivered}/${r.sent} deliveries, ` +
    `lost ${r.lost}, dup ${r.duplicated}, reord ${r.reordered}: ${complete ? 'every receiver got every message' : 'INCOMPLETE'}; ` +
    `p99 ${formatMs(r.latency.p99Ms)} ms`
  )
}

function idleLine(r: TransportResult): string {
  const perUser = r.recvRequestsPerMin / r.receivers
  const mb = r.serverRssMbPer1kReceivers
  return (
    `notifications ${r.transport}: ${Math.round(r.recvRequestsPerMin)} receive requests/min (${perUser.toFixed(1)} per receiver), ` +
    `${mb === null ? 'n/a' : mb.toFixed(1)} MB server memory per 1,000 receivers, ${r.delivered}/${r.sent} delivered`
  )
}

if (only === undefined || only === 'ticker') {
  const ticker = { ...loadScenario('ticker'), transports: ['sse', 'websocket'] }
  const results = await measure(ticker)
  for (const r of results) process.stdout.write(`${tickerLine(r, ticker.groups * ticker.receivers)}\n`)
}
if (only === undefined || only === 'notifications') {
  const results = await measure(loadScenario('notifications'))
  for (const r of results) process.stdout.write(`${idleLine(r)}\n`)
}
