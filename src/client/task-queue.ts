/** A task due at a time on the generator's clock. */
export interface Timed {
  due: number
  run: () => void
}

/** A binary min-heap of tasks by due time: the scheduler's pending work. */
export class TaskQueue {
  private readonly heap: Timed[] = []

  get size(): number {
    return this.heap.length
  }

  peek(): Timed | undefined {
    return this.heap[0]
  }

  push(task: Timed): void {
    const heap = this.heap
    heap.push(task)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (heap[parent]!.due <= task.due) break
      heap[i] = heap[parent]!
      i = parent
    }
    heap[i] = task
  }

  pop(): Timed | undefined {
    const heap = this.heap
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined || heap.length === 0) return top
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && heap[right]!.due < heap[left]!.due ? right : left
      if (heap[child]!.due >= last.due) break
      heap[i] = heap[child]!
      i = child
    }
    heap[i] = last
    return top
  }

  clear(): void {
    this.heap.length = 0
  }
}
