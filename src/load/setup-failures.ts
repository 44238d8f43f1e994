import { errorCode, ExitCode, messageOf, UserError } from '../errors.js'

export type Role = 'receivers' | 'senders'

/**
 * Some of a run's users could not connect (or subscribe) before its window opened. The run stops
 * there: a user the server refused would otherwise count its messages as lost.
 */
export class SetupFailed extends Error {
  constructor(
    readonly role: Role,
    readonly failed: number,
    readonly total: number,
    readonly why: string,
  ) {
    super(`${failed.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${role} could not connect (${why})`)
    this.name = 'SetupFailed'
  }
}

/** The server's answer past its connection cap (server/connection-limit.ts). */
const capPattern = /limit of (\d+) open connections/
/** Socket errors that mean a user never got in, whatever the load: nothing listening, no file or port left. */
const refusedCodes = new Set(['ECONNREFUSED', 'EMFILE', 'ENFILE', 'EADDRNOTAVAIL'])

/** Why a user could not connect, in a few words: the server's connection cap, its answer, or the socket's error code. */
export function setupCause(err: unknown): string {
  const text = messageOf(err)
  const cap = capPattern.exec(text)
  if (cap) return `server refused: max connections ${Number(cap[1]).toLocaleString('en-US')}`
  const status = /answered (\d{3})/.exec(text)
  if (status) return `the server answered ${status[1]}`
  return errorCode(err) ?? text
}

/**
 * Whether a failure means the user was refused (the server's connection cap, a 503, nothing
 * listening, no file descriptor left) rather than a hiccup of a loaded server (a timeout, a reset),
 * which the window measures as it comes.
 */
export function isRefusal(err: unknown): boolean {
  const text = messageOf(err)
  return capPattern.test(text) || /answered 503/.test(text) || refusedCodes.has(errorCode(err) ?? '')
}

/**
 * Watches set-up and warm-up for users the server refused (a poll receiver connects only when it
 * first polls, inside the warm-up), until the window opens: then `close` says whether the run must
 * stop rather than measure them as losses.
 */
export class SetupWatch {
  private watching = true
  private readonly refused: Record<Role, Map<string, unknown>> = { receivers: new Map(), senders: new Map() }

  constructor(private readonly totals: Record<Role, number>) {}

  /** A failure of `user` (a receiver or a sender), as its transport reports it. */
  readonly note = (role: Role, user: string, err: unknown): void => {
    if (this.watching && isRefusal(err) && !this.refused[role].has(user)) this.refused[role].set(user, err)
  }

  /** At the window's start: stops watching, and gives the failure to stop the run with, if any user was refused. */
  close(): SetupFailed | undefined {
    this.watching = false
    for (const role of ['receivers', 'senders'] as const) {
      const refused = this.refused[role]
      if (refused.size > 0) return new SetupFailed(role, refused.size, this.totals[role], setupCause(refused.values().next().value))
    }
    return undefined
  }
}

/**
 * A row's set-up failure as the one line the CLI prints, with what to change: `websocket: 2,000
 * of 6,000 receivers could not connect (server refused: max connections 10,000); lower --pairs or
 * raise --max-connections of the server at <target>`. Anything else is thrown as it is.
 */
export function explainSetupFailure(err: unknown, label: string, target: string | undefined): never {
  if (!(err instanceof SetupFailed)) throw err
  throw new UserError(`${label}: ${err.message}; ${fixFor(err.why, target)}`, ExitCode.RuntimeFailure)
}

function fixFor(why: string, target: string | undefined): string {
  if (why.startsWith('server refused: max connections')) {
    return target === undefined
      ? 'lower --pairs, --receivers or --idle'
      : `lower --pairs or raise --max-connections of the server at ${target}`
  }
  if (why === 'EMFILE' || why === 'ENFILE') return 'raise the open-files limit (ulimit -n) or lower --pairs'
  return target === undefined ? 'nothing was measured' : `check the server at ${target}`
}
