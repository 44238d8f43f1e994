/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return */
/**
 * The page's own script. It runs in the browser, never in Node: the page embeds its source
 * (Function.prototype.toString) and calls it with the window, uPlot and the report's data
 * (data.ts's ReportData), so it may use nothing but its parameters. Its arguments are typed
 * `any` because Node's type definitions have no DOM; the browser test runs every line of it.
 */
export function drawCharts(win: any, uPlot: any, data: any): void {
  const doc = win.document
  /** What was drawn, for a reader's console and for the browser test. */
  const drawn: any[] = []
  win.__charts = drawn
  const charts = [data.distribution, ...data.timelines, data.capacity ? data.capacity.chart : null].filter(Boolean)

  const trim = (text: string): string => (text.includes('.') ? text.replace(/\.?0+$/, '') : text)
  const formatX = (format: string, v: number | null): string => {
    if (v === null || v === undefined) return '–'
    if (format === 'percentile') return trim((100 * (1 - 1 / v)).toFixed(v < 10 ? 1 : Math.ceil(Math.log10(v)) + 1)) + '%'
    if (format === 'seconds') return v + ' s'
    if (format === 'rate') return Math.round(v).toLocaleString('en-US') + ' msg/s'
    return trim(v.toFixed(3)) + ' ms'
  }
  const formatMs = (v: number | null): string => (v === null || v === undefined ? '–' : trim(v.toFixed(3)) + ' ms')

  const seriesOpts = (s: any): any => {
    const opts: any = {
      label: s.label,
      stroke: s.colour,
      width: s.width,
      dash: s.dash,
      spanGaps: true,
      points: { show: s.pointSize > 0, size: s.pointSize, stroke: s.colour, fill: '#ffffff', width: 2 },
      value: (_u: any, v: number | null) => formatMs(v),
    }
    if (!s.line) opts.paths = () => null
    return opts
  }

  const xAxis = (chart: any): any => {
    const labels = new Map((chart.x.ticks ?? []).map((t: any) => [t.value, t.label]))
    const short = (v: number): string => (chart.x.format === 'rate' ? (v >= 1000 ? v / 1000 + 'k' : String(v)) : v + ' s')
    return {
      label: chart.x.label,
      ...(chart.x.ticks ? { splits: () => chart.x.ticks.map((t: any) => t.value) } : {}),
      // Whole seconds on a timeline: a slot is never shorter.
      ...(chart.x.format === 'seconds' ? { incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600] } : {}),
      // A log axis passes null for the splits it leaves unlabelled.
      values: (_u: any, splits: (number | null)[]) =>
        splits.map((v) => (v === null ? '' : chart.x.ticks ? (labels.get(v) ?? '') : short(v))),
    }
  }

  const build = (chart: any, holder: any, yLog: boolean): any => {
    const x: any = { time: false, distr: chart.x.log ? 3 : 1 }
    // The x range is the data's own: a log scale would otherwise snap out to powers of ten.
    x.range = chart.x.ticks
      ? () => [chart.x.ticks[0].value, chart.x.ticks[chart.x.ticks.length - 1].value]
      : () => [chart.xs[0], chart.xs[chart.xs.length - 1]]
    const opts = {
      width: Math.max(320, Math.min(holder.clientWidth || 960, 1160)),
      height: 380,
      scales: { x, y: { distr: yLog ? 3 : 1 } },
      axes: [xAxis(chart), { label: chart.y.label, size: 64 }],
      series: [
        { label: chart.x.format, value: (_u: any, v: number | null) => formatX(chart.x.format, v) },
        ...chart.series.map(seriesOpts),
      ],
      legend: { live: true },
    }
    return new uPlot(opts, [chart.xs, ...chart.series.map((s: any) => s.values)], holder)
  }

  for (const chart of charts) {
    const holder = doc.getElementById('chart-' + chart.id)
    if (!holder) continue
    const entry: any = { id: chart.id, title: chart.title, series: chart.series.map((s: any) => s.label), yLog: chart.y.log }
    entry.plot = build(chart, holder, entry.yLog)
    const toggle = doc.querySelector('button[data-chart="' + chart.id + '"]')
    if (toggle) {
      toggle.textContent = entry.yLog ? 'latency axis: log' : 'latency axis: linear'
      toggle.addEventListener('click', () => {
        entry.yLog = !entry.yLog
        entry.plot.destroy()
        entry.plot = build(chart, holder, entry.yLog)
        toggle.textContent = entry.yLog ? 'latency axis: log' : 'latency axis: linear'
      })
    }
    drawn.push(entry)
  }
}
