import { longPolling } from './long-polling/index.js'
import { shortPolling } from './short-polling/index.js'
import { sse } from './sse/index.js'
import type { Transport } from './types.js'
import { websocket } from './websocket/index.js'

/** Every transport, in the order a default run measures them (and --help and files list their settings). */
export const transports: readonly Transport[] = [shortPolling, longPolling, sse, websocket]

export const transportNames: readonly string[] = transports.map((t) => t.name)

export function findTransport(name: string): Transport | undefined {
  return transports.find((t) => t.name === name)
}
