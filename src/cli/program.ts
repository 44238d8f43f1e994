import { Command, Option } from 'commander'
import { capacityDefaults, runDefaults, serverDefaults } from '../config.js'
import { toolVersion } from '../context.js'
import { formatNames } from '../report/formats.js'
import type { FlagRef } from '../scenario/overrides.js'
import { transportNames } from '../transports/registry.js'
import { formatDurationMs } from '../units.js'
import * as parse from './args.js'
import { addBrowserOptions } from './browser-options.js'
import { capacityCommand, type CapacityFlags } from './capacity-command.js'
import { checkCommand } from './check-command.js'
import { compareCommand, type CompareFlags } from './compare-command.js'
import type { GateFlags } from './gate-flags.js'
import { addLimitOptions } from './limit-options.js'
import { addLinkOptions } from './link-options.js'
import { mergeCommand, type MergeFlags } from './merge-command.js'
import { reportCommand, type ReportFlags } from './report-command.js'
import { runCommand, type RunFlags } from './run-command.js'
import { scenariosCommand } from './scenarios-command.js'
import { addSecurityOptions } from './security-options.js'
import { serveCommand, type ServeFlags } from './serve-command.js'
import { addSettingOptions, settingFlagValues, typedSetting } from './setting-options.js'

const runExamples = `
Examples:
  $ transport-bench run
  $ transport-bench run --transports sse,websocket --pairs 500 --rate 20 --duration 30s
  $ transport-bench run --transports short-polling --poll-interval 250ms --format csv > poll.csv
  $ transport-bench run --target http://127.0.0.1:8080 --ws-send socket --pin
  $ transport-bench run --transports websocket --pairs 2000 --workers 2 --pin
  $ transport-bench run ticker --transports sse,websocket --receivers 200
  $ transport-bench run ./my-scenario.yaml --dry-run
  $ transport-bench run --tls --transports sse,websocket
  $ transport-bench run --target https://127.0.0.1:8443 --ca server.pem --token "$TOKEN"`

const serveExamples = `
Examples:
  $ transport-bench serve
  $ transport-bench serve --port 9000
  $ transport-bench serve --tls --port 8443 > server.pem
  $ transport-bench serve --cors http://localhost:5173 --token "$TOKEN"
  $ transport-bench serve --host 0.0.0.0 --token "$TOKEN" --cert server.pem --key server-key.pem`

/** A duration flag whose default shows in --help as typed (`8s`), not in milliseconds. */
function durationOption(flags: string, description: string, defaultMs: number, parser = parse.durationMs): Option {
  return new Option(flags, description).argParser(parser).default(defaultMs, formatDurationMs(defaultMs))
}

/** What each message and each transport is set to (every registered transport's own flags), shared by `run` and `capacity`. */
function addMessageOptions(command: Command, sendNote = ''): Command {
  return addSettingOptions(
    command.option('--payload <bytes>', 'bytes of data per message', parse.payloadBytes, runDefaults.payloadBytes),
    sendNote,
  )
}

/** The gate's flags, shared by `run` and `check`. */
function addGateOptions(command: Command): Command {
  return command
    .option('--baseline <file>', 'results (.json or .csv) to compare with')
    .option(
      '--max-regression <rules>',
      'how much each metric may grow over the baseline, e.g. p99=10%,bytes_down_per_msg=5%',
      parse.maxRegression,
    )
    .option('--fail-if <rules>', "absolute budgets, e.g. 'p99_ms>50,lost>0' (operators > >= < <= ==)", parse.failIf)
    .option('--strict', 'fail on a regression even when the --repeat ranges of the two runs overlap')
    .option('--junit <file>', 'write every check as a JUnit test case')
    .option('--allow-settings-change', 'compare with a baseline measured at other settings (a deliberate experiment)')
}

const capacityExamples = `
Examples:
  $ transport-bench capacity
  $ transport-bench capacity --transports sse,websocket,websocket:socket --slo 20ms
  $ transport-bench capacity --transports websocket --ws-send socket --pin
  $ transport-bench capacity --start-rate 5000 --factor 2 --max-rate 80000 --refine 3 --format csv > knee.csv
  $ transport-bench capacity --target http://127.0.0.1:8080 --transports long-polling`

const reportExamples = `
Examples:
  $ transport-bench report results/2026-11-26T13-05-00Z-run.json -o report.html
  $ transport-bench report poll-100ms.json poll-200ms.json -o polls.html
  $ transport-bench report results/2026-11-26T14-00-00Z-capacity.json -o capacity.html`

const gateExamples = `
Examples:
  $ transport-bench check results/new.json --baseline results/base.json --max-regression p99=10%
  $ transport-bench check results/new.json --fail-if 'p99_ms>50,lost>0' --junit gate.xml`

/** `capacity`: the run's workload flags where they make sense, and how the rate climbs. */
function addCapacityCommand(program: Command): void {
  const d = capacityDefaults
  const capacity = program
    .command('capacity')
    .description(
      "raise the message rate step by step until p99 passes an SLO, a message is lost or the generator falls behind; print each transport's highest sustained msg/s",
    )
    .addOption(
      new Option('--transports <list>', 'comma-separated, in this order; websocket:socket or websocket:post fixes how userA sends')
        .argParser(parse.transportEntryList)
        .default(
          transportNames.map((name) => ({ name })),
          transportNames.join(','),
        ),
    )
    .option('--pairs <n>', 'userA/userB pairs, fixed: each step raises the rate per pair', parse.positiveInt, d.pairs)
    .option('--start-rate <n>', 'messages/s of the first step, all pairs together', parse.positiveNumber, d.startRatePerSec)
    .option('--factor <x>', 'each step asks this many times the last', parse.growthFactor, d.factor)
    .option('--max-rate <n>', 'messages/s of the last step: the climb stops there', parse.positiveNumber, d.maxRatePerSec)
    .option('--max-steps <n>', 'climbing steps at most, refinements not counted', parse.positiveInt, d.maxSteps)
    .option('--refine <n>', 'bisections between the last pass and the first failure', parse.refineCount, d.refine)
    .option('--retries <n>', 'times a failing step is measured again before it counts as failed', parse.retryCount, d.retries)
    .addOption(durationOption('--step-duration <time>', 'measured time per step', d.stepDurationMs))
    .addOption(durationOption('--step-warmup <time>', 'time before measuring each step', d.stepWarmupMs, parse.durationOrZeroMs))
    .addOption(durationOption('--slo <time>', 'a step passes while p99 stays at or below this', d.sloMs))
    .option('--target <url>', 'measure a running server instead of a fresh one per step', parse.targetOrigin)
    .option('--pin', 'Linux: pin the server and the generator to separate cores (taskset)')
    .option('--out <dir>', 'folder for the CSV (one row per step) and JSON results', runDefaults.outDir)
    .option('--no-save', 'do not write result files')
    .addOption(
      new Option('--format <name>', `what goes to stdout: table (one line per transport), csv (every step), json`)
        .argParser(parse.capacityFormat)
        .default('table'),
    )
    .option('--quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      `\nEach step runs ${formatDurationMs(d.stepDurationMs)} after ${formatDurationMs(d.stepWarmupMs)} of warm-up on a fresh server.${capacityExamples}`,
    )
    .action((flags: Omit<CapacityFlags, 'settings'>, command: Command) =>
      capacityCommand({ ...flags, settings: settingFlagValues(command) }),
    )
  addLinkOptions(addMessageOptions(capacity, ' (unless the list says)'))
  addSecurityOptions(capacity).option('--ca <file>', 'on --target https://: PEM certificate to trust instead of the system CAs')
}

/** `run`'s action: the transports' setting flags gathered by transport, and which flags the user typed. */
function runAction(scenario: string | undefined, flags: Omit<RunFlags, 'settings'>, command: Command): Promise<void> {
  const given = (flag: FlagRef): boolean =>
    typeof flag === 'string' ? command.getOptionValueSource(flag) === 'cli' : typedSetting(command, flag)
  return runCommand({ ...flags, settings: settingFlagValues(command) }, { scenario, given })
}

/** `report`: result files drawn as one HTML page. */
function addReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'draw JSON results (run, merge or capacity) as one self-contained HTML page: latency by percentile and over time, cost per message, generator health; several files overlaid',
    )
    .argument('<files...>', 'JSON results to draw')
    .option('-o, --out <file>', 'where to write the page', 'report.html')
    .addHelpText('after', reportExamples)
    .action((files: string[], flags: ReportFlags) => reportCommand(files, flags))
}

/** The command line: `run` measures, `serve` hosts the server alone. Parsing only; actions live beside. */
export function buildProgram(): Command {
  const program = new Command('transport-bench')
    .description(
      'Measure how short polling, long polling, Server-Sent Events and WebSockets deliver messages: latency, request cost, correctness.',
    )
    .version(toolVersion())
    .option('--debug', 'show stack traces of unexpected errors')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showHelpAfterError(false)

  const run = program
    .command('run')
    .description('start a server, drive userA/userB pairs (or a scenario) through each transport in turn, print what each cost')
    .argument(
      '[scenario]',
      "a shipped scenario's name (see 'transport-bench scenarios') or a scenario file; flags given override its values",
    )
    .option('--transports <list>', `comma-separated, run in this order: ${transportNames.join(',')}`, parse.transportList, [
      ...transportNames,
    ])
    .option(
      '--pairs <n>',
      'userA/userB pairs (in a scenario: its groups of one sender and its receivers)',
      parse.positiveInt,
      runDefaults.pairs,
    )
    .option('--receivers <n>', 'receivers per group: more than 1 fans each message out to a room', parse.positiveInt, 1)
    .option('--idle <n>', 'receivers connected for the whole run and sent nothing', parse.wholeNumber, 0)
    .option('--rate <n>', 'messages per second per pair', parse.positiveNumber, runDefaults.ratePerSec)
    .addOption(durationOption('--duration <time>', 'measured time per transport (500ms, 10s, 2m)', runDefaults.durationMs))
    .addOption(
      durationOption('--warmup <time>', 'time before measuring, excluded from every figure', runDefaults.warmupMs, parse.durationOrZeroMs),
    )
    .option('--target <url>', 'measure a running server (see docs/PROTOCOL.md) instead of starting one', parse.targetOrigin)
    .option('--pin', 'Linux: pin the server and the generator to separate cores (taskset)')
    .option(
      '--workers <n>',
      'load-generator processes, each driving a share of the groups (with --pin: spread over the cores beside the server)',
      parse.workers,
      1,
    )
    .option('--out <dir>', 'folder for the CSV and JSON results', runDefaults.outDir)
    .option('--no-save', 'do not write result files')
    .option('--html [file]', 'also write an HTML report with latency plots (default: beside the results, same name, .html)')
    .addOption(
      new Option('--format <name>', `what goes to stdout: ${formatNames('run').join(', ')}`).argParser(parse.runFormat).default('table'),
    )
    .option('--wide', 'the table with every column, not the 100-column default')
    .option('--columns <list>', 'the table’s columns after the transport, e.g. p50,p99,p999,conns,flags', parse.tableColumnList)
    .option('--quiet', 'no progress line and no notices on stderr')
    .option('--dry-run', 'print the fully resolved scenario and exit')
    .addHelpText(
      'after',
      `\nDefaults measure ${formatDurationMs(runDefaults.durationMs)} per transport after ${formatDurationMs(runDefaults.warmupMs)} of warm-up.${runExamples}`,
    )
    .action(runAction)
  addLinkOptions(addMessageOptions(run))
  addGateOptions(run).option(
    '--repeat <n>',
    'runs per transport, each on a fresh server; rows hold the medians and the p50/p99 min–max',
    parse.positiveInt,
    1,
  )
  addSecurityOptions(run).option('--ca <file>', 'on run --target https://: PEM certificate to trust instead of the system CAs')
  addBrowserOptions(run)
  run
    .option(
      '--faults <list>',
      'inject faults into the receivers’ connections: drop-every=2s, drop-rate=0.5, stall=3s, stall-at=5s, restart',
    )
    .option(
      '--shard <i/n>',
      'drive only share i (from 0) of n of the groups, as one of n machines; merge the n results (docs/DISTRIBUTED.md)',
      parse.shard,
    )
    .option('--start-at <time>', 'start the warm-up at this instant (ISO with zone, or +30s): every shard gives the same', parse.startAt)

  addCapacityCommand(program)

  addGateOptions(program.command('check').argument('<results>', 'results (.json or .csv) to check'))
    .description('check saved results against a baseline and budgets; exit 3 on a violation')
    .addHelpText('after', gateExamples)
    .action((file: string, flags: GateFlags) => checkCommand(file, flags))

  program
    .command('compare')
    .description('compare result files (.csv or .json), of any settings, against the first: one narrow table per metric')
    .argument('<files...>', 'the base, then one or more to compare with it')
    .option('--metrics <list>', 'metrics to show, e.g. p50,p99,recv_requests_per_msg (p99 or p99_ms)', parse.metricList)
    .addOption(new Option('--format <name>', 'table, csv or markdown (for a pull request)').argParser(parse.compareFormat).default('table'))
    .option('--label <name>', 'a file’s name in the tables, once per file in order (default: the settings that differ)', parse.collect)
    .addOption(new Option('--allow-settings-change').hideHelp())
    .action((files: string[], flags: CompareFlags) => compareCommand(files, flags))

  program
    .command('merge')
    .description('add up runs of the same settings into one result, percentiles re-summarised from the added histograms')
    .argument('<files...>', 'JSON results to merge')
    .requiredOption('-o, --out <file>', 'where to write the merged JSON')
    .action((files: string[], flags: MergeFlags) => mergeCommand(files, flags))

  addReportCommand(program)

  program.command('scenarios').description('list the shipped scenarios, one line each').action(scenariosCommand)

  const serve = program
    .command('serve')
    .description('run the benchmark server alone, for run --target')
    .option('--host <address>', 'address to bind', serverDefaults.host)
    .option('--port <n>', 'port to bind (0 picks a free one)', parse.port, serverDefaults.port)
    .option('--cors <origin>', "a browser origin besides the server's own that may call it (repeatable; '*' for any)", parse.corsOrigin)
    .addHelpText('after', serveExamples)
    .action((flags: ServeFlags) => serveCommand(flags))
  addLimitOptions(addSecurityOptions(serve))

  return program
}
