import { setTimeout as delay } from 'node:timers/promises'
import { SetupFailed, type Role } from '../setup-failures.js'

/** How long the runner waits, once one worker's set-up failed, for the others to say theirs. */
const gatherMs = 2000

/**
 * Every worker's answer, as Promise.all would give it. But a worker whose users were refused
 * counts only its own: when one fails so, the others' refusals are gathered for a moment, and
 * the failure counts the run's refused users (receivers if any were) out of the run's `totals`.
 */
export async function allAnswers<T>(answers: readonly Promise<T>[], totals: Readonly<Record<Role, number>>): Promise<T[]> {
  const refusals: SetupFailed[] = []
  // Registered before Promise.all's own handlers, so the first refusal is in the list when it rejects.
  const settled = answers.map((answer) =>
    answer.then(
      () => undefined,
      (err: unknown) => void (err instanceof SetupFailed && refusals.push(err)),
    ),
  )
  try {
    return await Promise.all(answers)
  } catch (err) {
    if (!(err instanceof SetupFailed)) throw err
    await Promise.race([Promise.all(settled), delay(gatherMs, undefined, { ref: false })])
    // Receivers first, as one process says it (SetupWatch): refused receivers are what would count as lost.
    const role = refusals.some((r) => r.role === 'receivers') ? 'receivers' : 'senders'
    const ofRole = refusals.filter((r) => r.role === role)
    const failed = ofRole.reduce((n, r) => n + r.failed, 0)
    throw new SetupFailed(role, failed, totals[role], ofRole[0]!.why)
  }
}
