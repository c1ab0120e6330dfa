// JSONata in Step Functions (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html): `{% %}`
// strings in Arguments, Output, Assign, Condition, Items and the other fields that take them, evaluated with the
// `jsonata` library and no context item: the state's data is `$states` and workflow variables are `$name`. Step
// Functions adds $partition, $range, $hash, $random, $uuid and $parse, and disables $eval. An expression that fails
// or returns nothing fails the state with States.QueryEvaluationError, naming the field (`Output/a/b[0]`).

import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesError, StatesErrors } from './errors.js';
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';

/** How many compiled expressions a runtime keeps; definitions are few, so this only bounds pathological use. */
const MAX_COMPILED = 2000;
const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};
/**
 * The library's guardrails, as AWS bounds evaluation: nesting deeper than 100 is a stack overflow (D1011) and an
 * evaluation that runs longer than 5 seconds is stopped (D1012), so an endless loop cannot hold the server.
 */
const LIMITS = { stack: 100, timeout: 5000 } as const;
/** $range refuses ranges longer than this, as AWS does. */
const MAX_RANGE = 360_145;

/** A `{% ... %}` string. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

export function expressionBody(text: string): string {
  return text.slice(2, -2).trim();
}

/** What `$states` holds in one evaluation. */
export interface StatesBinding {
  readonly input: Json;
  readonly context: Json;
  readonly result?: Json;
  readonly errorOutput?: Json;
}

export interface JsonataEnvironment {
  readonly random: () => number;
  readonly uuid?: () => string;
}

interface AstNode {
  readonly type?: string;
  readonly value?: unknown;
  readonly steps?: readonly AstNode[];
  readonly [key: string]: unknown;
}

/**
 * Why an expression cannot be used in a definition, or undefined: a syntax error, or a path that starts from the
 * context item, which Step Functions does not set (AWS's UNSUPPORTED_JSONATA_EXPRESSION).
 */
export function jsonataExpressionProblem(text: string): { code: 'SCHEMA_VALIDATION_FAILED' | 'UNSUPPORTED_JSONATA_EXPRESSION'; message: string } | undefined {
  let ast: AstNode;
  try {
    ast = jsonata(expressionBody(text)).ast() as AstNode;
  } catch (err) {
    return { code: 'SCHEMA_VALIDATION_FAILED', message: `The JSONata expression '${expressionBody(text)}' is not valid: ${(err as Error).message}` };
  }
  const name = topLevelName(ast);
  return name === undefined ? undefined : { code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: `Reference to '${name}' at the top level is not supported.` };
}

/** The first field name read from the (absent) context item: the first step of a path, or a bare name. */
function topLevelName(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = topLevelName(n);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const n = node as AstNode;
  if (n.type === 'name') return typeof n.value === 'string' ? n.value : undefined;
  if (n.type === 'path') return topLevelName(n.steps?.[0]);
  // Lambda bodies, predicates, sort terms and groupings read a context of their own.
  if (n.type === 'lambda') return undefined;
  for (const [key, value] of Object.entries(n)) {
    if (key === 'predicate' || key === 'stages' || key === 'group' || key === 'terms' || key === 'focus' || key === 'position') continue;
    const found = topLevelName(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Compiles and evaluates expressions for one Switchyard; compiled expressions are kept per text. */
export class JsonataRuntime {
  private readonly compiled = new Map<string, jsonata.Expression>();

  constructor(private readonly env: JsonataEnvironment) {}

  /** Evaluates one `{% %}` string. */
  async evaluate(text: string, field: string, states: StatesBinding, variables: JsonObject): Promise<Json> {
    const body = expressionBody(text);
    let raw: unknown;
    try {
      const expression = this.compile(body);
      raw = await expression.evaluate(undefined, { ...variables, states, eval: disabledEval });
    } catch (err) {
      if (err instanceof StatesError) throw err;
      const e = err as { code?: string; message?: string };
      throw new StatesError(
        StatesErrors.QueryEvaluationError,
        `An error occurred while evaluating the JSONata expression '${body}' specified for the field '${field}': ${e.code !== undefined ? `${e.code}: ` : ''}${e.message ?? String(err)}`,
      );
    }
    if (raw === undefined) {
      throw new StatesError(
        StatesErrors.QueryEvaluationError,
        `The JSONata expression '${body}' specified for the field '${field}' returned nothing (undefined).`,
      );
    }
    return toJson(raw);
  }

  /** A field that may hold JSON with `{% %}` strings at any depth (Arguments, Output, Assign, ItemSelector ...). */
  async template(value: Json, field: string, states: StatesBinding, variables: JsonObject): Promise<Json> {
    if (isJsonataExpression(value)) return this.evaluate(value, field, states, variables);
    if (Array.isArray(value)) {
      const out: Json[] = [];
      for (let i = 0; i < value.length; i++) out.push(await this.template(value[i] as Json, `${field}[${i}]`, states, variables));
      return out;
    }
    if (isJsonObject(value)) {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        Object.defineProperty(out, k, { value: await this.template(v, `${field}/${k}`, states, variables), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return value;
  }

  private compile(body: string): jsonata.Expression {
    let expression = this.compiled.get(body);
    if (expression) return expression;
    expression = jsonata(body, LIMITS);
    this.register(expression);
    if (this.compiled.size >= MAX_COMPILED) this.compiled.clear();
    this.compiled.set(body, expression);
    return expression;
  }

  private register(expression: jsonata.Expression): void {
    const env = this.env;
    expression.registerFunction(
      'partition',
      (array: unknown, size: unknown): unknown[] | undefined => {
        if (!Array.isArray(array) || typeof size !== 'number') return undefined;
        const chunk = Math.trunc(size);
        if (chunk <= 0 || array.length === 0) return undefined;
        const out: unknown[] = [];
        for (let i = 0; i < array.length; i += chunk) out.push(array.slice(i, i + chunk));
        return out;
      },
      '<an:a>',
    );
    expression.registerFunction(
      'range',
      (start: number, end: number, step?: number): number | number[] | undefined => {
        if (step === undefined) return undefined;
        const [a, b, s] = [Math.trunc(start), Math.trunc(end), Math.trunc(step)];
        if (s === 0 || (b > a && s < 0) || (b < a && s > 0)) return undefined;
        const count = Math.floor((b - a) / s) + 1;
        if (count > MAX_RANGE) throw new Error('Expression evaluation memory limit exceeded');
        const out: number[] = [];
        for (let i = 0; i < count; i++) out.push(a + i * s);
        return out.length === 1 ? out[0] : out;
      },
      '<nnn?:x>',
    );
    expression.registerFunction(
      'hash',
      (data: string, algorithm?: string): string | undefined => {
        if (algorithm === undefined) return undefined;
        const name = HASH_ALGORITHMS[algorithm];
        if (name === undefined) {
          throw new Error(`The algorithm '${algorithm}' is not supported; use one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
        }
        return createHash(name).update(data, 'utf8').digest('hex');
      },
      '<ss?:s>',
    );
    expression.registerFunction('random', (seed?: number): number => (seed === undefined ? env.random() : seededRandom(Math.trunc(seed))), '<n?:n>');
    expression.registerFunction('uuid', (): string => (env.uuid ?? randomUUID)(), '<:s>');
    expression.registerFunction(
      'parse',
      (text: string): unknown => {
        try {
          return JSON.parse(text) as unknown;
        } catch (err) {
          throw new Error(`$parse could not parse '${text}': ${(err as Error).message}`);
        }
      },
      '<s:x>',
    );
  }
}

function disabledEval(): never {
  throw Object.assign(new Error('The function $eval is not supported; use $parse'), { code: 'T1006' });
}

/** The first value of a mulberry32 sequence: the same seed gives the same number. */
function seededRandom(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A JSONata result as plain JSON: sequences become arrays, functions disappear, non-finite numbers are named. */
function toJson(value: unknown): Json {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? 'null',
  ) as Json;
}
