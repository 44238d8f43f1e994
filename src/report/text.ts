/** Terminal text helpers: a width the default output keeps to, word wrapping, and borderless aligned columns. */

/** Columns the default terminal output fits in. */
export const terminalWidth = 100

/**
 * Wraps `text` at spaces so no line is longer than `width`; lines after the first start with
 * `indent` (after the text's own leading spaces). A word longer than the line stays whole.
 * Lengths are counted in UTF-8 bytes, as `awk '{ print length }'` counts them in most
 * locales: a line with `µ` or `×` wraps a little early rather than a little late.
 */
export function wrap(text: string, width = terminalWidth, indent = '  '): string {
  const lead = /^ */.exec(text)![0]
  const lines: string[] = []
  let line = ''
  for (const word of text.slice(lead.length).split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`
    const prefix = lines.length === 0 ? lead : lead + indent
    if (line !== '' && byteLength(prefix + candidate) > width) {
      lines.push(prefix + line)
      line = word
    } else {
      line = candidate
    }
  }
  lines.push((lines.length === 0 ? lead : lead + indent) + line)
  return lines.join('\n')
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Display width of a string: characters, not UTF-16 units (`µ`, `×`, `–` are one column each). */
export function displayWidth(text: string): number {
  return [...text].length
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return align === 'left' ? text + fill : fill + text
}

/**
 * Rows as aligned columns separated by two spaces, the head underlined, no borders: the first
 * and the last-but-text columns left-aligned as `align` says. Trailing spaces are trimmed.
 */
export function columns(head: readonly string[], rows: readonly (readonly string[])[], align: readonly ('left' | 'right')[]): string {
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i]!, align[i] ?? 'right'))
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [line(head), rule, ...rows.map(line)].join('\n')
}
