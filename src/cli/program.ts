import { Command, Option } from 'commander'
import { runDefaults, serverDefaults } from '../config.js'
import { toolVersion } from '../context.js'
import { formatNames } from '../report/formats.js'
import { transportNames } from '../transports/registry.js'
import { formatDurationMs } from '../units.js'
import * as parse from './args.js'
import { addLimitOptions } from './limit-options.js'
import { runCommand, type RunFlags } from './run-command.js'
import { addSecurityOptions } from './security-options.js'
import { serveCommand, type ServeFlags } from './serve-command.js'

const runExamples = `
Examples:
  $ transport-bench run
  $ transport-bench run --transports sse,websocket --pairs 500 --rate 20 --duration 30s
  $ transport-bench run --transports short-polling --poll-interval 250ms --format csv > poll.csv
  $ transport-bench run --target http://127.0.0.1:8080 --ws-send socket --pin
  $ transport-bench run --tls --transports sse,websocket
  $ transport-bench run --target https://127.0.0.1:8443 --ca server.pem --token "$TOKEN"`

const serveExamples = `
Examples:
  $ transport-bench serve
  $ transport-bench serve --port 9000
  $ transport-bench serve --tls --port 8443 > server.pem
  $ transport-bench serve --host 0.0.0.0 --token "$TOKEN" --cert server.pem --key server-key.pem`

/** A duration flag whose default shows in --help as typed (`8s`), not in milliseconds. */
function durationOption(flags: string, description: string, defaultMs: number, parser = parse.durationMs): Option {
  return new Option(flags, description).argParser(parser).default(defaultMs, formatDurationMs(defaultMs))
}

/** The command line: `run` measures, `serve` hosts the server alone. Parsing only; actions live beside. */
export function buildProgram(): Command {
  const program = new Command('transport-bench')
    .description('Measure how short polling, long polling, Server-Sent Events and WebSockets deliver messages: latency, request cost, correctness.')
    .version(toolVersion())
    .option('--debug', 'show stack traces of unexpected errors')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showHelpAfterError(false)

  const run = program
    .command('run')
    .description('start a server, drive userA/userB pairs through each transport in turn, print what each cost')
    .option('--transports <list>', `comma-separated, run in this order: ${transportNames.join(',')}`, parse.transportList, [...transportNames])
    .option('--pairs <n>', 'userA/userB pairs', parse.positiveInt, runDefaults.pairs)
    .option('--rate <n>', 'messages per second per pair', parse.positiveNumber, runDefaults.ratePerSec)
    .addOption(durationOption('--duration <time>', 'measured time per transport (500ms, 10s, 2m)', runDefaults.durationMs))
    .addOption(durationOption('--warmup <time>', 'time before measuring, excluded from every figure', runDefaults.warmupMs, parse.durationOrZeroMs))
    .option('--payload <bytes>', 'bytes of data per message', parse.payloadBytes, runDefaults.payloadBytes)
    .addOption(durationOption('--poll-interval <time>', 'short polling: time between poll starts', runDefaults.pollIntervalMs))
    .addOption(durationOption('--long-poll-timeout <time>', 'long polling: how long the server holds an empty poll', runDefaults.longPollTimeoutMs, parse.holdMs))
    .addOption(new Option('--ws-send <how>', 'WebSocket userA sends by POST or on its own socket').argParser(parse.sendMode).default('post'))
    .option('--target <url>', 'measure a running server (see docs/PROTOCOL.md) instead of starting one', parse.targetOrigin)
    .option('--pin', 'Linux: pin the server and the generator to separate cores (taskset)')
    .option('--out <dir>', 'folder for the CSV and JSON results', runDefaults.outDir)
    .option('--no-save', 'do not write result files')
    .addOption(new Option('--format <name>', `what goes to stdout: ${formatNames.join(', ')}`).argParser(parse.format).default('table'))
    .option('--quiet', 'no progress line and no notices on stderr')
    .addHelpText('after', `\nDefaults measure ${formatDurationMs(runDefaults.durationMs)} per transport after ${formatDurationMs(runDefaults.warmupMs)} of warm-up.${runExamples}`)
    .action((flags: RunFlags) => runCommand(flags))
  addSecurityOptions(run).option('--ca <file>', 'on run --target https://: PEM certificate to trust instead of the system CAs')

  const serve = program
    .command('serve')
    .description('run the benchmark server alone, for run --target')
    .option('--host <address>', 'address to bind', serverDefaults.host)
    .option('--port <n>', 'port to bind (0 picks a free one)', parse.port, serverDefaults.port)
    .addHelpText('after', serveExamples)
    .action((flags: ServeFlags) => serveCommand(flags))
  addLimitOptions(addSecurityOptions(serve))

  return program
}
