// Many patterns (rules) matched against one event without evaluating every rule: a rule whose every alternative
// requires exact string values of one top-level field (`source`, `detail-type`, ...) is filed under those values,
// so an event only meets the rules filed under its own values plus the rules that could not be filed.
import type { FieldMatcher } from './conditions.js';
import { someElement, type EventPattern } from './pattern.js';

/** Fields tried first when choosing where to file a rule: the ones nearly every rule names. */
const PREFERRED_FIELDS = ['source', 'detail-type'];

interface Filed {
  readonly field: string;
  readonly values: readonly string[];
}

export class RuleSet<Id> {
  private readonly rules = new Map<Id, EventPattern>();
  private readonly filed = new Map<Id, Filed>();
  /** field -> exact value -> rules filed there. */
  private readonly index = new Map<string, Map<string, Set<Id>>>();
  /** Rules that name no field with only exact string values in every alternative: checked on every event. */
  private readonly unfiled = new Set<Id>();

  get size(): number {
    return this.rules.size;
  }

  has(id: Id): boolean {
    return this.rules.has(id);
  }

  /** Adds a rule, replacing any rule with the same id. */
  add(id: Id, pattern: EventPattern): void {
    if (this.rules.has(id)) this.remove(id);
    this.rules.set(id, pattern);
    const filed = fileUnder(pattern);
    if (!filed) {
      this.unfiled.add(id);
      return;
    }
    this.filed.set(id, filed);
    let byValue = this.index.get(filed.field);
    if (!byValue) {
      byValue = new Map();
      this.index.set(filed.field, byValue);
    }
    for (const v of filed.values) {
      let ids = byValue.get(v);
      if (!ids) {
        ids = new Set();
        byValue.set(v, ids);
      }
      ids.add(id);
    }
  }

  remove(id: Id): boolean {
    if (!this.rules.delete(id)) return false;
    if (this.unfiled.delete(id)) return true;
    const filed = this.filed.get(id);
    this.filed.delete(id);
    if (!filed) return true;
    const byValue = this.index.get(filed.field);
    if (!byValue) return true;
    for (const v of filed.values) {
      const ids = byValue.get(v);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) byValue.delete(v);
    }
    if (byValue.size === 0) this.index.delete(filed.field);
    return true;
  }

  clear(): void {
    this.rules.clear();
    this.filed.clear();
    this.index.clear();
    this.unfiled.clear();
  }

  /** The ids of the rules that match a parsed JSON event. */
  matching(event: unknown): Id[] {
    const out: Id[] = [];
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return out;
    const record = event as Record<string, unknown>;
    const check = (id: Id): void => {
      if (this.rules.get(id)?.matches(record)) out.push(id);
    };
    // A rule is filed under one field only, so it can come up twice only through an event array listing
    // several of its values.
    for (const [field, byValue] of this.index) {
      if (!Object.hasOwn(record, field)) continue;
      const v = record[field];
      if (typeof v === 'string') {
        const ids = byValue.get(v);
        if (ids) for (const id of ids) check(id);
      } else if (Array.isArray(v)) {
        const seen = new Set<Id>();
        someElement(v, (e) => {
          const ids = typeof e === 'string' ? byValue.get(e) : undefined;
          if (!ids) return false;
          for (const id of ids) {
            if (seen.has(id)) continue;
            seen.add(id);
            check(id);
          }
          return false;
        });
      }
    }
    for (const id of this.unfiled) check(id);
    return out;
  }
}

/** A top-level field every alternative restricts to exact strings, and the union of those strings. */
function fileUnder(pattern: EventPattern): Filed | undefined {
  const first = pattern.branches[0];
  if (!first) return undefined;
  const candidates: string[] = [];
  for (const { path } of first.values()) {
    if (path.length === 1 && path[0] !== undefined) candidates.push(path[0]);
  }
  candidates.sort((a, b) => rank(a) - rank(b));
  for (const field of candidates) {
    const key = JSON.stringify([field]);
    const values = new Set<string>();
    let ok = true;
    for (const branch of pattern.branches) {
      const m = branch.get(key)?.matcher;
      if (!m || !exactStringsOnly(m)) {
        ok = false;
        break;
      }
      for (const s of m.strings) values.add(s);
    }
    if (ok) return { field, values: [...values] };
  }
  return undefined;
}

function rank(field: string): number {
  const i = PREFERRED_FIELDS.indexOf(field);
  return i < 0 ? PREFERRED_FIELDS.length : i;
}

function exactStringsOnly(m: FieldMatcher): boolean {
  return (
    m.strings.size > 0 &&
    m.numbers.length === 0 &&
    m.conditions.length === 0 &&
    !m.matchTrue &&
    !m.matchFalse &&
    !m.matchNull &&
    !m.existsTrue &&
    !m.existsFalse
  );
}
