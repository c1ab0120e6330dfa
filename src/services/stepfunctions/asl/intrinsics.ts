// Intrinsic functions of the JSONPath query language
// (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html): a call such as
// `States.Format('Hello, {}', $.name)` in a `.$` field of a payload template. Arguments are string literals in
// single quotes (escapes \' \{ \} \\), numbers, true/false/null, paths ($ or $$) and nested calls.
// Bad arguments fail the state with States.Runtime and the cause "Invalid arguments in States.X": that is what
// Step Functions reports in execution history, although the ASL spec names States.IntrinsicFailure.

import { createHash, randomUUID } from 'node:crypto';
import type { Json, JsonObject } from './json.js';
import { isJsonObject, jsonEquals, setMember, toJsonText } from './json.js';
import type { StatesError } from './errors.js';
import { intrinsicError, runtimeError } from './errors.js';
import { evaluatePath, parsePath, type VariableLookup } from './jsonpath.js';

export type IntrinsicArg =
  | { readonly kind: 'string'; readonly value: string; /** The literal as written, escapes kept (for Format). */ readonly raw: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'call'; readonly call: IntrinsicCall };

export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly IntrinsicArg[];
}

export class IntrinsicSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntrinsicSyntaxError';
  }
}

/** Sources of randomness, injectable so that tests and replays are deterministic. */
export interface IntrinsicEnvironment {
  /** A float in [0, 1), like Math.random. */
  readonly random?: () => number;
  readonly uuid?: () => string;
  /** Workflow variables, for `$name` paths. */
  readonly variables?: VariableLookup;
}

export const INTRINSIC_FUNCTIONS = [
  'States.Format',
  'States.StringToJson',
  'States.JsonToString',
  'States.Array',
  'States.ArrayPartition',
  'States.ArrayContains',
  'States.ArrayRange',
  'States.ArrayGetItem',
  'States.ArrayLength',
  'States.ArrayUnique',
  'States.Base64Encode',
  'States.Base64Decode',
  'States.Hash',
  'States.JsonMerge',
  'States.MathRandom',
  'States.MathAdd',
  'States.StringSplit',
  'States.UUID',
] as const;

const KNOWN = new Set<string>(INTRINSIC_FUNCTIONS);
/** "You can nest up to 10 intrinsic functions within a field" (Step Functions developer guide). */
const MAX_NESTING = 10;

/** True when the string looks like an intrinsic call rather than a path. */
export function looksLikeIntrinsic(text: string): boolean {
  return text.trimStart().startsWith('States.');
}

/** Parses an intrinsic call; throws IntrinsicSyntaxError with the reason when it is not a valid one. */
export function parseIntrinsic(text: string): IntrinsicCall {
  const parser = new CallParser(text);
  parser.skipSpaces();
  const call = parser.parseCall();
  parser.skipSpaces();
  if (!parser.atEnd()) throw new IntrinsicSyntaxError(`Unexpected text after the call: '${text.slice(parser.pos)}'`);
  return call;
}

/** Evaluates an intrinsic call (text or parsed) against the state data and the context object. */
export function evaluateIntrinsic(
  call: string | IntrinsicCall,
  data: Json,
  context: Json = null,
  env: IntrinsicEnvironment = {},
  field?: string,
): Json {
  const parsed = typeof call === 'string' ? parseIntrinsic(call) : call;
  return new Evaluator(data, context, env, field).call(parsed);
}

// ---- parser ----

class CallParser {
  pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  parseCall(depth = 1): IntrinsicCall {
    if (depth > MAX_NESTING) throw new IntrinsicSyntaxError(`Intrinsic functions can be nested at most ${MAX_NESTING} deep`);
    const m = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (!m) throw new IntrinsicSyntaxError(`Expected an intrinsic function name at position ${this.pos}`);
    const name = m[0];
    if (!KNOWN.has(name)) throw new IntrinsicSyntaxError(`Unknown intrinsic function '${name}'`);
    this.pos += name.length;
    this.skipSpaces();
    if (this.text[this.pos] !== '(') throw new IntrinsicSyntaxError(`Expected '(' after ${name}`);
    this.pos++;
    const args: IntrinsicArg[] = [];
    this.skipSpaces();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return { name, args };
    }
    for (;;) {
      this.skipSpaces();
      args.push(this.parseArg(depth));
      this.skipSpaces();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ')') return { name, args };
      if (c !== ',') throw new IntrinsicSyntaxError(`Expected ',' or ')' in the arguments of ${name}`);
    }
  }

  private parseArg(depth: number): IntrinsicArg {
    const rest = this.text.slice(this.pos);
    const c = rest[0];
    if (c === "'") return this.parseString();
    if (c === '$') return { kind: 'path', path: this.readPath() };
    if (rest.startsWith('States.')) return { kind: 'call', call: this.parseCall(depth + 1) };
    const word = /^(true|false|null)(?![A-Za-z0-9_])/.exec(rest);
    if (word) {
      this.pos += (word[1] as string).length;
      if (word[1] === 'null') return { kind: 'null' };
      return { kind: 'boolean', value: word[1] === 'true' };
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      return { kind: 'number', value: Number(num[0]) };
    }
    throw new IntrinsicSyntaxError(`Invalid argument at position ${this.pos}`);
  }

  private parseString(): IntrinsicArg {
    const t = this.text;
    this.pos++;
    const start = this.pos;
    let value = '';
    while (this.pos < t.length && t[this.pos] !== "'") {
      if (t[this.pos] === '\\') {
        const next = t[this.pos + 1];
        if (next === undefined) break;
        value += next;
        this.pos += 2;
        continue;
      }
      value += t[this.pos];
      this.pos++;
    }
    if (t[this.pos] !== "'") throw new IntrinsicSyntaxError('Unterminated string literal');
    const raw = t.slice(start, this.pos);
    this.pos++;
    return { kind: 'string', value, raw };
  }

  /** A path argument runs to the next ',' or ')' outside brackets, parentheses and quotes. */
  private readPath(): string {
    const t = this.text;
    const start = this.pos;
    let depth = 0;
    let quote: string | undefined;
    for (; this.pos < t.length; this.pos++) {
      const c = t[this.pos];
      if (quote) {
        if (c === '\\') this.pos++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']') depth--;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    const path = t.slice(start, this.pos).trimEnd();
    try {
      parsePath(path);
    } catch (err) {
      throw new IntrinsicSyntaxError(`Invalid path argument '${path}': ${(err as Error).message}`);
    }
    return path;
  }
}

// ---- evaluation ----

const MAX_STRING = 10_000;
const MAX_RANGE = 1000;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

class Evaluator {
  constructor(
    private readonly data: Json,
    private readonly context: Json,
    private readonly env: IntrinsicEnvironment,
    private readonly field: string | undefined,
  ) {}

  call(call: IntrinsicCall): Json {
    const values = call.args.map((arg) => this.value(arg));
    const args = new Args(call.name, values);
    switch (call.name) {
      case 'States.Format':
        return formatString(args, call.args[0]);
      case 'States.StringToJson': {
        args.count(1);
        const text = args.string(0);
        try {
          return JSON.parse(text) as Json;
        } catch {
          throw args.fail(`'${text}' is not valid JSON text`);
        }
      }
      case 'States.JsonToString':
        args.count(1);
        return toJsonText(args.any(0));
      case 'States.Array':
        return values;
      case 'States.ArrayPartition': {
        args.count(2);
        const list = args.array(0);
        const size = args.integer(1, 'trunc');
        if (size <= 0) throw args.fail('the chunk size must be greater than 0');
        const out: Json[] = [];
        for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
        return out;
      }
      case 'States.ArrayContains': {
        args.count(2);
        const list = args.array(0);
        const needle = args.any(1);
        return list.some((item) => jsonEquals(item, needle));
      }
      case 'States.ArrayRange': {
        args.count(3);
        const start = args.integer(0, 'trunc');
        const end = args.integer(1, 'trunc');
        const step = args.integer(2, 'trunc');
        if (step === 0) throw args.fail('the step must not be 0');
        const size = (end - start) / step < 0 ? 0 : Math.floor((end - start) / step) + 1;
        if (size > MAX_RANGE) throw args.fail(`the array would have ${size} elements, more than ${MAX_RANGE}`);
        const out: number[] = [];
        for (let i = 0; i < size; i++) out.push(start + i * step);
        return out;
      }
      case 'States.ArrayGetItem': {
        args.count(2);
        const list = args.array(0);
        const index = args.integer(1, 'trunc');
        if (index < 0 || index >= list.length) throw args.fail(`index ${index} is out of bounds for length ${list.length}`);
        return list[index] as Json;
      }
      case 'States.ArrayLength':
        args.count(1);
        return args.array(0).length;
      case 'States.ArrayUnique': {
        args.count(1);
        const out: Json[] = [];
        for (const item of args.array(0)) if (!out.some((seen) => jsonEquals(seen, item))) out.push(item);
        return out;
      }
      case 'States.Base64Encode': {
        args.count(1);
        return Buffer.from(args.string(0, MAX_STRING), 'utf8').toString('base64');
      }
      case 'States.Base64Decode': {
        args.count(1);
        const text = args.string(0, MAX_STRING);
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw args.fail('the input is not valid base64');
        return Buffer.from(text, 'base64').toString('utf8');
      }
      case 'States.Hash': {
        args.count(2);
        const input = args.any(0);
        const data = typeof input === 'string' ? input : toJsonText(input);
        if (data.length > MAX_STRING) throw args.fail(`the input data is longer than ${MAX_STRING} characters`);
        const algorithm = args.string(1);
        const node = HASH_ALGORITHMS[algorithm];
        if (!node) throw args.fail(`the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
        return createHash(node).update(data, 'utf8').digest('hex');
      }
      case 'States.JsonMerge': {
        args.count(3);
        const left = args.object(0);
        const right = args.object(1);
        if (args.boolean(2)) throw args.fail('deep merging is not supported; the third argument must be false');
        const out: JsonObject = {};
        for (const [k, v] of Object.entries(left)) setMember(out, k, v);
        for (const [k, v] of Object.entries(right)) setMember(out, k, v);
        return out;
      }
      case 'States.MathRandom': {
        args.countBetween(2, 3);
        const start = args.integer(0, 'trunc');
        const end = args.integer(1, 'trunc');
        if (end <= start) throw args.fail('the end must be greater than the start');
        const random = values.length === 3 ? seededRandom(args.integer(2, 'trunc')) : (this.env.random ?? Math.random);
        return start + Math.floor(random() * (end - start));
      }
      case 'States.MathAdd': {
        args.count(2);
        const sum = args.integer(0, 'round', true) + args.integer(1, 'round', true);
        if (sum < INT_MIN || sum > INT_MAX) throw args.fail(`the sum ${sum} is outside the range of a 32-bit integer`);
        return sum;
      }
      case 'States.StringSplit': {
        args.count(2);
        return splitOnAny(args.string(0), args.string(1));
      }
      case 'States.UUID':
        args.count(0);
        return (this.env.uuid ?? randomUUID)();
      default:
        throw args.fail('unknown function');
    }
  }

  private value(arg: IntrinsicArg): Json {
    switch (arg.kind) {
      case 'string':
      case 'number':
      case 'boolean':
        return arg.value;
      case 'null':
        return null;
      case 'call':
        return this.call(arg.call);
      case 'path': {
        const result = evaluatePath(arg.path, this.data, this.context, this.env.variables);
        if (!result.found) {
          const field = this.field ? `for the field '${this.field}' ` : '';
          const source = arg.path.startsWith('$$') ? this.context : this.data;
          throw runtimeError(
            `The JsonPath argument '${arg.path}' specified ${field}could not be found in the input '${toJsonText(source)}'`,
          );
        }
        return result.value;
      }
    }
  }
}

/**
 * States.Format: each `{}` takes the next value (strings as they are, other scalars as JSON text, null as "null").
 * In a literal template `\{` and `\}` are plain braces; any other lone brace is an error, as are objects and arrays.
 */
function formatString(args: Args, first: IntrinsicArg | undefined): string {
  if (first === undefined) throw args.fail('the template is missing');
  const template = args.string(0);
  const raw = first.kind === 'string' ? first.raw : template;
  const escapes = first.kind === 'string';
  const values = args.rest(1);
  let out = '';
  let used = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (escapes && c === '\\' && i + 1 < raw.length) {
      out += raw[i + 1];
      i++;
    } else if (c === '{') {
      if (raw[i + 1] !== '}') throw args.fail("'{' must be followed by '}'");
      const value = values[used++];
      if (value === undefined) throw args.fail('there are more placeholders {} than values');
      if (typeof value === 'object' && value !== null) throw args.fail('values must be strings, numbers, booleans or null');
      out += typeof value === 'string' ? value : toJsonText(value);
      i++;
    } else if (c === '}') {
      throw args.fail("'}' must follow '{'");
    } else {
      out += c;
    }
  }
  if (used !== values.length) throw args.fail('there are more values than placeholders {}');
  return out;
}

/** Every character of the delimiter splits; empty pieces are dropped (Java's StringTokenizer). */
function splitOnAny(text: string, delimiters: string): string[] {
  const out: string[] = [];
  let piece = '';
  for (const ch of text) {
    if (delimiters.includes(ch)) {
      if (piece !== '') out.push(piece);
      piece = '';
    } else {
      piece += ch;
    }
  }
  if (piece !== '') out.push(piece);
  return out;
}

/** Typed access to evaluated arguments; every failure is AWS's "Invalid arguments in States.X". */
class Args {
  constructor(
    private readonly name: string,
    private readonly values: readonly Json[],
  ) {}

  fail(detail: string): StatesError {
    return intrinsicError(this.name, detail);
  }

  count(n: number): void {
    if (this.values.length !== n) this.countBetween(n, n);
  }

  countBetween(min: number, max: number): void {
    const n = this.values.length;
    if (n < min || n > max) {
      const expected = min === max ? `${min}` : `${min} to ${max}`;
      throw this.fail(`expected ${expected} argument${max === 1 ? '' : 's'} but got ${n}`);
    }
  }

  any(i: number): Json {
    return this.values[i] as Json;
  }

  rest(from: number): readonly Json[] {
    return this.values.slice(from);
  }

  string(i: number, maxLength?: number): string {
    const v = this.values[i];
    if (typeof v !== 'string') throw this.typeError(i, 'a string');
    if (maxLength !== undefined && v.length > maxLength) throw this.fail(`the input is longer than ${maxLength} characters`);
    return v;
  }

  /**
   * A number made whole: AWS truncates for ArrayRange, ArrayPartition, ArrayGetItem and MathRandom, and rounds for
   * MathAdd, whose operands must also fit in 32 bits.
   */
  integer(i: number, mode: 'trunc' | 'round', int32 = false): number {
    const v = this.values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.typeError(i, 'a number');
    if (int32 && (v < INT_MIN || v > INT_MAX)) throw this.fail(`${v} is outside the range of a 32-bit integer`);
    return mode === 'trunc' ? Math.trunc(v) : Math.round(v);
  }

  boolean(i: number): boolean {
    const v = this.values[i];
    if (typeof v !== 'boolean') throw this.typeError(i, 'a boolean');
    return v;
  }

  array(i: number): Json[] {
    const v = this.values[i];
    if (!Array.isArray(v)) throw this.typeError(i, 'an array');
    return v;
  }

  object(i: number): JsonObject {
    const v = this.values[i];
    if (!isJsonObject(v)) throw this.typeError(i, 'a JSON object');
    return v;
  }

  private typeError(i: number, expected: string): StatesError {
    const v = this.values[i];
    return this.fail(`argument ${i + 1} must be ${expected}, but was ${v === undefined ? 'missing' : toJsonText(v)}`);
  }
}

/** A small deterministic generator (mulberry32), so that the same seed gives the same number. */
function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
