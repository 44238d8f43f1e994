import { startLinkProcess } from './process-link.js'
import type { LinkEmulator, LinkSpec } from './types.js'
import { UserSpaceLink } from './user-space.js'

export interface LinkOptions {
  /**
   * Where the user-space link runs: `inline`, on the event loop of the process that calls
   * this (the generator's), or `process`, a child process of its own. @default 'inline'
   */
  placement?: 'inline' | 'process'
  /** With `process`: pins the link process to this core. */
  cpu?: number
  /** Seed of the jitter draws, so a run's link repeats exactly. @default 1 */
  seed?: number
}

/**
 * Starts an emulated link with this spec; `open(target)` on it gives the address to connect
 * to instead of the target.
 *
 * Inline by default. On 2 cores a link process has no core of its own: beside the generator
 * it time-slices with the generator's busy-wait, beside the server it takes CPU the run
 * charges to nobody and waits near each release on the core the server's figures come from.
 * Inline, its waits merge with the generator's on one event loop and it adds no wake-up of
 * another process; it costs the generator's core a read and a write per chunk (about as much
 * as a bare hand-written proxy). `process` with a free `cpu` suits machines with 3 or more
 * cores, or a generator short of CPU. `npm run bench:link-cost` measures all three.
 */
export async function startLink(spec: LinkSpec, { placement = 'inline', cpu, seed = 1 }: LinkOptions = {}): Promise<LinkEmulator> {
  if (placement === 'process') return startLinkProcess(spec, { seed, ...(cpu === undefined ? {} : { cpu }) })
  return new UserSpaceLink(spec, { seed })
}
