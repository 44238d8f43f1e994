/**
 * Runs autocannon in a process of its own (so it can be pinned with taskset, away from the
 * server) and prints one JSON line: requests, seconds, failures and this process's CPU time.
 * autocannon reads each response body but does not parse it.
 * Usage: node autocannon-child.js <url> <connections> <seconds>
 */
import { createRequire } from 'node:module'

interface AutocannonResult {
  requests: { total: number }
  duration: number
  non2xx: number
  errors: number
}
type Autocannon = (options: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>

/** What the parent reads back from stdout. */
export interface AutocannonFigures {
  requests: number
  seconds: number
  failures: number
  cpuUs: number
}

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon
const [url, connections, seconds] = process.argv.slice(2)
const cpuBefore = process.cpuUsage()
const result = await autocannon({ url: url!, connections: Number(connections), duration: Number(seconds) })
const cpu = process.cpuUsage(cpuBefore)
const figures: AutocannonFigures = {
  requests: result.requests.total,
  seconds: result.duration,
  failures: result.non2xx + result.errors,
  cpuUs: cpu.user + cpu.system,
}
process.stdout.write(`${JSON.stringify(figures)}\n`)
