import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Where Debian, Ubuntu and Google install a Chromium; playwright-core downloads none of its own. */
const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

export const chromiumPath: string | undefined = candidates.find((path) => existsSync(path))

/** Why a browser test skips, for node:test's `skip`: false when a Chromium is there. */
export const noChromium: string | false =
  chromiumPath === undefined ? `no Chromium at ${candidates.join(', ')}: install one (apt-get install chromium) to run this test` : false

/**
 * Headless Chromium with a fresh temporary profile (Playwright's default), as root needs it
 * (no sandbox), and with every background fetch Chromium would make on its own turned off.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath!,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}
