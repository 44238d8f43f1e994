/**
 * How a transport declares a setting of its own, once, in its folder: the command line, scenario
 * files, the run, the reports and the baseline all read these declarations from the registry,
 * so no code outside the folder names the setting.
 */

/** One transport's settings by key: `{interval: 100}`. */
export type SettingValues = Readonly<Record<string, unknown>>

/** Every transport's settings by transport name: `{'short-polling': {interval: 100}, websocket: {send: 'post'}}`. */
export type TransportSettings = Readonly<Record<string, SettingValues>>

/** A value as a scenario file writes it and `--dry-run` prints it. */
export type Written = string | number | boolean

export interface Setting<T = unknown> {
  /** Its key under the transport in scenario files and in a run's settings: `interval` in `short-polling: {interval: 100ms}`. */
  readonly key: string
  /**
   * What it is in a few words (`poll interval`): the settings line says `poll interval 100ms`, a
   * baseline at another value `poll interval 100ms vs 200ms`.
   */
  readonly label: string
  readonly default: T
  readonly flag: SettingFlag
  /** The flag's text as a value; throws an Error whose message names the text and what would do. */
  parse(text: string): T
  /** The value as a file writes it (`100ms`); a sweep's rows are labelled with it too (`short-polling@250ms`). */
  format(value: T): Written
  readonly file: SettingFile<T>
  /** A clause of its own in the settings line (`WebSocket userA POSTs`); without one, the line says `<label> <value>`. */
  describe?(value: T): string
  /** Its CSV columns. A setting with a column `of: 'run'` is one a baseline must share with the run it gates. */
  readonly columns?: readonly SettingColumn[]
  /**
   * Its key in results written before settings were declared per transport (schemaVersion 1
   * `context.settings.pollIntervalMs`): still written there, so older readers keep working, and
   * read back from older files.
   */
  readonly legacyKey?: string
}

export interface SettingFlag {
  /** As released, with its argument: `--poll-interval <time>`. */
  readonly name: string
  readonly help: string
  /** The default as --help shows it (`100ms`); without one, commander shows the value quoted. */
  readonly shownDefault?: string
}

/** How a scenario file gives the setting. */
export interface SettingFile<T> {
  /** The JSON-schema piece for one value, with `expected`: the words a message uses for what would be accepted. */
  readonly schema: Readonly<Record<string, unknown>>
  /** A value the schema accepted, as the setting's. */
  read(written: Written): T
  /** What the schema cannot say (a range), or undefined when the value will do. */
  problem?(value: T, written: Written): SettingProblem | undefined
}

/** A value a file gives that the setting cannot use; the file's path is added where it is reported. */
export interface SettingProblem {
  what: string
  got: unknown
  expected: string
}

export interface SettingColumn {
  /** Its CSV name, kept for good once released: `poll_interval_ms`. */
  readonly name: string
  /** `run`: the run's value, on every row; `row`: the value the row ran with, which a sweep varies. */
  readonly of: 'run' | 'row'
  /**
   * Where it sits. The CSV only grows at its end, so a new column leaves this out and lands after
   * every other; the columns released before settings were per transport keep their places:
   * `run-settings` beside the run's pairs and payload, `scenario` among the scenario columns.
   */
  readonly place?: ColumnPlace
}

export type ColumnPlace = 'run-settings' | 'scenario' | 'end'
