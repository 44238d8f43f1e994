import { request } from 'undici'
import type { ServerStats } from '../protocol/stats.js'
import { accessAgent, authHeaders, type ServerAccess } from './server-access.js'

/** How long the server gets to answer GET /stats, head and body each. */
const answerWithinMs = 5000

/** GET /stats on a connection of its own: its status and body, or the error that left none (nothing listening, no answer in time). */
export async function askStats(origin: string, access: ServerAccess = {}): Promise<{ status: number; body: string } | { error: unknown }> {
  const dispatcher = accessAgent(access)
  try {
    const res = await request(`${origin}/stats`, {
      headersTimeout: answerWithinMs,
      bodyTimeout: answerWithinMs,
      headers: authHeaders(access),
      dispatcher,
    })
    return { status: res.statusCode, body: await res.body.text() }
  } catch (error) {
    return { error }
  } finally {
    await dispatcher.close()
  }
}

/**
 * Reads GET /stats (not counted in the wire figures). A server that has no /stats (someone
 * else's, reached with --target) yields undefined: its CPU and memory are then reported as
 * unknown rather than guessed.
 */
export async function fetchServerStats(origin: string, access: ServerAccess = {}): Promise<ServerStats | undefined> {
  const answer = await askStats(origin, access)
  if ('error' in answer || answer.status !== 200) return undefined
  try {
    return JSON.parse(answer.body) as ServerStats
  } catch {
    return undefined
  }
}
