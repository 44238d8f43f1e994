import type { PageAssets } from './assets.js'
import { drawCharts } from './client.js'
import type { BarGroup, Chart, ReportData, SourceInfo, TextTable } from './data.js'

/** Text into HTML, attribute values included. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Data into a <script> element: `<` escaped, so no value can close the element or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** Inlined library text must not end its own element early. */
function inline(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`)
}

/**
 * Pure: the whole report as one HTML file. Tables and bars are plain HTML (readable without
 * script); charts are drawn by the inlined uPlot from the embedded data. Nothing is fetched.
 */
export function renderPage(data: ReportData, assets: PageAssets): string {
  const body = [
    header(data),
    data.distribution ? distributionSection(data.distribution, data.latencyTable) : '',
    data.timelines.length > 0 ? timelineSection(data.timelines) : '',
    data.costs.length > 0 ? costSection(data.costs) : '',
    data.health ? section('health', 'Generator health and delivery', table(data.health), healthNote) : '',
    ...data.extras.map((e) => section(e.id, e.title, table(e.table))),
    data.capacity ? capacitySectionHtml(data.capacity) : '',
    section('context', 'Settings and context', data.sources.map(sourceFacts).join('\n')),
    data.notes.length > 0 ? section('notes', 'Notes', data.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('\n')) : '',
    `<footer>Made by transport-bench; charts drawn with ${escapeHtml(assets.chartCredit)}, inlined in this file.</footer>`,
  ]
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${inline(assets.chartStyle, 'style')}</style>
<style>${pageStyle}</style>
</head>
<body>
${body.filter(Boolean).join('\n')}
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>${inline(assets.chartScript, 'script')}</script>
<script>(${inline(drawCharts.toString(), 'script')})(window, typeof uPlot === 'undefined' ? null : uPlot, JSON.parse(document.getElementById('report-data').textContent));</script>
</body>
</html>
`
}

const healthNote =
  'Latency counts from the scheduled send, so a generator that falls behind its schedule is inside every figure: ' +
  'send lag is how late sends left, and a row marked generator-limited measured the generator more than the server. ' +
  'Generator CPU is a share of one core; its scheduler busy-waits near each send, so about 100% is normal.'

function header(data: ReportData): string {
  const files = data.sources.map(
    (s) => `<li><code>${escapeHtml(s.path)}</code> (${s.kind})${s.label ? `: series marked <b>${escapeHtml(s.label)}</b>` : ''}</li>`,
  )
  return `<header><h1>${escapeHtml(data.title)}</h1><ul class="files">${files.join('')}</ul></header>`
}

function section(id: string, title: string, content: string, note?: string): string {
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}\n${content}</section>`
}

function chartBox(chart: Chart): string {
  const toggle = `<button type="button" data-chart="${escapeHtml(chart.id)}">latency axis</button>`
  return `<figure class="chart"><figcaption>${escapeHtml(chart.title)} ${toggle}</figcaption><div class="plot" id="chart-${escapeHtml(chart.id)}"></div></figure>`
}

function distributionSection(chart: Chart, latency: TextTable | null): string {
  const note =
    'HdrHistogram-style percentile plot from each row’s full latency histogram: x is 1/(1−p) on a log scale, ' +
    'so the tail gets as much room as the median. Every value is clamped to the row’s exact max; a curve ends ' +
    'where the run had too few messages to resolve a finer percentile.'
  return section('distribution', 'Latency distribution', chartBox(chart) + (latency ? table(latency) : ''), note)
}

function timelineSection(charts: readonly Chart[]): string {
  const note =
    'Each message counts in the second it was scheduled to be sent (counted from the start of the measured window), ' +
    'however late it arrived: a backlog shows as a rising line. Merged files show the worst run’s percentiles per second.'
  return section('timeline', 'Latency over the measured window', charts.map(chartBox).join('\n'), note)
}

function bars(group: BarGroup): string {
  const max = Math.max(0, ...group.bars.map((b) => b.value ?? 0))
  const rows = group.bars.map((b) => {
    const width = b.value === null || max === 0 ? 0 : (100 * b.value) / max
    const value = b.value === null ? 'n/a' : b.value.toFixed(group.digits)
    return (
      `<div class="bar-row" data-series="${escapeHtml(b.label)}"><span class="bar-label">${escapeHtml(b.label)}</span>` +
      `<span class="bar-track"><span class="bar" style="width:${width.toFixed(2)}%;background:${escapeHtml(b.colour)}"></span></span>` +
      `<span class="bar-value">${value}</span></div>`
    )
  })
  return `<div class="bars"><h3>${escapeHtml(group.title)}</h3>${rows.join('')}</div>`
}

function costSection(groups: readonly BarGroup[]): string {
  const note =
    'Counted at the generator’s sockets per delivered message: receive requests include empty polls; bytes include ' +
    'HTTP headers, chunk and frame overhead, and the senders’ POSTs.'
  return section('cost', 'Cost per message', groups.map(bars).join('\n'), note)
}

function capacitySectionHtml(capacity: NonNullable<ReportData['capacity']>): string {
  const note =
    'Every attempt of every step is a point at the rate asked; the line runs through the attempt that decided each step, ' +
    'the large ring marks the knee (the highest rate sustained) and the dashed line the SLO.'
  return section(
    'capacity',
    'Capacity',
    `${chartBox(capacity.chart)}${table(capacity.summary)}<h3>Every attempt</h3>${table(capacity.steps)}`,
    note,
  )
}

function sourceFacts(source: SourceInfo): string {
  const rows = source.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
  const title = `${source.path}${source.label ? ` (${source.label})` : ''}`
  return `<h3>${escapeHtml(title)}</h3><table class="facts"><tbody>${rows.join('')}</tbody></table>`
}

/** Figures line up on the right; words read from the left. */
const numeric = /^(-?[\d,]+(\.\d+)?|n\/a|\d+\/\d+|yes|no)$/

function table(t: TextTable): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')
  const rows = t.rows.map(
    (r) => `<tr>${r.map((cell) => `<td${numeric.test(cell) ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`,
  )
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`
}

const pageStyle = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto; max-width: 1200px; padding: 0 16px 32px; }
h1 { font-size: 22px; margin: 20px 0 4px; } h2 { font-size: 18px; margin: 28px 0 6px; border-bottom: 1px solid #ddd; } h3 { font-size: 14px; margin: 14px 0 6px; }
.files { margin: 0; padding-left: 18px; color: #444; } .note { color: #555; max-width: 900px; margin: 4px 0 10px; }
figure.chart { margin: 10px 0 18px; } figcaption { font-weight: 600; margin-bottom: 4px; }
figcaption button { font: inherit; font-weight: normal; font-size: 12px; margin-left: 8px; cursor: pointer; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; } td.num { text-align: right; } thead th { text-align: center; }
thead th { background: #f5f5f5; } table.facts th { text-align: left; font-weight: normal; color: #555; background: #fafafa; }
.bars { margin: 6px 0 14px; } .bar-row { display: flex; align-items: center; gap: 8px; margin: 2px 0; }
.bar-label { width: 260px; text-align: right; color: #333; } .bar-track { flex: 0 1 600px; background: #f2f2f2; height: 16px; }
.bar { display: block; height: 16px; } .bar-value { width: 80px; font-variant-numeric: tabular-nums; }
footer { margin-top: 32px; color: #777; font-size: 12px; }
`
