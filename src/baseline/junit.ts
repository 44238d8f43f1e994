import { describeViolation, type Check } from './gate.js'

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
}

function testCase(c: Check): string {
  const name = escapeXml(c.limit)
  const open = `    <testcase classname="transport-bench.${escapeXml(c.transport)}" name="${name}" time="0"`
  if (c.passed) return `${open}/>`
  const message = escapeXml(describeViolation(c))
  return `${open}>\n      <failure message="${message}" type="${c.kind}">${message}</failure>\n    </testcase>`
}

/** Every check as a JUnit test case, passing ones too, so CI shows what the gate looked at. */
export function formatJunit(checks: readonly Check[], suiteName = 'transport-bench gate'): string {
  const failures = checks.filter((c) => !c.passed).length
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(suiteName)}" tests="${checks.length}" failures="${failures}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${checks.length}" failures="${failures}" errors="0" skipped="0">`,
    ...checks.map(testCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
