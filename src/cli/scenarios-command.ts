import { describeShipped, shippedNames } from '../scenario/load.js'

/** `transport-bench scenarios`: one line per shipped scenario, its name and what it shows. */
export function scenariosCommand(): void {
  const names = shippedNames()
  const width = Math.max(...names.map((n) => n.length))
  for (const name of names) process.stdout.write(`${name.padEnd(width)}  ${describeShipped(name)}\n`)
}
