import { Agent, request } from 'undici'
import { errorCode, messageOf, UserError } from '../errors.js'
import { authHeaders, type ServerAccess } from '../load/server-access.js'
import type { SendMode } from '../load/users.js'
import { choosePlacement } from '../pinning.js'
import { writeResults } from '../report/files.js'
import { formats, type FormatName } from '../report/formats.js'
import { runBenchmark, type RunOptions, type RunReport } from '../run.js'
import { findTransport } from '../transports/registry.js'
import type { Transport } from '../transports/types.js'
import { formatMs } from '../units.js'
import { ProgressLine } from './progress.js'
import { embeddedAccess, serverSecurity, targetAccess, type SecurityFlags } from './security-options.js'

/** `run`'s flags after commander has parsed and checked each one. */
export interface RunFlags extends SecurityFlags {
  transports: string[]
  pairs: number
  rate: number
  duration: number
  warmup: number
  payload: number
  pollInterval: number
  longPollTimeout: number
  wsSend: SendMode
  target?: string
  pin?: boolean
  out: string
  save: boolean
  format: FormatName
  quiet?: boolean
  ca?: string
}

export async function runCommand(flags: RunFlags): Promise<void> {
  const options = await resolveRunOptions(flags)
  const progress = new ProgressLine(flags.quiet === true)
  const notice = (text: string): void => {
    if (flags.quiet !== true) process.stderr.write(`${text}\n`)
  }
  // Results are rewritten after each transport, one write at a time, so a late failure keeps the rest.
  let saving: Promise<string | undefined> = Promise.resolve(undefined)
  const report = await runBenchmark(options, {
    ...(progress.enabled ? { onProgress: progress.update } : {}),
    onTransportDone: (result, partial) => {
      progress.clear()
      notice(`${result.transport}: ${result.delivered}/${result.sent} delivered, p50 ${formatMs(result.latency.p50Ms)} ms`)
      if (flags.save) saving = saving.then(() => save(flags.out, partial))
    },
  })
  progress.clear()
  const written = await saving
  process.stdout.write(formats[flags.format](report))
  if (written !== undefined) notice(`results written to ${written}.{csv,json}`)
}

async function save(outDir: string, report: RunReport): Promise<string> {
  try {
    const files = await writeResults(outDir, report)
    return files.csv.replace(/\.csv$/, '')
  } catch (err) {
    throw new UserError(`--out ${outDir}: cannot write results there (${errorCode(err) ?? 'error'}); choose a writable folder`, 1)
  }
}

async function resolveRunOptions(flags: RunFlags): Promise<RunOptions> {
  if (flags.ca !== undefined && flags.target === undefined) {
    throw new UserError(`--ca ${flags.ca}: only for --target; the embedded server's own certificate is trusted already`)
  }
  const options: RunOptions = {
    transports: flags.transports.map((name) => findTransport(name)).filter((t): t is Transport => t !== undefined),
    pairs: flags.pairs,
    ratePerSec: flags.rate,
    durationMs: flags.duration,
    warmupMs: flags.warmup,
    payloadBytes: flags.payload,
    settings: { pollIntervalMs: flags.pollInterval, longPollTimeoutMs: flags.longPollTimeout },
    wsSend: flags.wsSend,
  }
  if (flags.target !== undefined) {
    options.target = flags.target
    options.access = await targetAccess(flags.target, flags)
    await checkReachable(flags.target, options.access)
  } else {
    options.security = await serverSecurity(flags)
    options.access = embeddedAccess(options.security)
  }
  if (flags.pin === true) options.placement = choosePlacement()
  return options
}

/** Fails fast, in one line, when nothing answers at --target, its certificate is not trusted, or it wants a token. */
async function checkReachable(origin: string, access: ServerAccess): Promise<void> {
  const dispatcher = new Agent({ connect: access.ca !== undefined ? { ca: access.ca } : {} })
  try {
    const res = await request(`${origin}/stats`, { headersTimeout: 5000, bodyTimeout: 5000, headers: authHeaders(access), dispatcher })
    await res.body.dump()
    if (res.statusCode === 401) {
      throw new UserError(`--target ${origin}: the server answered 401 Unauthorized; pass the token it was started with as --token`)
    }
  } catch (err) {
    if (err instanceof UserError) throw err
    throw unreachable(origin, err)
  } finally {
    await dispatcher.close()
  }
}

const certificateProblem = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/

function unreachable(origin: string, err: unknown): UserError {
  const code = errorCode(err) ?? 'no answer'
  if (certificateProblem.test(code)) {
    return new UserError(
      `--target ${origin}: the server's TLS certificate is not trusted (${code}: ${messageOf(err)}); pass the certificate it serves with --ca FILE`,
    )
  }
  return new UserError(`--target ${origin}: cannot reach the server (${code}); start one with 'transport-bench serve' or drop --target`)
}

