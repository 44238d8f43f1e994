import assert from 'node:assert/strict'
import { encodeOutgoing } from '../../src/protocol/messages.js'

/** Publishes one message to `to` through the server at `origin`, on a connection of its own. */
export async function publish(origin: string, to: string, data: string): Promise<void> {
  const res = await fetch(`${origin}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: encodeOutgoing({ to }, data),
  })
  assert.equal(res.status, 200)
  await res.arrayBuffer()
}

/** Waits until `check` holds or `timeoutMs` passes, looking every 10 ms; the caller asserts what it got. */
export async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
}
