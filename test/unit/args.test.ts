import { InvalidArgumentError } from 'commander'
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  bytes,
  capacityFormat,
  compareFormat,
  durationMs,
  durationOrZeroMs,
  failIf,
  maxRegression,
  metricList,
  payloadBytes,
  port,
  positiveInt,
  positiveNumber,
  runFormat,
  targetOrigin,
  token,
  transportList,
  workers,
} from '../../src/cli/args.js'
import { settingParser } from '../../src/cli/setting-options.js'
import { findTransport } from '../../src/transports/registry.js'
import { findSetting } from '../../src/transports/setting-values.js'

type Parser = (text: string) => unknown

interface Table {
  name: string
  parse: Parser
  valid: [input: string, value: unknown][]
  /** Bad inputs; a pair gives the part of the input the message must name. */
  invalid: (string | [input: string, named: string])[]
}

const tables: Table[] = [
  {
    name: 'bytes',
    parse: bytes,
    valid: [
      ['1', 1],
      ['65536', 65536],
      ['64kb', 64 * 1024],
      ['1MB', 1024 * 1024],
      [' 2mb ', 2 * 1024 * 1024],
    ],
    invalid: ['0', '-1', '1.5mb', 'kb', '1gb', '', [' ten ', ' ten ']],
  },
  {
    name: 'positiveInt',
    parse: positiveInt,
    valid: [
      ['1', 1],
      ['42', 42],
      [' 7 ', 7],
      ['007', 7],
      ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ],
    invalid: ['0', '-1', '1.5', '1e3', 'abc', '', ' ', '12abc', '9007199254740993', '+5', '0x10'],
  },
  {
    name: 'positiveNumber',
    parse: positiveNumber,
    valid: [
      ['1', 1],
      ['0.5', 0.5],
      ['2.25', 2.25],
      ['100', 100],
      ['1e3', 1000],
    ],
    invalid: ['0', '-0.5', '-1', 'abc', '', '  ', 'Infinity', 'NaN', '5/s'],
  },
  {
    name: 'payloadBytes',
    parse: payloadBytes,
    valid: [
      ['32', 32],
      ['33', 33],
      ['1024', 1024],
      ['65536', 65_536],
    ],
    invalid: ['31', '1', '0', '-64', '64.5', 'big', ''],
  },
  {
    name: 'durationMs',
    parse: durationMs,
    valid: [
      ['1ms', 1],
      ['500ms', 500],
      ['10s', 10_000],
      ['1.5s', 1500],
      ['2m', 120_000],
    ],
    invalid: ['1', '500', '0', '0ms', '0s', '0.5ms', '-1s', '5x', '', 's', 'ten seconds'],
  },
  {
    name: 'durationOrZeroMs',
    parse: durationOrZeroMs,
    valid: [
      ['0', 0],
      ['0ms', 0],
      ['0s', 0],
      ['3s', 3000],
    ],
    invalid: ['250', '-1', '-1s', '5x', '', 'none'],
  },
  {
    name: 'transportList',
    parse: transportList,
    valid: [
      ['sse', ['sse']],
      ['short-polling,long-polling,sse,websocket', ['short-polling', 'long-polling', 'sse', 'websocket']],
      ['websocket,sse', ['websocket', 'sse']],
      [' sse , websocket ', ['sse', 'websocket']],
      ['sse,', ['sse']],
    ],
    invalid: ['grpc', ['sse,grpc', 'grpc'], 'SSE', 'web-socket', 'sse,sse', 'sse,websocket,sse'],
  },
  {
    name: 'the short-polling interval setting (--poll-interval)',
    parse: settingParser(findSetting(findTransport('short-polling')!, 'interval')!),
    valid: [
      ['1ms', 1],
      ['100ms', 100],
      ['1.5s', 1500],
    ],
    invalid: ['0ms', '0.5ms', 'fast', ''],
  },
  {
    name: 'the long-polling hold setting (--long-poll-timeout)',
    parse: settingParser(findSetting(findTransport('long-polling')!, 'hold')!),
    valid: [
      ['1ms', 1],
      ['30s', 30_000],
      ['2m', 120_000],
    ],
    invalid: ['0ms', '1.5ms', '121s', '5m', 'forever'],
  },
  {
    name: 'the WebSocket send setting (--ws-send)',
    parse: settingParser(findSetting(findTransport('websocket')!, 'send')!),
    valid: [
      ['post', 'post'],
      ['socket', 'socket'],
    ],
    invalid: ['POST', 'get', '', 'sockets'],
  },
  {
    name: 'runFormat',
    parse: runFormat,
    valid: [
      ['table', 'table'],
      ['csv', 'csv'],
      ['json', 'json'],
    ],
    invalid: ['xml', 'CSV', '', 'tsv', 'markdown'],
  },
  {
    name: 'capacityFormat',
    parse: capacityFormat,
    valid: [
      ['table', 'table'],
      ['csv', 'csv'],
      ['json', 'json'],
    ],
    invalid: ['xml', 'markdown', ''],
  },
  {
    name: 'port',
    parse: port,
    valid: [
      ['0', 0],
      ['80', 80],
      ['8080', 8080],
      ['65535', 65_535],
    ],
    invalid: ['65536', '-1', '80.5', 'http', '', '1e3', '100000'],
  },
  {
    name: 'targetOrigin',
    parse: targetOrigin,
    valid: [
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
      ['https://bench.example.com', 'https://bench.example.com'],
      ['HTTP://Example.COM:80', 'http://example.com'],
      ['http://[::1]:9000', 'http://[::1]:9000'],
    ],
    invalid: [
      'localhost:8080',
      '127.0.0.1:8080',
      'ftp://host',
      'ws://host:8080',
      'http://host/api',
      'http://host:8080/path/',
      'http://host?x=1',
      'not a url',
      '',
    ],
  },
  {
    name: 'workers',
    parse: workers,
    valid: [
      ['1', 1],
      ['2', 2],
      ['64', 64],
    ],
    invalid: ['0', '65', '-1', '1.5', 'two', ['1000', '1000']],
  },
  {
    name: 'maxRegression',
    parse: (text) => maxRegression(text).map((r) => [r.metric.name, r.maxIncrease]),
    valid: [
      ['p99=10%', [['p99', 0.1]]],
      [
        'p99_ms=10%,bytes_down_per_msg=5%',
        [
          ['p99', 0.1],
          ['bytes_down_per_msg', 0.05],
        ],
      ],
      [' p50 = 2.5% ', [['p50', 0.025]]],
      ['lost=0%', [['lost', 0]]],
    ],
    invalid: ['p99=10', 'p99>10%', ['latency=10%', 'latency'], 'p99=-5%', 'p99=ten%', '', '=5%'],
  },
  {
    name: 'failIf',
    parse: (text) => failIf(text).map((b) => [b.metric.column, b.operator, b.limit]),
    valid: [
      ['p99_ms>50', [['p99_ms', '>', 50]]],
      [
        'p99_ms>50,lost>0',
        [
          ['p99_ms', '>', 50],
          ['lost', '>', 0],
        ],
      ],
      ['p50 >= 1.5', [['p50_ms', '>=', 1.5]]],
      ['reordered<=0', [['reordered', '<=', 0]]],
      ['connections<10', [['connections', '<', 10]]],
      ['duplicated==0', [['duplicated', '==', 0]]],
    ],
    invalid: ['p99_ms=>50', 'p99_ms>', ['speed>5', 'speed'], 'p99_ms!=3', 'p99_ms>5ms', '', 'lost>0;rm'],
  },
  {
    name: 'metricList',
    parse: (text) => metricList(text).map((m) => m.name),
    valid: [
      ['p50,p99,recv_requests_per_msg', ['p50', 'p99', 'recv_requests_per_msg']],
      ['p99_ms,p50_ms', ['p50', 'p99']],
      ['LOST', ['lost']],
    ],
    invalid: [['p50,p95', 'p95'], '', 'throughput'],
  },
  {
    name: 'compareFormat',
    parse: compareFormat,
    valid: [
      ['table', 'table'],
      ['csv', 'csv'],
      ['markdown', 'markdown'],
    ],
    invalid: ['json', 'md', ''],
  },
]

function thrown(parse: Parser, input: string): unknown {
  try {
    parse(input)
  } catch (err) {
    return err
  }
  return undefined
}

for (const { name, parse, valid, invalid } of tables) {
  describe(name, () => {
    for (const [input, value] of valid) {
      it(`accepts ${JSON.stringify(input)} as ${JSON.stringify(value)}`, () => {
        assert.deepEqual(parse(input), value)
      })
    }
    for (const entry of invalid) {
      const [input, named] = typeof entry === 'string' ? [entry, entry] : entry
      it(`rejects ${JSON.stringify(input)} with an InvalidArgumentError naming it`, () => {
        const err = thrown(parse, input)
        assert.ok(err instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${String(err)}`)
        assert.equal(err.code, 'commander.invalidArgument')
        assert.ok(err.message.includes(named), `message ${JSON.stringify(err.message)} does not name ${JSON.stringify(named)}`)
      })
    }
  })
}

describe('transportList with no names', () => {
  for (const input of ['', ',', ' , ']) {
    it(`rejects ${JSON.stringify(input)} with an InvalidArgumentError listing the transports`, () => {
      const err = thrown(transportList, input)
      assert.ok(err instanceof InvalidArgumentError)
      for (const name of ['short-polling', 'long-polling', 'sse', 'websocket']) assert.ok(err.message.includes(name), err.message)
    })
  }
})

// A token is a secret: a rejected one is described, never echoed.
describe('token', () => {
  for (const valid of ['0123456789abcdef', 'abc.DEF_ghi~jkl+mno/pqr-stu==']) {
    it(`accepts ${JSON.stringify(valid)}`, () => {
      assert.equal(token(valid), valid)
    })
  }
  const invalid: [input: string, reason: RegExp][] = [
    ['short', /at least 16 characters \(got 5\)/],
    ['has a space in it ok', /letters, digits/],
    ['quote"d-0123456789', /letters, digits/],
    ['=leading-equals-sign', /letters, digits/],
  ]
  for (const [input, reason] of invalid) {
    it(`rejects ${JSON.stringify(input)} saying why, without repeating it`, () => {
      const err = thrown(token, input)
      assert.ok(err instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${String(err)}`)
      assert.match(err.message, reason)
      assert.ok(!err.message.includes(input))
    })
  }
})
