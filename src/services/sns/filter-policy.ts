// SNS subscription filter policies (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html): a policy
// is a JSON object of keys to arrays of conditions (OR within a key, AND across keys, `$or` for alternatives). Scope
// MessageAttributes matches String, String.Array and Number attributes and allows no nesting; scope MessageBody
// matches the JSON message body with nested keys. At most 5 keys and 150 combinations, 256 KB; numbers in +-1e9.
import { SnsErrors } from './errors.js';
import { inCidr, parseCidr, type Cidr } from './cidr.js';

export type FilterScope = 'MessageAttributes' | 'MessageBody';

/** A message attribute as Publish takes it. */
export interface FilterAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
}

type Scalar = string | number | boolean | null;

type Condition =
  | { readonly kind: 'equals'; readonly value: Scalar }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'suffix'; readonly value: string }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'anything-but'; readonly values: readonly Scalar[] }
  | { readonly kind: 'anything-but-prefix'; readonly value: string }
  | { readonly kind: 'anything-but-suffix'; readonly value: string }
  | { readonly kind: 'numeric'; readonly ranges: readonly (readonly [string, number])[] }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'cidr'; readonly range: Cidr };

interface Leaf {
  readonly path: readonly string[];
  readonly conditions: readonly Condition[];
}

/** AND of leaves and of `$or` groups (each an OR of nodes). */
interface Node {
  readonly leaves: readonly Leaf[];
  readonly ors: readonly (readonly Node[])[];
}

export const MAX_FILTER_KEYS = 5;
export const MAX_FILTER_COMBINATIONS = 150;
export const MAX_FILTER_POLICY_BYTES = 256 * 1024;
const NUMERIC_LIMIT = 1e9;
const MAX_ALTERNATIVES = 10_000;

export class FilterPolicy {
  constructor(
    readonly scope: FilterScope,
    private readonly root: Node,
  ) {}

  /** Whether a message passes: by its attributes or by its body, as the scope says. */
  /** The cache lets the subscriptions of one publish parse each body once. */
  matches(
    message: string,
    attributes: Readonly<Record<string, FilterAttribute>> | undefined,
    parsed: Map<string, unknown> = new Map(),
  ): boolean {
    if (this.scope === 'MessageAttributes') {
      return matchNode(this.root, (path) => attributeValues(attributes?.[path[0] ?? '']));
    }
    let body = parsed.get(message);
    if (!parsed.has(message)) {
      try {
        body = JSON.parse(message);
      } catch {
        body = undefined;
      }
      parsed.set(message, body);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
    return matchNode(this.root, (path) => bodyValues(body, path));
  }
}

const fail = (reason: string): never => {
  throw SnsErrors.invalidParameter(`FilterPolicy: ${reason}`);
};

/** Compiles a policy, or throws InvalidParameter with the reason. */
export function compileFilterPolicy(text: string, scope: FilterScope): FilterPolicy {
  if (Buffer.byteLength(text, 'utf8') > MAX_FILTER_POLICY_BYTES) fail('Filter policy is too long');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`failed to parse JSON. ${(e as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('Filter policy must be a JSON object');
  const root = compileNode(json as Record<string, unknown>, [], scope);
  checkLimits(root);
  return new FilterPolicy(scope, root);
}

function compileNode(obj: Record<string, unknown>, path: readonly string[], scope: FilterScope): Node {
  const leaves: Leaf[] = [];
  const ors: (readonly Node[])[] = [];
  const keys = Object.keys(obj);
  if (keys.length === 0 && path.length > 0) fail('Empty objects are not allowed');
  for (const key of keys) {
    const value = obj[key];
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) fail('$or must be an array of at least 2 objects');
      const alts = (value as unknown[]).map((alt) => {
        if (alt === null || typeof alt !== 'object' || Array.isArray(alt)) fail('$or must contain only objects');
        return compileNode(alt as Record<string, unknown>, path, scope);
      });
      ors.push(alts);
    } else if (Array.isArray(value)) {
      if (value.length === 0) fail('Empty arrays are not allowed');
      leaves.push({ path: [...path, key], conditions: value.map((c: unknown) => compileCondition(c)) });
    } else if (value !== null && typeof value === 'object') {
      if (scope === 'MessageAttributes') fail('Filter policy scope MessageAttributes does not support nested filter policy');
      const inner = compileNode(value as Record<string, unknown>, [...path, key], scope);
      leaves.push(...inner.leaves);
      ors.push(...inner.ors);
    } else {
      fail(`Match value for key ${key} must be an array or an object`);
    }
  }
  return { leaves, ors };
}

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function checkNumber(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) return fail(`Value of ${what} must be numeric`);
  if (n < -NUMERIC_LIMIT || n > NUMERIC_LIMIT) fail(`Value of ${what} must be between -1.0E9 and 1.0E9`);
  return n;
}

function compileCondition(c: unknown): Condition {
  if (typeof c === 'number') return { kind: 'equals', value: checkNumber(c, 'number') };
  if (isScalar(c)) return { kind: 'equals', value: c };
  if (Array.isArray(c)) return fail('Match value must be String, number, true, false, or null');
  const entries = Object.entries(c as Record<string, unknown>);
  const [first] = entries;
  if (!first || entries.length !== 1) return fail('Match object must have exactly one operator');
  const [op, arg] = first;
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof arg !== 'string') return fail(`Value of ${op} must be a string`);
      return { kind: op, value: arg };
    case 'exists':
      if (typeof arg !== 'boolean') return fail('exists match pattern must be either true or false.');
      return { kind: 'exists', value: arg };
    case 'cidr': {
      const range = typeof arg === 'string' ? parseCidr(arg) : undefined;
      return range ? { kind: 'cidr', range } : fail(`Malformed CIDR, one '/' required`);
    }
    case 'numeric':
      return { kind: 'numeric', ranges: compileNumeric(arg) };
    case 'anything-but':
      return compileAnythingBut(arg);
    default:
      return fail(`Unrecognized match type ${op}`);
  }
}

const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

function compileNumeric(arg: unknown): [string, number][] {
  if (!Array.isArray(arg) || arg.length === 0) return fail('Value of numeric must be an array.');
  const ranges: [string, number][] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op: unknown = arg[i];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op)) return fail(`Unrecognized numeric range operator: ${String(op)}`);
    if (i + 1 >= arg.length) return fail(`Value of ${op} must be numeric`);
    ranges.push([op, checkNumber(arg[i + 1], op)]);
  }
  const [a, b] = ranges;
  if (ranges.length > 2 || (a && b && (a[0] === '=' || b[0] === '='))) return fail('Too many elements in numeric expression');
  if (a && b) {
    const lower = a[0].startsWith('>') ? a : b;
    const upper = a[0].startsWith('<') ? a : b;
    if (lower === upper || !lower[0].startsWith('>') || !upper[0].startsWith('<')) {
      return fail('Bad numeric range operator');
    }
    if (lower[1] >= upper[1]) return fail('Bottom must be less than top');
  }
  return ranges;
}

function compileAnythingBut(arg: unknown): Condition {
  if (typeof arg === 'number') return { kind: 'anything-but', values: [checkNumber(arg, 'anything-but')] };
  if (typeof arg === 'string') return { kind: 'anything-but', values: [arg] };
  if (Array.isArray(arg)) {
    if (arg.length === 0) return fail('Empty arrays are not allowed');
    const values = arg.map((v: unknown): Scalar => {
      if (typeof v === 'number') return checkNumber(v, 'anything-but');
      if (typeof v === 'string') return v;
      return fail('Value of anything-but must be an array of only strings or only numbers');
    });
    return { kind: 'anything-but', values };
  }
  if (arg !== null && typeof arg === 'object') {
    const entries = Object.entries(arg as Record<string, unknown>);
    const [first] = entries;
    if (first && entries.length === 1 && (first[0] === 'prefix' || first[0] === 'suffix')) {
      if (typeof first[1] !== 'string' || first[1] === '') return fail(`Value of ${first[0]} must be a non-empty string`);
      return { kind: first[0] === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', value: first[1] };
    }
    return fail('Unsupported anything-but pattern');
  }
  return fail('Value of anything-but must be an array or single string/number value.');
}

/** Each alternative (one choice in every `$or`) is an AND of leaves: its keys and value combinations count. */
function checkLimits(root: Node): void {
  const alternatives = expand(root);
  let combinations = 0;
  for (const alt of alternatives) {
    const keys = new Set(alt.map((l) => l.path.join('\u0000')));
    if (keys.size > MAX_FILTER_KEYS) fail(`Filter policy can not have more than ${MAX_FILTER_KEYS} keys`);
    combinations += alt.reduce((n, l) => n * l.conditions.length, 1);
    if (combinations > MAX_FILTER_COMBINATIONS) fail('Filter policy is too complex');
  }
}

function expand(node: Node): Leaf[][] {
  let result: Leaf[][] = [[...node.leaves]];
  for (const group of node.ors) {
    const next: Leaf[][] = [];
    for (const alt of group) {
      for (const sub of expand(alt)) for (const base of result) next.push([...base, ...sub]);
    }
    if (next.length > MAX_ALTERNATIVES) fail('Filter policy is too complex');
    result = next;
  }
  return result;
}

// ---- matching ----

/** The values found at a path: undefined when absent; an array's elements are each a value. */
type Lookup = (path: readonly string[]) => Scalar[] | undefined;

function matchNode(node: Node, lookup: Lookup): boolean {
  for (const leaf of node.leaves) if (!matchLeaf(leaf, lookup(leaf.path))) return false;
  for (const group of node.ors) if (!group.some((alt) => matchNode(alt, lookup))) return false;
  return true;
}

function matchLeaf(leaf: Leaf, values: Scalar[] | undefined): boolean {
  for (const c of leaf.conditions) {
    if (c.kind === 'exists') {
      if (c.value === (values !== undefined)) return true;
      continue;
    }
    if (values === undefined) continue;
    for (const v of values) if (matchValue(c, v)) return true;
  }
  return false;
}

function sameNumber(a: number, b: number): boolean {
  return Math.round(a * 1e5) === Math.round(b * 1e5);
}

function matchValue(c: Exclude<Condition, { kind: 'exists' }>, v: Scalar): boolean {
  switch (c.kind) {
    case 'equals':
      if (typeof c.value === 'number') return typeof v === 'number' && sameNumber(c.value, v);
      return c.value === v;
    case 'prefix':
      return typeof v === 'string' && v.startsWith(c.value);
    case 'suffix':
      return typeof v === 'string' && v.endsWith(c.value);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === c.value.toLowerCase();
    case 'anything-but':
      return !c.values.some((x) => (typeof x === 'number' ? typeof v === 'number' && sameNumber(x, v) : x === v));
    case 'anything-but-prefix':
      return typeof v === 'string' && !v.startsWith(c.value);
    case 'anything-but-suffix':
      return typeof v === 'string' && !v.endsWith(c.value);
    case 'numeric':
      return typeof v === 'number' && c.ranges.every(([op, n]) => compare(op, v, n));
    case 'cidr':
      return typeof v === 'string' && inCidr(c.range, v);
  }
}

function compare(op: string, v: number, n: number): boolean {
  const a = Math.round(v * 1e5);
  const b = Math.round(n * 1e5);
  switch (op) {
    case '=':
      return a === b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** String: the string; Number: the number; String.Array and Number.Array: their JSON elements; Binary: nothing. */
function attributeValues(attr: FilterAttribute | undefined): Scalar[] | undefined {
  if (!attr || attr.StringValue === undefined) return undefined;
  const type = attr.DataType.split('.')[0];
  if (attr.DataType === 'String.Array' || attr.DataType === 'Number.Array') {
    try {
      const parsed: unknown = JSON.parse(attr.StringValue);
      if (Array.isArray(parsed)) return parsed.filter(isScalar);
    } catch {
      // an unparsable array matches as its text
    }
    return [attr.StringValue];
  }
  if (type === 'Number') {
    const n = Number(attr.StringValue);
    return Number.isFinite(n) ? [n] : undefined;
  }
  if (type === 'String') return [attr.StringValue];
  return undefined;
}

function bodyValues(body: object, path: readonly string[]): Scalar[] | undefined {
  let current: unknown[] = [body];
  for (const key of path) {
    const next: unknown[] = [];
    for (const node of current) {
      for (const item of Array.isArray(node) ? (node as unknown[]) : [node]) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.hasOwn(item, key)) {
          next.push((item as Record<string, unknown>)[key]);
        }
      }
    }
    if (next.length === 0) return undefined;
    current = next;
  }
  const out: Scalar[] = [];
  for (const v of current) {
    if (Array.isArray(v)) for (const x of v as unknown[]) if (isScalar(x)) out.push(x);
    if (isScalar(v)) out.push(v);
  }
  return out;
}
