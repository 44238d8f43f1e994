import { serverDefaults } from '../config.js'
import { minPayloadBytes } from '../load/message.js'
import { transportNames } from '../transports/registry.js'
import { durationExample, durationPattern } from '../units.js'
import { settingsSchema, type SettingsFile } from './transport-settings.js'

/**
 * The one JSON schema every scenario file is checked against. Each field carries `expected`:
 * the words a validation message uses for what would be accepted. Unknown keys are rejected
 * everywhere (a typo must not silently fall back to a default).
 */

const duration = (what: string) => ({ type: 'string', pattern: durationPattern, expected: `${what}, ${durationExample}` }) as const
const count = (min: number, max: number, what: string) =>
  ({
    type: 'integer',
    minimum: min,
    maximum: max,
    expected: `${what}, a whole number from ${min} to ${max.toLocaleString('en-US')}`,
  }) as const

/** Largest payload a scenario may ask for: it must fit in one POST /messages body, JSON and all. */
export const maxPayloadBytes = Math.floor(serverDefaults.bodyLimitBytes / 2)
const payloadSize = count(minPayloadBytes, maxPayloadBytes, 'bytes')
const rate = (what: string) =>
  ({ type: 'number', exclusiveMinimum: 0, maximum: 10_000, expected: `${what}, above 0 and at most 10,000` }) as const

/** Most stages a scenario may list: each keeps a latency histogram per transport. */
export const maxStages = 50

export const scenarioSchema = {
  type: 'object',
  expected: 'a mapping of scenario fields',
  additionalProperties: false,
  required: ['description'],
  properties: {
    description: { type: 'string', minLength: 1, expected: 'one line saying what the scenario shows' },
    groups: count(1, 100_000, 'senders, each with its own receivers'),
    receivers: count(1, 100_000, 'receivers per group (1 is a pair; more is fan-out to a room)'),
    idle: count(0, 100_000, 'receivers connected but sent nothing'),
    rate: rate('messages per second per sender'),
    arrival: { type: 'string', enum: ['constant', 'poisson', 'bursts'], expected: 'one of constant, poisson, bursts' },
    burst: {
      type: 'object',
      expected: 'a mapping with size, within and every',
      additionalProperties: false,
      required: ['size', 'within', 'every'],
      properties: {
        size: count(1, 10_000, 'messages per burst'),
        within: duration('how long one burst lasts'),
        every: duration('time from one burst to the next'),
      },
    },
    payload: {
      type: ['integer', 'object'],
      minimum: minPayloadBytes,
      maximum: maxPayloadBytes,
      expected: `bytes per message (${minPayloadBytes} to ${maxPayloadBytes.toLocaleString('en-US')}) or a range {min, max}`,
      additionalProperties: false,
      required: ['min', 'max'],
      properties: { min: payloadSize, max: payloadSize },
    },
    duration: duration('measured time per transport'),
    stages: {
      type: 'array',
      minItems: 1,
      maxItems: maxStages,
      expected: `a list of at most ${maxStages} stages, each {duration, rate, groups}, ramping from the values before it`,
      items: {
        type: 'object',
        expected: 'a stage: a mapping with duration and a rate or groups target (or both)',
        additionalProperties: false,
        required: ['duration'],
        properties: {
          duration: duration('how long the stage ramps'),
          rate: rate("messages per second per sender at the stage's end"),
          groups: count(
            0,
            100_000,
            "groups sending at the stage's end (every group ever active is connected from the start; the others send nothing)",
          ),
        },
      },
    },
    warmup: duration('time before measuring'),
    seed: count(0, 2 ** 31 - 1, 'seed of Poisson arrivals and payload sizes'),
    transports: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      expected: `a list of ${transportNames.join(', ')}`,
      items: { type: 'string', enum: [...transportNames], expected: `one of ${transportNames.join(', ')}` },
    },
    settings: settingsSchema(),
    link: {
      type: 'object',
      expected: 'a mapping of profile, rtt, delay-up, delay-down, jitter and bandwidth (as the link flags take them)',
      additionalProperties: false,
      properties: {
        profile: { type: 'string', expected: 'a link profile name (--link)' },
        rtt: { type: 'string', expected: 'a round trip such as 50ms (--rtt)' },
        'delay-up': { type: 'string', expected: 'a one-way delay such as 20ms (--delay-up)' },
        'delay-down': { type: 'string', expected: 'a one-way delay such as 30ms (--delay-down)' },
        jitter: { type: 'string', expected: 'a delay variation such as 5ms (--jitter)' },
        bandwidth: { type: 'string', expected: 'a rate such as 10mbit, or down/up (--bandwidth)' },
      },
    },
    faults: {
      type: 'string',
      expected: 'faults as --faults takes them, such as drop-every=2s,stall=3s (drop-every, drop-rate, stall, stall-at, restart)',
    },
    clients: { type: 'string', enum: ['node', 'browser'], expected: 'node (the default) or browser (pages of a headless Chromium)' },
  },
} as const

/** A scenario's emulated link, as written: the link flags' values under their own names. */
export interface LinkFile {
  profile?: string
  rtt?: string
  'delay-up'?: string
  'delay-down'?: string
  jitter?: string
  bandwidth?: string
}

/** One stage as written: ramps linearly to its targets over its duration; a missing target holds. */
export interface StageFile {
  duration: string
  rate?: number
  groups?: number
}

/** A scenario file as written: every field but `description` optional, durations as text. */
export interface ScenarioFile {
  description: string
  groups?: number
  receivers?: number
  idle?: number
  rate?: number
  arrival?: 'constant' | 'poisson' | 'bursts'
  burst?: { size: number; within: string; every: string }
  payload?: number | { min: number; max: number }
  duration?: string
  /** Ramps over the measured window, from the top-level rate and groups (k6 stages). */
  stages?: StageFile[]
  warmup?: string
  seed?: number
  transports?: string[]
  /** Per transport, its own settings as its declarations say (transports/<name>/settings.ts). */
  settings?: SettingsFile
  /** An emulated link between the generator and the server. */
  link?: LinkFile
  /** Where the receivers run: Node clients (the default) or pages of a headless Chromium. */
  clients?: 'node' | 'browser'
  /** Faults injected into the receivers' connections, as --faults takes them. */
  faults?: string
}
