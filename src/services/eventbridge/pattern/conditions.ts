// What one field of a pattern accepts: the values listed in its array, any one of which may match a leaf value of
// the event (a string, number, boolean or null; objects are never leaves). Built once per pattern, tested per event.
import { inRange, parseIp, type IpAddress, type IpRange } from './ip.js';
import { wildcardMatches, type Wildcard } from './wildcard.js';

/** A leaf value of a parsed JSON event. */
export type Leaf = string | number | boolean | null;

/** Numeric comparisons are defined on this range only (AWS's limit); numbers outside it never satisfy `numeric`. */
export const NUMERIC_LIMIT = 5e9;

export type Condition =
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'prefix-ic'; readonly lower: string; readonly upper: string }
  | { readonly kind: 'suffix'; readonly value: string }
  | { readonly kind: 'suffix-ic'; readonly lower: string; readonly upper: string }
  | { readonly kind: 'equals-ic'; readonly lower: string; readonly upper: string }
  | { readonly kind: 'wildcard'; readonly wildcard: Wildcard }
  | { readonly kind: 'ip'; readonly range: IpRange }
  | {
      readonly kind: 'numeric';
      readonly low: number;
      readonly lowOpen: boolean;
      readonly high: number;
      readonly highOpen: boolean;
    }
  | { readonly kind: 'anything-but'; readonly strings: ReadonlySet<string> }
  | { readonly kind: 'anything-but-numbers'; readonly numbers: readonly number[] }
  | { readonly kind: 'anything-but-prefix'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-suffix'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-ic'; readonly lower: ReadonlySet<string>; readonly upper: ReadonlySet<string> }
  | { readonly kind: 'anything-but-wildcard'; readonly wildcards: readonly Wildcard[] };

/** The alternatives listed for one field. */
export class FieldMatcher {
  /** Exact string values (IP addresses excepted, which are ranges in `conditions`). */
  readonly strings = new Set<string>();
  /** Exact numbers, compared by value (3 matches 3.0 and 3e0). */
  readonly numbers: number[] = [];
  matchTrue = false;
  matchFalse = false;
  matchNull = false;
  /** `{"exists": true}`: any leaf value. */
  existsTrue = false;
  /** `{"exists": false}`: no leaf value at this path anywhere in the event. */
  existsFalse = false;
  readonly conditions: Condition[] = [];

  /** Whether one leaf value satisfies any alternative (`exists: false` is judged by the caller). */
  test(v: Leaf): boolean {
    if (this.existsTrue) return true;
    if (typeof v === 'string') {
      if (this.strings.has(v)) return true;
    } else if (typeof v === 'number') {
      for (const n of this.numbers) if (n === v) return true;
    } else if (v === true) {
      if (this.matchTrue) return true;
    } else if (v === false) {
      if (this.matchFalse) return true;
    } else if (this.matchNull) {
      return true;
    }
    const conditions = this.conditions;
    if (conditions.length === 0) return false;
    let ip: IpAddress | undefined | null = null;
    for (const c of conditions) {
      if (c.kind === 'ip') {
        if (typeof v !== 'string') continue;
        if (ip === null) ip = parseIp(v);
        if (ip && inRange(c.range, ip)) return true;
      } else if (testCondition(c, v)) {
        return true;
      }
    }
    return false;
  }
}

function testCondition(c: Condition, v: Leaf): boolean {
  switch (c.kind) {
    case 'prefix':
      return typeof v === 'string' && v.startsWith(c.value);
    case 'suffix':
      return typeof v === 'string' && v.endsWith(c.value);
    case 'prefix-ic':
      return typeof v === 'string' && (v.toLowerCase().startsWith(c.lower) || v.toUpperCase().startsWith(c.upper));
    case 'suffix-ic':
      return typeof v === 'string' && (v.toLowerCase().endsWith(c.lower) || v.toUpperCase().endsWith(c.upper));
    case 'equals-ic':
      return typeof v === 'string' && (v.toLowerCase() === c.lower || v.toUpperCase() === c.upper);
    case 'wildcard':
      return typeof v === 'string' && wildcardMatches(c.wildcard, v);
    case 'numeric':
      if (typeof v !== 'number' || v < -NUMERIC_LIMIT || v > NUMERIC_LIMIT) return false;
      return (c.lowOpen ? v > c.low : v >= c.low) && (c.highOpen ? v < c.high : v <= c.high);
    case 'anything-but':
      return typeof v !== 'string' || !c.strings.has(v);
    case 'anything-but-numbers':
      return typeof v === 'number' && !c.numbers.includes(v);
    case 'anything-but-prefix':
      if (typeof v !== 'string') return true;
      for (const p of c.values) if (v.startsWith(p)) return false;
      return true;
    case 'anything-but-suffix':
      if (typeof v !== 'string') return true;
      for (const p of c.values) if (v.endsWith(p)) return false;
      return true;
    case 'anything-but-ic':
      return typeof v !== 'string' || !(c.lower.has(v.toLowerCase()) || c.upper.has(v.toUpperCase()));
    case 'anything-but-wildcard':
      if (typeof v !== 'string') return true;
      for (const w of c.wildcards) if (wildcardMatches(w, v)) return false;
      return true;
    case 'ip':
      return false;
  }
}
