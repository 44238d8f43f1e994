import { errorCode, UserError } from '../errors.js'
import { writeResultPair } from '../report/files.js'
import { prepareOutDir, prepareOutFile } from '../report/out-dir.js'
import { ProgressLine } from './progress.js'

/** The flags every measuring command (run, capacity) has for what it says and keeps. */
export interface OutputFlags {
  quiet?: boolean
  save: boolean
  out: string
}

/** How a command's report becomes its two result files. */
export interface ResultWriter<R> {
  /** `2026-11-26T13-05-00Z-run`: the files' name without extension. */
  baseName(report: R): string
  render(report: R): { csv: string; json: string }
}

/**
 * What a measuring command says on stderr while it works (notices, a live progress line) and
 * keeps on disk as it goes: the result files are rewritten after every finished piece, one
 * write at a time, so a late failure keeps what finished.
 */
export class MeasuringOutput<R> {
  readonly progress: ProgressLine
  private saving: Promise<string | undefined> = Promise.resolve(undefined)

  constructor(
    private readonly flags: OutputFlags,
    private readonly writer: ResultWriter<R>,
  ) {
    this.progress = new ProgressLine(flags.quiet === true)
  }

  /** One line on stderr, unless --quiet; clears the progress line first. */
  readonly notice = (text: string): void => {
    this.progress.clear()
    if (this.flags.quiet !== true) process.stderr.write(`${text}\n`)
  }

  /** Before the first measurement: creates --out and writes a probe there (with --save), and creates `extraFiles`; a failure is bad input. */
  async prepare(extraFiles: readonly [flag: string, file: string | undefined][] = []): Promise<void> {
    if (this.flags.save) {
      await prepareOutDir(this.flags.out).catch((err: unknown) => {
        throw new UserError(`--out ${this.flags.out}: cannot write results there (${errorCode(err) ?? 'error'}); choose a writable folder`)
      })
    }
    for (const [flag, file] of extraFiles) {
      if (file === undefined) continue
      await prepareOutFile(file).catch((err: unknown) => {
        throw new UserError(`${flag} ${file}: cannot write it (${errorCode(err) ?? 'error'}); choose a writable path`)
      })
    }
  }

  /** Queues a rewrite of the result files with `report` as it stands (a no-op with --no-save). */
  keep(report: R): void {
    if (!this.flags.save) return
    this.saving = this.saving.then(() => this.write(report))
  }

  /** Waits for the last write, prints the result (stdout), then says where the files are. */
  async finish(printResult: () => void): Promise<void> {
    this.progress.clear()
    const written = await this.saving
    printResult()
    if (written !== undefined) this.notice(`results written to ${written}.{csv,json}`)
  }

  private async write(report: R): Promise<string> {
    try {
      const files = await writeResultPair(this.flags.out, this.writer.baseName(report), this.writer.render(report))
      return files.csv.replace(/\.csv$/, '')
    } catch (err) {
      const out = this.flags.out
      throw new UserError(`--out ${out}: cannot write results there (${errorCode(err) ?? 'error'}); choose a writable folder`, 1)
    }
  }
}
