import type { Command } from 'commander'
import { linkProfileNames } from '../link/profiles.js'
import { linkSpecFrom, type LinkFlags } from '../link/spec.js'
import type { RunOptions } from '../run.js'

/**
 * The emulated link's flags, shared by `run` and `capacity`. They are kept as typed and checked
 * together (link/spec.ts), so a bad value or a clash is one line naming the flag.
 */
export function addLinkOptions(command: Command): Command {
  return command
    .option('--rtt <time>', 'emulate a network round trip between the generator and the server, split evenly (50ms; 0 for the proxy alone)')
    .option('--delay-up <time>', 'one-way delay generator → server, instead of --rtt')
    .option('--delay-down <time>', 'one-way delay server → generator, instead of --rtt')
    .option('--jitter <time>', 'one-way delay variation per chunk, each direction, order kept (10ms)')
    .option('--bandwidth <rate>', 'per connection and direction (10mbit), or down/up (20mbit/5mbit); queueing shows as latency')
    .option(
      '--link <name>',
      `a named link: ${linkProfileNames.join(', ')} (figures and sources in the README); other link flags override it`,
    )
}

/** The link the flags ask for; undefined when no link flag was given. */
export function linkFromFlags(flags: LinkFlags): RunOptions['link'] {
  const spec = linkSpecFrom(flags)
  if (spec === undefined) return undefined
  return { spec, ...(flags.link !== undefined ? { name: flags.link.trim().toLowerCase() } : {}) }
}
