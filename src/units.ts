const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/
const FACTOR_MS = { ms: 1, s: 1000, m: 60_000 } as const

/**
 * Parses `500ms`, `10s`, `2m` into milliseconds; NaN when malformed. A number needs its unit
 * (`5` could mean 5 ms or 5 s), except `0`, which is the same in every unit.
 */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim()
  if (trimmed === '0') return 0
  const match = DURATION.exec(trimmed)
  if (!match) return Number.NaN
  return Number(match[1]) * FACTOR_MS[match[2] as keyof typeof FACTOR_MS]
}

/** `5s` or `5ms`? A hint for a duration typed without its unit; undefined for anything else. */
export function unitHint(text: string): string | undefined {
  const trimmed = text.trim()
  return /^\d+(?:\.\d+)?$/.test(trimmed) ? `a number needs a unit: ${trimmed}ms or ${trimmed}s?` : undefined
}

/** How a message names the accepted form of a duration. */
export const durationExample = 'a duration such as 500ms, 10s or 2m'

/** A duration with its unit, as scenario files write one: the JSON-schema pattern. */
export const durationPattern = '^\\d+(\\.\\d+)?(ms|s|m)$'

/** A duration a user typed, of at least `minMs`; throws an Error whose message names the text and what would do. */
export function readDurationMs(text: string, minMs: number): number {
  const ms = parseDurationMs(text)
  if (Number.isNaN(ms)) {
    const hint = unitHint(text)
    throw new Error(`expected ${durationExample} (got ${text}${hint === undefined ? '' : `; ${hint}`})`)
  }
  if (ms < minMs) throw new Error(`expected at least ${minMs}ms (got ${text})`)
  return ms
}

/** Formats milliseconds the way a user would type them back: `100ms`, `10s`, `2m`. */
export function formatDurationMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`
  return `${ms}ms`
}

/** Milliseconds with microsecond precision, as every latency column prints them. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(3) : '-'
}

export function bytesToMb(bytes: number): number {
  return bytes / (1024 * 1024)
}

/** A size as `--body-limit` reads it back: `1mb`, `16kb`, or bytes when it is not a whole number of either. */
export function formatBytes(bytes: number): string {
  if (bytes > 0 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}mb`
  if (bytes > 0 && bytes % 1024 === 0) return `${bytes / 1024}kb`
  return String(bytes)
}
