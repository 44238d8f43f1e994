import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

/** What the page inlines besides its data: the charting library, its stylesheet, and who made it. */
export interface PageAssets {
  chartScript: string
  chartStyle: string
  /** `uPlot 1.6.32 (MIT)`, for the page's footer. */
  chartCredit: string
}

/**
 * uPlot's minified build and stylesheet, read from node_modules, never fetched: the report
 * opens with no network. Resolved from this module, so it works from a checkout or an install.
 */
export async function loadPageAssets(): Promise<PageAssets> {
  const require = createRequire(import.meta.url)
  const [chartScript, chartStyle, pkg] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    readFile(require.resolve('uplot/package.json'), 'utf8'),
  ])
  const { version, license } = JSON.parse(pkg) as { version: string; license: string }
  return { chartScript, chartStyle, chartCredit: `uPlot ${version} (${license})` }
}
