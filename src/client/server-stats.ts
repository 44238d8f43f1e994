import { request } from 'undici'
import type { ServerStats } from '../protocol/stats.js'
import { accessAgent, authHeaders, type ServerAccess } from './server-access.js'

/**
 * Reads GET /stats on a connection of its own (not counted in the wire figures). A server
 * that has no /stats (someone else's, reached with --target) yields undefined: its CPU and
 * memory are then reported as unknown rather than guessed.
 */
export async function fetchServerStats(origin: string, access: ServerAccess = {}): Promise<ServerStats | undefined> {
  const dispatcher = accessAgent(access)
  try {
    const res = await request(`${origin}/stats`, { headersTimeout: 5000, bodyTimeout: 5000, headers: authHeaders(access), dispatcher })
    if (res.statusCode !== 200) {
      await res.body.dump()
      return undefined
    }
    return (await res.body.json()) as ServerStats
  } catch {
    return undefined
  } finally {
    await dispatcher.close()
  }
}
