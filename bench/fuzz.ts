/**
 * `npm run fuzz`: throws seeded malformed input at a fresh server while well-behaved pairs
 * send, and prints what it tried and what broke. FUZZ_SEED, FUZZ_RUNS and FUZZ_TIME_MS vary it.
 */
import { fuzzServer } from '../test/helpers/fuzz.js'

const outcome = await fuzzServer({
  seed: Number(process.env.FUZZ_SEED ?? 20261126),
  numRuns: Number(process.env.FUZZ_RUNS ?? 400),
  timeLimitMs: Number(process.env.FUZZ_TIME_MS ?? 12_000),
})
process.stdout.write(
  `seed ${outcome.seed}: ${outcome.inputsTried} inputs tried, ${outcome.crashes} crashes, ${outcome.serverErrors} 5xx answers; ` +
    `well-behaved pairs: ${outcome.delivered} delivered, ${outcome.lost} lost\n`,
)
if (outcome.firstFailure !== null) process.stdout.write(`first failure: ${outcome.firstFailure}\n`)
process.exitCode = outcome.crashes > 0 || outcome.serverErrors > 0 || outcome.lost > 0 ? 1 : 0
