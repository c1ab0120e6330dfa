import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileBranches } from './compile.js';
import { compilePattern, EventPattern, RuleSet } from './index.js';

/** Counts evaluations, to show that the index skips rules filed under other values. */
class CountingPattern extends EventPattern {
  calls = 0;
  override matches(event: unknown): boolean {
    this.calls++;
    return super.matches(event);
  }
}

const counting = (pattern: unknown): CountingPattern => new CountingPattern(compileBranches(JSON.stringify(pattern)));

describe('RuleSet', () => {
  test('returns the matching rules and evaluates only the candidates', () => {
    const rules = new RuleSet<string>();
    const ec2 = counting({ source: ['aws.ec2'], detail: { state: ['running'] } });
    const s3 = counting({ source: ['aws.s3'] });
    const byType = counting({ 'detail-type': ['Object Created', 'Object Deleted'] });
    const anyRunning = counting({ detail: { state: ['running'] } });
    rules.add('ec2', ec2);
    rules.add('s3', s3);
    rules.add('type', byType);
    rules.add('running', anyRunning);

    const event = { source: 'aws.ec2', 'detail-type': 'x', detail: { state: 'running' } };
    expect(rules.matching(event).sort()).toEqual(['ec2', 'running']);
    expect(s3.calls).toBe(0);
    expect(byType.calls).toBe(0);
    expect(ec2.calls).toBe(1);
    // A rule of one exact field is matched by the index alone.
    expect(anyRunning.calls).toBe(0);
  });

  test('an event array can select several filed rules, each evaluated once', () => {
    const rules = new RuleSet<number>();
    const p = counting({ source: ['a', 'b'] });
    rules.add(1, p);
    rules.add(2, compilePattern('{"source": ["c"]}'));
    expect(rules.matching({ source: ['a', 'b', 'c', ['a']] }).sort()).toEqual([1, 2]);
    expect(p.calls).toBe(0);
    const two = counting({ source: ['a', 'b'], x: [1] });
    rules.add(3, two);
    expect(rules.matching({ source: ['a', 'b', 'c', ['a']], x: 1 }).sort()).toEqual([1, 2, 3]);
    expect(two.calls).toBe(1);
  });

  test('rules with $or are filed when every branch names the field', () => {
    const rules = new RuleSet<string>();
    const p = counting({ $or: [{ source: ['a'], x: [1] }, { source: ['b'] }] });
    rules.add('or', p);
    expect(rules.matching({ source: 'z', x: 1 })).toEqual([]);
    expect(p.calls).toBe(0);
    expect(rules.matching({ source: 'b' })).toEqual(['or']);
  });

  test('add replaces, remove forgets', () => {
    const rules = new RuleSet<string>();
    rules.add('r', compilePattern('{"source": ["a"]}'));
    rules.add('r', compilePattern('{"source": ["b"]}'));
    expect(rules.size).toBe(1);
    expect(rules.matching({ source: 'a' })).toEqual([]);
    expect(rules.matching({ source: 'b' })).toEqual(['r']);
    expect(rules.remove('r')).toBe(true);
    expect(rules.remove('r')).toBe(false);
    expect(rules.matching({ source: 'b' })).toEqual([]);
    rules.add('u', compilePattern('{"detail": {"n": [{"numeric": [">", 1]}]}}'));
    expect(rules.matching({ detail: { n: 2 } })).toEqual(['u']);
    rules.clear();
    expect(rules.matching({ detail: { n: 2 } })).toEqual([]);
  });

  test('non-object events match nothing', () => {
    const rules = new RuleSet<string>();
    rules.add('r', compilePattern('{"a": [{"exists": false}]}'));
    expect(rules.matching(null)).toEqual([]);
    expect(rules.matching([{}])).toEqual([]);
    expect(rules.matching({})).toEqual(['r']);
  });
});

// Differential test: the index must return exactly the rules that match when each is evaluated alone.
const strings = ['aws.ec2', 'aws.s3', 'x', 'X', 'xy', '', '10.0.0.1', 'ünï'];
const leafValue = fc.oneof(
  fc.constantFrom<unknown>(...strings),
  fc.constantFrom<unknown>(0, 1, 2.5, -3, 1e3, true, false, null),
);
const eventValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: leafValue },
  { weight: 1, arbitrary: fc.array(leafValue, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('x', 'y'), leafValue, { maxKeys: 2 }) },
);
const event = fc.record(
  {
    source: eventValue,
    'detail-type': eventValue,
    a: eventValue,
    detail: fc.oneof(
      fc.dictionary(fc.constantFrom('x', 'y', 'z'), eventValue, { maxKeys: 3 }),
      fc.array(fc.dictionary(fc.constantFrom('x', 'y'), eventValue, { maxKeys: 2 }), { maxLength: 2 }),
    ),
  },
  { requiredKeys: [] },
);

const matchValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<unknown>(...strings) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(1, 2.5, true, null) },
  { weight: 1, arbitrary: fc.constantFrom('x', 'aws').map((p) => ({ prefix: p })) },
  { weight: 1, arbitrary: fc.constantFrom('x', 'aws.ec2').map((v) => ({ 'anything-but': v })) },
  { weight: 1, arbitrary: fc.constant({ numeric: ['>', 0, '<=', 2.5] }) },
  { weight: 1, arbitrary: fc.boolean().map((b) => ({ exists: b })) },
  { weight: 1, arbitrary: fc.constant({ 'equals-ignore-case': 'x' }) },
  { weight: 1, arbitrary: fc.constant({ cidr: '10.0.0.0/24' }) },
  { weight: 1, arbitrary: fc.constant({ wildcard: '*y' }) },
);
const values = fc.array(matchValue, { minLength: 1, maxLength: 3 });
const fields = fc.record(
  {
    source: values,
    'detail-type': values,
    a: values,
    detail: fc.dictionary(fc.constantFrom('x', 'y', 'z'), values, { minKeys: 1, maxKeys: 2 }),
  },
  { requiredKeys: [] },
);
const patternObject = fc
  .tuple(fields, fc.option(fc.array(fields, { minLength: 2, maxLength: 3 }), { freq: 4 }))
  .map(([base, or]) => {
    const p: Record<string, unknown> = { ...base };
    const alternatives = or?.filter((o) => Object.keys(o).length > 0);
    if (alternatives && alternatives.length >= 2) p.$or = alternatives;
    return p;
  })
  .filter((p) => Object.keys(p).length > 0);

test('the index agrees with evaluating every rule alone', () => {
  fc.assert(
    fc.property(
      fc.array(patternObject, { minLength: 1, maxLength: 25 }),
      fc.array(event, { minLength: 1, maxLength: 10 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      (patterns, events, removals) => {
        const compiled = patterns.map((p) => compilePattern(JSON.stringify(p)));
        const rules = new RuleSet<number>();
        compiled.forEach((p, i) => rules.add(i, p));
        const live = new Set(compiled.keys());
        const check = (): void => {
          for (const e of events) {
            const expected = [...live].filter((i) => compiled[i]?.matches(e));
            expect(rules.matching(e).sort((x, y) => x - y)).toEqual(expected);
          }
        };
        check();
        for (const r of removals) {
          const id = r % compiled.length;
          rules.remove(id);
          live.delete(id);
        }
        check();
      },
    ),
    { numRuns: 300 },
  );
});

describe('the index never changes an answer', () => {
  // Every pattern of the conformance corpus in one RuleSet, matched against every event of the corpus (and each
  // event under a few extra shapes): the RuleSet must find exactly the patterns that match one by one.
  const corpus = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as {
    readonly groups: readonly { readonly pattern?: unknown; readonly patternText?: string; readonly cases: readonly { readonly event: unknown }[] }[];
  };
  const patterns = corpus.groups.map((g) => compilePattern(g.patternText ?? JSON.stringify(g.pattern)));
  const events = corpus.groups.flatMap((g) => g.cases.map((c) => c.event));

  test(`${patterns.length} patterns against ${events.length} events, added, removed and added again`, () => {
    const set = new RuleSet<number>();
    patterns.forEach((p, i) => set.add(i, p));
    // Taking half out and putting it back must leave the index as it was.
    patterns.forEach((p, i) => {
      if (i % 2 === 0) set.remove(i);
    });
    patterns.forEach((p, i) => {
      if (i % 2 === 0) set.add(i, p);
    });
    for (const event of events) {
      for (const shaped of [event, { wrapped: event }, { ...(typeof event === 'object' && event !== null ? event : {}), extra: [event] }]) {
        const want = patterns.flatMap((p, i) => (p.matches(shaped) ? [i] : []));
        expect(set.matching(shaped).sort((a, b) => a - b)).toEqual(want);
      }
    }
  });
});
