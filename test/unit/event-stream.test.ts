import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeEvent, EventStreamParser } from '../../src/transports/sse/event-stream.js'

type Event = [id: string, data: string]

function parseChunks(chunks: readonly string[]): Event[] {
  const events: Event[] = []
  const parser = new EventStreamParser((id, data) => events.push([id, data]))
  for (const chunk of chunks) parser.push(chunk)
  return events
}

const oneCharAtATime = (text: string): string[] => [...text]

/** A deterministic pseudo-random generator, so a failing split can be reproduced. */
function seeded(seed: number): () => number {
  let state = seed
  return () => (state = (state * 48271) % 2147483647) / 2147483647
}

function randomChunks(text: string, random: () => number): string[] {
  const chunks: string[] = []
  for (let i = 0; i < text.length;) {
    const size = 1 + Math.floor(random() * 12)
    chunks.push(text.slice(i, i + size))
    i += size
  }
  return chunks
}

describe('encodeEvent', () => {
  const cases: [number, string, string][] = [
    [7, 'hello', 'id: 7\ndata: hello\n\n'],
    [1, '', 'id: 1\ndata: \n\n'],
    [8, 'a\nb', 'id: 8\ndata: a\ndata: b\n\n'],
    [9, 'a\r\nb\rc', 'id: 9\nevent: json\ndata: "a\\r\\nb\\rc"\n\n'],
    [10, 'a\n', 'id: 10\ndata: a\ndata: \n\n'],
    [11, 'k: v', 'id: 11\ndata: k: v\n\n'],
  ]
  for (const [id, data, wire] of cases) {
    it(`encodes id ${id} with data ${JSON.stringify(data)} as ${JSON.stringify(wire)}`, () => {
      assert.equal(encodeEvent(id, data), wire)
    })
  }
})

/** Two events, a comment, an event with a multi-line body, and fields the parser skips. */
const stream =
  encodeEvent(1, 'one') +
  ': keep-alive\n\n' +
  encodeEvent(2, 'two\nlines') +
  'event: custom\nretry: 1000\ndata: three\n\n' +
  ':comment\nid: 4\ndata:no-space\ndata:  two spaces\n\n'

const expected: Event[] = [
  ['1', 'one'],
  ['2', 'two\nlines'],
  ['2', 'three'],
  ['4', 'no-space\n two spaces'],
]

describe('EventStreamParser', () => {
  it('parses a whole stream in one chunk, skipping comments and unknown fields', () => {
    assert.deepEqual(parseChunks([stream]), expected)
  })

  it('parses the same stream fed one character at a time', () => {
    assert.deepEqual(parseChunks(oneCharAtATime(stream)), expected)
  })

  it('parses the same stream split in two at every position', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      assert.deepEqual(parseChunks([stream.slice(0, cut), stream.slice(cut)]), expected, `cut at ${cut}`)
    }
  })

  it('parses the same stream split into random chunks (200 seeded splits)', () => {
    const random = seeded(42)
    for (let round = 0; round < 200; round++) {
      const chunks = randomChunks(stream, random)
      assert.deepEqual(parseChunks(chunks), expected, `chunks ${JSON.stringify(chunks)}`)
    }
  })

  it('accepts CRLF line endings, whole or fed one character at a time (CR and LF in separate chunks)', () => {
    const crlf = 'id: 5\r\ndata: x\r\ndata: y\r\n\r\n: note\r\n\r\nid: 6\r\ndata: z\r\n\r\n'
    const want: Event[] = [
      ['5', 'x\ny'],
      ['6', 'z'],
    ]
    assert.deepEqual(parseChunks([crlf]), want)
    assert.deepEqual(parseChunks(oneCharAtATime(crlf)), want)
  })

  it('does not dispatch an event before its blank line arrives', () => {
    const events: Event[] = []
    const parser = new EventStreamParser((id, data) => events.push([id, data]))
    parser.push('id: 1\ndata: a\n')
    assert.deepEqual(events, [])
    parser.push('\n')
    assert.deepEqual(events, [['1', 'a']])
  })

  it('dispatches nothing for blocks with no data line (comments, ids, other fields only)', () => {
    assert.deepEqual(parseChunks([': hi\n\nid: 3\n\nevent: ping\n\n\n\n']), [])
  })

  it('treats a data line with no colon as an empty data line', () => {
    assert.deepEqual(parseChunks(['id: 1\ndata\n\n']), [['1', '']])
  })

  it('round-trips encodeEvent → parser for awkward data (colons, spaces, unicode, blank lines)', () => {
    const bodies = [
      'plain',
      '',
      ' leading space',
      'trailing space ',
      'a:b:c:',
      '::',
      'é ✓ 🚀',
      'line1\nline2\n\nline4',
      '\n',
      'data: nested',
      'x'.repeat(5000),
    ]
    const wire = bodies.map((data, i) => encodeEvent(i + 1, data)).join('')
    const want = bodies.map((data, i): Event => [String(i + 1), data])
    assert.deepEqual(parseChunks([wire]), want)
    assert.deepEqual(parseChunks(oneCharAtATime(wire)), want)
    assert.deepEqual(parseChunks(randomChunks(wire, seeded(7))), want)
  })

  it('round-trips random generated messages', () => {
    const random = seeded(2024)
    const alphabet = 'abc xyz:0123456789\n-_é'
    const events: Event[] = []
    let wire = ''
    for (let i = 1; i <= 300; i++) {
      const length = Math.floor(random() * 40)
      const data = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
      events.push([String(i), data])
      wire += encodeEvent(i, data)
    }
    assert.deepEqual(parseChunks(randomChunks(wire, random)), events)
  })

  it('accepts bare CR line endings, as the event-stream format allows', () => {
    assert.deepEqual(parseChunks(['id: 1\rdata: a\r\r']), [['1', 'a']])
  })
})

describe('data with a CR (sent as event: json)', () => {
  it('round-trips data with CR byte for byte (CRLF, lone CR, CR at either end), whole or one character at a time', () => {
    const bodies = ['a\r\nb\rc', '\r', 'end\r', '\rstart', 'mixed\n\r\n\r"quoted" \\ é']
    const wire = bodies.map((data, i) => encodeEvent(i + 1, data)).join('') + encodeEvent(9, 'after')
    const want = [...bodies.map((data, i): Event => [String(i + 1), data]), ['9', 'after'] as Event]
    assert.deepEqual(parseChunks([wire]), want)
    assert.deepEqual(parseChunks(oneCharAtATime(wire)), want)
  })

  it('keeps the event type to its own event: the next plain event is not JSON-decoded', () => {
    assert.deepEqual(parseChunks(['event: json\ndata: "a\\rb"\n\ndata: "q"\n\n']), [
      ['', 'a\rb'],
      ['', '"q"'],
    ])
  })
})
