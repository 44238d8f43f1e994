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

/** Data every transport must relay byte for byte: line terminators of every kind, quotes, escapes, non-ASCII. */
export const awkward = ['a\rb', 'crlf\r\nlf\ncr\r', '\r', '\r\n\r\n', 'tab\t"quote" \\backslash\\ é ✓ 🚀', 'id: 1\ndata: x\n\n']

/** Publishes each of `data` to `to`, in order, then waits up to `timeoutMs` for `received` to hold as many. */
export async function publishAll(
  origin: string,
  to: string,
  data: readonly string[],
  received: readonly unknown[],
  timeoutMs = 5000,
): Promise<void> {
  for (const item of data) await publish(origin, to, item)
  await until(() => received.length >= data.length, timeoutMs)
}
