// Input and output processing of a JSONPath state
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html):
//   state input -> InputPath -> Parameters -> [task] -> ResultSelector -> ResultPath -> OutputPath -> state output.
// Payload templates (Parameters, ResultSelector, ItemSelector) replace `"key.$": "$.path"` fields with the path's value
// and `"key.$": "States.Fn(...)"` fields with the intrinsic's result.

import type { Json, JsonObject } from './json.js';
import { getMember, isJsonObject, setMember, toJsonText } from './json.js';
import { StatesError, StatesErrors, runtimeError } from './errors.js';
import { evaluatePath, parsePath } from './jsonpath.js';
import type { IntrinsicEnvironment } from './intrinsics.js';
import { evaluateIntrinsic, looksLikeIntrinsic } from './intrinsics.js';

/** What a path may see besides the state's data: the context object `$$` and sources of randomness. */
export interface PathScope {
  readonly context?: Json;
  readonly env?: IntrinsicEnvironment;
}

/** InputPath and OutputPath: `null` gives `{}`, a path that matches nothing is States.Runtime. */
export function applyInputOrOutputPath(path: string | null | undefined, data: Json, scope: PathScope = {}): Json {
  if (path === undefined) return data;
  if (path === null) return {};
  const result = evaluatePath(path, data, scope.context ?? null, scope.env?.variables);
  if (!result.found) throw runtimeError(`Invalid path '${path}' : ${result.reason}`);
  return result.value;
}

export const applyInputPath = applyInputOrOutputPath;
export const applyOutputPath = applyInputOrOutputPath;

/**
 * Evaluates a payload template against `data` (the effective input for Parameters, the task result for
 * ResultSelector). A `.$` field whose path matches nothing fails the state with States.Runtime and AWS's cause.
 */
export function evaluatePayloadTemplate(template: Json, data: Json, scope: PathScope = {}): Json {
  if (Array.isArray(template)) return template.map((item) => evaluatePayloadTemplate(item, data, scope));
  if (!isJsonObject(template)) return template;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      setMember(out, key.slice(0, -2), evaluateDynamicField(key, value, data, scope));
    } else {
      setMember(out, key, evaluatePayloadTemplate(value, data, scope));
    }
  }
  return out;
}

function evaluateDynamicField(key: string, expression: Json, data: Json, scope: PathScope): Json {
  const context = scope.context ?? null;
  if (typeof expression !== 'string') {
    throw runtimeError(`The value for the field '${key}' must be a STRING that contains a JSONPath but was ${typeName(expression)}`);
  }
  if (looksLikeIntrinsic(expression)) return evaluateIntrinsic(expression, data, context, scope.env ?? {}, key);
  const path = parsePath(expression);
  const result = evaluatePath(path, data, context, scope.env?.variables);
  if (!result.found) {
    if (path.variable !== undefined) {
      throw runtimeError(`The JSONPath '${expression}' specified for the field '${key}' could not be found: ${result.reason}`);
    }
    const source = path.root === '$$' ? context : data;
    throw runtimeError(
      `The JSONPath '${expression}' specified for the field '${key}' could not be found in the input '${toJsonText(source)}'`,
    );
  }
  return result.value;
}

function typeName(value: Json): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'object') return 'OBJECT';
  return typeof value === 'number' ? 'NUMBER' : typeof value === 'boolean' ? 'BOOLEAN' : 'STRING';
}

/**
 * Places `result` into `input` at a Reference Path: `null` keeps the input, `$` replaces it, `$.a.b` sets the field,
 * creating missing objects on the way. The input is not modified; the objects along the path are copied.
 */
export function applyResultPath(input: Json, resultPath: string | null | undefined, result: Json): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined) return result;
  const path = parsePath(resultPath);
  if (path.segments.length === 0) return result;
  const fail = (): StatesError =>
    new StatesError(
      StatesErrors.ResultPathMatchFailure,
      `Unable to apply ResultPath '${resultPath}' to input '${toJsonText(input)}'`,
    );
  const write = (node: Json | undefined, depth: number): Json => {
    const segment = path.segments[depth];
    if (segment === undefined) return result;
    if (segment.kind === 'name') {
      if (node !== undefined && !isJsonObject(node)) throw fail();
      const base: JsonObject = node === undefined ? {} : { ...node };
      setMember(base, segment.name, write(node === undefined ? undefined : getMember(node, segment.name), depth + 1));
      return base;
    }
    if (segment.kind === 'index') {
      if (!Array.isArray(node)) throw fail();
      const i = segment.index < 0 ? node.length + segment.index : segment.index;
      if (i < 0 || i >= node.length) throw fail();
      const copy = node.slice();
      copy[i] = write(node[i], depth + 1);
      return copy;
    }
    throw fail();
  };
  if (!isJsonObject(input) && !(Array.isArray(input) && path.segments[0]?.kind === 'index')) throw fail();
  return write(input, 0);
}

/** The fields of a state that take part in input and output processing (all optional). */
export interface IoFields {
  readonly InputPath?: string | null;
  readonly Parameters?: Json;
  readonly ResultSelector?: Json;
  readonly ResultPath?: string | null;
  readonly OutputPath?: string | null;
}

/** Before the work: InputPath, then Parameters. Returns the effective input the task (or Pass) receives. */
export function processInput(state: IoFields, rawInput: Json, scope: PathScope = {}): Json {
  const selected = applyInputPath(state.InputPath, rawInput, scope);
  return state.Parameters === undefined ? selected : evaluatePayloadTemplate(state.Parameters, selected, scope);
}

/** After the work: ResultSelector on the result, ResultPath into the raw input, then OutputPath. */
export function processOutput(state: IoFields, rawInput: Json, result: Json, scope: PathScope = {}): Json {
  const selected = state.ResultSelector === undefined ? result : evaluatePayloadTemplate(state.ResultSelector, result, scope);
  const combined = applyResultPath(rawInput, state.ResultPath, selected);
  return applyOutputPath(state.OutputPath, combined, scope);
}
