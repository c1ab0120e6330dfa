// Choice rules: every comparison operator, the Path variants, And/Or/Not, Default and NoChoiceMatched, from "Choice
// workflow state" in the Step Functions developer guide.
import type { CorpusCase } from './build.js';

type Rule = Record<string, unknown>;

/** A Choice that goes to Yes (output "yes") when the rule matches, else No. */
const choose = (rule: Rule, input: unknown, matches: boolean, name?: string): CorpusCase => ({
  name: `Choice ${name ?? JSON.stringify(rule)} ${matches ? 'matches' : 'does not match'}`,
  definition: {
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Pass', Result: 'yes', End: true },
      No: { Type: 'Pass', Result: 'no', End: true },
    },
  },
  input,
  output: matches ? 'yes' : 'no',
});

export const CHOICE_CASES: CorpusCase[] = [
  choose({ Variable: '$.type', StringEquals: 'Private' }, { type: 'Private' }, true),
  choose({ Variable: '$.type', StringEquals: 'Private' }, { type: 'private' }, false),
  choose({ Variable: '$.s', StringLessThan: 'b' }, { s: 'a' }, true),
  choose({ Variable: '$.s', StringGreaterThan: 'b' }, { s: 'a' }, false),
  choose({ Variable: '$.s', StringLessThanEquals: 'a' }, { s: 'a' }, true),
  choose({ Variable: '$.s', StringGreaterThanEquals: 'b' }, { s: 'c' }, true),
  choose({ Variable: '$.n', NumericEquals: 5 }, { n: 5 }, true),
  choose({ Variable: '$.n', NumericEquals: 5 }, { n: 5.0 }, true, 'NumericEquals 5 with 5.0'),
  choose({ Variable: '$.n', NumericLessThan: 5 }, { n: 4.99 }, true),
  choose({ Variable: '$.n', NumericGreaterThan: 5 }, { n: 5 }, false),
  choose({ Variable: '$.n', NumericLessThanEquals: 5 }, { n: 5 }, true),
  choose({ Variable: '$.n', NumericGreaterThanEquals: 20 }, { n: 19 }, false),
  choose({ Variable: '$.n', NumericEquals: 5 }, { n: '5' }, false, 'NumericEquals against a string value'),
  choose({ Variable: '$.b', BooleanEquals: true }, { b: true }, true),
  choose({ Variable: '$.b', BooleanEquals: false }, { b: true }, false),
  choose({ Variable: '$.t', TimestampEquals: '2001-01-01T12:00:00Z' }, { t: '2001-01-01T12:00:00Z' }, true),
  choose({ Variable: '$.t', TimestampLessThan: '2001-01-01T12:00:00Z' }, { t: '2000-12-31T23:59:59Z' }, true),
  choose({ Variable: '$.t', TimestampGreaterThan: '2001-01-01T12:00:00Z' }, { t: '2001-01-01T12:00:00Z' }, false),
  choose({ Variable: '$.t', TimestampGreaterThanEquals: '2001-01-01T12:00:00Z' }, { t: '2001-01-01T12:00:00Z' }, true),
  choose({ Variable: '$.t', TimestampLessThanEquals: '2001-01-01T12:00:00Z' }, { t: '2001-01-02T00:00:00Z' }, false),
  choose({ Variable: '$.x', IsPresent: true }, { x: null }, true, 'IsPresent on a null field'),
  choose({ Variable: '$.x', IsPresent: true }, {}, false, 'IsPresent on a missing field'),
  choose({ Variable: '$.x', IsPresent: false }, {}, true, 'IsPresent false on a missing field'),
  choose({ Variable: '$.x', IsNull: true }, { x: null }, true),
  choose({ Variable: '$.x', IsNull: true }, { x: 0 }, false),
  choose({ Variable: '$.x', IsNumeric: true }, { x: 1.5 }, true),
  choose({ Variable: '$.x', IsNumeric: true }, { x: '1.5' }, false, 'IsNumeric on a numeric string'),
  choose({ Variable: '$.x', IsString: true }, { x: 'a' }, true),
  choose({ Variable: '$.x', IsBoolean: true }, { x: false }, true),
  choose({ Variable: '$.x', IsTimestamp: true }, { x: '2016-03-14T01:59:00Z' }, true),
  choose({ Variable: '$.x', IsTimestamp: true }, { x: 'yesterday' }, false),
  choose({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'log-2021-01.txt' }, true),
  choose({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'log-2021-01.csv' }, false),
  choose({ Variable: '$.f', StringMatches: '*' }, { f: '' }, true, 'StringMatches * on an empty string'),
  choose({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'a*b' }, true, 'StringMatches with an escaped star'),
  choose({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'axxb' }, false, 'StringMatches escaped star is literal'),
  choose({ Variable: '$.a', StringEqualsPath: '$.b' }, { a: 'x', b: 'x' }, true),
  choose({ Variable: '$.a', NumericLessThanPath: '$.b' }, { a: 1, b: 2 }, true),
  choose({ Variable: '$.a', NumericGreaterThanEqualsPath: '$.b' }, { a: 1, b: 2 }, false),
  choose({ Variable: '$.a', BooleanEqualsPath: '$.b' }, { a: true, b: true }, true),
  choose({ Variable: '$.a', TimestampLessThanPath: '$.b' }, { a: '2020-01-01T00:00:00Z', b: '2021-01-01T00:00:00Z' }, true),
  choose({ Variable: '$.a', StringGreaterThanPath: '$.b' }, { a: 'b', b: 'a' }, true),
  choose({ And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }] }, { value: 25 }, true),
  choose({ And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }] }, { value: 30 }, false),
  choose({ Or: [{ Variable: '$.a', StringEquals: 'x' }, { Variable: '$.b', StringEquals: 'y' }] }, { a: 'no', b: 'y' }, true),
  choose({ Not: { Variable: '$.type', StringEquals: 'Private' } }, { type: 'Public' }, true),
  choose({ Not: { Variable: '$.type', IsPresent: true } }, {}, true, 'Not IsPresent'),
  choose({ And: [{ Variable: '$.a', IsPresent: true }, { Or: [{ Variable: '$.a', NumericEquals: 1 }, { Variable: '$.a', NumericEquals: 2 }] }] }, { a: 2 }, true, 'nested And and Or'),
  {
    name: 'Choice takes the first matching rule',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'A' }, { Variable: '$.n', NumericGreaterThan: 0, Next: 'B' }], Default: 'B' },
        A: { Type: 'Pass', Result: 'A', End: true },
        B: { Type: 'Pass', Result: 'B', End: true },
      },
    },
    input: { n: 5 },
    output: 'A',
  },
  {
    name: 'Choice without a match and without Default fails with States.NoChoiceMatched',
    definition: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'A' }] }, A: { Type: 'Succeed' } } },
    input: { n: 2 },
    error: { error: 'States.NoChoiceMatched' },
  },
  {
    name: 'Choice on a missing variable fails with States.Runtime',
    definition: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.missing', NumericEquals: 1, Next: 'A' }], Default: 'A' }, A: { Type: 'Succeed' } } },
    input: {},
    error: { error: 'States.Runtime' },
  },
  {
    name: 'Choice passes its effective input on (InputPath and OutputPath apply)',
    definition: { StartAt: 'C', States: { C: { Type: 'Choice', InputPath: '$.inner', OutputPath: '$.keep', Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'A' }] }, A: { Type: 'Succeed' } } },
    input: { inner: { go: true, keep: { k: 1 } } },
    output: { k: 1 },
  },
  {
    name: 'Choice loops until a counter reaches its limit',
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Result: 0, ResultPath: '$.i', Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 3, Next: 'Done' }], Default: 'Inc' },
        Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
        Done: { Type: 'Succeed' },
      },
    },
    input: {},
    output: { i: 3 },
  },
];
