import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { buildReportData, type Chart, type ReportInput } from '../../src/report/html/data.js'
import { formatHtmlReport, loadPageAssets } from '../../src/report/html/report.js'
import { launchChromium, noChromium } from '../helpers/chromium.js'
import { capacityReport, fourTransportRun } from '../helpers/report-inputs.js'

/** The little of the DOM the page-side callbacks below use: Node's types have none. */
interface PageCanvas {
  width: number
  height: number
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null
}
declare const document: { querySelector(selector: string): PageCanvas | null }
declare const window: { __charts?: { id: string; series: string[] }[] }

/** Pixels of each colour on a chart's canvas, within a small tolerance for anti-aliasing. */
async function colourPixels(page: Page, chartId: string, colours: readonly string[]): Promise<Record<string, number>> {
  return page.evaluate(
    ({ chartId, colours }) => {
      const canvas = document.querySelector(`#chart-${chartId} canvas`)!
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      const counts: Record<string, number> = {}
      for (const colour of colours) {
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16))
        let n = 0
        for (let p = 0; p < pixels.length; p += 4) {
          if (
            pixels[p + 3]! > 200 &&
            Math.abs(pixels[p]! - r!) < 8 &&
            Math.abs(pixels[p + 1]! - g!) < 8 &&
            Math.abs(pixels[p + 2]! - b!) < 8
          )
            n++
        }
        counts[colour] = n
      }
      return counts
    },
    { chartId, colours },
  )
}

/** The series uPlot's legend lists under a chart, the x entry left out. */
function legendLabels(page: Page, chartId: string): Promise<string[]> {
  return page.locator(`#chart-${chartId} .u-legend .u-series:not(:first-child) .u-label`).allTextContents()
}

/** Colours of the series that have something to draw: at least two points, or one drawn as a point. */
function drawnColours(chart: Chart): string[] {
  const drawn = chart.series.filter((s) => s.values.filter((v) => v !== null).length >= (s.pointSize > 0 ? 1 : 2))
  return [...new Set(drawn.map((s) => s.colour))]
}

test('the HTML report draws every chart with its series in headless Chromium, with no network', { skip: noChromium }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'transport-bench-html-'))
  after(() => rm(dir, { recursive: true, force: true }))
  const inputs: ReportInput[] = [
    { path: 'poll-100.json', run: fourTransportRun(100) },
    { path: 'poll-200.json', run: fourTransportRun(200, 2) },
    { path: 'capacity.json', capacity: await capacityReport() },
  ]
  const data = buildReportData(inputs)
  const charts = [data.distribution!, ...data.timelines, data.capacity!.chart]
  const file = join(dir, 'report.html')
  await writeFile(file, formatHtmlReport(inputs, await loadPageAssets()))

  const browser = await launchChromium()
  after(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const blocked: string[] = []
  const errors: string[] = []
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (/^(file|data):/.test(url)) return route.continue()
    blocked.push(url)
    return route.abort()
  })
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  await page.goto(pathToFileURL(file).href)
  await page.waitForFunction(() => Array.isArray(window.__charts), undefined, { timeout: 10_000 })

  assert.deepEqual(errors, [], 'no script errors')
  assert.deepEqual(blocked, [], 'nothing fetched beyond the file itself')
  const drawn = await page.evaluate(() => (window.__charts ?? []).map((c) => ({ id: c.id, series: c.series })))
  assert.deepEqual(
    drawn,
    charts.map((c) => ({ id: c.id, series: c.series.map((s) => s.label) })),
  )
  assert.deepEqual(
    drawn.map((c) => c.id),
    ['percentiles', 'timeline-short-polling', 'timeline-long-polling', 'timeline-sse', 'timeline-websocket', 'capacity'],
  )
  for (const chart of charts) {
    assert.deepEqual(
      await legendLabels(page, chart.id),
      chart.series.map((s) => s.label),
      `${chart.id}: legend`,
    )
    const counts = await colourPixels(page, chart.id, drawnColours(chart))
    for (const [colour, n] of Object.entries(counts)) assert.ok(n > 20, `${chart.id}: ${n} pixels of ${colour}`)
  }

  // The latency axis switches to linear and the chart is drawn again.
  const toggle = page.locator('button[data-chart="percentiles"]')
  assert.equal(await toggle.textContent(), 'latency axis: log')
  await toggle.click()
  assert.equal(await toggle.textContent(), 'latency axis: linear')
  const again = await colourPixels(page, 'percentiles', drawnColours(data.distribution!))
  for (const [colour, n] of Object.entries(again)) assert.ok(n > 20, `percentiles, linear: ${n} pixels of ${colour}`)

  assert.equal(await page.locator('.bar-row').count(), 3 * 8)
  assert.equal(await page.locator('#setup').count(), 0, 'no set-up section without set-up fields')
  assert.deepEqual(errors, [])
})
