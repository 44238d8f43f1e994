import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { projectRoot } from '../../src/context.js'
import { formatJson } from '../../src/report/json.js'
import { csvHeader } from '../../src/results/columns.js'
import { settingColumns } from '../../src/transports/reporting.js'
import { resultsSchemaErrors } from '../helpers/results-schema.js'
import { fixtureReport, fixtureResult } from './fixtures.js'

describe('the results schema (docs/results-v1.schema.json)', () => {
  it('accepts a run as formatJson writes it, unknown figures and repeats included', () => {
    const report = fixtureReport()
    report.results.push(
      fixtureResult({ transport: 'long-polling', repeats: { count: 3, p50Ms: { min: 1, max: 2 }, p99Ms: { min: 3, max: 4 } } }),
    )
    assert.deepEqual(resultsSchemaErrors(JSON.parse(formatJson(report))), [])
  })

  it('refuses a file of another schema version, or a result without its figures', () => {
    const data = JSON.parse(formatJson(fixtureReport())) as { schemaVersion: number; results: Record<string, unknown>[] }
    assert.notDeepEqual(resultsSchemaErrors({ ...data, schemaVersion: 2 }), [])
    delete data.results[0]!.latency
    assert.match(resultsSchemaErrors(data).join('\n'), /latency/)
  })
})

describe('docs/RESULTS.md', () => {
  const doc = readFileSync(join(projectRoot, 'docs', 'RESULTS.md'), 'utf8')

  it('documents every CSV column, but for a newer transport setting’s (its folder declares it)', () => {
    const own = new Set(settingColumns('end').map((c) => c.name))
    const missing = csvHeader.filter((column) => !own.has(column) && !doc.includes(`\`${column}\``))
    assert.deepEqual(missing, [])
  })

  it('documents every top-level field of a result and of the summary in the JSON', () => {
    const data = JSON.parse(formatJson(fixtureReport())) as { summary: Record<string, unknown>; results: Record<string, unknown>[] }
    const fields = [...Object.keys(data.results[0]!), 'repeats', 'settings', 'stages', 'timeline', ...Object.keys(data.summary)]
    const missing = [...new Set(fields)].filter((field) => !doc.includes(`\`${field}\``))
    assert.deepEqual(missing, [])
  })
})
