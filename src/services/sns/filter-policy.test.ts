import { describe, expect, test } from 'vitest';
import { compileFilterPolicy, type FilterAttribute } from './filter-policy.js';

const attrs = (o: Record<string, string | number | string[] | (string | number | boolean | null)[]>): Record<string, FilterAttribute> =>
  Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      Array.isArray(v)
        ? { DataType: 'String.Array', StringValue: JSON.stringify(v) }
        : typeof v === 'number'
          ? { DataType: 'Number', StringValue: String(v) }
          : { DataType: 'String', StringValue: v },
    ]),
  );
const onAttrs = (policy: unknown, a: Parameters<typeof attrs>[0]): boolean =>
  compileFilterPolicy(JSON.stringify(policy), 'MessageAttributes').matches('', attrs(a));
const onBody = (policy: unknown, body: unknown): boolean =>
  compileFilterPolicy(JSON.stringify(policy), 'MessageBody').matches(JSON.stringify(body), undefined);
const reason = (policy: unknown, scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes'): string => {
  try {
    compileFilterPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy), scope);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('matching on message attributes', () => {
  test('exact strings and numbers: OR within a key, AND across keys', () => {
    const p = { store: ['a', 'b'], n: [5] };
    expect(onAttrs(p, { store: 'a', n: 5 })).toBe(true);
    expect(onAttrs(p, { store: 'b', n: 5.000001 })).toBe(true);
    expect(onAttrs(p, { store: 'c', n: 5 })).toBe(false);
    expect(onAttrs(p, { store: 'a' })).toBe(false);
    expect(onAttrs(p, { store: 'a', n: '5' })).toBe(false);
    expect(onAttrs({ store: ['A'] }, { store: 'a' })).toBe(false);
  });

  test('prefix, suffix, equals-ignore-case', () => {
    expect(onAttrs({ s: [{ prefix: 'ab' }] }, { s: 'abc' })).toBe(true);
    expect(onAttrs({ s: [{ prefix: 'ab' }] }, { s: 'cab' })).toBe(false);
    expect(onAttrs({ s: [{ suffix: '.png' }] }, { s: 'x.png' })).toBe(true);
    expect(onAttrs({ s: [{ 'equals-ignore-case': 'ReD' }] }, { s: 'rEd' })).toBe(true);
  });

  test('anything-but: values, numbers, prefix, suffix; an absent attribute never matches', () => {
    expect(onAttrs({ s: [{ 'anything-but': ['a', 'b'] }] }, { s: 'c' })).toBe(true);
    expect(onAttrs({ s: [{ 'anything-but': ['a', 'b'] }] }, { s: 'a' })).toBe(false);
    expect(onAttrs({ s: [{ 'anything-but': 'a' }] }, { s: 'a' })).toBe(false);
    expect(onAttrs({ n: [{ 'anything-but': [100] }] }, { n: 100 })).toBe(false);
    expect(onAttrs({ n: [{ 'anything-but': [100] }] }, { n: 101 })).toBe(true);
    expect(onAttrs({ s: [{ 'anything-but': { prefix: 'in' } }] }, { s: 'internal' })).toBe(false);
    expect(onAttrs({ s: [{ 'anything-but': { prefix: 'in' } }] }, { s: 'public' })).toBe(true);
    expect(onAttrs({ s: [{ 'anything-but': { suffix: '-test' } }] }, { s: 'x-test' })).toBe(false);
    expect(onAttrs({ s: [{ 'anything-but': ['a'] }] }, {})).toBe(false);
  });

  test('numeric ranges and equality', () => {
    const p = { n: [{ numeric: ['>', 0, '<=', 150] }] };
    expect(onAttrs(p, { n: 150 })).toBe(true);
    expect(onAttrs(p, { n: 0 })).toBe(false);
    expect(onAttrs(p, { n: 151 })).toBe(false);
    expect(onAttrs({ n: [{ numeric: ['=', 3.5] }] }, { n: 3.5 })).toBe(true);
    expect(onAttrs({ n: [{ numeric: ['<', 0] }] }, { n: -1e9 })).toBe(true);
  });

  test('exists', () => {
    expect(onAttrs({ s: [{ exists: true }] }, { s: 'x' })).toBe(true);
    expect(onAttrs({ s: [{ exists: true }] }, {})).toBe(false);
    expect(onAttrs({ s: [{ exists: false }] }, {})).toBe(true);
    expect(onAttrs({ s: [{ exists: false }] }, { s: 'x' })).toBe(false);
  });

  test('cidr, IPv4 and IPv6', () => {
    expect(onAttrs({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.0.255' })).toBe(true);
    expect(onAttrs({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.1.0' })).toBe(false);
    expect(onAttrs({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:1::5' })).toBe(true);
    expect(onAttrs({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' })).toBe(false);
    expect(onAttrs({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: 'not-an-ip' })).toBe(false);
  });

  test('String.Array: any element matches; numbers inside arrays match numeric conditions', () => {
    expect(onAttrs({ t: ['b'] }, { t: ['a', 'b'] })).toBe(true);
    expect(onAttrs({ t: ['z'] }, { t: ['a', 'b'] })).toBe(false);
    expect(onAttrs({ t: [{ numeric: ['>', 10] }] }, { t: [1, 20] })).toBe(true);
    expect(onAttrs({ t: [true] }, { t: [true] })).toBe(true);
    const numbers = { price: { DataType: 'Number.Array', StringValue: '[100, 50]' } };
    expect(compileFilterPolicy('{"price":[{"anything-but":[100,500]}]}', 'MessageAttributes').matches('', numbers)).toBe(true);
    expect(compileFilterPolicy('{"price":[{"anything-but":[100,500]}]}', 'MessageAttributes').matches('', attrs({ price: 100 }))).toBe(false);
  });

  test('$or at the top level', () => {
    const p = { a: ['1'], $or: [{ b: ['2'] }, { c: ['3'] }] };
    expect(onAttrs(p, { a: '1', b: '2' })).toBe(true);
    expect(onAttrs(p, { a: '1', c: '3' })).toBe(true);
    expect(onAttrs(p, { a: '1' })).toBe(false);
    expect(onAttrs(p, { b: '2' })).toBe(false);
  });

  test('Binary attributes are not compared', () => {
    const policy = compileFilterPolicy('{"b":[{"exists":true}]}', 'MessageAttributes');
    expect(policy.matches('', { b: { DataType: 'Binary' } })).toBe(false);
  });
});

describe('matching on the message body', () => {
  test('nested keys, arrays in the body, null and booleans', () => {
    const p = { detail: { kind: ['a'], flags: [true] } };
    expect(onBody(p, { detail: { kind: 'a', flags: true } })).toBe(true);
    expect(onBody(p, { detail: { kind: ['x', 'a'], flags: true } })).toBe(true);
    expect(onBody(p, { detail: { kind: 'a', flags: false } })).toBe(false);
    expect(onBody({ v: [null] }, { v: null })).toBe(true);
    expect(onBody({ items: { id: [2] } }, { items: [{ id: 1 }, { id: 2 }] })).toBe(true);
    expect(onBody({ $or: [{ a: { b: ['x'] } }, { c: ['y'] }] }, { c: 'y' })).toBe(true);
    expect(onBody({ a: ['x'] }, [1, 2])).toBe(false);
  });

  test('a body that is not JSON matches nothing', () => {
    expect(compileFilterPolicy('{"a":[{"exists":false}]}', 'MessageBody').matches('plain text', undefined)).toBe(false);
  });
});

describe('validation and limits', () => {
  test("AWS's reasons", () => {
    expect(reason('{')).toMatch(/^Invalid parameter: FilterPolicy: failed to parse JSON/);
    expect(reason({ a: [] })).toBe('Invalid parameter: FilterPolicy: Empty arrays are not allowed');
    expect(reason({ a: 'x' })).toMatch(/must be an array or an object/);
    expect(reason({ a: [{ nope: 1 }] })).toBe('Invalid parameter: FilterPolicy: Unrecognized match type nope');
    expect(reason({ a: [{ prefix: 1 }] })).toBe('Invalid parameter: FilterPolicy: Value of prefix must be a string');
    expect(reason({ a: [{ exists: 'yes' }] })).toBe('Invalid parameter: FilterPolicy: exists match pattern must be either true or false.');
    expect(reason({ a: [{ numeric: ['>', 'x'] }] })).toBe('Invalid parameter: FilterPolicy: Value of > must be numeric');
    expect(reason({ a: [{ numeric: ['<', 1, '>', 5] }] })).toBe('Invalid parameter: FilterPolicy: Bottom must be less than top');
    expect(reason({ a: [{ numeric: ['!', 1] }] })).toBe('Invalid parameter: FilterPolicy: Unrecognized numeric range operator: !');
    expect(reason({ a: [2e9] })).toBe('Invalid parameter: FilterPolicy: Value of number must be between -1.0E9 and 1.0E9');
    expect(reason({ a: [{ cidr: '10.0.0.0' }] })).toMatch(/Malformed CIDR/);
    expect(reason({ a: { b: ['x'] } })).toBe(
      'Invalid parameter: FilterPolicy: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    expect(reason({ a: { b: ['x'] } }, 'MessageBody')).toBe('accepted');
  });

  test('at most 5 keys and 150 combinations', () => {
    const five = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((k) => [k, ['x']]));
    expect(reason(five)).toBe('accepted');
    expect(reason({ ...five, f: ['x'] })).toBe('Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys');
    const values = (n: number): string[] => Array.from({ length: n }, (_, i) => `v${i}`);
    expect(reason({ a: values(10), b: values(15) })).toBe('accepted');
    expect(reason({ a: values(10), b: values(16) })).toBe('Invalid parameter: FilterPolicy: Filter policy is too complex');
    expect(reason({ $or: [{ a: values(100) }, { b: values(51) }] })).toBe('Invalid parameter: FilterPolicy: Filter policy is too complex');
  });
});
