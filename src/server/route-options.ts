import type { Hub } from './hub.js'
import type { ServerLimits } from './limits.js'

/** What every transport's server routes get: the shared mailboxes and the server's limits. */
export interface RouteOptions {
  hub: Hub
  limits: ServerLimits
}
