import type { PageAssets } from './assets.js'
import { buildReportData, type ReportInput } from './data.js'
import { renderPage } from './page.js'

export { loadPageAssets, type PageAssets } from './assets.js'
export type { ReportInput } from './data.js'

/** The HTML report of result files: one self-contained page, every chart's data computed here. */
export function formatHtmlReport(inputs: readonly ReportInput[], assets: PageAssets): string {
  if (inputs.length === 0) throw new Error('formatHtmlReport needs at least one result')
  return renderPage(buildReportData(inputs), assets)
}
