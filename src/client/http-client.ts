import { Client, type Dispatcher } from 'undici'
import { authHeaders, type ServerAccess } from './server-access.js'
import type { AnswerDeadline } from './silence.js'
import type { Wire } from './wire.js'

/**
 * One keep-alive HTTP/1.1 connection to the server (HTTP/2 with `access.http2`), counted by
 * `wire`. Each user gets its own, so requests of one user are never queued behind (or
 * overtaken by) another's. Over https it trusts `access.ca`; with a token, every request carries it.
 */
export function openHttpClient(origin: string, wire: Wire, holdMs = 0, access: ServerAccess = {}, pipelining = 1): Dispatcher {
  const client = new Client(origin, {
    connect: wire.connector(access.ca, access.http2 === true),
    pipelining,
    // Over HTTP/2, `pipelining` bounds the streams in flight, as it bounds requests in flight over HTTP/1.1.
    ...(access.http2 === true ? { allowH2: true, maxConcurrentStreams: Math.max(pipelining, 1) } : {}),
    // A parked long poll answers only after its hold: allow for it before calling it stuck.
    headersTimeout: holdMs + 30_000,
    bodyTimeout: 0,
    keepAliveTimeout: 60_000,
  })
  const auth = authHeaders(access)
  if (Object.keys(auth).length === 0) return client
  return client.compose((dispatch) => (options, handler) => {
    const headers = { ...(options.headers as Record<string, string> | undefined), ...auth }
    return dispatch({ ...options, headers }, handler)
  })
}

/**
 * A receiver's client whose connection can be given up for a new one. Aborting an overdue
 * request closes its HTTP/1.1 connection (undici cannot resync one), but leaves an HTTP/2
 * session up, with every later stream on it: over HTTP/2 the client itself is replaced.
 */
export class ReplaceableClient {
  private current: Dispatcher

  constructor(
    private readonly open: () => Dispatcher,
    private readonly http2: boolean,
  ) {
    this.current = open()
  }

  get dispatcher(): Dispatcher {
    return this.current
  }

  /** After a request found its connection silent: the next goes on a new connection. */
  dropConnection(): void {
    if (!this.http2) return
    const old = this.current
    this.current = this.open()
    old.destroy().catch(() => {})
  }

  close(): Promise<void> {
    return this.current.destroy()
  }
}

/** How a GET may share its connection: pipelined behind others, and told each time it is written. */
export interface GetOptions {
  /**
   * Sent while earlier requests on the connection are still unanswered (their client's
   * `pipelining` allows), rather than only once the previous answer's head is in (undici's
   * default for a GET, which it takes for a long one).
   */
  pipelined?: boolean
  /** Each time the request is written: undici writes a pipelined request again, as it was, on a new connection when its own died. */
  onWrite?: () => void
  /**
   * Unanswered this long (ms) after it was written, the request is aborted, which over HTTP/1.1
   * destroys its connection (the next request opens a new one), and `onOverdue` is told first.
   */
  deadlineMs?: number
  onOverdue?: () => void
}

/**
 * GETs `path` and parses the JSON body; counts the request; a non-200 answer is an error.
 * It dispatches with a handler that gathers the body's bytes itself rather than through
 * `request()`'s body stream: polls are the hot path of a polling run, and on a 2-core VM the
 * stream cost 10–25% more client CPU per poll at 100 connections (more on a busy machine).
 */
export function getJson<T>(
  client: Dispatcher,
  wire: Wire,
  path: string,
  onHeaders?: (headers: Record<string, string | string[] | undefined>) => void,
  options: GetOptions = {},
): Promise<T> {
  wire.requests++
  return new Promise<T>((resolve, reject) => {
    const chunks: Buffer[] = []
    let status = 0
    let deadline: NodeJS.Timeout | undefined
    const settle = (): void => clearTimeout(deadline)
    client.dispatch(
      { method: 'GET', path, ...(options.pipelined === true ? { blocking: false } : {}) },
      {
        // Its presence is what tells undici this handler uses the current (controller) API.
        onRequestStart: (controller) => {
          options.onWrite?.()
          if (options.deadlineMs === undefined) return
          // Written again on a new connection, the request is due again from then.
          settle()
          deadline = setTimeout(() => {
            if (controller.aborted) return
            options.onOverdue?.()
            controller.abort(new Error(`GET ${path} was unanswered after ${Math.round(options.deadlineMs!)} ms (silent connection)`))
          }, options.deadlineMs)
          deadline.unref()
        },
        onResponseStart: (_controller, statusCode, headers) => {
          status = statusCode
          onHeaders?.(headers)
        },
        onResponseData: (_controller, chunk) => void chunks.push(chunk),
        onResponseEnd: () => {
          settle()
          const text = chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString()
          if (status !== 200) return reject(new Error(`GET ${path} answered ${status}: ${text.slice(0, 200)}`))
          try {
            resolve(JSON.parse(text) as T)
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)))
          }
        },
        onResponseError: (_controller, err) => {
          settle()
          reject(err)
        },
      },
    )
  })
}

/** What a poll runs under: its client, its deadline (client/silence.ts), and who is told when it is overdue. */
export interface PollGuard {
  client: ReplaceableClient
  deadline: AnswerDeadline
  /** Told of each poll found overdue: its connection was silent, and is dropped. */
  onSilent?: (() => void) | undefined
  /** An answer's time is a round trip: the server answers this poll at once (a short poll). */
  measuresRoundTrip: boolean
}

/**
 * getJson under the guard's deadline: an overdue poll is told to `onSilent`, aborted, and its
 * connection given up; the deadline learns of every answer and failure.
 */
export async function getPoll<T>(
  guard: PollGuard,
  wire: Wire,
  path: string,
  onHeaders?: (headers: Record<string, string | string[] | undefined>) => void,
  options: GetOptions = {},
): Promise<T> {
  let overdue = false
  let writtenMs = Number.NaN
  try {
    const reply = await getJson<T>(guard.client.dispatcher, wire, path, onHeaders, {
      ...options,
      deadlineMs: guard.deadline.nextMs(),
      onWrite: () => {
        writtenMs = performance.now()
        options.onWrite?.()
      },
      onOverdue: () => {
        overdue = true
        guard.onSilent?.()
      },
    })
    guard.deadline.answered(guard.measuresRoundTrip ? performance.now() - writtenMs : undefined)
    return reply
  } catch (err) {
    guard.deadline.failed(overdue)
    if (overdue) guard.client.dropConnection()
    throw err
  }
}
