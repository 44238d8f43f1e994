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
 * to instead of the target. Inline by default: see the README (network link) for the
 * measurements behind that choice.
 */
export async function startLink(spec: LinkSpec, { placement = 'inline', cpu, seed = 1 }: LinkOptions = {}): Promise<LinkEmulator> {
  if (placement === 'process') return startLinkProcess(spec, { seed, ...(cpu === undefined ? {} : { cpu }) })
  return new UserSpaceLink(spec, { seed })
}
