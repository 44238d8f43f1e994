/**
 * A receiver's cursor together with the server instance that gave it out. The server names its
 * instance in every answer (`instance-id`); a cursor sent with its instance is refused `409`
 * by another instance, and the receiver then starts over from 0 with the new one, knowingly.
 */
export class InstanceCursor {
  cursor = 0
  instance: string | undefined

  /** The query that carries the cursor: `after=N`, with `&instance=I` once an answer named it. */
  query(): string {
    return this.instance === undefined ? `after=${this.cursor}` : `after=${this.cursor}&instance=${this.instance}`
  }

  /** Takes the instance an answer names; another than the cursor's means the server restarted: start over. */
  answeredBy(instance: unknown): void {
    if (typeof instance !== 'string') return
    if (this.instance !== undefined && instance !== this.instance) this.cursor = 0
    this.instance = instance
  }
}
