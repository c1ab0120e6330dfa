// Property tests: Reference Paths written with applyResultPath read back with evaluatePath, and a definite path
// agrees with a plain walk of the document (the simple reference implementation).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Json } from './json.js';
import { isJsonObject } from './json.js';
import { evaluatePath } from './jsonpath.js';
import { applyResultPath } from './io.js';

const key = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !k.includes("'") && !k.includes('\\'));
const json: fc.Arbitrary<Json> = fc.jsonValue() as fc.Arbitrary<Json>;
const toPath = (keys: readonly string[]): string => '$' + keys.map((k) => `['${k}']`).join('');

function walk(doc: Json, keys: readonly string[]): Json | undefined {
  let node: Json | undefined = doc;
  for (const k of keys) {
    if (!isJsonObject(node) || !Object.hasOwn(node, k)) return undefined;
    node = node[k];
  }
  return node;
}

describe('path properties', () => {
  it('reads back what ResultPath wrote into an object', () => {
    fc.assert(
      fc.property(fc.dictionary(key, json), fc.array(key, { minLength: 1, maxLength: 4 }), json, (input, keys, result) => {
        let output: Json;
        try {
          output = applyResultPath(input, toPath(keys), result);
        } catch {
          // Only a non-object on the way may refuse the write.
          const blocked = keys.slice(0, -1).some((_, i) => {
            const v = walk(input, keys.slice(0, i + 1));
            return v !== undefined && !isJsonObject(v);
          });
          expect(blocked).toBe(true);
          return;
        }
        expect(evaluatePath(toPath(keys), output)).toEqual({ found: true, value: result });
      }),
    );
  });

  it('agrees with a plain walk for definite paths', () => {
    fc.assert(
      fc.property(json, fc.array(key, { maxLength: 4 }), (doc, keys) => {
        const expected = walk(doc, keys);
        const actual = evaluatePath(toPath(keys), doc);
        expect(actual.found ? actual.value : undefined).toEqual(expected);
      }),
    );
  });
});
