// Many patterns (rules) matched against one event without evaluating every rule, as aws/event-ruler does with its
// state machine. Each alternative of a rule is filed under the one field path it constrains that looks most
// selective (the fewest rules already filed under the same value), by what that field accepts: exact strings and
// numbers in hash maps, prefixes, suffixes and wildcard pieces in maps probed with the event value's own prefixes,
// suffixes and substrings, numeric ranges in an interval list sorted by lower bound; other operators (anything-but,
// cidr, equals-ignore-case, exists) only need a value at the path. An event walks each indexed path once; the rules
// found are candidates, matched then in full (unless the field found is the whole rule), so the index only has to
// never miss a match.
import { NUMERIC_LIMIT, type Condition, type FieldMatcher, type Leaf } from './conditions.js';
import { someElement, type EventPattern } from './pattern.js';

interface Slot<Id> {
  readonly id: Id;
  readonly pattern: EventPattern;
  /** The matching() call that last met this rule, so that a rule found twice is matched once. */
  call: number;
  /** Where the rule is filed, to take it out again. */
  readonly filed: { index: PathIndex<Id>; ref: FieldRef<Id>; entries: readonly Entry[] }[];
}

/** One field of one alternative of a rule, as filed under the field's path. */
interface FieldRef<Id> {
  readonly slot: Slot<Id>;
  /** Whether a hit is a match: the rule is this one field, and every entry of it tests exactly what the field does. */
  readonly certain: boolean;
}

type Entry =
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'suffix'; readonly value: string }
  /** A piece a wildcard needs somewhere inside the value. */
  | { readonly kind: 'infix'; readonly value: string }
  | { readonly kind: 'range'; readonly low: number; readonly high: number; readonly lowOpen: boolean; readonly highOpen: boolean }
  /** `anything-but` a list of strings: any leaf that is not one of them. */
  | { readonly kind: 'but'; readonly strings: ReadonlySet<string> }
  | { readonly kind: 'any' };

interface Range<Id> {
  readonly low: number;
  readonly high: number;
  readonly lowOpen: boolean;
  readonly highOpen: boolean;
  readonly slot: FieldRef<Id>;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/** Rules filed under one field path. */
class PathIndex<Id> {
  private readonly exact = new Map<string, Set<FieldRef<Id>>>();
  private readonly numbers = new Map<number, Set<FieldRef<Id>>>();
  private readonly prefixes = new Map<string, Set<FieldRef<Id>>>();
  private readonly suffixes = new Map<string, Set<FieldRef<Id>>>();
  private readonly infixes = new Map<string, Set<FieldRef<Id>>>();
  private infixLengths: number[] = [];
  private readonly infixLengthCount = new Map<number, number>();
  /** Distinct prefix (suffix) lengths in use, ascending, with how many entries have each. */
  private prefixLengths: number[] = [];
  private suffixLengths: number[] = [];
  private readonly prefixLengthCount = new Map<number, number>();
  private readonly suffixLengthCount = new Map<number, number>();
  private ranges: Range<Id>[] = [];
  /** maxHigh[i]: the largest upper bound among ranges[0..i], so that a lookup knows when to stop looking back. */
  private maxHigh: number[] = [];
  private rangesSorted = true;
  private readonly any = new Set<FieldRef<Id>>();
  private buts: { readonly strings: ReadonlySet<string>; readonly ref: FieldRef<Id> }[] = [];
  entries = 0;

  constructor(readonly path: readonly string[]) {}

  add(slot: FieldRef<Id>, e: Entry): void {
    this.entries++;
    switch (e.kind) {
      case 'exact':
        return addTo(this.exact, e.value, slot);
      case 'number':
        return addTo(this.numbers, e.value, slot);
      case 'prefix':
        addTo(this.prefixes, e.value, slot);
        this.prefixLengths = countLength(this.prefixLengthCount, e.value.length, 1);
        return;
      case 'suffix':
        addTo(this.suffixes, e.value, slot);
        this.suffixLengths = countLength(this.suffixLengthCount, e.value.length, 1);
        return;
      case 'infix':
        addTo(this.infixes, e.value, slot);
        this.infixLengths = countLength(this.infixLengthCount, e.value.length, 1);
        return;
      case 'range':
        this.ranges.push({ low: e.low, high: e.high, lowOpen: e.lowOpen, highOpen: e.highOpen, slot });
        this.rangesSorted = false;
        return;
      case 'any':
        this.any.add(slot);
        return;
      case 'but':
        this.buts.push({ strings: e.strings, ref: slot });
        return;
    }
  }

  remove(slot: FieldRef<Id>, e: Entry): void {
    this.entries--;
    switch (e.kind) {
      case 'exact':
        return removeFrom(this.exact, e.value, slot);
      case 'number':
        return removeFrom(this.numbers, e.value, slot);
      case 'prefix':
        removeFrom(this.prefixes, e.value, slot);
        this.prefixLengths = countLength(this.prefixLengthCount, e.value.length, -1);
        return;
      case 'suffix':
        removeFrom(this.suffixes, e.value, slot);
        this.suffixLengths = countLength(this.suffixLengthCount, e.value.length, -1);
        return;
      case 'infix':
        removeFrom(this.infixes, e.value, slot);
        this.infixLengths = countLength(this.infixLengthCount, e.value.length, -1);
        return;
      case 'range': {
        const i = this.ranges.findIndex((r) => r.slot === slot && r.low === e.low && r.high === e.high);
        if (i >= 0) this.ranges.splice(i, 1);
        this.rangesSorted = false;
        return;
      }
      case 'any':
        this.any.delete(slot);
        return;
      case 'but':
        this.buts = this.buts.filter((b) => b.ref !== slot || b.strings !== e.strings);
        return;
    }
  }

  /** How many rules an event would meet through this entry, as far as the index can tell before any event. */
  crowd(e: Entry): number {
    switch (e.kind) {
      case 'exact':
        return this.exact.get(e.value)?.size ?? 0;
      case 'number':
        return this.numbers.get(e.value)?.size ?? 0;
      case 'prefix':
        return 2 + (this.prefixes.get(e.value)?.size ?? 0);
      case 'suffix':
        return 2 + (this.suffixes.get(e.value)?.size ?? 0);
      case 'infix':
        return 3 + (this.infixes.get(e.value)?.size ?? 0);
      case 'range': {
        // An event in this range meets every range that overlaps it.
        let overlapping = 0;
        for (const r of this.ranges) if (r.low <= e.high && r.high >= e.low) overlapping++;
        return 2 + overlapping;
      }
      case 'but':
        return 1e5;
      case 'any':
        return 1e6;
    }
  }

  /** Calls `visit` with every rule filed here that a leaf value of the event at this path could satisfy. */
  collect(event: Record<string, unknown>, visit: (slot: FieldRef<Id>) => void): void {
    if (!this.rangesSorted) this.sortRanges();
    // The common case, a path of plain objects down to one leaf, without a walker.
    const path = this.path;
    let v: unknown = event;
    for (let i = 0; i < path.length; i++) {
      if (Array.isArray(v)) return leavesAt(v, path, i, this, visit);
      const name = path[i] ?? '';
      if (!isObject(v) || !Object.hasOwn(v, name)) return;
      v = v[name];
    }
    if (Array.isArray(v)) leavesAt(v, this.path, this.path.length, this, visit);
    else if (v !== undefined && (v === null || typeof v !== 'object')) this.leaf(v as Leaf, visit);
  }

  /** Visits the rules one leaf value of the event at this path may satisfy. */
  leaf(v: Leaf, visit: (slot: FieldRef<Id>) => void): void {
    if (this.any.size > 0) for (const s of this.any) visit(s);
    if (this.buts.length > 0) for (const b of this.buts) if (typeof v !== 'string' || !b.strings.has(v)) visit(b.ref);
    if (typeof v === 'string') {
      if (this.exact.size > 0) {
        const exact = this.exact.get(v);
        if (exact) for (const s of exact) visit(s);
      }
      for (const n of this.prefixLengths) {
        if (n > v.length) break;
        const found = this.prefixes.get(v.slice(0, n));
        if (found) for (const s of found) visit(s);
      }
      for (const n of this.suffixLengths) {
        if (n > v.length) break;
        const found = this.suffixes.get(v.slice(v.length - n));
        if (found) for (const s of found) visit(s);
      }
      // Every substring of each length in use: a few probes per character of short values, which is what field
      // values mostly are.
      for (const n of this.infixLengths) {
        if (n > v.length) break;
        for (let i = 0; i + n <= v.length; i++) {
          const found = this.infixes.get(v.slice(i, i + n));
          if (found) for (const s of found) visit(s);
        }
      }
    } else if (typeof v === 'number') {
      if (this.numbers.size > 0) {
        const exact = this.numbers.get(v);
        if (exact) for (const s of exact) visit(s);
      }
      if (this.ranges.length > 0 && v >= -NUMERIC_LIMIT && v <= NUMERIC_LIMIT) this.collectRanges(v, visit);
    }
  }

  private collectRanges(v: number, visit: (slot: FieldRef<Id>) => void): void {
    const ranges = this.ranges;
    // The last range whose lower bound is at most v; every range at or before it may hold v.
    let lo = 0;
    let hi = ranges.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((ranges[mid]?.low ?? Infinity) <= v) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = last; i >= 0 && (this.maxHigh[i] ?? -Infinity) >= v; i--) {
      const r = ranges[i];
      // The numeric operator's own test, so that a hit is a match for a rule of this one range.
      if (r && (r.highOpen ? v < r.high : v <= r.high) && (r.lowOpen ? v > r.low : v >= r.low)) visit(r.slot);
    }
  }

  private sortRanges(): void {
    this.ranges.sort((a, b) => a.low - b.low);
    let max = -Infinity;
    this.maxHigh = this.ranges.map((r) => (max = Math.max(max, r.high)));
    this.rangesSorted = true;
  }
}

/** Counts one more (or fewer) entry of a length; returns the distinct lengths in use, ascending. */
function countLength(counts: Map<number, number>, length: number, delta: number): number[] {
  const n = (counts.get(length) ?? 0) + delta;
  if (n > 0) counts.set(length, n);
  else counts.delete(length);
  return [...counts.keys()].sort((a, b) => a - b);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every leaf value of the event at `path`, arrays anywhere on the way standing for their elements. */
function leavesAt<Id>(v: unknown, path: readonly string[], i: number, index: PathIndex<Id>, visit: (slot: FieldRef<Id>) => void): void {
  if (Array.isArray(v)) {
    someElement(v, (e) => {
      leavesAt(e, path, i, index, visit);
      return false;
    });
    return;
  }
  if (i === path.length) {
    if (v !== undefined && (v === null || typeof v !== 'object')) index.leaf(v as Leaf, visit);
    return;
  }
  if (!isObject(v)) return;
  const name = path[i] ?? '';
  if (Object.hasOwn(v, name)) leavesAt(v[name], path, i + 1, index, visit);
}

/** What a leaf must look like for the field to match, as index entries; undefined when no value is needed. */
function entriesOf(m: FieldMatcher): Entry[] | undefined {
  if (m.existsFalse) return undefined;
  const entries: Entry[] = [];
  if (m.existsTrue || m.matchTrue || m.matchFalse || m.matchNull) entries.push({ kind: 'any' });
  for (const s of m.strings) entries.push({ kind: 'exact', value: s });
  for (const n of m.numbers) entries.push({ kind: 'number', value: n });
  for (const c of m.conditions) entries.push(entryOf(c));
  return entries.length > 0 ? entries : undefined;
}

/** Whether the field accepts exactly the values its index entries find: exact strings and numbers, prefixes, suffixes. */
function isExactTest(m: FieldMatcher): boolean {
  if (m.existsTrue || m.existsFalse || m.matchTrue || m.matchFalse || m.matchNull) return false;
  return m.conditions.every(
    (c) => ((c.kind === 'prefix' || c.kind === 'suffix') && c.value !== '') || c.kind === 'anything-but' || c.kind === 'numeric',
  );
}

function entryOf(c: Condition): Entry {
  switch (c.kind) {
    case 'prefix':
      return c.value === '' ? { kind: 'any' } : { kind: 'prefix', value: c.value };
    case 'suffix':
      return c.value === '' ? { kind: 'any' } : { kind: 'suffix', value: c.value };
    case 'numeric':
      return { kind: 'range', low: c.low, high: c.high, lowOpen: c.lowOpen, highOpen: c.highOpen };
    case 'anything-but':
      return { kind: 'but', strings: c.strings };
    case 'wildcard': {
      // The longest literal piece, anchored where it is anchored.
      const pieces = c.wildcard.pieces;
      const first = pieces[0] ?? '';
      const last = pieces[pieces.length - 1] ?? '';
      if (pieces.length === 1) return { kind: 'exact', value: first };
      let middle = '';
      for (let i = 1; i < pieces.length - 1; i++) if ((pieces[i] ?? '').length > middle.length) middle = pieces[i] ?? '';
      const longest = Math.max(first.length, last.length, middle.length);
      if (longest === 0) return { kind: 'any' };
      if (first.length === longest) return { kind: 'prefix', value: first };
      if (last.length === longest) return { kind: 'suffix', value: last };
      return { kind: 'infix', value: middle };
    }
    default:
      return { kind: 'any' };
  }
}

export class RuleSet<Id> {
  private readonly slots = new Map<Id, Slot<Id>>();
  /** Path (as JSON text) -> the rule fields filed under it. */
  private readonly paths = new Map<string, PathIndex<Id>>();
  /** Rules with an alternative that needs no value anywhere (`exists: false` only): matched on every event. */
  private readonly unfiled = new Set<Slot<Id>>();
  private calls = 0;

  get size(): number {
    return this.slots.size;
  }

  has(id: Id): boolean {
    return this.slots.has(id);
  }

  /** Adds a rule, replacing any rule with the same id. */
  add(id: Id, pattern: EventPattern): void {
    if (this.slots.has(id)) this.remove(id);
    const slot: Slot<Id> = { id, pattern, call: 0, filed: [] };
    this.slots.set(id, slot);
    const plans: { key: string; path: readonly string[]; entries: Entry[]; certain: boolean }[] = [];
    let unfiled = false;
    for (const branch of pattern.branches) {
      let best: { key: string; path: readonly string[]; entries: Entry[]; certain: boolean; crowd: number } | undefined;
      for (const [key, { path, matcher }] of branch) {
        const entries = entriesOf(matcher);
        if (!entries) continue;
        const index = this.paths.get(key);
        let crowd = rank(path) / 10;
        for (const e of entries) crowd += index ? index.crowd(e) : BASE_CROWD[e.kind];
        if (best && best.crowd <= crowd) continue;
        const certain = pattern.branches.length === 1 && branch.size === 1 && isExactTest(matcher);
        best = { key, path, entries, certain, crowd };
      }
      if (best) plans.push(best);
      else unfiled = true;
    }
    if (unfiled) {
      this.unfiled.add(slot);
      return;
    }
    for (const plan of plans) {
      let index = this.paths.get(plan.key);
      if (!index) {
        index = new PathIndex<Id>(plan.path);
        this.paths.set(plan.key, index);
      }
      const ref: FieldRef<Id> = { slot, certain: plan.certain };
      for (const e of plan.entries) index.add(ref, e);
      slot.filed.push({ index, ref, entries: plan.entries });
    }
  }

  remove(id: Id): boolean {
    const slot = this.slots.get(id);
    if (!slot) return false;
    this.slots.delete(id);
    this.unfiled.delete(slot);
    for (const { index, ref, entries } of slot.filed) {
      for (const e of entries) index.remove(ref, e);
      if (index.entries === 0) this.paths.delete(JSON.stringify(index.path));
    }
    return true;
  }

  clear(): void {
    this.slots.clear();
    this.paths.clear();
    this.unfiled.clear();
  }

  /** The ids of the rules that match a parsed JSON event. */
  matching(event: unknown): Id[] {
    const out: Id[] = [];
    if (!isObject(event)) return out;
    const call = ++this.calls;
    const visit = (ref: FieldRef<Id>): void => {
      const slot = ref.slot;
      if (slot.call === call) return;
      slot.call = call;
      if (ref.certain || slot.pattern.matches(event)) out.push(slot.id);
    };
    for (const index of this.paths.values()) index.collect(event, visit);
    for (const slot of this.unfiled) if (slot.pattern.matches(event)) out.push(slot.id);
    return out;
  }
}

/** Crowds of an entry at a path nothing is filed under yet (see PathIndex.crowd). */
const BASE_CROWD: Readonly<Record<Entry['kind'], number>> = { exact: 0, number: 0, prefix: 2, suffix: 2, infix: 3, range: 2, but: 1e5, any: 1e6 };

/** Fields preferred among equally crowded ones: the ones nearly every rule names. */
const PREFERRED_FIELDS = ['source', 'detail-type'];

function rank(path: readonly string[]): number {
  if (path.length !== 1) return PREFERRED_FIELDS.length;
  const i = PREFERRED_FIELDS.indexOf(path[0] ?? '');
  return i < 0 ? PREFERRED_FIELDS.length : i;
}
