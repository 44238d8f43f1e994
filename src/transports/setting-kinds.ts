import { durationExample, durationPattern, formatDurationMs, parseDurationMs, readDurationMs } from '../units.js'
import type { Setting, SettingColumn } from './setting.js'

/** What every kind of setting is given: everything but how to parse, check and write it. */
interface Common<T> {
  key: string
  label: string
  default: T
  /** `--poll-interval <time>` */
  flag: string
  help: string
  columns?: readonly SettingColumn[]
  legacyKey?: string
  describe?: (value: T) => string
}

export interface DurationOptions extends Common<number> {
  /** What a file's value is, for messages: `a poll interval` (the default: the label with its article). */
  what?: string
  /** Whole milliseconds only, and at most this many; without it, any duration of at least 1 ms. */
  wholeMsUpTo?: number
}

/** A duration in milliseconds: `500ms`, `10s`, `2m` on the command line and in files. */
export function durationSetting(o: DurationOptions): Setting<number> {
  const max = o.wholeMsUpTo
  const what = o.what ?? withArticle(o.label)
  return {
    ...common(o),
    flag: { name: o.flag, help: o.help, shownDefault: formatDurationMs(o.default) },
    parse(text) {
      const ms = readDurationMs(text, 1)
      if (max !== undefined && (!Number.isInteger(ms) || ms > max))
        throw new Error(`expected whole milliseconds up to ${formatDurationMs(max)} (got ${text})`)
      return ms
    },
    format: formatDurationMs,
    file: {
      schema: { type: 'string', pattern: durationPattern, expected: `${what}, ${durationExample}` },
      read: (written) => parseDurationMs(String(written)),
      problem(ms, written) {
        if (max === undefined) return ms < 1 ? { what: 'too small', got: ms, expected: 'at least 1ms' } : undefined
        return ms < 1 || ms > max || !Number.isInteger(ms)
          ? { what: 'out of range', got: written, expected: `whole milliseconds from 1ms to ${max / 1000}s` }
          : undefined
      },
    },
  }
}

export interface IntegerOptions extends Common<number> {
  /** What a file's value is, for messages: `a long-poll depth` (the default: the label with its article). */
  what?: string
  min: number
  max: number
}

/** A whole number within bounds: `2` on the command line and in files. */
export function integerSetting(o: IntegerOptions): Setting<number> {
  const what = o.what ?? withArticle(o.label)
  const expected = `a whole number from ${o.min} to ${o.max}`
  const inRange = (n: number): boolean => Number.isInteger(n) && n >= o.min && n <= o.max
  return {
    ...common(o),
    flag: { name: o.flag, help: o.help, shownDefault: String(o.default) },
    parse(text) {
      const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN
      if (!inRange(n)) throw new Error(`expected ${expected} (got ${text})`)
      return n
    },
    format: (value) => value,
    file: {
      schema: { type: 'integer', minimum: o.min, maximum: o.max, expected: `${what}, ${expected}` },
      read: (written) => Number(written),
    },
  }
}

export interface ChoiceOptions<T extends string> extends Common<T> {
  choices: readonly T[]
}

/** One of a few words: `post` or `socket`. */
export function choiceSetting<T extends string>(o: ChoiceOptions<T>): Setting<T> {
  const accepted = joinOr(o.choices)
  const isChoice = (text: string): text is T => (o.choices as readonly string[]).includes(text)
  return {
    ...common(o),
    flag: { name: o.flag, help: o.help },
    parse(text) {
      if (!isChoice(text)) throw new Error(`expected ${accepted} (got ${text})`)
      return text
    },
    format: (value) => value,
    file: {
      schema: { type: 'string', enum: [...o.choices], expected: accepted },
      read: (written) => String(written) as T,
    },
  }
}

function common<T>(o: Common<T>): Pick<Setting<T>, 'key' | 'label' | 'default' | 'columns' | 'legacyKey' | 'describe'> {
  return {
    key: o.key,
    label: o.label,
    default: o.default,
    ...(o.columns ? { columns: o.columns } : {}),
    ...(o.legacyKey !== undefined ? { legacyKey: o.legacyKey } : {}),
    ...(o.describe ? { describe: o.describe } : {}),
  }
}

/** `post or socket`; `a, b or c`. */
function joinOr(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`
}

/** `a poll interval`, `an interval`. */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`
}
