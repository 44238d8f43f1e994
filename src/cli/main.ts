import { CommanderError } from 'commander'
import { ExitCode, messageOf, UserError } from '../errors.js'
import { buildProgram } from './program.js'

/**
 * Runs the CLI and returns its exit code. Every error ends here as one line on stderr:
 * bad input exits 2, a failed run 1; a stack trace only with --debug.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync([...argv])
    return ExitCode.Ok
  } catch (err) {
    return report(err, argv.includes('--debug'))
  }
}

function report(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    // --help, --version, and help shown because no command was given: asked for, not an error.
    if (err.exitCode === 0 || err.code === 'commander.help') return ExitCode.Ok
    process.stderr.write(`transport-bench: ${err.message.replace(/^error: /, '')}\n`)
    return ExitCode.BadInput
  }
  if (err instanceof UserError) {
    // A scenario file can have several problems: one line each, all at once.
    for (const line of err.message.split('\n')) process.stderr.write(`transport-bench: ${line}\n`)
    return err.exitCode
  }
  process.stderr.write(`transport-bench: unexpected error: ${messageOf(err)}${debug ? '' : ' (run with --debug for details)'}\n`)
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
  return ExitCode.RuntimeFailure
}
