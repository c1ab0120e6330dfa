// Intrinsic functions, with the examples of "Intrinsic functions in Amazon States Language for Step Functions".
import { createHash } from 'node:crypto';
import { pass, single, type CorpusCase } from './build.js';

const fn = (expr: string, input: unknown, output: unknown, name = expr): CorpusCase => ({
  name: `intrinsic ${name}`,
  definition: single(pass({ Parameters: { 'v.$': expr } })),
  input,
  output: { v: output },
});
// The States Language names this failure States.IntrinsicFailure; what AWS reports for it (that or States.Runtime) is
// not confirmed against AWS here, so either is accepted. The execution must fail either way.
const fails = (expr: string, input: unknown, name = expr): CorpusCase => ({
  name: `intrinsic ${name} fails the execution`,
  definition: single(pass({ Parameters: { 'v.$': expr } })),
  input,
  error: { error: 'States.IntrinsicFailure', oneOf: ['States.IntrinsicFailure', 'States.Runtime'] },
});
const hash = (algorithm: string, text: string): string =>
  createHash(algorithm.replace('-', '').toLowerCase()).update(text).digest('hex');
const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9];

export const INTRINSIC_CASES: CorpusCase[] = [
  fn("States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' }, 'Hello, my name is Arnav.'),
  fn("States.Format('{} and {}', $.a, $.b)", { a: 1, b: true }, '1 and true'),
  fn("States.Format('escaped \\{\\} and {}', $.a)", { a: 'x' }, 'escaped {} and x'),
  fn("States.Format('null {}', $.n)", { n: null }, 'null null'),
  fn('States.StringToJson($.someString)', { someString: '{"number": 20}' }, { number: 20 }),
  fn('States.JsonToString($.someJson)', { someJson: { name: 'Foo', year: 2020 } }, '{"name":"Foo","year":2020}'),
  fn("States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: 'abcdefg' } }, ['Foo', 2020, { random: 'abcdefg' }, null]),
  fn('States.ArrayPartition($.inputArray, 4)', { inputArray: nine }, [[1, 2, 3, 4], [5, 6, 7, 8], [9]]),
  fn('States.ArrayContains($.inputArray, $.lookingFor)', { inputArray: nine, lookingFor: 5 }, true),
  fn('States.ArrayContains($.inputArray, 42)', { inputArray: nine }, false, 'States.ArrayContains (absent)'),
  fn('States.ArrayRange(1, 9, 2)', {}, [1, 3, 5, 7, 9]),
  fn('States.ArrayRange(10, 1, -3)', {}, [10, 7, 4, 1]),
  fn('States.ArrayGetItem($.inputArray, $.index)', { inputArray: nine, index: 5 }, 6),
  fn('States.ArrayLength($.inputArray)', { inputArray: nine }, 9),
  fn('States.ArrayLength($.e)', { e: [] }, 0, 'States.ArrayLength (empty)'),
  fn('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] }, [1, 2, 3, 4]),
  fn("States.Base64Encode($.input)", { input: 'Data to encode' }, 'RGF0YSB0byBlbmNvZGU='),
  fn("States.Base64Decode($.base64)", { base64: 'RGF0YSB0byBlbmNvZGU=' }, 'Data to encode'),
  fn("States.Hash($.Data, $.Algorithm)", { Data: 'input data', Algorithm: 'SHA-1' }, 'aaff4a450a104cd177d28d18d74485e8cae074b7'),
  ...['MD5', 'SHA-256', 'SHA-384', 'SHA-512'].map((a) => fn(`States.Hash('input data', '${a}')`, {}, hash(a, 'input data'))),
  fn('States.JsonMerge($.json1, $.json2, false)', { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } }, { a: { a3: 1, a4: 2 }, b: 2, c: 3 }),
  fn('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 }, 110),
  fn("States.StringSplit($.inputString, $.splitter)", { inputString: '1,2,3,4,5', splitter: ',' }, ['1', '2', '3', '4', '5']),
  fn("States.StringSplit($.inputString, $.splitter)", { inputString: 'This.is+a,test=string', splitter: '.+,=' }, ['This', 'is', 'a', 'test', 'string'], 'States.StringSplit (several splitters)'),
  fn("States.Format('{}', States.MathAdd(1, 2))", {}, '3', 'nested intrinsics'),
  fn("States.ArrayLength(States.StringSplit('a b c', ' '))", {}, 3, 'nested array intrinsics'),
  fn("States.JsonToString(States.Array(1, 'two'))", {}, '[1,"two"]', 'JsonToString of Array'),
  {
    name: 'intrinsic States.UUID is a version 4 UUID',
    definition: single(pass({ Parameters: { 'v.$': 'States.UUID()' } })),
    input: {},
    outputMatches: { v: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/ },
  },
  {
    name: 'intrinsic States.MathRandom stays within its range',
    definition: single(pass({ Parameters: { 'v.$': 'States.MathRandom(1, 3)' } })),
    input: {},
    outputMatches: { v: /^[123]$/ },
  },
  fails('States.ArrayGetItem($.a, 10)', { a: [1] }),
  fails("States.StringToJson($.s)", { s: 'not json' }),
  fails('States.ArrayRange(1, 2000, 1)', {}),
  fails("States.Base64Decode('%%%')", {}),
  fails("States.Format('{} {}', $.a)", { a: 1 }),
  fails("States.Hash('x', 'SHA-999')", {}),
  fails('States.MathAdd($.a, 1)', { a: 'one' }),
];
