import { describe, expect, test } from 'vitest';
import { compilePattern, PatternError } from './index.js';

describe('compilePattern', () => {
  test('a compiled pattern is reused across events', () => {
    const p = compilePattern('{"source": ["aws.ec2"], "detail": {"n": [{"numeric": [">", 1]}]}}');
    expect(p.matches({ source: 'aws.ec2', detail: { n: 2 } })).toBe(true);
    expect(p.matches({ source: 'aws.ec2', detail: { n: 1 } })).toBe(false);
    expect(p.matches({ source: 'aws.ec2', detail: { n: 2 } })).toBe(true);
  });

  test('events that are not objects never match', () => {
    const p = compilePattern('{"a": [{"exists": false}]}');
    expect(p.matches({})).toBe(true);
    for (const e of [null, undefined, 'a', 1, [], [{}]]) expect(p.matches(e)).toBe(false);
  });

  test('arrays nested deeper than the call stack are walked', () => {
    const depth = 50_000;
    const event = JSON.parse(`{"a": ${'['.repeat(depth)}"x"${']'.repeat(depth)}}`) as unknown;
    expect(compilePattern('{"a": ["x"]}').matches(event)).toBe(true);
    expect(compilePattern('{"a": [{"exists": false}]}').matches(event)).toBe(false);
    expect(compilePattern('{"a": {"b": ["x"]}}').matches(event)).toBe(false);
  });

  test('the source shown in an error is cut at 500 characters', () => {
    const text = `{"a": [${'"x", '.repeat(200)}{"nope": 1}]}`;
    let message = '';
    try {
      compilePattern(text);
    } catch (e) {
      expect(e).toBeInstanceOf(PatternError);
      message = (e as PatternError).message;
    }
    expect(message).toContain('Unrecognized match type nope\n at [Source: (String)"');
    expect(message).toContain(`"[truncated ${text.length - 500} chars]; line: 1, column: `);
  });

  test('the line and column count lines', () => {
    expect(() => compilePattern('{\n  "a": [\n    {"prefix": 3}\n  ]\n}')).toThrow(
      'prefix match pattern must be a string\n at [Source: (String)"{\n  "a": [\n    {"prefix": 3}\n  ]\n}"; line: 3, column: 17]',
    );
  });
});
