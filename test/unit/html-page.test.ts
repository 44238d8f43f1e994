import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildReportData } from '../../src/report/html/data.js'
import { renderPage, scriptJson } from '../../src/report/html/page.js'
import { fourTransportRun } from '../helpers/report-inputs.js'

const assets = {
  chartScript: 'var uPlot = function () {} /* </script> inside the library */',
  chartStyle: '.u-legend {}',
  chartCredit: 'uPlot 0 (MIT)',
}

describe('the HTML page', () => {
  const run = fourTransportRun()
  run.results[0]!.transport = '</script><script>alert(1)</script>'
  run.results[1]!.firstError = '<b>reset</b> & "closed"'
  const html = renderPage(buildReportData([{ path: 'results/<odd>.json', run }]), assets)

  it('escapes every text from a result file, in tables and in the embedded data', () => {
    assert.doesNotMatch(html, /<script>alert/)
    assert.match(html, /&#60;b&#62;reset&#60;\/b&#62; &#38; &#34;closed&#34;/)
    assert.match(html, /results\/&#60;odd&#62;\.json/)
  })

  it('keeps inlined library text from closing its element early', () => {
    assert.match(html, /<\\\/script> inside the library/)
    assert.equal(html.match(/<\/script>/g)!.length, 3, 'the data, the library and the page script, each closed once')
  })

  it('loads nothing from elsewhere: no src or href anywhere', () => {
    assert.doesNotMatch(html, /\s(src|href)=/i)
  })

  it('writes unknown figures as null, never as NaN (not JSON)', () => {
    assert.equal(scriptJson({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: '<' }), '{"a":null,"b":null,"c":"\\u003c"}')
  })
})
