/**
 * Entry point of a link process: the user-space link in a process of its own, so it can be
 * pinned to a core and its CPU is not the generator's. It answers its parent's requests and
 * exits when told to, or when the parent goes away.
 */
import { once } from 'node:events'
import { messageOf } from '../errors.js'
import { encodeMeasurements, type FromLink, type ToLink } from './process-protocol.js'
import { UserSpaceLink } from './user-space.js'

function send(message: FromLink): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) return resolve()
    process.send(message, undefined, {}, () => resolve())
  })
}

async function answer(link: UserSpaceLink, request: ToLink): Promise<FromLink> {
  switch (request.type) {
    case 'open':
      return { type: 'opened', id: request.id, address: await link.open(request.target) }
    case 'take':
      return { type: 'measurements', id: request.id, measurements: encodeMeasurements(await link.takeMeasurements()) }
    case 'close':
      await link.close()
      return { type: 'closed', id: request.id }
    case 'start':
      return { type: 'failed', id: request.id, message: 'the link process has already started' }
  }
}

async function main(): Promise<void> {
  const [start] = (await once(process, 'message')) as [ToLink]
  if (start.type !== 'start') throw new Error(`expected start, got ${start.type}`)
  const link = new UserSpaceLink(start.spec, { seed: start.seed })
  process.on('message', (request: ToLink) => {
    answer(link, request)
      .catch((err: unknown): FromLink => ({ type: 'failed', id: request.id, message: messageOf(err) }))
      .then(send)
      .then(() => {
        if (request.type === 'close') process.exit(0)
      })
      .catch(() => process.exit(1))
  })
  await send({ type: 'started', id: start.id })
}

// The parent went away (ended or killed): nobody is left to connect through this link.
process.on('disconnect', () => process.exit(0))

main().catch(async (err: unknown) => {
  await send({ type: 'failed', id: 0, message: messageOf(err) })
  process.exit(1)
})
