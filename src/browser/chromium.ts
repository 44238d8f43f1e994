import { createHash, X509Certificate } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { UserError } from '../errors.js'

/** Where Debian, Ubuntu and Google install a Chromium; playwright-core downloads none of its own. */
export const chromiumCandidates: readonly string[] = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/** The first Chromium or Chrome on the usual paths, or undefined. */
export function findChromium(): string | undefined {
  return chromiumCandidates.find((path) => existsSync(path))
}

/** `--browser-path` if given (it must exist), else the first on the usual paths; a user error when there is none. */
export function resolveBrowserPath(given: string | undefined): string {
  if (given !== undefined) {
    if (!existsSync(given)) throw new UserError(`--browser-path ${given}: no such file; give the path of a Chromium or Chrome executable`)
    return given
  }
  const found = findChromium()
  if (found === undefined)
    throw new UserError(
      `--clients browser: no Chromium or Chrome at ${chromiumCandidates.join(', ')}; install one (apt-get install chromium) or give --browser-path`,
    )
  return found
}

/**
 * The base64 SHA-256 of each certificate's public key (SubjectPublicKeyInfo) in a PEM bundle:
 * what Chromium's `--ignore-certificate-errors-spki-list` trusts.
 */
export function spkiHashes(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  return blocks.map((block) =>
    createHash('sha256')
      .update(new X509Certificate(block).publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64'),
  )
}

/**
 * Headless Chromium as a benchmark needs it: new headless mode, no sandbox (it may run as
 * root), no GPU, no QUIC (HTTP over TCP, as the server speaks), and no fetch Chromium would
 * make on its own. Playwright gives it a fresh temporary profile and removes it on close.
 * `trust` (a PEM certificate, the run's own) is trusted by its public key, so every TLS
 * connection is accepted at its first handshake. (Playwright's `ignoreHTTPSErrors` instead
 * lets Chromium fail each new connection's certificate check, then retry on another
 * connection: twice the connections and handshakes, which the byte counts would include.)
 */
export async function launchChromium(executablePath: string, trust?: string): Promise<Browser> {
  // Loaded here, so runs with Node clients never load it.
  const { chromium } = await import('playwright-core')
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(trust === undefined ? [] : [`--ignore-certificate-errors-spki-list=${spkiHashes(trust).join(',')}`]),
    ],
  })
}
