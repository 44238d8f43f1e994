import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { serverDefaults } from '../../src/config.js'
import { UserError } from '../../src/errors.js'
import { sizeEmbeddedServer } from '../../src/host/sizing.js'

describe('sizeEmbeddedServer', () => {
  it('raises the connection cap to the run’s users with a margin: 6,000 WebSocket pairs hold 12,000 sockets', () => {
    const limits = sizeEmbeddedServer(undefined, 12_000, 20_000)
    assert.equal(limits.maxConnections, 13_300)
    assert.equal(limits.bodyLimitBytes, serverDefaults.bodyLimitBytes)
  })

  it('keeps the default, or a larger cap asked for, for a small run', () => {
    assert.equal(sizeEmbeddedServer(undefined, 40, 20_000).maxConnections, serverDefaults.maxConnections)
    assert.equal(sizeEmbeddedServer({ ...serverDefaults, maxConnections: 15_000 }, 40, 20_000).maxConnections, 15_000)
  })

  it('caps the margin at what the server process may open', () => {
    assert.equal(sizeEmbeddedServer(undefined, 19_000, 20_000).maxConnections, 19_936)
    assert.equal(sizeEmbeddedServer(undefined, 19_000, undefined).maxConnections, 21_000)
  })

  it('refuses a run whose users cannot fit under the open-files limit, saying what fits and the fix', () => {
    assert.throws(
      () => sizeEmbeddedServer(undefined, 30_000, 20_000),
      (err: unknown) =>
        err instanceof UserError &&
        err.exitCode === 2 &&
        /would hold 30,000 connections but may open 20,000 files \(ulimit -n\), which fits 19,936; .*ulimit -n 31000/.test(err.message),
    )
  })
})
