// Runs every case of cases.json: patterns from AWS's documentation and aws/event-ruler's README, edge cases, and
// patterns AWS rejects with the reason it gives.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compilePattern, PatternError } from './index.js';

interface Group {
  readonly name: string;
  readonly pattern?: unknown;
  readonly patternText?: string;
  readonly cases: readonly { readonly event: unknown; readonly match: boolean }[];
}

interface Invalid {
  readonly pattern: string;
  readonly reason: string;
  readonly at?: readonly [number, number];
}

const corpus = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as {
  readonly groups: readonly Group[];
  readonly invalid: readonly Invalid[];
};

describe('matching', () => {
  for (const group of corpus.groups) {
    const text = group.patternText ?? JSON.stringify(group.pattern);
    describe(group.name, () => {
      const pattern = compilePattern(text);
      group.cases.forEach((c, i) => {
        test(`#${i + 1} ${c.match ? 'matches' : 'does not match'} ${JSON.stringify(c.event).slice(0, 80)}`, () => {
          expect(pattern.matches(c.event)).toBe(c.match);
        });
      });
    });
  }
});

describe('invalid patterns', () => {
  for (const c of corpus.invalid) {
    test(`${c.pattern.slice(0, 60)} -> ${c.reason}`, () => {
      let error: unknown;
      try {
        compilePattern(c.pattern);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PatternError);
      const message = (error as PatternError).message;
      const [reason, location] = message.split('\n at ');
      expect(reason).toBe(c.reason);
      if (c.at) {
        expect(location).toBe(`[Source: (String)"${c.pattern}"; line: ${c.at[0]}, column: ${c.at[1]}]`);
      }
    });
  }
});

test('the corpus holds at least 300 cases', () => {
  const count = corpus.groups.reduce((n, g) => n + g.cases.length, 0) + corpus.invalid.length;
  expect(count).toBeGreaterThanOrEqual(300);
});
