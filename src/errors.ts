/** Exit codes of the CLI; each one is asserted by a test that spawns the binary. */
export const ExitCode = {
  Ok: 0,
  RuntimeFailure: 1,
  BadInput: 2,
  Regression: 3,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * An error the user can act on: the message names the input, the value and the fix.
 * Thrown anywhere, caught only in cli/, printed as one line.
 */
export class UserError extends Error {
  readonly exitCode: ExitCode

  constructor(message: string, exitCode: ExitCode = ExitCode.BadInput) {
    super(message)
    this.name = 'UserError'
    this.exitCode = exitCode
  }
}

/** The `code` of a Node system error (EADDRINUSE, ECONNREFUSED…), if there is one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') return code
  // undici wraps socket errors: the system error sits in `cause`.
  return errorCode((err as { cause?: unknown }).cause)
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
