import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { linkFromFlags } from '../../src/cli/link-options.js'

describe('linkFromFlags', () => {
  it('asks for no link when no link flag was given, whatever other flags the command has', () => {
    const flags = { pairs: 100, rate: 10, transports: ['sse'], save: true, link: undefined, rtt: undefined }
    assert.equal(linkFromFlags(flags), undefined)
  })

  it('asks for the link the flags say, and names the profile', () => {
    const flags = { pairs: 100, link: '4G', jitter: '1ms' }
    assert.deepEqual(linkFromFlags(flags), {
      spec: { delayUpMs: 35, delayDownMs: 35, jitterMs: 1, bandwidthUpBitsPerSec: 12e6, bandwidthDownBitsPerSec: 12e6 },
      name: '4g',
    })
  })
})
