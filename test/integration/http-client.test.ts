import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { request } from 'undici'
import { getJson, openHttpClient } from '../../src/client/http-client.js'
import { Wire } from '../../src/client/wire.js'
import type { PollReply } from '../../src/protocol/schemas.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()
const wire = new Wire()
const client = openHttpClient(server.origin, wire)
after(() => client.close())

test('getJson parses a body split over several chunks, multi-byte characters included, and counts each request', async () => {
  const user = `http-client-${process.pid}`
  // Large enough to arrive in more than one chunk; 'é' is two bytes, so a split can fall inside one.
  const data = 'é'.repeat(100_000)
  const res = await request(`${server.origin}/messages`, {
    method: 'POST',
    body: JSON.stringify({ to: user, data }),
    headers: { 'content-type': 'application/json' },
  })
  await res.body.dump()
  const before = wire.requests
  const reply = await getJson<PollReply>(client, wire, `/short-polling/${user}?after=0`)
  assert.deepEqual(reply, { messages: [{ id: 1, data }] })
  assert.equal(wire.requests, before + 1)
})

test('getJson rejects a non-200 answer with its status and the start of its body, and the connection stays usable', async () => {
  await assert.rejects(getJson(client, wire, '/short-polling/bad%20user'), /GET \/short-polling\/bad%20user answered 400: \{/)
  assert.deepEqual(await getJson<PollReply>(client, wire, '/short-polling/nobody'), { messages: [] })
})
