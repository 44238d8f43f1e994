import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bytesToMb, formatDurationMs, formatMs, parseDurationMs } from '../../src/units.js'

describe('parseDurationMs', () => {
  const valid: [string, number][] = [
    ['500ms', 500],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1.5s', 1500],
    ['0.25m', 15_000],
    ['0', 0],
    ['0ms', 0],
    ['  10s  ', 10_000],
  ]
  for (const [text, ms] of valid) {
    it(`reads ${JSON.stringify(text)} as ${ms} ms`, () => {
      assert.equal(parseDurationMs(text), ms)
    })
  }

  const invalid = ['250', '2.5', '5', '5x', '', '   ', '-1s', '-5', 's', 'ms', '1.s', '.5s', '1 s', '10S', '1h', '1e3', 'NaN', '10s10']
  for (const text of invalid) {
    it(`gives NaN for the malformed ${JSON.stringify(text)}`, () => {
      assert.ok(Number.isNaN(parseDurationMs(text)))
    })
  }
})

describe('formatDurationMs', () => {
  const cases: [number, string][] = [
    [0, '0ms'],
    [1, '1ms'],
    [100, '100ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1500ms'],
    [10_000, '10s'],
    [59_000, '59s'],
    [60_000, '1m'],
    [90_000, '90s'],
    [120_000, '2m'],
    [2.5, '2.5ms'],
  ]
  for (const [ms, text] of cases) {
    it(`formats ${ms} ms as ${text}`, () => {
      assert.equal(formatDurationMs(ms), text)
    })
  }

  it('formats every whole-unit duration so that parseDurationMs reads it back unchanged', () => {
    for (const ms of [0, 1, 7, 999, 1000, 1001, 1500, 30_000, 60_000, 61_000, 120_000, 3_600_000]) {
      assert.equal(parseDurationMs(formatDurationMs(ms)), ms, `round trip of ${ms}`)
    }
  })
})

describe('formatMs', () => {
  const cases: [number, string][] = [
    [0, '0.000'],
    [1, '1.000'],
    [0.0004, '0.000'],
    [1.2345, '1.234'],
    [1.2346, '1.235'],
    [12.5, '12.500'],
    [1234.5678, '1234.568'],
    [Number.NaN, '-'],
    [Number.POSITIVE_INFINITY, '-'],
    [Number.NEGATIVE_INFINITY, '-'],
  ]
  for (const [ms, text] of cases) {
    it(`prints ${ms} ms as ${text}`, () => {
      assert.equal(formatMs(ms), text)
    })
  }
})

describe('bytesToMb', () => {
  it('divides by 1024 × 1024', () => {
    assert.equal(bytesToMb(0), 0)
    assert.equal(bytesToMb(1024 * 1024), 1)
    assert.equal(bytesToMb(512 * 1024), 0.5)
    assert.equal(bytesToMb(100 * 1024 * 1024), 100)
  })
})
