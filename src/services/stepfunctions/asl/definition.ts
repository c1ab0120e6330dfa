// Types of a parsed state machine definition, and its static validation: the checks CreateStateMachine,
// UpdateStateMachine and ValidateStateMachineDefinition run before a definition is accepted. Diagnostics use AWS's
// codes and locations (`SCHEMA_VALIDATION_FAILED: ... at /States/A/Choices[0]/Variable`), and formatInvalidDefinition
// joins them as the InvalidDefinition message does: "Invalid State Machine Definition: 'CODE: msg at /loc, ...'".
// Spec: https://states-language.net/ and https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html

import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { isValidPath, referencePathProblem } from './jsonpath.js';
import { IntrinsicSyntaxError, looksLikeIntrinsic, parseIntrinsic } from './intrinsics.js';
import type { ChoiceRule } from './choice.js';
import { isJsonataExpression, jsonataExpressionProblem } from './jsonata.js';
import { variableNameProblem } from './variables.js';
import {
  COMPARISON_OPERATORS,
  NUMERIC_OPERATORS,
  STRING_OPERATORS,
  TIMESTAMP_OPERATORS,
  TYPE_TEST_OPERATORS,
  parseTimestamp,
} from './choice.js';

// ---- types the interpreter uses ----

export type QueryLanguage = 'JSONPath' | 'JSONata';
export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';
export const STATE_TYPES: readonly StateType[] = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
  readonly Comment?: string;
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
  readonly Comment?: string;
  readonly Assign?: JsonObject;
  readonly Output?: Json;
}

interface StateBase {
  readonly Comment?: string;
  readonly QueryLanguage?: QueryLanguage;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly Assign?: JsonObject;
  readonly Output?: Json;
}

interface Transition {
  readonly Next?: string;
  readonly End?: boolean;
}

export interface PassState extends StateBase, Transition {
  readonly Type: 'Pass';
  readonly Parameters?: Json;
  readonly Result?: Json;
  readonly ResultPath?: string | null;
}

export interface TaskState extends StateBase, Transition {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Parameters?: Json;
  readonly Arguments?: Json;
  readonly Credentials?: Json;
  readonly ResultSelector?: Json;
  readonly ResultPath?: string | null;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
  readonly TimeoutSeconds?: number | string;
  readonly TimeoutSecondsPath?: string;
  readonly HeartbeatSeconds?: number | string;
  readonly HeartbeatSecondsPath?: string;
}

export interface JsonataChoiceRule {
  readonly Condition: string;
  readonly Next: string;
  readonly Assign?: JsonObject;
  readonly Output?: Json;
  readonly Comment?: string;
}

export interface ChoiceState extends StateBase {
  readonly Type: 'Choice';
  readonly Choices: readonly (ChoiceRule | JsonataChoiceRule)[];
  readonly Default?: string;
}

export interface WaitState extends StateBase, Transition {
  readonly Type: 'Wait';
  readonly Seconds?: number | string;
  readonly Timestamp?: string;
  readonly SecondsPath?: string;
  readonly TimestampPath?: string;
}

export interface SucceedState extends StateBase {
  readonly Type: 'Succeed';
}

export interface FailState extends StateBase {
  readonly Type: 'Fail';
  readonly Error?: string;
  readonly ErrorPath?: string;
  readonly Cause?: string;
  readonly CausePath?: string;
}

export interface Branch {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, State>>;
  readonly Comment?: string;
  readonly QueryLanguage?: QueryLanguage;
}

export interface ItemProcessor extends Branch {
  readonly ProcessorConfig?: { readonly Mode?: 'INLINE' | 'DISTRIBUTED'; readonly ExecutionType?: 'STANDARD' | 'EXPRESS' };
}

export interface ParallelState extends StateBase, Transition {
  readonly Type: 'Parallel';
  readonly Branches: readonly Branch[];
  readonly Parameters?: Json;
  readonly Arguments?: Json;
  readonly ResultSelector?: Json;
  readonly ResultPath?: string | null;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export interface MapState extends StateBase, Transition {
  readonly Type: 'Map';
  readonly ItemProcessor?: ItemProcessor;
  /** The older name of ItemProcessor. */
  readonly Iterator?: Branch;
  readonly ItemsPath?: string;
  readonly Items?: Json;
  readonly ItemSelector?: Json;
  /** The older name of ItemSelector. */
  readonly Parameters?: Json;
  readonly ItemReader?: JsonObject;
  readonly ItemBatcher?: JsonObject;
  readonly ResultWriter?: JsonObject;
  readonly MaxConcurrency?: number | string;
  readonly MaxConcurrencyPath?: string;
  readonly ToleratedFailurePercentage?: number | string;
  readonly ToleratedFailurePercentagePath?: string;
  readonly ToleratedFailureCount?: number | string;
  readonly ToleratedFailureCountPath?: string;
  readonly Label?: string;
  readonly ResultSelector?: Json;
  readonly ResultPath?: string | null;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export type State = PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;

export interface StateMachineDefinition extends Branch {
  readonly Version?: string;
  readonly TimeoutSeconds?: number;
}

// ---- diagnostics ----

/** The codes of ValidateStateMachineDefinition's diagnostics that this validator can raise. */
export type DiagnosticCode =
  | 'INVALID_JSON_DESCRIPTION'
  | 'MISSING_DESCRIPTION'
  | 'SCHEMA_VALIDATION_FAILED'
  | 'INVALID_RESOURCE'
  | 'MISSING_TRANSITION_TARGET'
  | 'MISSING_END_STATE'
  | 'DUPLICATE_STATE_NAME'
  | 'INVALID_STATE_NAME'
  | 'NO_DOLLAR'
  | 'NO_PATH'
  | 'PASS_RESULT_IS_STATIC'
  | 'UNSUPPORTED_JSONATA_EXPRESSION';

export type DiagnosticSeverity = 'ERROR' | 'WARNING';

const WARNING_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['NO_DOLLAR', 'NO_PATH', 'PASS_RESULT_IS_STATIC']);

/** One finding, shaped like ValidateStateMachineDefinition's diagnostic: only ERRORs block a definition. */
export interface Diagnostic {
  readonly severity: DiagnosticSeverity;
  readonly code: DiagnosticCode;
  readonly message: string;
  /** JSON-pointer-like location, `/States/A/Retry[0]/ErrorEquals`; empty for the whole document. */
  readonly location: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return d.location === '' ? `${d.code}: ${d.message}` : `${d.code}: ${d.message} at ${d.location}`;
}

/** The message of the InvalidDefinition error that CreateStateMachine returns for these diagnostics' errors. */
export function formatInvalidDefinition(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'ERROR');
  return `Invalid State Machine Definition: '${errors.map(formatDiagnostic).join(', ')}'`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'ERROR');
}

/** Parses and validates; the definition is returned when no diagnostic is an ERROR (warnings are allowed). */
export function parseDefinition(json: string): { definition?: StateMachineDefinition; diagnostics: Diagnostic[] } {
  if (json.trim() === '') {
    return { diagnostics: [diagnostic('MISSING_DESCRIPTION', 'The state machine definition is empty', '')] };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    return { diagnostics: [diagnostic('INVALID_JSON_DESCRIPTION', (err as Error).message, '')] };
  }
  const diagnostics = new Validator().validateDocument(doc as Json);
  return hasErrors(diagnostics) ? { diagnostics } : { definition: doc as StateMachineDefinition, diagnostics };
}

/** Every diagnostic for a definition, errors and warnings, in document order. */
export function validateDefinition(json: string): Diagnostic[] {
  return parseDefinition(json).diagnostics;
}

function diagnostic(code: DiagnosticCode, message: string, location: string): Diagnostic {
  return { severity: WARNING_CODES.has(code) ? 'WARNING' : 'ERROR', code, message, location };
}

// ---- field tables ----

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const JSONPATH_IO = ['InputPath', 'OutputPath'];
const TRANSITION = ['Next', 'End'];
const ERROR_HANDLING = ['Retry', 'Catch'];

/** Fields each state type accepts, by query language. */
const FIELDS: Record<QueryLanguage, Record<StateType, readonly string[]>> = {
  JSONPath: {
    Pass: [...COMMON, ...JSONPATH_IO, ...TRANSITION, 'Parameters', 'Result', 'ResultPath', 'Assign'],
    Task: [
      ...COMMON,
      ...JSONPATH_IO,
      ...TRANSITION,
      ...ERROR_HANDLING,
      'Resource',
      'Parameters',
      'Credentials',
      'ResultSelector',
      'ResultPath',
      'TimeoutSeconds',
      'TimeoutSecondsPath',
      'HeartbeatSeconds',
      'HeartbeatSecondsPath',
      'Assign',
    ],
    Choice: [...COMMON, ...JSONPATH_IO, 'Choices', 'Default', 'Assign'],
    Wait: [...COMMON, ...JSONPATH_IO, ...TRANSITION, 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath', 'Assign'],
    Succeed: [...COMMON, ...JSONPATH_IO],
    Fail: [...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath'],
    Parallel: [
      ...COMMON,
      ...JSONPATH_IO,
      ...TRANSITION,
      ...ERROR_HANDLING,
      'Branches',
      'Parameters',
      'ResultSelector',
      'ResultPath',
      'Assign',
    ],
    Map: [
      ...COMMON,
      ...JSONPATH_IO,
      ...TRANSITION,
      ...ERROR_HANDLING,
      'ItemProcessor',
      'Iterator',
      'ItemsPath',
      'ItemSelector',
      'Parameters',
      'ItemReader',
      'ItemBatcher',
      'ResultWriter',
      'MaxConcurrency',
      'MaxConcurrencyPath',
      'ToleratedFailurePercentage',
      'ToleratedFailurePercentagePath',
      'ToleratedFailureCount',
      'ToleratedFailureCountPath',
      'Label',
      'ResultSelector',
      'ResultPath',
      'Assign',
    ],
  },
  JSONata: {
    Pass: [...COMMON, ...TRANSITION, 'Output', 'Assign'],
    Task: [
      ...COMMON,
      ...TRANSITION,
      ...ERROR_HANDLING,
      'Resource',
      'Arguments',
      'Credentials',
      'Output',
      'Assign',
      'TimeoutSeconds',
      'HeartbeatSeconds',
    ],
    Choice: [...COMMON, 'Choices', 'Default', 'Output', 'Assign'],
    Wait: [...COMMON, ...TRANSITION, 'Seconds', 'Timestamp', 'Output', 'Assign'],
    Succeed: [...COMMON, 'Output'],
    Fail: [...COMMON, 'Error', 'Cause'],
    Parallel: [...COMMON, ...TRANSITION, ...ERROR_HANDLING, 'Branches', 'Arguments', 'Output', 'Assign'],
    Map: [
      ...COMMON,
      ...TRANSITION,
      ...ERROR_HANDLING,
      'ItemProcessor',
      'Items',
      'ItemSelector',
      'ItemReader',
      'ItemBatcher',
      'ResultWriter',
      'MaxConcurrency',
      'ToleratedFailurePercentage',
      'ToleratedFailureCount',
      'Label',
      'Output',
      'Assign',
    ],
  },
};

const TOP_LEVEL_FIELDS = ['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage'];
const BRANCH_FIELDS = ['Comment', 'StartAt', 'States', 'QueryLanguage'];
const ITEM_PROCESSOR_FIELDS = [...BRANCH_FIELDS, 'ProcessorConfig'];
const RETRIER_FIELDS = ['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'];
const CATCHER_FIELDS: Record<QueryLanguage, readonly string[]> = {
  JSONPath: ['ErrorEquals', 'Next', 'ResultPath', 'Comment', 'Assign'],
  JSONata: ['ErrorEquals', 'Next', 'Output', 'Comment', 'Assign'],
};


// ---- the validator ----

interface Scope {
  readonly names: Set<string>;
  readonly location: string;
}

class Validator {
  private readonly diagnostics: Diagnostic[] = [];
  /** Every state name in the machine: names are unique across all branches. */
  private readonly allNames = new Set<string>();

  validateDocument(doc: Json): Diagnostic[] {
    if (!isJsonObject(doc)) {
      this.add('INVALID_JSON_DESCRIPTION', 'The state machine definition must be a JSON object', '');
      return this.diagnostics;
    }
    const language = this.queryLanguage(doc, 'JSONPath', '');
    this.unknownFields(doc, TOP_LEVEL_FIELDS, '');
    if (doc.TimeoutSeconds !== undefined && !isNonNegativeInteger(doc.TimeoutSeconds)) {
      this.schema("The value for the field 'TimeoutSeconds' must be a non-negative integer", '/TimeoutSeconds');
    }
    if (doc.Version !== undefined && typeof doc.Version !== 'string') {
      this.schema("The value for the field 'Version' must be a STRING", '/Version');
    }
    this.validateBranch(doc, '', language);
    return this.diagnostics;
  }

  private validateBranch(branch: JsonObject, location: string, language: QueryLanguage): void {
    const missing = ['StartAt', 'States'].filter((f) => branch[f] === undefined);
    if (missing.length > 0) {
      this.schema(`These fields are required: [${missing.join(', ')}]`, location === '' ? '/' : location);
    }
    const states = branch.States;
    if (states !== undefined && !isJsonObject(states)) {
      this.schema("The value for the field 'States' must be an OBJECT", `${location}/States`);
      return;
    }
    if (branch.StartAt !== undefined && typeof branch.StartAt !== 'string') {
      this.schema("The value for the field 'StartAt' must be a STRING", `${location}/StartAt`);
    }
    if (!states) return;
    const names = Object.keys(states);
    if (names.length === 0) {
      this.schema("The field 'States' must contain at least one state", `${location}/States`);
      return;
    }
    const scope: Scope = { names: new Set(names), location };
    for (const name of names) {
      const stateLocation = `${location}/States/${name}`;
      if (this.allNames.has(name)) this.add('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, stateLocation);
      this.allNames.add(name);
      const nameProblem = stateNameProblem(name);
      if (nameProblem) this.add('INVALID_STATE_NAME', nameProblem, stateLocation);
      this.validateState(states[name] as Json, stateLocation, scope, language);
    }
    if (typeof branch.StartAt === 'string' && !scope.names.has(branch.StartAt)) {
      this.add('MISSING_TRANSITION_TARGET', `Missing 'StartAt' target: ${branch.StartAt}`, `${location}/StartAt`);
    } else if (typeof branch.StartAt === 'string') {
      this.checkGraph(states, branch.StartAt, location);
    }
  }

  /** Reachability from StartAt, and that some state can end the workflow. */
  private checkGraph(states: JsonObject, startAt: string, location: string): void {
    const reached = new Set<string>([startAt]);
    const queue = [startAt];
    while (queue.length > 0) {
      const name = queue.shift() as string;
      const state = states[name];
      if (!isJsonObject(state)) continue;
      for (const next of transitionsOf(state)) {
        if (Object.hasOwn(states, next) && !reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    let terminal = false;
    for (const [name, state] of Object.entries(states)) {
      if (!reached.has(name)) {
        this.add('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, `${location}/States/${name}`);
      }
      if (isJsonObject(state) && (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail')) terminal = true;
    }
    if (!terminal) this.add('MISSING_END_STATE', 'Workflow has no terminal state', `${location}/States`);
  }

  private validateState(state: Json, location: string, scope: Scope, parentLanguage: QueryLanguage): void {
    if (!isJsonObject(state)) {
      this.schema('A state must be a JSON object', location);
      return;
    }
    const language = this.queryLanguage(state, parentLanguage, location);
    const type = state.Type;
    if (type === undefined) {
      this.schema('These fields are required: [Type]', location);
      return;
    }
    if (typeof type !== 'string' || !(STATE_TYPES as readonly string[]).includes(type)) {
      this.schema(
        `The value for the field 'Type' must be one of [${STATE_TYPES.join(', ')}], but was ${JSON.stringify(type)}`,
        `${location}/Type`,
      );
      return;
    }
    const stateType = type as StateType;
    this.unknownFields(state, FIELDS[language][stateType], location);
    this.validateTransition(state, stateType, location, scope);

    if (language === 'JSONPath') {
      for (const field of ['InputPath', 'OutputPath']) this.pathField(state, field, location, 'path');
      if (Object.hasOwn(state, 'ResultPath')) this.pathField(state, 'ResultPath', location, 'reference');
      for (const field of ['Parameters', 'ResultSelector', 'ItemSelector', 'Credentials']) {
        if (state[field] !== undefined) this.payloadTemplate(state[field], `${location}/${field}`, field);
      }
    }
    if (state.Assign !== undefined && !isJsonObject(state.Assign)) {
      this.schema("The value for the field 'Assign' must be an OBJECT", `${location}/Assign`);
    }
    this.assign(state.Assign, `${location}/Assign`, language);
    if (language === 'JSONata') this.jsonataFields(state, location);

    if (stateType === 'Pass' && language === 'JSONPath' && containsDynamicKey(state.Result)) {
      this.add('PASS_RESULT_IS_STATIC', "The 'Result' of a Pass state is static: fields ending in '.$' are not evaluated; use 'Parameters'", `${location}/Result`);
    }
    if (language === 'JSONPath') {
      for (const field of ['Error', 'Cause', 'Timestamp']) {
        const value = state[field];
        if (typeof value === 'string' && (value.startsWith('$.') || value.startsWith('$$.') || value.startsWith('$['))) {
          this.add('NO_PATH', `The value for the field '${field}' looks like a path, but the field name does not end with 'Path'`, `${location}/${field}`);
        }
      }
    }

    switch (stateType) {
      case 'Task':
        this.validateTask(state, location, language);
        break;
      case 'Choice':
        this.validateChoice(state, location, scope, language);
        break;
      case 'Wait':
        this.validateWait(state, location, language);
        break;
      case 'Fail':
        this.validateFail(state, location, language);
        break;
      case 'Parallel':
        this.validateParallel(state, location, language);
        break;
      case 'Map':
        this.validateMap(state, location, language);
        break;
      default:
        break;
    }
    if (stateType === 'Task' || stateType === 'Parallel' || stateType === 'Map') {
      this.validateRetry(state.Retry, `${location}/Retry`);
      this.validateCatch(state.Catch, `${location}/Catch`, scope, language);
    }
  }

  private validateTransition(state: JsonObject, type: StateType, location: string, scope: Scope): void {
    const hasNext = state.Next !== undefined;
    const hasEnd = state.End !== undefined;
    if (type === 'Choice' || type === 'Succeed' || type === 'Fail') return; // unknownFields reports Next/End
    if (hasNext && hasEnd) {
      this.schema("The fields 'Next' and 'End' are mutually exclusive", location);
      return;
    }
    if (hasEnd && state.End !== true) {
      this.schema("The value for the field 'End' must be true", `${location}/End`);
      return;
    }
    if (!hasNext && !hasEnd) {
      this.schema("These fields are required: [Next] or 'End': true", location);
      return;
    }
    if (hasNext) this.target(state.Next, 'Next', `${location}/Next`, scope);
  }

  private target(value: Json | undefined, field: string, location: string, scope: Scope): void {
    if (typeof value !== 'string') {
      this.schema(`The value for the field '${field}' must be a STRING`, location);
    } else if (!scope.names.has(value)) {
      this.add('MISSING_TRANSITION_TARGET', `Missing '${field}' target: ${value}`, location);
    }
  }

  private validateTask(state: JsonObject, location: string, language: QueryLanguage): void {
    if (state.Resource === undefined) this.schema('These fields are required: [Resource]', location);
    else if (typeof state.Resource !== 'string') this.schema("The value for the field 'Resource' must be a STRING", `${location}/Resource`);
    else if (!/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/.test(state.Resource)) {
      this.add(
        'INVALID_RESOURCE',
        `The resource provided ${state.Resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
        `${location}/Resource`,
      );
    }
    this.exclusive(state, 'TimeoutSeconds', 'TimeoutSecondsPath', location);
    this.exclusive(state, 'HeartbeatSeconds', 'HeartbeatSecondsPath', location);
    for (const field of ['TimeoutSeconds', 'HeartbeatSeconds']) {
      const v = state[field];
      if (v === undefined || (language === 'JSONata' && isJsonataExpression(v))) continue;
      if (!isPositiveInteger(v)) this.schema(`The value for the field '${field}' must be a positive integer`, `${location}/${field}`);
    }
    for (const field of ['TimeoutSecondsPath', 'HeartbeatSecondsPath']) {
      if (state[field] !== undefined) this.pathField(state, field, location, 'reference');
    }
    if (typeof state.TimeoutSeconds === 'number' && typeof state.HeartbeatSeconds === 'number' && state.HeartbeatSeconds >= state.TimeoutSeconds) {
      this.schema('The value of HeartbeatSeconds must be smaller than the value of TimeoutSeconds', `${location}/HeartbeatSeconds`);
    }
  }

  private validateWait(state: JsonObject, location: string, language: QueryLanguage): void {
    const fields = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => state[f] !== undefined);
    if (fields.length !== 1) {
      this.schema('Exactly one of these fields must be defined: [Seconds, Timestamp, SecondsPath, TimestampPath]', location);
      return;
    }
    const field = fields[0] as string;
    const value = state[field] as Json;
    if (language === 'JSONata' && isJsonataExpression(value)) return;
    if (field === 'Seconds' && !isNonNegativeInteger(value)) {
      this.schema("The value for the field 'Seconds' must be a non-negative integer", `${location}/Seconds`);
    } else if (field === 'Timestamp' && (typeof value !== 'string' || parseTimestamp(value) === undefined)) {
      this.schema("The value for the field 'Timestamp' must be a valid ISO 8601 timestamp", `${location}/Timestamp`);
    } else if (field.endsWith('Path')) {
      this.pathField(state, field, location, 'reference');
    }
  }

  private validateFail(state: JsonObject, location: string, language: QueryLanguage): void {
    this.exclusive(state, 'Error', 'ErrorPath', location);
    this.exclusive(state, 'Cause', 'CausePath', location);
    for (const field of ['Error', 'Cause']) {
      if (state[field] !== undefined && typeof state[field] !== 'string') {
        this.schema(`The value for the field '${field}' must be a STRING`, `${location}/${field}`);
      }
    }
    if (language === 'JSONPath') {
      for (const field of ['ErrorPath', 'CausePath']) {
        const value = state[field];
        if (value === undefined) continue;
        if (typeof value === 'string' && looksLikeIntrinsic(value)) this.intrinsic(value, field, `${location}/${field}`);
        else this.pathField(state, field, location, 'reference', true);
      }
    }
  }

  private validateParallel(state: JsonObject, location: string, language: QueryLanguage): void {
    const branches = state.Branches;
    if (branches === undefined) {
      this.schema('These fields are required: [Branches]', location);
      return;
    }
    if (!Array.isArray(branches) || branches.length === 0) {
      this.schema("The field 'Branches' must be a non-empty array", `${location}/Branches`);
      return;
    }
    branches.forEach((branch, i) => {
      const where = `${location}/Branches[${i}]`;
      if (!isJsonObject(branch)) {
        this.schema('A branch must be a JSON object', where);
        return;
      }
      this.unknownFields(branch, BRANCH_FIELDS, where);
      this.validateBranch(branch, where, this.queryLanguage(branch, language, where));
    });
  }

  private validateMap(state: JsonObject, location: string, language: QueryLanguage): void {
    const hasProcessor = state.ItemProcessor !== undefined;
    const hasIterator = state.Iterator !== undefined;
    if (hasProcessor && hasIterator) this.schema("The fields 'ItemProcessor' and 'Iterator' are mutually exclusive", location);
    else if (!hasProcessor && !hasIterator) this.schema('These fields are required: [ItemProcessor]', location);
    const field = hasProcessor ? 'ItemProcessor' : 'Iterator';
    const processor = state[field];
    if (processor !== undefined) {
      const where = `${location}/${field}`;
      if (!isJsonObject(processor)) {
        this.schema(`The value for the field '${field}' must be an OBJECT`, where);
      } else {
        this.unknownFields(processor, field === 'ItemProcessor' ? ITEM_PROCESSOR_FIELDS : BRANCH_FIELDS, where);
        this.validateProcessorConfig(processor.ProcessorConfig, `${where}/ProcessorConfig`);
        this.validateBranch(processor, where, this.queryLanguage(processor, language, where));
      }
    }
    if (state.ItemSelector !== undefined && state.Parameters !== undefined) {
      this.schema("The fields 'ItemSelector' and 'Parameters' are mutually exclusive", location);
    }
    // ItemReader and ResultWriter read and write Amazon S3, which Switchyard does not emulate: refused, never ignored.
    for (const f of ['ItemReader', 'ResultWriter']) {
      if (state[f] !== undefined) {
        this.schema(`The field '${f}' is not supported by Switchyard: it needs Amazon S3, which Switchyard does not emulate`, `${location}/${f}`);
      }
    }
    const distributed = isJsonObject(processor) && isJsonObject(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
    if (state.ItemBatcher !== undefined) {
      if (!distributed) this.schema("The field 'ItemBatcher' is only supported in DISTRIBUTED mode", `${location}/ItemBatcher`);
      else this.validateItemBatcher(state.ItemBatcher, `${location}/ItemBatcher`, language);
    }
    if (language === 'JSONPath' && state.ItemsPath !== undefined) this.pathField(state, 'ItemsPath', location, 'reference', true);
    this.exclusive(state, 'MaxConcurrency', 'MaxConcurrencyPath', location);
    this.exclusive(state, 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', location);
    this.exclusive(state, 'ToleratedFailureCount', 'ToleratedFailureCountPath', location);
    const mc = state.MaxConcurrency;
    if (mc !== undefined && !(language === 'JSONata' && isJsonataExpression(mc)) && !isNonNegativeInteger(mc)) {
      this.schema("The value for the field 'MaxConcurrency' must be a non-negative integer", `${location}/MaxConcurrency`);
    }
    const tfp = state.ToleratedFailurePercentage;
    if (tfp !== undefined && !(language === 'JSONata' && isJsonataExpression(tfp)) && !(typeof tfp === 'number' && tfp >= 0 && tfp <= 100)) {
      this.schema("The value for the field 'ToleratedFailurePercentage' must be a number between 0 and 100", `${location}/ToleratedFailurePercentage`);
    }
    const tfc = state.ToleratedFailureCount;
    if (tfc !== undefined && !(language === 'JSONata' && isJsonataExpression(tfc)) && !isNonNegativeInteger(tfc)) {
      this.schema("The value for the field 'ToleratedFailureCount' must be a non-negative integer", `${location}/ToleratedFailureCount`);
    }
    if (language === 'JSONPath') {
      for (const f of ['MaxConcurrencyPath', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath']) {
        if (state[f] !== undefined) this.pathField(state, f, location, 'reference', true);
      }
    }
  }

  private validateItemBatcher(batcher: Json, location: string, language: QueryLanguage): void {
    if (!isJsonObject(batcher)) {
      this.schema("The value for the field 'ItemBatcher' must be an OBJECT", location);
      return;
    }
    this.unknownFields(
      batcher,
      language === 'JSONPath'
        ? ['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath', 'BatchInput']
        : ['MaxItemsPerBatch', 'MaxInputBytesPerBatch', 'BatchInput'],
      location,
    );
    this.exclusive(batcher, 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', location);
    this.exclusive(batcher, 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath', location);
    for (const f of ['MaxItemsPerBatch', 'MaxInputBytesPerBatch']) {
      const v = batcher[f];
      if (v !== undefined && !(language === 'JSONata' && isJsonataExpression(v)) && !(isNonNegativeInteger(v) && v !== 0)) {
        this.schema(`The value for the field '${f}' must be a positive integer`, `${location}/${f}`);
      }
    }
    if (
      batcher.MaxItemsPerBatch === undefined &&
      batcher.MaxItemsPerBatchPath === undefined &&
      batcher.MaxInputBytesPerBatch === undefined &&
      batcher.MaxInputBytesPerBatchPath === undefined
    ) {
      this.schema('ItemBatcher must specify MaxItemsPerBatch or MaxInputBytesPerBatch', location);
    }
  }

  private validateProcessorConfig(config: Json | undefined, location: string): void {
    if (config === undefined) return;
    if (!isJsonObject(config)) {
      this.schema("The value for the field 'ProcessorConfig' must be an OBJECT", location);
      return;
    }
    this.unknownFields(config, ['Mode', 'ExecutionType'], location);
    if (config.Mode !== undefined && config.Mode !== 'INLINE' && config.Mode !== 'DISTRIBUTED') {
      this.schema("The value for the field 'Mode' must be one of [INLINE, DISTRIBUTED]", `${location}/Mode`);
    }
    if (config.ExecutionType !== undefined && config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') {
      this.schema("The value for the field 'ExecutionType' must be one of [STANDARD, EXPRESS]", `${location}/ExecutionType`);
    }
  }

  private validateChoice(state: JsonObject, location: string, scope: Scope, language: QueryLanguage): void {
    if (state.Default !== undefined) this.target(state.Default, 'Default', `${location}/Default`, scope);
    const choices = state.Choices;
    if (choices === undefined) {
      this.schema('These fields are required: [Choices]', location);
      return;
    }
    if (!Array.isArray(choices) || choices.length === 0) {
      this.schema("The field 'Choices' must be a non-empty array", `${location}/Choices`);
      return;
    }
    choices.forEach((rule, i) => {
      const where = `${location}/Choices[${i}]`;
      if (!isJsonObject(rule)) {
        this.schema('A choice rule must be a JSON object', where);
        return;
      }
      if (rule.Next === undefined) this.schema('These fields are required: [Next]', where);
      else this.target(rule.Next, 'Next', `${where}/Next`, scope);
      if (language === 'JSONata') {
        this.unknownFields(rule, ['Condition', 'Next', 'Assign', 'Output', 'Comment'], where);
        if (!isJsonataExpression(rule.Condition) && typeof rule.Condition !== 'boolean') {
          this.schema("The value for the field 'Condition' must be a JSONata expression", `${where}/Condition`);
        }
      } else {
        this.validateChoiceRule(rule, where, true);
      }
    });
  }

  private validateChoiceRule(rule: JsonObject, location: string, topLevel: boolean): void {
    const allowed = new Set(['Variable', 'And', 'Or', 'Not', 'Comment', ...COMPARISON_OPERATORS]);
    if (topLevel) {
      allowed.add('Next');
      allowed.add('Assign');
    }
    this.unknownFields(rule, [...allowed], location);
    const combinators = ['And', 'Or', 'Not'].filter((f) => rule[f] !== undefined);
    const operators = COMPARISON_OPERATORS.filter((op) => Object.hasOwn(rule, op));
    if (combinators.length + (rule.Variable !== undefined || operators.length > 0 ? 1 : 0) !== 1 || combinators.length > 1) {
      this.schema('A choice rule must have exactly one of a comparison (Variable and an operator), And, Or or Not', location);
      return;
    }
    const combinator = combinators[0];
    if (combinator === 'Not') {
      const inner = rule.Not;
      if (!isJsonObject(inner)) this.schema("The value for the field 'Not' must be an OBJECT", `${location}/Not`);
      else this.validateChoiceRule(inner, `${location}/Not`, false);
      return;
    }
    if (combinator === 'And' || combinator === 'Or') {
      const list = rule[combinator];
      if (!Array.isArray(list) || list.length === 0) {
        this.schema(`The field '${combinator}' must be a non-empty array`, `${location}/${combinator}`);
        return;
      }
      list.forEach((inner, i) => {
        const where = `${location}/${combinator}[${i}]`;
        if (!isJsonObject(inner)) this.schema('A choice rule must be a JSON object', where);
        else this.validateChoiceRule(inner, where, false);
      });
      return;
    }
    if (rule.Variable === undefined) {
      this.schema('These fields are required: [Variable]', location);
      return;
    }
    const variableProblem = typeof rule.Variable === 'string' ? referencePathProblem(rule.Variable, { allowContext: true }) : 'not a string';
    if (variableProblem !== undefined) {
      this.schema(`Value is not a Reference Path: ${variableProblem}`, `${location}/Variable`);
    }
    if (operators.length !== 1) {
      this.schema(
        operators.length === 0 ? 'A choice rule with a Variable needs a comparison operator' : `Only one comparison operator is allowed, but found [${operators.join(', ')}]`,
        location,
      );
      return;
    }
    const op = operators[0] as string;
    const value = rule[op] as Json;
    const where = `${location}/${op}`;
    if (op.endsWith('Path') && op !== 'IsPresent') {
      const problem = typeof value === 'string' ? referencePathProblem(value, { allowContext: true }) : 'not a string';
      if (problem !== undefined) this.schema(`Value is not a Reference Path: ${problem}`, where);
      return;
    }
    if ((TYPE_TEST_OPERATORS as readonly string[]).includes(op) || op === 'BooleanEquals') {
      if (typeof value !== 'boolean') this.schema(`The value for the field '${op}' must be a BOOLEAN`, where);
    } else if ((STRING_OPERATORS as readonly string[]).includes(op)) {
      if (typeof value !== 'string') this.schema(`The value for the field '${op}' must be a STRING`, where);
    } else if ((NUMERIC_OPERATORS as readonly string[]).includes(op)) {
      if (typeof value !== 'number') this.schema(`The value for the field '${op}' must be a NUMBER`, where);
    } else if ((TIMESTAMP_OPERATORS as readonly string[]).includes(op)) {
      if (typeof value !== 'string' || parseTimestamp(value) === undefined) {
        this.schema(`The value for the field '${op}' must be a valid ISO 8601 timestamp`, where);
      }
    }
  }

  private validateRetry(retry: Json | undefined, location: string): void {
    if (retry === undefined) return;
    if (!Array.isArray(retry)) {
      this.schema("The value for the field 'Retry' must be an ARRAY", location);
      return;
    }
    retry.forEach((retrier, i) => {
      const where = `${location}[${i}]`;
      if (!isJsonObject(retrier)) {
        this.schema('A retrier must be a JSON object', where);
        return;
      }
      this.unknownFields(retrier, RETRIER_FIELDS, where);
      this.errorEquals(retrier, where, i === retry.length - 1, 'Retrier');
      const checks: [string, (v: Json) => boolean, string][] = [
        ['IntervalSeconds', isPositiveInteger, 'a positive integer'],
        ['MaxAttempts', isNonNegativeInteger, 'a non-negative integer'],
        ['BackoffRate', (v) => typeof v === 'number' && v >= 1, 'a number greater than or equal to 1.0'],
        ['MaxDelaySeconds', isPositiveInteger, 'a positive integer'],
        ['JitterStrategy', (v) => v === 'FULL' || v === 'NONE', 'one of [FULL, NONE]'],
      ];
      for (const [field, ok, what] of checks) {
        const value = retrier[field];
        if (value !== undefined && !ok(value)) this.schema(`The value for the field '${field}' must be ${what}`, `${where}/${field}`);
      }
    });
  }

  private validateCatch(catchers: Json | undefined, location: string, scope: Scope, language: QueryLanguage): void {
    if (catchers === undefined) return;
    if (!Array.isArray(catchers)) {
      this.schema("The value for the field 'Catch' must be an ARRAY", location);
      return;
    }
    catchers.forEach((catcher, i) => {
      const where = `${location}[${i}]`;
      if (!isJsonObject(catcher)) {
        this.schema('A catcher must be a JSON object', where);
        return;
      }
      this.unknownFields(catcher, CATCHER_FIELDS[language], where);
      this.errorEquals(catcher, where, i === catchers.length - 1, 'Catcher');
      if (catcher.Next === undefined) this.schema('These fields are required: [Next]', where);
      else this.target(catcher.Next, 'Next', `${where}/Next`, scope);
      if (language === 'JSONPath' && Object.hasOwn(catcher, 'ResultPath')) this.pathField(catcher, 'ResultPath', where, 'reference');
    });
  }

  private errorEquals(rule: JsonObject, location: string, last: boolean, kind: string): void {
    const list = rule.ErrorEquals;
    if (list === undefined) {
      this.schema('These fields are required: [ErrorEquals]', location);
      return;
    }
    if (!Array.isArray(list) || list.length === 0 || !list.every((e) => typeof e === 'string')) {
      this.schema("The field 'ErrorEquals' must be a non-empty array of strings", `${location}/ErrorEquals`);
      return;
    }
    if (list.includes('States.ALL')) {
      if (list.length > 1) this.schema('States.ALL must appear alone in ErrorEquals', `${location}/ErrorEquals`);
      else if (!last) this.schema(`A ${kind} with States.ALL must be the last one`, location);
    }
  }

  /** Checks a path field: `path` accepts any JSONPath, `reference` only Reference Paths; null where AWS allows it. */
  private pathField(obj: JsonObject, field: string, location: string, kind: 'path' | 'reference', contextAllowed = false): void {
    if (!Object.hasOwn(obj, field)) return;
    const value = obj[field];
    const where = `${location}/${field}`;
    const nullable = field === 'InputPath' || field === 'OutputPath' || field === 'ResultPath';
    if (value === null && nullable) return;
    if (typeof value !== 'string') {
      this.schema(`The value for the field '${field}' must be a STRING`, where);
      return;
    }
    if (kind === 'path') {
      if (!isValidPath(value)) this.schema(`The value for the field '${field}' must be a valid JSONPath`, where);
      return;
    }
    const problem = referencePathProblem(value, { allowContext: contextAllowed || field !== 'ResultPath', allowVariables: field !== 'ResultPath' });
    if (problem !== undefined) this.schema(`The value for the field '${field}' must be a valid ReferencePath: ${problem}`, where);
  }

  /** `.$` fields of a payload template must hold a JSONPath or an intrinsic call, at any depth. */
  private payloadTemplate(template: Json, location: string, fieldName: string): void {
    if (Array.isArray(template)) {
      template.forEach((item) => this.payloadTemplate(item, location, fieldName));
      return;
    }
    if (!isJsonObject(template)) return;
    for (const [key, value] of Object.entries(template)) {
      if (!key.endsWith('.$')) {
        if (typeof value === 'string' && looksLikeDynamicValue(value)) {
          this.add('NO_DOLLAR', `The value for the field '${key}' looks like a JSONPath or an intrinsic function, but the field name does not end with '.$'`, location);
        }
        this.payloadTemplate(value, location, fieldName);
        continue;
      }
      if (typeof value !== 'string') {
        this.schema(`The value for the field '${key}' must be a STRING that contains a JSONPath`, location);
      } else if (looksLikeIntrinsic(value)) {
        this.intrinsic(value, key, location);
      } else if (!isValidPath(value)) {
        this.schema(`The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`, location);
      }
    }
  }

  private intrinsic(value: string, key: string, location: string): void {
    try {
      parseIntrinsic(value);
    } catch (err) {
      if (!(err instanceof IntrinsicSyntaxError)) throw err;
      this.schema(`The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`, location);
    }
  }

  /** Assign: variable names, and `.$` fields in JSONPath. */
  private assign(assign: Json | undefined, location: string, language: QueryLanguage): void {
    if (!isJsonObject(assign)) return;
    for (const key of Object.keys(assign)) {
      const name = language === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key;
      const problem = variableNameProblem(name);
      if (problem !== undefined) this.schema(problem, location);
    }
    if (language === 'JSONPath') this.payloadTemplate(assign, location, 'Assign');
  }

  /** Every `{% %}` string in the fields of a JSONata state must parse and must not read the context item. */
  private jsonataFields(state: JsonObject, location: string): void {
    const fields = [
      'Arguments', 'Output', 'Assign', 'Items', 'ItemSelector', 'Seconds', 'Timestamp', 'TimeoutSeconds', 'HeartbeatSeconds',
      'MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage', 'Error', 'Cause',
    ];
    for (const field of fields) this.jsonataValue(state[field], `${location}/${field}`);
    for (const list of ['Choices', 'Catch']) {
      const rules = state[list];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule, i) => {
        if (!isJsonObject(rule)) return;
        for (const field of ['Condition', 'Output', 'Assign']) this.jsonataValue(rule[field], `${location}/${list}[${i}]/${field}`);
      });
    }
  }

  private jsonataValue(value: Json | undefined, location: string): void {
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.jsonataValue(v, `${location}[${i}]`));
    } else if (isJsonObject(value)) {
      for (const [k, v] of Object.entries(value)) this.jsonataValue(v, `${location}/${k}`);
    } else if (isJsonataExpression(value)) {
      const problem = jsonataExpressionProblem(value);
      if (problem) this.add(problem.code, problem.message, location);
    }
  }

  private exclusive(obj: JsonObject, a: string, b: string, location: string): void {
    if (obj[a] !== undefined && obj[b] !== undefined) this.schema(`The fields '${a}' and '${b}' are mutually exclusive`, location);
  }

  private queryLanguage(obj: JsonObject, inherited: QueryLanguage, location: string): QueryLanguage {
    const value = obj.QueryLanguage;
    if (value === undefined) return inherited;
    if (value !== 'JSONPath' && value !== 'JSONata') {
      this.schema("The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]", `${location}/QueryLanguage`);
      return inherited;
    }
    if (inherited === 'JSONata' && value === 'JSONPath' && location !== '') {
      this.schema("A state cannot set 'QueryLanguage' to JSONPath when the state machine uses JSONata", `${location}/QueryLanguage`);
    }
    return value;
  }

  private unknownFields(obj: JsonObject, allowed: readonly string[], location: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.schema(`The field "${key}" is not supported by Step Functions`, location === '' ? '/' : location);
    }
  }

  private schema(message: string, location: string): void {
    this.add('SCHEMA_VALIDATION_FAILED', message, location);
  }

  private add(code: DiagnosticCode, message: string, location: string): void {
    this.diagnostics.push(diagnostic(code, message, location));
  }
}

/** Every state name a state can move to: Next, Default, the Choices' Next and the Catchers' Next. */
export function transitionsOf(state: JsonObject): string[] {
  const out: string[] = [];
  if (typeof state.Next === 'string') out.push(state.Next);
  if (typeof state.Default === 'string') out.push(state.Default);
  if (Array.isArray(state.Choices)) {
    for (const rule of state.Choices) if (isJsonObject(rule) && typeof rule.Next === 'string') out.push(rule.Next);
  }
  if (Array.isArray(state.Catch)) {
    for (const c of state.Catch) if (isJsonObject(c) && typeof c.Next === 'string') out.push(c.Next);
  }
  return out;
}

/** Why a state name is not allowed: names have 1 to 80 characters and no control characters. */
function stateNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'State names must not be empty';
  if (name.length > 80) return `State name "${name}" is longer than 80 characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return `State name "${name}" contains control characters`;
  return undefined;
}

function looksLikeDynamicValue(value: string): boolean {
  return value.startsWith('$.') || value.startsWith('$[') || value.startsWith('$$.') || /^States\.[A-Za-z0-9]+\(/.test(value);
}

function containsDynamicKey(value: Json | undefined): boolean {
  if (Array.isArray(value)) return value.some(containsDynamicKey);
  if (!isJsonObject(value)) return false;
  return Object.entries(value).some(([k, v]) => k.endsWith('.$') || containsDynamicKey(v));
}

function isNonNegativeInteger(v: Json | undefined): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isPositiveInteger(v: Json | undefined): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}
