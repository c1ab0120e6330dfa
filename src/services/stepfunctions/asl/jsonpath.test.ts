import { describe, expect, it } from 'vitest';
import type { Json } from './json.js';
import { evaluatePath, isValidPath, normalizedPath, parsePath, queryPath, referencePathProblem } from './jsonpath.js';

// The example input of the Step Functions "Paths" page.
const doc: Json = {
  foo: 123,
  bar: ['a', 'b', 'c'],
  car: { cdr: true },
  jar: [{ a: 1 }, { a: 5 }, { a: 2 }, { a: 7 }, { a: 3 }],
};

describe('JSONPath evaluation', () => {
  it('evaluates the documented reference paths', () => {
    expect(queryPath('$.foo', doc)).toBe(123);
    expect(queryPath('$.bar', doc)).toEqual(['a', 'b', 'c']);
    expect(queryPath('$.car.cdr', doc)).toBe(true);
    expect(queryPath('$', doc)).toEqual(doc);
  });

  it('filters with comparisons as the Paths page shows', () => {
    expect(queryPath('$.jar[?(@.a >= 5)]', doc)).toEqual([{ a: 5 }, { a: 7 }]);
    expect(queryPath('$.jar[?(@.a == 2 || @.a == 3)]', doc)).toEqual([{ a: 2 }, { a: 3 }]);
    expect(queryPath('$.jar[?(@.a > 1 && @.a < 5)]', doc)).toEqual([{ a: 2 }, { a: 3 }]);
    expect(queryPath('$.jar[?(!(@.a > 1))]', doc)).toEqual([{ a: 1 }]);
  });

  it('supports the Parameters example of the ASL spec (index and open slice)', () => {
    const input: Json = { flagged: 7, vals: [0, 10, 20, 30, 40, 50] };
    expect(queryPath('$.vals[0]', input)).toBe(0);
    expect(queryPath('$.vals[3:]', input)).toEqual([30, 40, 50]);
  });

  it('handles bracket notation, quoted names and negative indexes', () => {
    const input: Json = { 'a b': { "it's": 1 }, list: [1, 2, 3] };
    expect(queryPath("$['a b']", input)).toEqual({ "it's": 1 });
    expect(queryPath('$["a b"]["it\'s"]', input)).toBe(1);
    expect(queryPath("$['a b']['it\\'s']", input)).toBe(1);
    expect(queryPath('$.list[-1]', input)).toBe(3);
    expect(queryPath('$.list[1:2]', input)).toEqual([2]);
    expect(queryPath('$.list[:2]', input)).toEqual([1, 2]);
    expect(queryPath('$.list[-2:]', input)).toEqual([2, 3]);
    expect(queryPath('$.list[0,2]', input)).toEqual([1, 3]);
  });

  it('supports wildcards and deep scan, always returning lists', () => {
    const input: Json = { items: [{ id: 1, tags: { x: 'a' } }, { id: 2 }, { other: 3 }] };
    expect(queryPath('$.items[*].id', input)).toEqual([1, 2]);
    expect(queryPath('$.items.*.id', input)).toEqual([1, 2]);
    expect(queryPath('$..id', input)).toEqual([1, 2]);
    expect(queryPath('$..x', input)).toEqual(['a']);
    expect(queryPath('$.items[*].missing', input)).toEqual([]);
    expect(queryPath('$.nothing[*]', input)).toEqual([]);
  });

  it('returns an object for a multi-property leaf', () => {
    const input: Json = { a: { v: 1 }, b: { v: 2 }, c: { v: 3 } };
    expect(queryPath("$['a', 'b']", input)).toEqual({ a: { v: 1 }, b: { v: 2 } });
    expect(() => parsePath("$['a', 'b'].v")).toThrow('Multi properties can only be used as path leafs');
  });

  it('reports Jayway-style reasons for definite paths that match nothing', () => {
    expect(evaluatePath('$.x', doc)).toEqual({ found: false, reason: "No results for path: $['x']" });
    expect(evaluatePath('$.x.y', doc)).toEqual({ found: false, reason: "Missing property in path $['x']" });
    expect(evaluatePath('$.bar[7]', doc)).toEqual({ found: false, reason: "No results for path: $['bar'][7]" });
    expect(evaluatePath('$.foo.x', doc)).toEqual({ found: false, reason: "No results for path: $['foo']['x']" });
  });

  it('keeps null values distinct from missing ones', () => {
    expect(evaluatePath('$.n', { n: null })).toEqual({ found: true, value: null });
  });

  it('evaluates $$ against the context object', () => {
    const context: Json = { Execution: { Id: 'arn:exec', Input: { a: 1 } }, Map: { Item: { Index: 2 } } };
    expect(queryPath('$$.Execution.Id', doc, context)).toBe('arn:exec');
    expect(queryPath('$$.Map.Item.Index', doc, context)).toBe(2);
    expect(queryPath('$$', doc, context)).toEqual(context);
  });

  it('filters with regex, in, nin, existence, strings and root references', () => {
    const input: Json = {
      limit: 2,
      books: [
        { title: 'Sword', price: 8, tags: ['a'] },
        { title: 'Moby', price: 1, isbn: 'x' },
        { title: 'sea', price: 3, isbn: null },
      ],
    };
    expect(queryPath('$.books[?(@.title =~ /^s.*/i)].title', input)).toEqual(['Sword', 'sea']);
    expect(queryPath("$.books[?(@.title in ['Moby', 'sea'])].price", input)).toEqual([1, 3]);
    expect(queryPath("$.books[?(@.title nin ['Moby'])].price", input)).toEqual([8, 3]);
    expect(queryPath('$.books[?(@.isbn)].title', input)).toEqual(['Moby', 'sea']);
    expect(queryPath("$.books[?(@.title == 'Moby')].price", input)).toEqual([1]);
    expect(queryPath('$.books[?(@.price > $.limit)].title', input)).toEqual(['Sword', 'sea']);
    expect(queryPath('$.books[?(@.tags size 1)].title', input)).toEqual(['Sword']);
    // Type mismatches never match.
    expect(queryPath("$.books[?(@.price > '2')]", input)).toEqual([]);
  });

  it('does not match scalars with @ (Step Functions restriction)', () => {
    expect(queryPath('$.n[?(@ > 1)]', { n: [1, 2, 3] })).toEqual([]);
  });

  it('treats JSONPath functions as matching nothing, as Step Functions does', () => {
    expect(isValidPath('$.Jobs.sum()')).toBe(true);
    expect(evaluatePath('$.Jobs.sum()', { Jobs: [1, 2] }).found).toBe(false);
  });

  it('does not read inherited properties', () => {
    expect(evaluatePath('$.constructor', {}).found).toBe(false);
    expect(evaluatePath('$.__proto__', {}).found).toBe(false);
  });

  it('rejects malformed paths', () => {
    for (const bad of ['', 'foo', '$.', '$[', '$[abc]', "$['a'", '$.a[?(@.b ==)]', '$..', '$-a', '$a-b']) {
      expect(isValidPath(bad), bad).toBe(false);
    }
  });

  it('reads workflow variables through $name paths', () => {
    const vars = (name: string): Json | undefined => ({ order: { id: 7, items: [1, 2] } } as Record<string, Json>)[name];
    expect(evaluatePath('$order.id', {}, null, vars)).toEqual({ found: true, value: 7 });
    expect(evaluatePath('$order.items[1]', {}, null, vars)).toEqual({ found: true, value: 2 });
    expect(evaluatePath('$order', {}, null, vars)).toEqual({ found: true, value: { id: 7, items: [1, 2] } });
    expect(evaluatePath('$missing', {}, null, vars).found).toBe(false);
    expect(referencePathProblem('$order.id', { allowVariables: false })).toBe('variables cannot be used here');
  });

  it('prints normalized paths', () => {
    expect(normalizedPath(parsePath('$.a[0].b'))).toBe("$['a'][0]['b']");
  });
});

describe('Reference Paths', () => {
  it('accepts dot, bracket and index forms', () => {
    for (const ok of ['$', '$.a', '$.a.b', "$['a b']", '$["x"].y', '$.list[0]', '$.a-b', '$.a_b1']) {
      expect(referencePathProblem(ok), ok).toBeUndefined();
    }
  });

  it('rejects operators that can select more than one node', () => {
    for (const bad of ['$.a[*]', '$..a', '$.a[1:2]', '$.a[?(@.x > 1)]', "$['a','b']", '$.a.*', '$.a[0,1]', '$.a.length()']) {
      expect(referencePathProblem(bad), bad).toBeDefined();
    }
  });

  it('accepts the context object only where allowed', () => {
    expect(referencePathProblem('$$.Execution.Id')).toBeDefined();
    expect(referencePathProblem('$$.Execution.Id', { allowContext: true })).toBeUndefined();
  });

  it('explains syntax errors', () => {
    expect(referencePathProblem('a.b')).toBe('Path must start with $');
  });
});
