// Choice rules of the JSONPath query language
// (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html): a data-test (Variable + one comparison)
// or a Boolean combination (And, Or, Not), nested to any depth. A comparison whose operand has the wrong type is
// false; a Variable (or ...Path operand) that names nothing fails the state with States.Runtime, except for IsPresent.
// And and Or short-circuit, so `IsPresent` can guard a comparison.

import type { Json } from './json.js';
import { runtimeError } from './errors.js';
import { evaluatePath, type VariableLookup } from './jsonpath.js';

export const STRING_OPERATORS = [
  'StringEquals',
  'StringLessThan',
  'StringGreaterThan',
  'StringLessThanEquals',
  'StringGreaterThanEquals',
  'StringMatches',
] as const;
export const NUMERIC_OPERATORS = [
  'NumericEquals',
  'NumericLessThan',
  'NumericGreaterThan',
  'NumericLessThanEquals',
  'NumericGreaterThanEquals',
] as const;
export const TIMESTAMP_OPERATORS = [
  'TimestampEquals',
  'TimestampLessThan',
  'TimestampGreaterThan',
  'TimestampLessThanEquals',
  'TimestampGreaterThanEquals',
] as const;
export const TYPE_TEST_OPERATORS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;

/** Comparison operators that take a literal; each (except StringMatches) also has a `...Path` variant. */
export const VALUE_OPERATORS = [...STRING_OPERATORS, ...NUMERIC_OPERATORS, 'BooleanEquals', ...TIMESTAMP_OPERATORS] as const;
export const PATH_OPERATORS = VALUE_OPERATORS.filter((op) => op !== 'StringMatches').map((op) => `${op}Path`);
export const COMPARISON_OPERATORS: readonly string[] = [...VALUE_OPERATORS, ...PATH_OPERATORS, ...TYPE_TEST_OPERATORS];

/** A choice rule as written in the definition; the top-level rules also carry Next (and Comment). */
export interface ChoiceRule {
  readonly Variable?: string;
  readonly And?: readonly ChoiceRule[];
  readonly Or?: readonly ChoiceRule[];
  readonly Not?: ChoiceRule;
  readonly Next?: string;
  readonly Comment?: string;
  readonly [operator: string]: Json | undefined | ChoiceRule | readonly ChoiceRule[];
}

/** The name of the first rule that matches, else the Default, else undefined (the caller raises NoChoiceMatched). */
export function chooseNext(
  choices: readonly ChoiceRule[],
  defaultNext: string | undefined,
  input: Json,
  context: Json = null,
  variables?: VariableLookup,
): string | undefined {
  for (const rule of choices) {
    if (evaluateChoiceRule(rule, input, context, variables)) return rule.Next;
  }
  return defaultNext;
}

export function evaluateChoiceRule(rule: ChoiceRule, input: Json, context: Json = null, variables?: VariableLookup): boolean {
  if (rule.And !== undefined) return rule.And.every((r) => evaluateChoiceRule(r, input, context, variables));
  if (rule.Or !== undefined) return rule.Or.some((r) => evaluateChoiceRule(r, input, context, variables));
  if (rule.Not !== undefined) return !evaluateChoiceRule(rule.Not, input, context, variables);
  const variablePath = rule.Variable;
  if (typeof variablePath !== 'string') throw runtimeError('A choice rule needs a Variable, And, Or or Not');
  const operator = COMPARISON_OPERATORS.find((op) => Object.hasOwn(rule, op));
  if (operator === undefined) throw runtimeError(`The choice rule for '${variablePath}' has no comparison operator`);
  const operand = rule[operator] as Json;
  const variable = lookup(variablePath, input, context, variables);

  if (operator === 'IsPresent') return (variable !== undefined) === operand;
  if (variable === undefined) throw invalidPath(variablePath);

  switch (operator) {
    case 'IsNull':
      return (variable === null) === operand;
    case 'IsNumeric':
      return (typeof variable === 'number') === operand;
    case 'IsString':
      return (typeof variable === 'string') === operand;
    case 'IsBoolean':
      return (typeof variable === 'boolean') === operand;
    case 'IsTimestamp':
      return (typeof variable === 'string' && parseTimestamp(variable) !== undefined) === operand;
  }

  let base = operator;
  let expected: Json = operand;
  if (operator.endsWith('Path')) {
    base = operator.slice(0, -4);
    if (typeof operand !== 'string') throw runtimeError(`The value of ${operator} must be a path`);
    const resolved = lookup(operand, input, context, variables);
    if (resolved === undefined) throw invalidPath(operand);
    expected = resolved;
  }
  return compareValues(base, variable, expected);
}

function lookup(path: string, input: Json, context: Json, variables: VariableLookup | undefined): Json | undefined {
  const result = evaluatePath(path, input, context, variables);
  return result.found ? result.value : undefined;
}

function invalidPath(path: string): Error {
  return runtimeError(`Invalid path '${path}': The choice state's condition path references an invalid value.`);
}

function compareValues(operator: string, left: Json, right: Json): boolean {
  if (operator.startsWith('String')) {
    if (typeof left !== 'string' || typeof right !== 'string') return false;
    switch (operator) {
      case 'StringEquals':
        return left === right;
      case 'StringLessThan':
        return compareStrings(left, right) < 0;
      case 'StringGreaterThan':
        return compareStrings(left, right) > 0;
      case 'StringLessThanEquals':
        return compareStrings(left, right) <= 0;
      case 'StringGreaterThanEquals':
        return compareStrings(left, right) >= 0;
      case 'StringMatches':
        return stringMatches(left, right);
    }
    return false;
  }
  if (operator.startsWith('Numeric')) {
    if (typeof left !== 'number' || typeof right !== 'number') return false;
    switch (operator) {
      case 'NumericEquals':
        return left === right;
      case 'NumericLessThan':
        return left < right;
      case 'NumericGreaterThan':
        return left > right;
      case 'NumericLessThanEquals':
        return left <= right;
      case 'NumericGreaterThanEquals':
        return left >= right;
    }
    return false;
  }
  if (operator === 'BooleanEquals') {
    return typeof left === 'boolean' && typeof right === 'boolean' && left === right;
  }
  if (operator.startsWith('Timestamp')) {
    if (typeof left !== 'string' || typeof right !== 'string') return false;
    const a = parseTimestamp(left);
    const b = parseTimestamp(right);
    if (a === undefined || b === undefined) return false;
    switch (operator) {
      case 'TimestampEquals':
        return a === b;
      case 'TimestampLessThan':
        return a < b;
      case 'TimestampGreaterThan':
        return a > b;
      case 'TimestampLessThanEquals':
        return a <= b;
      case 'TimestampGreaterThanEquals':
        return a >= b;
    }
  }
  return false;
}

/** Strings compare by UTF-16 code unit, as Java's String.compareTo. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * StringMatches: `*` matches any run of characters (including none); `\*` is a literal asterisk and `\\` a literal
 * backslash. Nothing else is special.
 */
export function stringMatches(value: string, pattern: string): boolean {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[i + 1] as string);
      i++;
    } else if (c === '*') {
      source += '[\\s\\S]*';
    } else {
      source += escapeRegExp(c);
    }
  }
  return new RegExp(`${source}$`, 'u').test(value);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// RFC 3339 as Step Functions accepts it: an uppercase T between date and time, Z or a numeric offset.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch, or undefined when the text is not a timestamp Step Functions accepts. */
export function parseTimestamp(text: string): bigint | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const nanos = frac ? BigInt(frac.slice(1).padEnd(9, '0')) : 0n;
  return BigInt(epochMs) * 1_000_000n + nanos;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
