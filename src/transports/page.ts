/**
 * What a transport's receiver has inside a browser page. A page receiver is sent to the page
 * as source text (Function.prototype.toString) and runs there, never in Node: it may use
 * nothing but its parameters (no imports, nothing of its module), and it reaches the server
 * only through the page's own EventSource, WebSocket and fetch, as an application would.
 * Node's type definitions have no DOM, so the little of it these receivers use is typed here.
 */

/** The page's settings for one receiver: plain data, copied into the page. */
export interface PageReceiverContext {
  /** The page's own origin (`http://127.0.0.1:port`): every request is same-origin. */
  origin: string
  user: string
  /** Its transport's own settings, every one filled in. */
  settings: Record<string, unknown>
  /** Where in its period a periodic receiver starts, as a share of the period in [0, 1). */
  phase: number
}

export interface PageMessageEvent {
  data: unknown
}

export interface PageEventSource {
  readonly readyState: number
  onopen: (() => void) | null
  onmessage: ((event: PageMessageEvent) => void) | null
  onerror: (() => void) | null
  /** Events of a named type (`event: <type>`); `onmessage` gets only those without one. */
  addEventListener(type: string, listener: (event: PageMessageEvent) => void): void
  close(): void
}

export interface PageWebSocket {
  onopen: (() => void) | null
  onmessage: ((event: PageMessageEvent) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  close(code?: number): void
}

export interface PageResponse {
  readonly status: number
  json(): Promise<unknown>
}

/** The page's window, as far as receivers use it. */
export interface PageWindow {
  EventSource: new (url: string) => PageEventSource
  WebSocket: new (url: string) => PageWebSocket
  fetch(url: string, init?: { signal?: unknown }): Promise<PageResponse>
  AbortController: new () => { signal: unknown; abort(): void }
  setTimeout(callback: () => void, ms: number): number
  clearTimeout(id: number): void
  performance: { now(): number }
}

/**
 * A receiver in a page: resolves once it is listening, with how to close it. `onData` takes
 * each message's data in delivery order (the page stamps its receipt time); `onError` reports a
 * failure after set-up, as a line of text.
 */
export type PageReceiver = (
  win: PageWindow,
  ctx: PageReceiverContext,
  onData: (data: string) => void,
  onError: (message: string) => void,
) => Promise<{ close(): void }>
