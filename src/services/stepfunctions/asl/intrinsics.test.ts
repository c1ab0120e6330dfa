import { describe, expect, it } from 'vitest';
import type { Json } from './json.js';
import { StatesError } from './errors.js';
import { evaluateIntrinsic, parseIntrinsic } from './intrinsics.js';

const run = (expr: string, data: Json = {}, context: Json = null): Json => evaluateIntrinsic(expr, data, context);

function failure(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatesError) return err;
    throw err;
  }
  throw new Error('expected a StatesError');
}

describe('intrinsic call parser', () => {
  it('parses literals, paths and nested calls', () => {
    expect(parseIntrinsic("States.Format('a {}', $.x, 1, -2.5, true, false, null, States.UUID())")).toEqual({
      name: 'States.Format',
      args: [
        { kind: 'string', value: 'a {}', raw: 'a {}' },
        { kind: 'path', path: '$.x' },
        { kind: 'number', value: 1 },
        { kind: 'number', value: -2.5 },
        { kind: 'boolean', value: true },
        { kind: 'boolean', value: false },
        { kind: 'null' },
        { kind: 'call', call: { name: 'States.UUID', args: [] } },
      ],
    });
  });

  it('keeps commas and parentheses inside path brackets', () => {
    const call = parseIntrinsic("States.Array($['a,b'], $.list[?(@.x == 'y)')], $$.Execution.Id)");
    expect(call.args).toEqual([
      { kind: 'path', path: "$['a,b']" },
      { kind: 'path', path: "$.list[?(@.x == 'y)')]" },
      { kind: 'path', path: '$$.Execution.Id' },
    ]);
  });

  it('unescapes string literals', () => {
    const call = parseIntrinsic("States.Format('it\\'s \\{\\} \\\\ done')");
    expect(call.args[0]).toEqual({ kind: 'string', value: "it's {} \\ done", raw: "it\\'s \\{\\} \\\\ done" });
  });

  it('allows nesting up to 10 calls deep', () => {
    const nest = (n: number): string => (n === 1 ? 'States.Array(1)' : `States.Array(${nest(n - 1)})`);
    expect(() => parseIntrinsic(nest(10))).not.toThrow();
    expect(() => parseIntrinsic(nest(11))).toThrow('at most 10');
  });

  it('rejects malformed calls', () => {
    for (const bad of [
      'States.Nope()',
      'States.Format(',
      "States.Format('x'",
      "States.Format('x') extra",
      'States.Array(abc)',
      "States.Format('unterminated)",
      'States.Array($.)',
      'Format()',
    ]) {
      expect(() => parseIntrinsic(bad), bad).toThrow();
    }
  });
});

describe('intrinsic functions (documented examples)', () => {
  it('States.Format', () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' })).toBe('Hello, my name is Arnav.');
    expect(run("States.Format('{} {} {} {}', 1, true, null, 'x')")).toBe('1 true null x');
    expect(run("States.Format('\\{\\} is literal, {} is not', 'this')")).toBe('{} is literal, this is not');
    expect(run("States.Format('It\\'s {}', 'fine')")).toBe("It's fine");
    expect(run("States.Format('Name: \\'{}\\', Surname: \"{}\"', $.name, $.surname)", { name: 'Gabriel', surname: 'Moreira' })).toBe(
      `Name: 'Gabriel', Surname: "Moreira"`,
    );
    expect(run('States.Format($.template, $.name)', { template: 'Hello {}', name: 'Ada' })).toBe('Hello Ada');
    expect(run("States.Format('{}|{}|{}|{}', $.nil, $.bool, $.neg, $.frac)", { nil: null, bool: false, neg: -1, frac: 3.5 })).toBe(
      'null|false|-1|3.5',
    );
    expect(run("States.Format('arn:{}:{}', 'lambda', States.JsonToString($.obj))", { obj: { k: 1 } })).toBe('arn:lambda:{"k":1}');
  });

  it('States.Format rejects mismatched placeholders and object values', () => {
    const tooFew = failure(() => run("States.Format('{} {}', 'a')"));
    expect(tooFew.error).toBe('States.Runtime');
    expect(tooFew.cause).toBe('Invalid arguments in States.Format');
    expect(tooFew.detail).toBe('there are more placeholders {} than values');
    for (const bad of ["States.Format('Hello {', 'x')", "States.Format('Hello {{}}', 'x')", "States.Format('}')"]) {
      expect(failure(() => run(bad)).cause, bad).toBe('Invalid arguments in States.Format');
    }
    expect(failure(() => run("States.Format('{}', 'a', 'b')")).error).toBe('States.Runtime');
    expect(failure(() => run("States.Format('{}', $.o)", { o: { a: 1 } })).error).toBe('States.Runtime');
  });

  it('States.StringToJson and States.JsonToString', () => {
    expect(run('States.StringToJson($.escapedJsonString)', { escapedJsonString: '{"foo": "bar"}' })).toEqual({ foo: 'bar' });
    expect(run('States.JsonToString($.unescapedJson)', { unescapedJson: { foo: 'bar' } })).toBe('{"foo":"bar"}');
    expect(failure(() => run("States.StringToJson('{nope')")).error).toBe('States.Runtime');
  });

  it('States.Array', () => {
    expect(run('States.Array($.Id)', { Id: 123456 })).toEqual([123456]);
    expect(run("States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: 'abcdefg' } })).toEqual([
      'Foo',
      2020,
      { random: 'abcdefg' },
      null,
    ]);
    expect(run('States.Array()')).toEqual([]);
  });

  it('States.ArrayPartition', () => {
    expect(run('States.ArrayPartition($.inputArray, 4)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9],
    ]);
    expect(failure(() => run('States.ArrayPartition($.a, 0)', { a: [1] })).error).toBe('States.Runtime');
    expect(failure(() => run('States.ArrayPartition($.a, 0.49)', { a: [1] })).cause).toBe('Invalid arguments in States.ArrayPartition');
    expect(run('States.ArrayPartition($.a, 2.9)', { a: [1, 2, 3] })).toEqual([[1, 2], [3]]);
  });

  it('States.ArrayContains', () => {
    const data = { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 };
    expect(run('States.ArrayContains($.inputArray, $.lookingFor)', data)).toBe(true);
    expect(run('States.ArrayContains($.inputArray, 42)', data)).toBe(false);
    expect(run('States.ArrayContains($.a, $.o)', { a: [{ x: 1 }], o: { x: 1 } })).toBe(true);
  });

  it('States.ArrayRange with the 1000-element limit', () => {
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayRange(10, 0, -5)')).toEqual([10, 5, 0]);
    expect(run('States.ArrayRange(1, 0, 1)')).toEqual([]);
    expect((run('States.ArrayRange(1, 1000, 1)') as Json[]).length).toBe(1000);
    const tooBig = failure(() => run('States.ArrayRange(0, 1000, 1)'));
    expect(tooBig.error).toBe('States.Runtime');
    expect(tooBig.cause).toBe('Invalid arguments in States.ArrayRange');
    expect(tooBig.detail).toContain('1000');
    expect((run('States.ArrayRange(1000, 1, -1)') as Json[]).length).toBe(1000);
    // AWS truncates fractional arguments.
    expect(run('States.ArrayRange(1.4, 5.6, 2.2)')).toEqual([1, 3, 5]);
    expect(run('States.ArrayRange(1.6, 1.4, 1)')).toEqual([1]);
    expect(run('States.ArrayRange(5.4, -0.6, -2.4)')).toEqual([5, 3, 1]);
    expect(failure(() => run('States.ArrayRange(1, 10, 0.49)')).error).toBe('States.Runtime');
    expect(failure(() => run("States.ArrayRange('a', 5, 1)")).cause).toBe('Invalid arguments in States.ArrayRange');
    expect(failure(() => run('States.ArrayRange(0, 10, 0)')).error).toBe('States.Runtime');
  });

  it('States.ArrayGetItem', () => {
    const data = { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 };
    expect(run('States.ArrayGetItem($.inputArray, $.index)', data)).toBe(6);
    expect(failure(() => run('States.ArrayGetItem($.inputArray, 9)', data)).error).toBe('States.Runtime');
    expect(failure(() => run('States.ArrayGetItem($.inputArray, -1)', data)).error).toBe('States.Runtime');
  });

  it('States.ArrayLength', () => {
    expect(run('States.ArrayLength($.inputArray)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe(9);
    expect(failure(() => run("States.ArrayLength('abc')")).error).toBe('States.Runtime');
  });

  it('States.ArrayUnique', () => {
    expect(run('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
    expect(run('States.ArrayUnique($.a)', { a: [{ x: 1 }, { x: 1 }, 'x', 'x'] })).toEqual([{ x: 1 }, 'x']);
  });

  it('States.Base64Encode and States.Base64Decode', () => {
    expect(run('States.Base64Encode($.input)', { input: 'Data to encode' })).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run('States.Base64Decode($.base64)', { base64: 'RGF0YSB0byBlbmNvZGU=' })).toBe('Data to encode');
    expect(failure(() => run("States.Base64Decode('not base64!')")).error).toBe('States.Runtime');
    const long = 'x'.repeat(10_001);
    expect(failure(() => run('States.Base64Encode($.s)', { s: long })).error).toBe('States.Runtime');
  });

  it('States.Hash with every algorithm', () => {
    const data = { Data: 'input data', Algorithm: 'SHA-1' };
    expect(run('States.Hash($.Data, $.Algorithm)', data)).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(run("States.Hash('input data', 'MD5')")).toBe('812f45842bc6d66ee14572ce20db8e86');
    expect(run("States.Hash('abc', 'SHA-256')")).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect((run("States.Hash('abc', 'SHA-384')") as string).length).toBe(96);
    expect((run("States.Hash('abc', 'SHA-512')") as string).length).toBe(128);
    expect(failure(() => run("States.Hash('abc', 'SHA-3')")).error).toBe('States.Runtime');
  });

  it('States.JsonMerge is shallow', () => {
    const data = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };
    expect(run('States.JsonMerge($.json1, $.json2, false)', data)).toEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3 });
    expect(failure(() => run('States.JsonMerge($.json1, $.json2, true)', data)).error).toBe('States.Runtime');
    expect(failure(() => run('States.JsonMerge($.json1, 1, false)', data)).error).toBe('States.Runtime');
  });

  it('States.MathRandom within [start, end), deterministic with a seed', () => {
    for (let i = 0; i < 50; i++) {
      const n = run('States.MathRandom($.start, $.end)', { start: 1, end: 999 }) as number;
      expect(Number.isInteger(n) && n >= 1 && n < 999).toBe(true);
    }
    const seeded = run('States.MathRandom(1, 999, 1234)');
    expect(run('States.MathRandom(1, 999, 1234)')).toBe(seeded);
    expect(evaluateIntrinsic('States.MathRandom(0, 10)', {}, null, { random: () => 0.55 })).toBe(5);
    expect(failure(() => run('States.MathRandom(5, 5)')).error).toBe('States.Runtime');
    // Truncation makes (1.4, 1.6) the empty interval [1, 1), which AWS rejects.
    expect(failure(() => run('States.MathRandom(1.4, 1.6)')).cause).toBe('Invalid arguments in States.MathRandom');
  });

  it('States.MathAdd', () => {
    expect(run('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 })).toBe(110);
    // AWS rounds MathAdd operands to the nearest integer and keeps the sum within 32 bits.
    expect(run('States.MathAdd($.a, $.b)', { a: 1.6, b: 2.7 })).toBe(5);
    expect(run('States.MathAdd(0.1, 0.2)')).toBe(0);
    expect(run('States.MathAdd(2147483646, 1)')).toBe(2147483647);
    expect(run('States.MathAdd(-2147483647, -1)')).toBe(-2147483648);
    for (const bad of ['States.MathAdd(2147483647, 1)', 'States.MathAdd(3000000000, 1)', "States.MathAdd('1', 2)", 'States.MathAdd(true, 1)', 'States.MathAdd(null, 1)', 'States.MathAdd(1)']) {
      expect(failure(() => run(bad)).cause, bad).toBe('Invalid arguments in States.MathAdd');
    }
  });

  it('States.StringSplit splits on each delimiter character', () => {
    expect(run('States.StringSplit($.inputString, $.splitter)', { inputString: '1,2,3,4,5', splitter: ',' })).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(run("States.StringSplit('This.is+a,test=string', '.+,=')")).toEqual(['This', 'is', 'a', 'test', 'string']);
    expect(run("States.StringSplit('a,,b', ',')")).toEqual(['a', 'b']);
  });

  it('States.UUID', () => {
    expect(run('States.UUID()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(evaluateIntrinsic('States.UUID()', {}, null, { uuid: () => 'fixed' })).toBe('fixed');
    expect(failure(() => run("States.UUID('x')")).error).toBe('States.Runtime');
  });

  it('nests calls (the documented myArn example)', () => {
    const data = { ImageRecipe: { Arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my.recipe.name/1.0.0' } };
    const expr =
      "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
    expect(run(expr, data)).toBe('1.0');
    // The documentation's version has three placeholders for two values, which is an error.
    expect(failure(() => run(expr.replace("'{}.{}'", "'{}.{}.{}'"), data)).error).toBe('States.Runtime');
  });

  it('reads the context object', () => {
    expect(run("States.Format('{}', $$.Execution.Name)", {}, { Execution: { Name: 'run-1' } })).toBe('run-1');
  });

  it('fails with States.Runtime when a path argument matches nothing', () => {
    const err = failure(() => evaluateIntrinsic('States.Array($.missing)', { a: 1 }, null, {}, 'x.$'));
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toContain("'$.missing'");
    expect(err.cause).toContain('{"a":1}');
  });

  it('validates argument counts and types', () => {
    const arity = failure(() => run('States.ArrayLength()'));
    expect(arity.error).toBe('States.Runtime');
    expect(arity.cause).toBe('Invalid arguments in States.ArrayLength');
    expect(arity.detail).toBe('expected 1 argument but got 0');
    expect(failure(() => run("States.ArrayContains('x', 1)")).detail).toBe('argument 1 must be an array, but was "x"');
  });
});
