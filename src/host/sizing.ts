import { serverDefaults } from '../config.js'
import { UserError } from '../errors.js'
import type { ServerLimits } from '../server/limits.js'

/** Beyond one connection per user: a tenth more, plus the stats reads, the set-up probes and a browser's extra sockets. */
const connectionMargin = { tenths: 1, extra: 100 }
/** Files the server process keeps for itself besides its connections: stdio, IPC, its listening socket, libraries. */
const serverSpareFiles = 64

/**
 * The embedded server's limits for a run whose generator opens `users` connections (every
 * sender and receiver, idle ones included): its connection cap is those users with a margin,
 * never below the default nor below what was asked, and never beyond what the server process
 * may open (`openFiles`, its open-files limit, inherited from this process). A run that cannot
 * fit under that limit is refused before anything starts, naming what fits.
 */
export function sizeEmbeddedServer(asked: ServerLimits | undefined, users: number, openFiles: number | undefined): ServerLimits {
  const limits = asked ?? { ...serverDefaults }
  const fits = openFiles === undefined ? Number.POSITIVE_INFINITY : openFiles - serverSpareFiles
  if (users > fits) {
    throw new UserError(
      `the embedded server would hold ${users.toLocaleString('en-US')} connections but may open ${openFiles!.toLocaleString('en-US')} files ` +
        `(ulimit -n), which fits ${fits.toLocaleString('en-US')}; lower --pairs, --receivers or --idle, or raise the limit (ulimit -n ${Math.ceil((users + serverSpareFiles) / 1000) * 1000})`,
    )
  }
  const wanted = users + Math.ceil((users * connectionMargin.tenths) / 10) + connectionMargin.extra
  const maxConnections = Math.max(limits.maxConnections, Math.min(wanted, fits))
  return { ...limits, maxConnections }
}
