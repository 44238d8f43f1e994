import { errorCode, ExitCode, messageOf, UserError } from '../errors.js'
import type { ServerAccess } from './server-access.js'
import { askStats } from './server-stats.js'

/** Why the server at `origin` does not answer now (`connect ECONNREFUSED 127.0.0.1:8080`); undefined when it answers at all. */
export async function whyUnreachable(origin: string, access: ServerAccess = {}): Promise<string | undefined> {
  const answer = await askStats(origin, access)
  if (!('error' in answer)) return undefined
  const code = errorCode(answer.error)
  const text = messageOf(answer.error)
  return code === undefined || text.includes(code) ? text : `${text} (${code})`
}

/**
 * With --target, after `what` went wrong during the row `label` (a failure, or /stats silent at
 * the window's end): if the target no longer answers, the run has lost it, and says so in one
 * line, `lost the target http://127.0.0.1:8080 during sse: connect ECONNREFUSED 127.0.0.1:8080`.
 * A target that still answers returns, and the caller goes on as it would have.
 */
export async function failIfTargetLost(origin: string, access: ServerAccess | undefined, label: string): Promise<void> {
  const why = await whyUnreachable(origin, access)
  if (why !== undefined) throw new UserError(`${lostPrefix}${origin} during ${label}: ${why}`, ExitCode.RuntimeFailure)
}

const lostPrefix = 'lost the target '

/** Whether `err` is failIfTargetLost's own: the target need not be asked again. */
export function isTargetLost(err: unknown): boolean {
  return err instanceof UserError && err.message.startsWith(lostPrefix)
}
