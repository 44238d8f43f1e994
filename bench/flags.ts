import { cpus } from 'node:os'
import { choosePlacement, type Placement } from '../src/pinning.js'

/**
 * A bench script's numeric flag (`--minutes 10`): its value, or the default when absent. A
 * malformed or non-positive value ends the script with one line and exit code 2.
 */
export function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  if (at < 0) return fallback
  const value = Number(process.argv[at + 1])
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} ${process.argv[at + 1] ?? ''}: expected a positive number\n`)
    process.exit(2)
  }
  return value
}

/** Server and generator on separate cores when the machine allows (as `run --pin`). */
export function benchPlacement(): Placement | undefined {
  try {
    return cpus().length >= 2 ? choosePlacement() : undefined
  } catch {
    return undefined
  }
}
