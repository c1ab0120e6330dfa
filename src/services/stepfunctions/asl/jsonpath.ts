// JSONPath as Step Functions evaluates it (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
// Step Functions runs Jayway JsonPath, so we follow Jayway's rules: a definite path (only names and single indexes)
// yields one value or "not found"; an indefinite path (wildcards, slices, filters, deep scan, index lists) yields a
// list, possibly empty. Reference Paths (ResultPath, ItemsPath, Choice Variable ...) are the definite subset.
//
// Why not an npm library: jsonpath-plus and jsonpath evaluate filters as JavaScript expressions (a sandbox we would
// have to trust) and always return lists, so neither tells definite from indefinite paths nor reports "not found"
// the way Step Functions' causes do. The grammar Step Functions accepts is small enough to own.

import type { Json, JsonObject } from './json.js';
import { getMember, isJsonObject, jsonEquals } from './json.js';

export type Segment =
  | { readonly kind: 'name'; readonly name: string; readonly deep: boolean }
  | { readonly kind: 'names'; readonly names: readonly string[]; readonly deep: boolean }
  | { readonly kind: 'index'; readonly index: number; readonly deep: boolean }
  | { readonly kind: 'indexes'; readonly indexes: readonly number[]; readonly deep: boolean }
  | {
      readonly kind: 'slice';
      readonly start: number | undefined;
      readonly end: number | undefined;
      readonly deep: boolean;
    }
  | { readonly kind: 'wildcard'; readonly deep: boolean }
  | { readonly kind: 'filter'; readonly expr: FilterExpr; readonly deep: boolean }
  | { readonly kind: 'function'; readonly name: string; readonly deep: boolean };

export interface JsonPath {
  readonly text: string;
  /** `$` is the state's data, `$$` the context object. */
  readonly root: '$' | '$$';
  /** `$name...`: the path starts at the workflow variable `name` (workflow-variables.html). */
  readonly variable?: string;
  readonly segments: readonly Segment[];
  /** True when the path can name at most one node (Jayway's "definite path"). */
  readonly definite: boolean;
}

export type FilterExpr =
  | { readonly kind: 'or'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: 'and'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: 'not'; readonly expr: FilterExpr }
  | { readonly kind: 'exists'; readonly operand: Operand }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Operand; readonly right: Operand };

export type CompareOp =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '=~'
  | 'in'
  | 'nin'
  | 'subsetof'
  | 'anyof'
  | 'noneof'
  | 'size'
  | 'empty';

export type Operand =
  | { readonly kind: 'literal'; readonly value: Json }
  | { readonly kind: 'regex'; readonly regex: RegExp }
  | { readonly kind: 'current'; readonly path: readonly Segment[] }
  | { readonly kind: 'root'; readonly path: readonly Segment[] };

export class JsonPathSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathSyntaxError';
  }
}

/** The outcome of evaluating a path: a value, or the Jayway-style reason nothing matched. */
/** The value of a workflow variable, or undefined when it was never assigned. */
export type VariableLookup = (name: string) => Json | undefined;

export type PathResult = { readonly found: true; readonly value: Json } | { readonly found: false; readonly reason: string };

/**
 * Parses a JSONPath (starting with `$` or `$$`); throws JsonPathSyntaxError when it is not one. There is no
 * module-level cache (no shared mutable state): callers on hot paths parse once and pass the JsonPath around.
 */
export function parsePath(text: string): JsonPath {
  return new PathParser(text).parseRoot();
}

export function isValidPath(text: string): boolean {
  try {
    parsePath(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `text` is not a Reference Path, or undefined when it is one. A Reference Path names a single node using only
 * dot and bracket notation: `$`, `$.a.b`, `$['a b']`, `$.list[0]`.
 */
export function referencePathProblem(
  text: string,
  options: { allowContext?: boolean; allowVariables?: boolean } = {},
): string | undefined {
  let path: JsonPath;
  try {
    path = parsePath(text);
  } catch (err) {
    return (err as Error).message;
  }
  if (path.root === '$$' && !options.allowContext) return "the context object '$$' cannot be used here";
  if (path.variable !== undefined && options.allowVariables === false) return 'variables cannot be used here';
  for (const segment of path.segments) {
    if (segment.deep) return "'..' is not supported";
    if (segment.kind !== 'name' && segment.kind !== 'index') {
      return `'${describeSegment(segment)}' is not supported; only field names and single indexes are allowed`;
    }
  }
  return undefined;
}

/** Evaluates a path against the state's data (`$`) or the context object (`$$`). */
export function evaluatePath(text: string | JsonPath, data: Json, context: Json = null, variables?: VariableLookup): PathResult {
  const path = typeof text === 'string' ? parsePath(text) : text;
  if (path.variable !== undefined) {
    const value = variables?.(path.variable);
    if (value === undefined) return { found: false, reason: `The variable '$${path.variable}' is not defined` };
    return evaluateSegments(path, value, value);
  }
  const root = path.root === '$$' ? context : data;
  return evaluateSegments(path, root, root);
}

/** Evaluates a path and returns its value, or undefined when it matches nothing. */
export function queryPath(text: string | JsonPath, data: Json, context: Json = null, variables?: VariableLookup): Json | undefined {
  const result = evaluatePath(text, data, context, variables);
  return result.found ? result.value : undefined;
}

function evaluateSegments(path: JsonPath, root: Json, docRoot: Json): PathResult {
  // Step Functions accepts functions such as length() in a definition but never finds anything with them.
  const fn = path.segments.find((s) => s.kind === 'function');
  if (fn) return { found: false, reason: `Function ${fn.name}() is not supported: ${normalizedPath(path)}` };
  if (path.definite) {
    let current: Json = root;
    let walked = path.root;
    for (let i = 0; i < path.segments.length; i++) {
      const segment = path.segments[i] as Segment;
      const leaf = i === path.segments.length - 1;
      const next = stepDefinite(segment, current);
      walked += formatSegment(segment);
      if (next === undefined) {
        return {
          found: false,
          reason: leaf || segment.kind !== 'name' ? `No results for path: ${walked}` : `Missing property in path ${walked}`,
        };
      }
      current = next;
    }
    return { found: true, value: current };
  }
  let nodes: Json[] = [root];
  for (const segment of path.segments) {
    const out: Json[] = [];
    for (const node of nodes) {
      if (segment.deep) {
        for (const descendant of descendants(node)) applyIndefinite(segment, descendant, docRoot, out);
      } else {
        applyIndefinite(segment, node, docRoot, out);
      }
    }
    nodes = out;
  }
  return { found: true, value: nodes };
}

function stepDefinite(segment: Segment, node: Json): Json | undefined {
  switch (segment.kind) {
    case 'name':
      return isJsonObject(node) ? getMember(node, segment.name) : undefined;
    case 'index':
      return Array.isArray(node) ? atIndex(node, segment.index) : undefined;
    case 'names': {
      if (!isJsonObject(node)) return undefined;
      const picked: JsonObject = {};
      for (const name of segment.names) {
        const value = getMember(node, name);
        if (value !== undefined) picked[name] = value;
      }
      return picked;
    }
    default:
      return undefined;
  }
}

function atIndex(list: readonly Json[], index: number): Json | undefined {
  const i = index < 0 ? list.length + index : index;
  return i >= 0 && i < list.length ? list[i] : undefined;
}

function applyIndefinite(segment: Segment, node: Json, docRoot: Json, out: Json[]): void {
  switch (segment.kind) {
    case 'name':
      if (isJsonObject(node)) {
        const value = getMember(node, segment.name);
        if (value !== undefined) out.push(value);
      }
      return;
    case 'names':
      if (isJsonObject(node)) {
        for (const name of segment.names) {
          const value = getMember(node, name);
          if (value !== undefined) out.push(value);
        }
      }
      return;
    case 'index':
      if (Array.isArray(node)) {
        const value = atIndex(node, segment.index);
        if (value !== undefined) out.push(value);
      }
      return;
    case 'indexes':
      if (Array.isArray(node)) {
        for (const index of segment.indexes) {
          const value = atIndex(node, index);
          if (value !== undefined) out.push(value);
        }
      }
      return;
    case 'slice':
      if (Array.isArray(node)) out.push(...sliceOf(node, segment.start, segment.end));
      return;
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node);
      else if (isJsonObject(node)) out.push(...Object.values(node));
      return;
    case 'filter':
      if (Array.isArray(node)) {
        // "The @ operator ... does not match scalar values. It only matches objects." (Step Functions, Paths)
        for (const item of node) {
          if (typeof item === 'object' && item !== null && matchesFilter(segment.expr, item, docRoot)) out.push(item);
        }
      } else if (isJsonObject(node) && matchesFilter(segment.expr, node, docRoot)) {
        out.push(node);
      }
      return;
    case 'function':
      return;
  }
}

function sliceOf(list: readonly Json[], start: number | undefined, end: number | undefined): Json[] {
  const n = list.length;
  let from = start ?? 0;
  let to = end ?? n;
  if (from < 0) from = Math.max(0, n + from);
  if (to < 0) to = Math.max(0, n + to);
  return list.slice(Math.min(from, n), Math.min(to, n));
}

/** The node itself and every node below it, in document order (for `..`). */
function descendants(node: Json): Json[] {
  const out: Json[] = [];
  const walk = (n: Json): void => {
    out.push(n);
    if (Array.isArray(n)) n.forEach(walk);
    else if (isJsonObject(n)) Object.values(n).forEach(walk);
  };
  walk(node);
  return out;
}

// ---- filters ----

function matchesFilter(expr: FilterExpr, current: Json, docRoot: Json): boolean {
  switch (expr.kind) {
    case 'or':
      return matchesFilter(expr.left, current, docRoot) || matchesFilter(expr.right, current, docRoot);
    case 'and':
      return matchesFilter(expr.left, current, docRoot) && matchesFilter(expr.right, current, docRoot);
    case 'not':
      return !matchesFilter(expr.expr, current, docRoot);
    case 'exists': {
      // Jayway treats a bare path as an existence check, whatever the value.
      return resolveOperand(expr.operand, current, docRoot) !== undefined;
    }
    case 'compare':
      return compare(expr.op, expr.left, expr.right, current, docRoot);
  }
}

function resolveOperand(operand: Operand, current: Json, docRoot: Json): Json | undefined {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'regex':
      return undefined;
    case 'current':
    case 'root': {
      const base = operand.kind === 'current' ? current : docRoot;
      const path: JsonPath = {
        text: '',
        root: '$',
        segments: operand.path,
        definite: isDefinite(operand.path),
      };
      const result = evaluateSegments(path, base, docRoot);
      return result.found ? result.value : undefined;
    }
  }
}

function compare(op: CompareOp, leftOp: Operand, rightOp: Operand, current: Json, docRoot: Json): boolean {
  const left = resolveOperand(leftOp, current, docRoot);
  if (op === '=~') {
    return rightOp.kind === 'regex' && typeof left === 'string' && rightOp.regex.test(left);
  }
  const right = resolveOperand(rightOp, current, docRoot);
  if (left === undefined || right === undefined) return op === '!=' && (left === undefined) !== (right === undefined);
  switch (op) {
    case '==':
      return jsonEquals(left, right);
    case '!=':
      return !jsonEquals(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (!((typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string'))) {
        return false;
      }
      if (op === '<') return left < right;
      if (op === '<=') return left <= right;
      if (op === '>') return left > right;
      return left >= right;
    }
    case 'in':
      return Array.isArray(right) && right.some((v) => jsonEquals(v, left));
    case 'nin':
      return Array.isArray(right) && !right.some((v) => jsonEquals(v, left));
    case 'subsetof':
      return Array.isArray(left) && Array.isArray(right) && left.every((l) => right.some((r) => jsonEquals(l, r)));
    case 'anyof':
      return Array.isArray(left) && Array.isArray(right) && left.some((l) => right.some((r) => jsonEquals(l, r)));
    case 'noneof':
      return Array.isArray(left) && Array.isArray(right) && !left.some((l) => right.some((r) => jsonEquals(l, r)));
    case 'size':
      return typeof right === 'number' && (Array.isArray(left) || typeof left === 'string') && left.length === right;
    case 'empty': {
      const isEmpty = (Array.isArray(left) || typeof left === 'string') && left.length === 0;
      return right === isEmpty;
    }
  }
}

// ---- formatting ----

function formatSegment(segment: Segment): string {
  const prefix = segment.deep ? '..' : '';
  switch (segment.kind) {
    case 'name':
      return `${prefix}['${segment.name}']`;
    case 'names':
      return `${prefix}[${segment.names.map((n) => `'${n}'`).join(', ')}]`;
    case 'index':
      return `${prefix}[${segment.index}]`;
    case 'indexes':
      return `${prefix}[${segment.indexes.join(',')}]`;
    case 'slice':
      return `${prefix}[${segment.start ?? ''}:${segment.end ?? ''}]`;
    case 'wildcard':
      return `${prefix}[*]`;
    case 'filter':
      return `${prefix}[?]`;
    case 'function':
      return `${prefix}.${segment.name}()`;
  }
}

function describeSegment(segment: Segment): string {
  if (segment.kind === 'filter') return '?';
  if (segment.kind === 'wildcard') return '*';
  if (segment.kind === 'slice') return ':';
  if (segment.kind === 'function') return `${segment.name}()`;
  return ',';
}

/** The path in Jayway's normalized bracket form, `$['a'][0]`, as causes print it. */
export function normalizedPath(path: JsonPath): string {
  return path.root + path.segments.map(formatSegment).join('');
}

function isDefinite(segments: readonly Segment[]): boolean {
  return segments.every((s) => !s.deep && (s.kind === 'name' || s.kind === 'index' || s.kind === 'names'));
}

// ---- parser ----

class PathParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseRoot(): JsonPath {
    const t = this.text;
    if (!t.startsWith('$')) this.fail('Path must start with $');
    let root: '$' | '$$' = '$';
    let variable: string | undefined;
    this.pos = 1;
    if (t[1] === '$') {
      root = '$$';
      this.pos = 2;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(1));
      if (name) {
        variable = name[0];
        this.pos = 1 + variable.length;
      }
    }
    const segments = this.parseSegments(false);
    if (this.pos < t.length) this.fail(`Illegal character at position ${this.pos}: '${t[this.pos]}'`);
    const names = segments.filter((s) => s.kind === 'names');
    if (names.length > 0 && segments[segments.length - 1]?.kind !== 'names') {
      this.fail('Multi properties can only be used as path leafs');
    }
    return { text: t, root, ...(variable !== undefined ? { variable } : {}), segments, definite: isDefinite(segments) };
  }

  /** Reads segments until the end, or (inside a filter) until an operator, whitespace or a closing parenthesis. */
  parseSegments(inFilter: boolean): Segment[] {
    const t = this.text;
    const segments: Segment[] = [];
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '.') {
        let deep = false;
        this.pos++;
        if (t[this.pos] === '.') {
          deep = true;
          this.pos++;
          if (t[this.pos] === '[') {
            segments.push(this.parseBracket(true));
            continue;
          }
        }
        if (t[this.pos] === '*') {
          this.pos++;
          segments.push({ kind: 'wildcard', deep });
          continue;
        }
        const start = this.pos;
        while (this.pos < t.length && !isNameStop(t[this.pos] as string, inFilter)) this.pos++;
        const name = t.slice(start, this.pos);
        if (name === '') this.fail(`Path must not end with a '.' or '..'`);
        if (t[this.pos] === '(') {
          if (t[this.pos + 1] !== ')') this.fail('Function arguments are not supported');
          this.pos += 2;
          segments.push({ kind: 'function', name, deep });
          continue;
        }
        segments.push({ kind: 'name', name, deep });
      } else if (c === '[') {
        segments.push(this.parseBracket(false));
      } else if (inFilter) {
        break;
      } else {
        this.fail(`Illegal character at position ${this.pos}: '${c}'`);
      }
    }
    return segments;
  }

  private parseBracket(deep: boolean): Segment {
    const t = this.text;
    this.pos++; // [
    this.skipSpaces();
    const c = t[this.pos];
    let segment: Segment;
    if (c === "'" || c === '"') {
      const names: string[] = [this.readQuoted()];
      this.skipSpaces();
      while (t[this.pos] === ',') {
        this.pos++;
        this.skipSpaces();
        const q = t[this.pos];
        if (q !== "'" && q !== '"') this.fail("Expected a quoted property name after ','");
        names.push(this.readQuoted());
        this.skipSpaces();
      }
      segment = names.length === 1 ? { kind: 'name', name: names[0] as string, deep } : { kind: 'names', names, deep };
    } else if (c === '*') {
      this.pos++;
      segment = { kind: 'wildcard', deep };
    } else if (c === '?') {
      this.pos++;
      this.skipSpaces();
      if (t[this.pos] !== '(') this.fail("'[?' must be followed by '('");
      this.pos++;
      const expr = new FilterParser(this).parseOr();
      this.skipSpaces();
      if (t[this.pos] !== ')') this.fail('Expected ) to close the filter');
      this.pos++;
      segment = { kind: 'filter', expr, deep };
    } else if (c === ':' || c === '-' || isDigit(c)) {
      segment = this.parseIndexOrSlice(deep);
    } else {
      this.fail(`'[' must be followed by ', ", *, ?, a number or ':'`);
    }
    this.skipSpaces();
    if (t[this.pos] !== ']') this.fail("Expected ']'");
    this.pos++;
    return segment;
  }

  private parseIndexOrSlice(deep: boolean): Segment {
    const t = this.text;
    const first = this.readInt();
    this.skipSpaces();
    if (t[this.pos] === ':') {
      this.pos++;
      this.skipSpaces();
      const end = this.readInt();
      return { kind: 'slice', start: first, end, deep };
    }
    if (first === undefined) this.fail('Expected an index');
    if (t[this.pos] === ',') {
      const indexes = [first];
      while (t[this.pos] === ',') {
        this.pos++;
        this.skipSpaces();
        const next = this.readInt();
        if (next === undefined) this.fail("Expected an index after ','");
        indexes.push(next);
        this.skipSpaces();
      }
      return { kind: 'indexes', indexes, deep };
    }
    return { kind: 'index', index: first, deep };
  }

  private readInt(): number | undefined {
    const t = this.text;
    const start = this.pos;
    if (t[this.pos] === '-') this.pos++;
    while (isDigit(t[this.pos])) this.pos++;
    const raw = t.slice(start, this.pos);
    if (raw === '') return undefined;
    if (raw === '-') this.fail('Expected digits after -');
    return Number(raw);
  }

  readQuoted(): string {
    const t = this.text;
    const quote = t[this.pos];
    this.pos++;
    let out = '';
    while (this.pos < t.length && t[this.pos] !== quote) {
      if (t[this.pos] === '\\' && this.pos + 1 < t.length) {
        this.pos++;
      }
      out += t[this.pos];
      this.pos++;
    }
    if (t[this.pos] !== quote) this.fail('Unterminated quoted string');
    this.pos++;
    return out;
  }

  skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  get position(): number {
    return this.pos;
  }

  set position(value: number) {
    this.pos = value;
  }

  get source(): string {
    return this.text;
  }

  fail(message: string): never {
    throw new JsonPathSyntaxError(message);
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isNameStop(c: string, inFilter: boolean): boolean {
  if (c === '.' || c === '[' || c === '(') return true;
  if (inFilter) return c === ' ' || c === ')' || c === '=' || c === '!' || c === '<' || c === '>' || c === '&' || c === '|' || c === ',';
  return false;
}

/** Jayway's filter grammar: comparisons of `@`/`$` paths and literals joined by &&, || and !. */
class FilterParser {
  constructor(private readonly p: PathParser) {}

  parseOr(): FilterExpr {
    let left = this.parseAnd();
    for (;;) {
      this.p.skipSpaces();
      if (this.p.peek() === '|' && this.p.peek(1) === '|') {
        this.p.position += 2;
        left = { kind: 'or', left, right: this.parseAnd() };
      } else {
        return left;
      }
    }
  }

  private parseAnd(): FilterExpr {
    let left = this.parseUnary();
    for (;;) {
      this.p.skipSpaces();
      if (this.p.peek() === '&' && this.p.peek(1) === '&') {
        this.p.position += 2;
        left = { kind: 'and', left, right: this.parseUnary() };
      } else {
        return left;
      }
    }
  }

  private parseUnary(): FilterExpr {
    this.p.skipSpaces();
    if (this.p.peek() === '!' && this.p.peek(1) !== '=') {
      this.p.position++;
      return { kind: 'not', expr: this.parseUnary() };
    }
    if (this.p.peek() === '(') {
      this.p.position++;
      const expr = this.parseOr();
      this.p.skipSpaces();
      if (this.p.peek() !== ')') this.p.fail('Expected ) in filter');
      this.p.position++;
      return expr;
    }
    const left = this.parseOperand();
    this.p.skipSpaces();
    const op = this.readOperator();
    if (!op) {
      if (left.kind !== 'current' && left.kind !== 'root') this.p.fail('A filter needs a comparison or a path');
      return { kind: 'exists', operand: left };
    }
    this.p.skipSpaces();
    const right = this.parseOperand();
    return { kind: 'compare', op, left, right };
  }

  private readOperator(): CompareOp | undefined {
    const rest = this.p.source.slice(this.p.position);
    for (const op of ['==', '!=', '<=', '>=', '=~', '<', '>'] as const) {
      if (rest.startsWith(op)) {
        this.p.position += op.length;
        return op;
      }
    }
    const word = /^(in|nin|subsetof|anyof|noneof|size|empty)\b/.exec(rest);
    if (word) {
      this.p.position += (word[1] as string).length;
      return word[1] as CompareOp;
    }
    return undefined;
  }

  private parseOperand(): Operand {
    const p = this.p;
    const c = p.peek();
    if (c === '@' || c === '$') {
      p.position++;
      const path = p.parseSegments(true);
      return { kind: c === '@' ? 'current' : 'root', path };
    }
    if (c === "'" || c === '"') return { kind: 'literal', value: p.readQuoted() };
    if (c === '/') return this.parseRegex();
    if (c === '[' || c === '{') return { kind: 'literal', value: this.readJsonLiteral() };
    const rest = p.source.slice(p.position);
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(rest);
    if (!m) return p.fail(`Unexpected token in filter at position ${p.position}`);
    p.position += (m[0]).length;
    return { kind: 'literal', value: JSON.parse(m[0]) as Json };
  }

  private parseRegex(): Operand {
    const p = this.p;
    const src = p.source;
    let i = p.position + 1;
    let body = '';
    while (i < src.length && src[i] !== '/') {
      if (src[i] === '\\' && i + 1 < src.length) {
        body += src[i];
        i++;
      }
      body += src[i];
      i++;
    }
    if (src[i] !== '/') p.fail('Unterminated regular expression');
    i++;
    let flags = '';
    while (i < src.length && /[a-z]/.test(src[i] as string)) flags += src[i++];
    p.position = i;
    try {
      return { kind: 'regex', regex: new RegExp(body, flags.replace(/[^imsu]/g, '')) };
    } catch {
      return p.fail(`Invalid regular expression /${body}/`);
    }
  }

  private readJsonLiteral(): Json {
    const p = this.p;
    const src = p.source;
    const open = src[p.position];
    const close = open === '[' ? ']' : '}';
    let depth = 0;
    let i = p.position;
    let quote: string | undefined;
    for (; i < src.length; i++) {
      const ch = src[i];
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === open) depth++;
      else if (ch === close && --depth === 0) break;
    }
    const raw = src.slice(p.position, i + 1).replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s));
    p.position = i + 1;
    try {
      return JSON.parse(raw) as Json;
    } catch {
      return p.fail('Invalid literal in filter');
    }
  }
}
