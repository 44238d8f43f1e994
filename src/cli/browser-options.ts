import { Option, type Command } from 'commander'
import { resolveBrowserPath } from '../browser/chromium.js'
import type { BrowserOptions } from '../browser/session.js'
import type { ServerAccess } from '../client/server-access.js'
import { UserError } from '../errors.js'
import { transports } from '../transports/registry.js'
import * as parse from './args.js'

/** The flags of `--clients browser`. */
export interface BrowserFlags {
  clients?: 'node' | 'browser'
  browserPath?: string
  pages: number
  receiversPerPage: number
}

function clientsKind(text: string): 'node' | 'browser' {
  if (text === 'node' || text === 'browser') return text
  throw new UserError(`--clients ${text}: expected node or browser`)
}

/** `run`'s flags for receivers in a headless Chromium. */
export function addBrowserOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--clients <kind>', 'where the receivers run: node (the default) or browser (pages of a headless Chromium)').argParser(
        clientsKind,
      ),
    )
    .option('--browser-path <file>', 'with --clients browser: the Chromium or Chrome to run (default: found on the usual paths)')
    .option('--pages <n>', 'with --clients browser: pages per browser profile, which share its connections', parse.positiveInt, 1)
    .option('--receivers-per-page <n>', 'with --clients browser: receivers in each page', parse.positiveInt, 1)
}

/** What `--clients browser` runs with, checked; undefined for Node clients. */
export function browserOptionsOf(
  clients: 'node' | 'browser',
  flags: BrowserFlags & { workers: number; tls?: boolean; cert?: string; target?: string },
  access: ServerAccess | undefined,
  transportNames: readonly string[],
): BrowserOptions | undefined {
  if (clients !== 'browser') {
    const stray = flags.browserPath !== undefined ? '--browser-path' : undefined
    if (stray !== undefined) throw new UserError(`${stray}: only with --clients browser (or clients: browser in the scenario)`)
    return undefined
  }
  if (flags.workers > 1) throw new UserError(`--workers ${flags.workers}: browser receivers run in one process; use --workers 1`)
  if (access?.token !== undefined)
    throw new UserError(
      '--token: a page cannot send it on EventSource or WebSocket (no Authorization header); run the browser without a token',
    )
  const overTls = flags.target !== undefined ? flags.target.startsWith('https:') : flags.tls === true || flags.cert !== undefined
  if (access?.http2 === true && !overTls)
    throw new UserError('--http2: a browser speaks HTTP/2 only over TLS (no h2c); add --tls, or drop --http2 for HTTP/1.1')
  const unable = transports.filter((t) => transportNames.includes(t.name) && (!t.capabilities.browser || t.pageReceiver === undefined))
  if (unable.length > 0) throw new UserError(`--clients browser: ${unable.map((t) => t.name).join(', ')} cannot run in a browser page`)
  return { path: resolveBrowserPath(flags.browserPath), pagesPerBrowser: flags.pages, receiversPerPage: flags.receiversPerPage }
}
