// A compiled event pattern: `compilePattern(text)` once, then `matches(event)` per parsed JSON event.
// Matching rules (AWS EventBridge content filtering, as implemented by aws/event-ruler):
// - every field named in the pattern must match; a field matches when any listed value matches any leaf value of
//   the event at that path, arrays (nested too) standing for their elements;
// - fields inside one object of an array must be matched by the same element (array consistency);
// - `exists: false` means no leaf value at that path anywhere in the event; objects and empty arrays are not leaves.
import type { FieldMatcher, Leaf } from './conditions.js';
import { compileBranches, type Branch } from './compile.js';

interface FieldNode {
  readonly name: string;
  /** The path from the event's root, for `exists: false`. */
  readonly path: readonly string[];
  readonly matcher: FieldMatcher | undefined;
  readonly child: ObjectNode | undefined;
}

interface ObjectNode {
  readonly fields: readonly FieldNode[];
  /** Whether an absent object can match (every leaf below is `exists: false`). */
  readonly acceptsAbsence: boolean;
}

export class EventPattern {
  /** The pattern's alternatives; it matches when any one does. */
  readonly branches: readonly Branch[];
  private readonly roots: readonly ObjectNode[];

  constructor(branches: readonly Branch[]) {
    this.branches = branches;
    this.roots = branches.map(buildTree);
  }

  /** Whether the pattern matches a parsed JSON event (anything but an object never matches). */
  matches(event: unknown): boolean {
    if (!isObject(event)) return false;
    for (const root of this.roots) if (matchObject(root, event, event)) return true;
    return false;
  }

  /** Whether one alternative matches; used by the rule-set index. */
  branchMatches(index: number, event: Record<string, unknown>): boolean {
    const root = this.roots[index];
    return root !== undefined && matchObject(root, event, event);
  }
}

/** Parses, validates and compiles pattern text; throws PatternError (with AWS's reason) when it is not valid. */
export function compilePattern(text: string): EventPattern {
  return new EventPattern(compileBranches(text));
}

function buildTree(branch: Branch): ObjectNode {
  interface Draft {
    matcher?: FieldMatcher;
    path: readonly string[];
    children: Map<string, Draft>;
  }
  const root: Draft = { path: [], children: new Map() };
  for (const { path, matcher } of branch.values()) {
    let d = root;
    for (let i = 0; i < path.length; i++) {
      const name = path[i] ?? '';
      let next = d.children.get(name);
      if (!next) {
        next = { path: path.slice(0, i + 1), children: new Map() };
        d.children.set(name, next);
      }
      d = next;
    }
    d.matcher = matcher;
  }
  const freeze = (d: Draft): ObjectNode => {
    const fields: FieldNode[] = [];
    let acceptsAbsence = true;
    for (const [name, c] of d.children) {
      const child = c.children.size ? freeze(c) : undefined;
      fields.push({ name, path: c.path, matcher: c.matcher, child });
      if ((c.matcher && !c.matcher.existsFalse) || (child && !child.acceptsAbsence)) acceptsAbsence = false;
    }
    return { fields, acceptsAbsence };
  };
  return freeze(root);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `obj` undefined stands for an absent object. */
function matchObject(
  node: ObjectNode,
  obj: Record<string, unknown> | undefined,
  root: Record<string, unknown>,
): boolean {
  for (const f of node.fields) {
    const v = obj !== undefined && Object.hasOwn(obj, f.name) ? obj[f.name] : undefined;
    if (f.matcher && !matchField(f, f.matcher, v, root)) return false;
    if (f.child && !matchChild(f.child, v, root)) return false;
  }
  return true;
}

function matchField(f: FieldNode, m: FieldMatcher, v: unknown, root: Record<string, unknown>): boolean {
  if (anyLeaf(m, v)) return true;
  return m.existsFalse && !hasLeafAt(root, f.path, 0);
}

function matchChild(node: ObjectNode, v: unknown, root: Record<string, unknown>): boolean {
  if (anyObject(node, v, root)) return true;
  return node.acceptsAbsence && !isObject(v) && matchObject(node, undefined, root);
}

function anyObject(node: ObjectNode, v: unknown, root: Record<string, unknown>): boolean {
  if (!Array.isArray(v)) return isObject(v) && matchObject(node, v, root);
  return someElement(v, (e) => isObject(e) && matchObject(node, e, root));
}

function anyLeaf(m: FieldMatcher, v: unknown): boolean {
  if (!Array.isArray(v)) return isLeaf(v) && m.test(v);
  return someElement(v, (e) => isLeaf(e) && m.test(e));
}

function isLeaf(v: unknown): v is Leaf {
  return v !== undefined && (v === null || typeof v !== 'object');
}

/** Whether the event holds a leaf value at `path` (from `i` on), through any arrays on the way. */
function hasLeafAt(v: unknown, path: readonly string[], i: number): boolean {
  if (Array.isArray(v)) return someElement(v, (e) => hasLeafAt(e, path, i));
  if (i === path.length) return isLeaf(v);
  if (!isObject(v)) return false;
  const name = path[i] ?? '';
  return Object.hasOwn(v, name) && hasLeafAt(v[name], path, i + 1);
}

/**
 * Whether `test` holds for any non-array element of an array, nested arrays standing for their elements. Walks
 * with its own stack: an event may nest arrays deeper than the call stack allows.
 */
export function someElement(array: readonly unknown[], test: (e: unknown) => boolean): boolean {
  let stack: (readonly unknown[])[] | undefined;
  let indexes: number[] | undefined;
  let current = array;
  let i = 0;
  for (;;) {
    if (i < current.length) {
      const e = current[i++];
      if (!Array.isArray(e)) {
        if (test(e)) return true;
        continue;
      }
      stack ??= [];
      indexes ??= [];
      stack.push(current);
      indexes.push(i);
      current = e;
      i = 0;
      continue;
    }
    const parent = stack?.pop();
    if (parent === undefined) return false;
    current = parent;
    i = indexes?.pop() ?? 0;
  }
}
