/** What GET /stats reports: the server process's own resource use since it started. */
export interface ServerStats {
  /** This server instance: a different one means the server restarted (its mailboxes are new). */
  instanceId?: string
  cpuUserUs: number
  cpuSystemUs: number
  rssBytes: number
  /** Peak resident set size of the process so far. */
  maxRssBytes: number
  /** Messages evicted unread from full mailboxes. */
  dropped: number
  /** TCP connections accepted so far. */
  connectionsAccepted: number
  users: number
  /** SSE and WebSocket receivers cut off for leaving too much unread (slow consumers). */
  slowConsumersCut: number
  /** Streams found dead by their heartbeat, plus streams closed to make room for a resuming one. */
  deadStreamsCut?: number
}
