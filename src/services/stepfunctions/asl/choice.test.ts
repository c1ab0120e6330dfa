import { describe, expect, it } from 'vitest';
import type { Json } from './json.js';
import { StatesError } from './errors.js';
import type { ChoiceRule } from './choice.js';
import { chooseNext, evaluateChoiceRule, parseTimestamp, stringMatches } from './choice.js';

const input: Json = {
  str: 'MyStringABC',
  num: 10,
  float: 2.5,
  yes: true,
  nil: null,
  ts: '2001-01-01T12:00:00Z',
  tsLater: '2001-01-01T13:00:00.5+01:00',
  other: 'MyStringABC',
  otherNum: 20,
  list: [1, 2],
  obj: { a: 1 },
  file: 'log-2024.txt',
};

const test = (rule: ChoiceRule): boolean => evaluateChoiceRule(rule, input);

function failure(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatesError) return err;
    throw err;
  }
  throw new Error('expected a StatesError');
}

describe('comparison operators', () => {
  it('compares strings', () => {
    expect(test({ Variable: '$.str', StringEquals: 'MyStringABC' })).toBe(true);
    expect(test({ Variable: '$.str', StringEquals: 'x' })).toBe(false);
    expect(test({ Variable: '$.str', StringGreaterThan: 'MyStringAB' })).toBe(true);
    expect(test({ Variable: '$.str', StringLessThan: 'MyStringABD' })).toBe(true);
    expect(test({ Variable: '$.str', StringLessThanEquals: 'MyStringABC' })).toBe(true);
    expect(test({ Variable: '$.str', StringGreaterThanEquals: 'MyStringABD' })).toBe(false);
  });

  it('compares numbers, integers and floats alike', () => {
    expect(test({ Variable: '$.num', NumericEquals: 10 })).toBe(true);
    expect(test({ Variable: '$.num', NumericEquals: 10.0 })).toBe(true);
    expect(test({ Variable: '$.float', NumericLessThan: 3 })).toBe(true);
    expect(test({ Variable: '$.num', NumericGreaterThan: 9.99 })).toBe(true);
    expect(test({ Variable: '$.num', NumericLessThanEquals: 10 })).toBe(true);
    expect(test({ Variable: '$.num', NumericGreaterThanEquals: 11 })).toBe(false);
  });

  it('compares booleans', () => {
    expect(test({ Variable: '$.yes', BooleanEquals: true })).toBe(true);
    expect(test({ Variable: '$.yes', BooleanEquals: false })).toBe(false);
  });

  it('compares timestamps as instants, honouring offsets and fractions', () => {
    expect(test({ Variable: '$.ts', TimestampEquals: '2001-01-01T12:00:00Z' })).toBe(true);
    expect(test({ Variable: '$.ts', TimestampEquals: '2001-01-01T13:00:00+01:00' })).toBe(true);
    expect(test({ Variable: '$.tsLater', TimestampGreaterThan: '2001-01-01T12:00:00Z' })).toBe(true);
    expect(test({ Variable: '$.ts', TimestampLessThan: '2001-01-01T12:00:00.000000001Z' })).toBe(true);
    expect(test({ Variable: '$.ts', TimestampLessThanEquals: '2001-01-01T12:00:00Z' })).toBe(true);
    expect(test({ Variable: '$.ts', TimestampGreaterThanEquals: '2001-01-02T00:00:00Z' })).toBe(false);
    // A Variable that is not a timestamp never matches.
    expect(test({ Variable: '$.str', TimestampEquals: '2001-01-01T12:00:00Z' })).toBe(false);
  });

  it('matches wildcards', () => {
    expect(test({ Variable: '$.file', StringMatches: 'log-*.txt' })).toBe(true);
    expect(test({ Variable: '$.file', StringMatches: 'log-*.csv' })).toBe(false);
    expect(stringMatches('foo.log', '*.log')).toBe(true);
    expect(stringMatches('a*b', 'a\\*b')).toBe(true);
    expect(stringMatches('axb', 'a\\*b')).toBe(false);
    expect(stringMatches('a\\b', 'a\\\\b')).toBe(true);
    expect(stringMatches('a.b(c)', 'a.b(*)')).toBe(true);
    expect(stringMatches('multi\nline', 'multi*')).toBe(true);
    expect(stringMatches('', '*')).toBe(true);
  });

  it('compares against another path with the ...Path variants', () => {
    expect(test({ Variable: '$.str', StringEqualsPath: '$.other' })).toBe(true);
    expect(test({ Variable: '$.num', NumericLessThanPath: '$.otherNum' })).toBe(true);
    expect(test({ Variable: '$.num', NumericGreaterThanPath: '$.otherNum' })).toBe(false);
    expect(test({ Variable: '$.yes', BooleanEqualsPath: '$.yes' })).toBe(true);
    expect(test({ Variable: '$.tsLater', TimestampGreaterThanPath: '$.ts' })).toBe(true);
    expect(test({ Variable: '$.num', NumericEqualsPath: '$.str' })).toBe(false);
  });

  it('tests types', () => {
    expect(test({ Variable: '$.nil', IsNull: true })).toBe(true);
    expect(test({ Variable: '$.str', IsNull: false })).toBe(true);
    expect(test({ Variable: '$.num', IsNumeric: true })).toBe(true);
    expect(test({ Variable: '$.str', IsNumeric: true })).toBe(false);
    expect(test({ Variable: '$.str', IsString: true })).toBe(true);
    expect(test({ Variable: '$.yes', IsBoolean: true })).toBe(true);
    expect(test({ Variable: '$.ts', IsTimestamp: true })).toBe(true);
    expect(test({ Variable: '$.str', IsTimestamp: false })).toBe(true);
    expect(test({ Variable: '$.missing', IsPresent: false })).toBe(true);
    expect(test({ Variable: '$.nil', IsPresent: true })).toBe(true);
  });

  it('treats type mismatches as false', () => {
    expect(test({ Variable: '$.str', NumericEquals: 1 })).toBe(false);
    expect(test({ Variable: '$.num', StringEquals: '10' })).toBe(false);
    expect(test({ Variable: '$.str', BooleanEquals: true })).toBe(false);
    expect(test({ Variable: '$.obj', StringEquals: 'x' })).toBe(false);
    expect(test({ Variable: '$.nil', NumericEquals: 0 })).toBe(false);
  });

  it('fails with States.Runtime when the Variable names nothing', () => {
    const err = failure(() => test({ Variable: '$.missing', StringEquals: 'x' }));
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toBe("Invalid path '$.missing': The choice state's condition path references an invalid value.");
    expect(failure(() => test({ Variable: '$.missing', IsNull: true })).error).toBe('States.Runtime');
  });

  it('fails when a ...Path operand names nothing', () => {
    const err = failure(() => test({ Variable: '$.num', NumericEqualsPath: '$.nope' }));
    expect(err.cause).toBe("Invalid path '$.nope': The choice state's condition path references an invalid value.");
  });

  it('reads the context object', () => {
    expect(evaluateChoiceRule({ Variable: '$$.Execution.Name', StringEquals: 'x' }, {}, { Execution: { Name: 'x' } })).toBe(true);
  });
});

describe('Boolean combinations', () => {
  it('evaluates And, Or and Not, nested', () => {
    expect(test({ And: [{ Variable: '$.num', NumericGreaterThan: 5 }, { Variable: '$.yes', BooleanEquals: true }] })).toBe(true);
    expect(test({ Or: [{ Variable: '$.num', NumericGreaterThan: 50 }, { Variable: '$.yes', BooleanEquals: true }] })).toBe(true);
    expect(test({ Not: { Variable: '$.str', StringEquals: 'MyStringABC' } })).toBe(false);
    expect(
      test({
        Or: [
          { And: [{ Variable: '$.num', NumericEquals: 1 }, { Variable: '$.yes', BooleanEquals: true }] },
          { Not: { Or: [{ Variable: '$.num', NumericEquals: 11 }, { Variable: '$.float', NumericEquals: 2 }] } },
        ],
      }),
    ).toBe(true);
  });

  it('short-circuits so IsPresent guards a comparison (documented example)', () => {
    const rule: ChoiceRule = {
      And: [
        { Variable: '$.keyThatMightNotExist', IsPresent: true },
        { Variable: '$.keyThatMightNotExist', StringEquals: 'foo' },
      ],
    };
    expect(evaluateChoiceRule(rule, {})).toBe(false);
    expect(evaluateChoiceRule(rule, { keyThatMightNotExist: 'foo' })).toBe(true);
  });
});

describe('chooseNext', () => {
  const choices: ChoiceRule[] = [
    { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
    {
      And: [
        { Variable: '$.value', IsPresent: true },
        { Variable: '$.value', IsNumeric: true },
        { Variable: '$.value', NumericGreaterThanEquals: 20 },
        { Variable: '$.value', NumericLessThan: 30 },
      ],
      Next: 'ValueInTwenties',
    },
  ];

  it('takes the first matching rule, else the Default', () => {
    expect(chooseNext(choices, 'DefaultState', { type: 'Public' })).toBe('Public');
    expect(chooseNext(choices, 'DefaultState', { type: 'Private', value: 25 })).toBe('ValueInTwenties');
    expect(chooseNext(choices, 'DefaultState', { type: 'Private', value: 35 })).toBe('DefaultState');
    expect(chooseNext(choices, undefined, { type: 'Private', value: 35 })).toBeUndefined();
  });
});

describe('parseTimestamp', () => {
  it('accepts RFC 3339 with uppercase T and Z or an offset', () => {
    expect(parseTimestamp('2016-03-14T01:59:00Z')).toBe(BigInt(Date.UTC(2016, 2, 14, 1, 59)) * 1_000_000n);
    expect(parseTimestamp('2016-03-14T01:59:00.123456789-05:30')).toBeDefined();
  });

  it('rejects other forms and impossible dates', () => {
    for (const bad of ['2016-03-14t01:59:00Z', '2016-03-14T01:59:00z', '2016-03-14 01:59:00Z', '2016-03-14T01:59:00', '2016-02-30T00:00:00Z', '2016-03-14T24:00:00Z', 'x']) {
      expect(parseTimestamp(bad), bad).toBeUndefined();
    }
  });
});
