import type { FastifyReply, FastifyRequest } from 'fastify'
import { instanceHeader } from '../protocol/schemas.js'
import type { Hub } from './hub.js'

/**
 * Refuses a cursor that another server instance gave out: its ids name that instance's
 * messages, and taken as this one's they would acknowledge (free) messages never read.
 * `409` with this instance's id, so the client starts over from 0 knowing why.
 */
export async function refuseOtherInstance(reply: FastifyReply, hub: Hub, given: string): Promise<void> {
  await reply
    .code(409)
    .header(instanceHeader, hub.instanceId)
    .send({
      error: 'Conflict',
      message: `the cursor is from server instance ${given}; this is instance ${hub.instanceId}, which never had its messages: start again from after=0`,
      instanceId: hub.instanceId,
    })
}

/** A preHandler for a receive route: a cursor that names another instance (`?instance=`) is refused 409. */
export function sameInstance(hub: Hub) {
  return async (req: FastifyRequest<{ Querystring: { instance?: string } }>, reply: FastifyReply): Promise<void> => {
    const given = req.query.instance
    if (given !== undefined && given !== hub.instanceId) await refuseOtherInstance(reply, hub, given)
  }
}
