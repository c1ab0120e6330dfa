// The interpreter: runs one execution of a state machine (JSONPath and JSONata states, workflow variables) on the injected clock and writes its history as
// Step Functions does (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html): each
// event has an id and the id of the event before it in the same thread (a Parallel branch or a Map iteration is a
// thread), and the first state's StateEntered points at 0, as AWS writes it.
import { randomUUID } from 'node:crypto';
import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { Clock, Timer } from '../../core/clock.js';
import type { Logger } from '../../core/logging.js';
import type { ServiceHost } from '../../core/provider.js';
import { evaluateChoiceRule, parseTimestamp, type ChoiceRule } from './asl/choice.js';
import { contextToJson, type ExecutionContext } from './asl/context-object.js';
import type {
  Branch,
  Catcher,
  JsonataChoiceRule,
  MapState,
  ParallelState,
  ItemProcessor,
  QueryLanguage,
  State,
  StateMachineDefinition,
  TaskState,
} from './asl/definition.js';
import { errorOutput, findCatcher, findRetrier, retryDelayMs } from './asl/error-handling.js';
import { StatesError, StatesErrors, inState, runtimeError } from './asl/errors.js';
import { evaluateIntrinsic, looksLikeIntrinsic } from './asl/intrinsics.js';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  evaluatePayloadTemplate,
  processInput,
  processOutput,
  type IoFields,
  type PathScope,
} from './asl/io.js';
import { isJsonObject, toJsonText, type Json, type JsonObject } from './asl/json.js';
import { expressionBody, type JsonataRuntime, type StatesBinding } from './asl/jsonata.js';
import { evaluatePath, type VariableLookup } from './asl/jsonpath.js';
import { assignedVariables, MAX_ASSIGN_BYTES, VariableScope } from './asl/variables.js';
import {
  invokeFunction,
  parseTaskResource,
  runServiceIntegration,
  type NestedExecutions,
  type TaskResource,
} from './integrations.js';
import type { MockedOutcome } from './mock-config.js';
import type { ExecutionRecord, ExecutionStatus, MapRunRecord, StepFunctionsStore } from './store.js';
import type { TaskOutcome, TaskTokens } from './tokens.js';

export interface EngineDeps {
  readonly clock: Clock;
  readonly host: ServiceHost;
  readonly tokens: TaskTokens;
  readonly store: StepFunctionsStore;
  readonly log: Logger;
  /** For FULL jitter and States.MathRandom; injectable so tests are deterministic. */
  readonly random: () => number;
  readonly jsonata: JsonataRuntime;
  readonly executions: NestedExecutions;
  /** Told when the execution starts and when it closes (EventBridge status-change events). */
  readonly statusChanged: (exec: ExecutionRecord) => void;
  /** Variables the execution starts with (TestState). */
  readonly initialVariables?: JsonObject;
  /** TestState's `context`: fields of the context object that replace the ones the run would have. */
  readonly contextOverride?: JsonObject;
  /** TestState: runs one state without waiting or retrying, and reports what happened. */
  readonly test?: TestObserver;
  /** Told of each history event as it is written (logging to CloudWatch Logs). */
  readonly onEvent?: (event: HistoryEvent) => void;
  /** Map Runs and their child executions (distributed Map); absent in TestState. */
  readonly mapRuns?: MapRuns;
}

/** What a distributed Map state needs of the provider. */
export interface MapRuns {
  start(
    parent: ExecutionRecord,
    label: string,
    settings: Pick<MapRunRecord, 'maxConcurrency' | 'toleratedFailurePercentage' | 'toleratedFailureCount' | 'itemTotal'>,
  ): MapRunRecord;
  startChild(
    run: MapRunRecord,
    parent: ExecutionRecord,
    label: string,
    definition: StateMachineDefinition,
    type: 'STANDARD' | 'EXPRESS',
    input: Json,
    items: number,
  ): ExecutionRecord;
}

/** ItemBatcher, evaluated. */
interface Batching {
  readonly maxItems: number | undefined;
  readonly maxBytes: number | undefined;
  readonly batchInput: Json | undefined;
}

interface ToleranceSettings {
  readonly count: number | undefined;
  readonly percentage: number | undefined;
}

/** What TestState learns from the engine. */
export interface TestObserver {
  /** A retrier matched with attempts left: TestState answers RETRIABLE instead of waiting. */
  retriable(err: StatesError, retryIndex: number, delaySeconds: number): void;
  caught(err: StatesError, catchIndex: number): void;
  /** The variables after the state assigned its own. */
  exited(variables: JsonObject): void;
  /** The tested state is done; `next` is the state it would move to. */
  finished(next: string | undefined): void;
}

/** Ends a TestState run at a retry. */
export class RetryInTest extends Error {
  constructor() {
    super('retry');
    this.name = 'RetryInTest';
  }
}

type Details = Omit<HistoryEvent, 'timestamp' | 'type' | 'id' | 'previousEventId'>;

/** The last event of one thread of the execution. */
interface Cursor {
  last: number;
}

/** What a state produces: its output and the variables it assigns. */
interface Outcome {
  readonly output: Json;
  readonly assigned?: JsonObject;
}

interface JsonataStateRun {
  readonly name: string;
  readonly state: State;
  readonly input: Json;
  readonly cursor: Cursor;
  readonly signal: AbortSignal;
  readonly item: MapItem | undefined;
  readonly vars: VariableScope;
  readonly enteredTime: string;
  readonly exit: (outcome: Outcome, next: string | undefined) => StateResult;
  readonly located: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly next: string | undefined;
}

interface StateResult {
  readonly output: Json;
  readonly next: string | undefined;
}

interface MapItem {
  readonly Index: number;
  readonly Value: Json;
}

/** Unwinds a thread whose execution closed (stopped, timed out) or whose sibling branch failed. */
class Unwind extends Error {
  constructor() {
    super('unwind');
    this.name = 'Unwind';
  }
}

interface Timeouts {
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
}

const NO_TRUNCATION = { truncated: false } as const;
/** The payload quota of states and tasks: 256 KiB (Step Functions service quotas); more is States.DataLimitExceeded. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

export class ExecutionEngine {
  private readonly controller = new AbortController();
  /**
   * The branches or iterations of each Parallel and inline Map state (outside Map iterations, where names repeat) that
   * succeeded in its latest attempt: a redrive re-runs only the others, as AWS does.
   */
  private readonly succeeded = new Map<string, Map<number, Json>>();
  /** The state a redrive resumes, and what of it already succeeded; used once, when that state starts. */
  private redrive: { readonly state: string; readonly completed: ReadonlyMap<number, Json> } | undefined;
  private closed = false;
  private timeoutTimer: Timer | undefined;
  private readonly context: ExecutionContext;

  constructor(
    private readonly exec: ExecutionRecord,
    private readonly deps: EngineDeps,
    private readonly onClose: () => void,
  ) {
    this.context = {
      Id: exec.arn,
      Input: JSON.parse(exec.input) as Json,
      Name: exec.name,
      RoleArn: exec.machine.roleArn,
      StartTime: exec.startDate.toISOString(),
      RedriveCount: exec.redriveCount,
      ...(exec.redriveDate ? { RedriveTime: exec.redriveDate.toISOString() } : {}),
    };
  }

  start(): void {
    this.exec.stop = (error, cause) => this.abort(error, cause);
    this.deps.statusChanged(this.exec);
    this.run().catch((err: unknown) => this.deps.log.error(`stepfunctions: execution ${this.exec.arn} crashed`, err));
  }

  // ---- the execution ----

  private async run(): Promise<void> {
    const machine = this.exec.machine;
    const resume = this.exec.resumeFrom;
    this.exec.resumeFrom = undefined;
    this.redrive = resume?.completed ? { state: resume.state, completed: resume.completed } : undefined;
    const cursor: Cursor = { last: this.exec.history.length };
    if (resume) {
      this.emit(cursor, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: this.exec.redriveCount } });
    } else {
      this.emit(undefined, 'ExecutionStarted', {
        executionStartedEventDetails: { input: this.exec.input, inputDetails: NO_TRUNCATION, roleArn: machine.roleArn },
      });
      cursor.last = 0;
    }
    const timeout = machine.parsed.TimeoutSeconds;
    if (typeof timeout === 'number' && timeout > 0) {
      this.timeoutTimer = this.deps.clock.setTimer(timeout * 1000, () => this.timeOut());
    }
    const vars = new VariableScope();
    if (resume) vars.assign(resume.variables);
    else if (this.deps.initialVariables) vars.assign(this.deps.initialVariables);
    try {
      const output = await this.runBranch(
        machine.parsed,
        resume ? resume.input : this.context.Input,
        cursor,
        this.controller.signal,
        undefined,
        vars,
        'JSONPath',
        resume?.state,
      );
      const text = toJsonText(output);
      this.emit(cursor, 'ExecutionSucceeded', {
        executionSucceededEventDetails: { output: text, outputDetails: NO_TRUNCATION },
      });
      this.close('SUCCEEDED', { output: text });
    } catch (err) {
      if (this.closed) return;
      if (err instanceof RetryInTest) {
        this.close('FAILED', {});
        return;
      }
      const failure =
        err instanceof StatesError ? err : new StatesError(StatesErrors.Runtime, `Internal error: ${String(err)}`);
      if (!(err instanceof StatesError)) this.deps.log.error(`stepfunctions: execution ${this.exec.arn}`, err);
      const fields = failureFields(failure);
      this.emit(cursor, 'ExecutionFailed', { executionFailedEventDetails: fields });
      this.close('FAILED', fields);
    }
  }

  private abort(error: string | undefined, cause: string | undefined): void {
    if (this.closed) return;
    const fields = { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
    this.emit({ last: this.exec.history.length }, 'ExecutionAborted', { executionAbortedEventDetails: fields });
    this.close('ABORTED', fields);
  }

  private timeOut(): void {
    if (this.closed) return;
    const fields = { error: StatesErrors.Timeout, cause: 'The execution timed out.' };
    this.emit({ last: this.exec.history.length }, 'ExecutionTimedOut', { executionTimedOutEventDetails: fields });
    this.close('TIMED_OUT', fields);
  }

  private close(status: ExecutionStatus, fields: { output?: string; error?: string; cause?: string }): void {
    this.closed = true;
    this.exec.status = status;
    this.exec.stopDate = new Date(this.deps.clock.now());
    if (fields.output !== undefined) this.exec.output = fields.output;
    if (fields.error !== undefined) this.exec.error = fields.error;
    if (fields.cause !== undefined) this.exec.cause = fields.cause;
    this.exec.stop = undefined;
    this.timeoutTimer?.cancel();
    this.controller.abort(new Unwind());
    this.onClose();
    this.deps.statusChanged(this.exec);
  }

  /** Appends an event; a closed execution takes no more events, and the thread that tried unwinds. */
  private emit(cursor: Cursor | undefined, type: HistoryEventType, details: Details): number {
    if (this.closed) throw new Unwind();
    const id = this.exec.history.length + 1;
    const event: HistoryEvent = {
      timestamp: new Date(this.deps.clock.now()),
      type,
      id,
      previousEventId: cursor?.last ?? 0,
      ...details,
    };
    this.exec.history.push(event);
    this.deps.onEvent?.(event);
    if (cursor) cursor.last = id;
    return id;
  }

  // ---- states ----

  private async runBranch(
    branch: Branch,
    input: Json,
    cursor: Cursor,
    signal: AbortSignal,
    item: MapItem | undefined,
    vars: VariableScope,
    inherited: QueryLanguage,
    startAt?: string,
  ): Promise<Json> {
    const language = branch.QueryLanguage ?? inherited;
    const topLevel = branch === this.exec.machine.parsed;
    let name = startAt ?? branch.StartAt;
    let data = input;
    for (;;) {
      if (signal.aborted) throw new Unwind();
      const state = branch.States[name];
      if (!state) throw runtimeError(`The state '${name}' does not exist`);
      let result: StateResult;
      try {
        result = await this.runState(name, state, data, cursor, signal, item, vars, state.QueryLanguage ?? language);
      } catch (err) {
        // A redrive starts again at the top-level state that did not succeed, with its input and variables.
        if (topLevel) {
          const completed = this.succeeded.get(name);
          this.exec.resumeFrom = { state: name, input: data, variables: vars.all(), ...(completed ? { completed } : {}) };
        }
        throw err;
      }
      if (topLevel && this.deps.test) {
        this.deps.test.finished(result.next);
        return result.output;
      }
      if (result.next === undefined) return result.output;
      name = result.next;
      data = result.output;
    }
  }

  private async runState(
    name: string,
    state: State,
    input: Json,
    cursor: Cursor,
    signal: AbortSignal,
    item: MapItem | undefined,
    vars: VariableScope,
    language: QueryLanguage,
  ): Promise<StateResult> {
    const type = state.Type;
    const enteredId = this.emit(cursor, `${type}StateEntered` as HistoryEventType, {
      stateEnteredEventDetails: { name, input: toJsonText(input), inputDetails: NO_TRUNCATION },
    });
    const enteredTime = new Date(this.deps.clock.now()).toISOString();
    const lookup = (n: string): Json | undefined => vars.get(n);
    const scopeFor = (retryCount: number, token?: string): PathScope => this.scope(name, enteredTime, retryCount, item, token, lookup);
    const exit = (outcome: Outcome, next: string | undefined): StateResult => {
      const text = toJsonText(outcome.output);
      if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
        throw new StatesError(
          StatesErrors.DataLimitExceeded,
          `The state '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
        );
      }
      const assigned = outcome.assigned;
      if (assigned !== undefined && Buffer.byteLength(toJsonText(assigned)) > MAX_ASSIGN_BYTES) {
        throw inState(
          new StatesError(StatesErrors.DataLimitExceeded, `The variables assigned by the state '${name}' exceed the maximum size of 262144 bytes.`),
          name,
          enteredId,
        );
      }
      this.emit(cursor, `${type}StateExited` as HistoryEventType, {
        stateExitedEventDetails: {
          name,
          output: text,
          outputDetails: NO_TRUNCATION,
          ...(assigned !== undefined ? { assignedVariables: assignedVariables(assigned), assignedVariablesDetails: NO_TRUNCATION } : {}),
        },
      });
      if (assigned !== undefined) vars.assign(assigned);
      this.deps.test?.exited(vars.all());
      return { output: outcome.output, next };
    };
    const located = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (err) {
        throw err instanceof StatesError ? inState(err, name, enteredId) : err;
      }
    };
    const locatedAsync = async <T>(fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        throw err instanceof StatesError ? inState(err, name, enteredId) : err;
      }
    };
    const next = state.Type === 'Choice' || state.Type === 'Succeed' || state.Type === 'Fail' ? undefined : state.End === true ? undefined : state.Next;
    if (language === 'JSONata') {
      return this.runJsonataState({ name, state, input, cursor, signal, item, vars, enteredTime, exit, located: locatedAsync, next });
    }
    /** JSONPath Assign: `.$` fields read `$` (the state's result), `$$` and variables. */
    const assign = (template: JsonObject | undefined, data: Json, scope: PathScope): JsonObject | undefined =>
      template === undefined ? undefined : (evaluatePayloadTemplate(template, data, scope) as JsonObject);
    const catchOutput = async (catcher: Catcher, err: StatesError): Promise<Outcome> =>
      located(() => {
        const errOut = errorOutput(err.error, err.cause);
        const scope = scopeFor(0);
        return { output: applyResultPath(input, catcher.ResultPath, errOut), assigned: assign(catcher.Assign, errOut, scope) };
      });

    switch (state.Type) {
      case 'Pass': {
        const outcome = located((): Outcome => {
          const scope = scopeFor(0);
          const effective = processInput(state, input, scope);
          const result = state.Result !== undefined ? state.Result : effective;
          return {
            output: processOutput({ ResultPath: state.ResultPath, OutputPath: state.OutputPath }, input, result, scope),
            assigned: assign(state.Assign, result, scope),
          };
        });
        return exit(outcome, next);
      }
      case 'Succeed': {
        const output = located(() => {
          const scope = scopeFor(0);
          return applyOutputPath(state.OutputPath, applyInputPath(state.InputPath, input, scope), scope);
        });
        return exit({ output }, undefined);
      }
      case 'Choice': {
        const scope = scopeFor(0);
        const { outcome, target } = located(() => {
          const effective = applyInputPath(state.InputPath, input, scope);
          const rules = state.Choices as readonly ChoiceRule[];
          const index = rules.findIndex((rule) => evaluateChoiceRule(rule, effective, scope.context ?? null, lookup));
          const chosen = index >= 0 ? (rules[index] as ChoiceRule).Next : state.Default;
          if (chosen === undefined) throw new StatesError(StatesErrors.NoChoiceMatched, 'No Matches!');
          const ruleAssign = index >= 0 ? ((rules[index] as ChoiceRule).Assign as JsonObject | undefined) : undefined;
          return {
            outcome: { output: applyOutputPath(state.OutputPath, effective, scope), assigned: assign(ruleAssign ?? state.Assign, effective, scope) },
            target: chosen,
          };
        });
        return exit(outcome, target);
      }
      case 'Wait': {
        const scope = scopeFor(0);
        const effective = located(() => applyInputPath(state.InputPath, input, scope));
        const ms = located(() => this.waitMs(state, effective, scope));
        if (!this.deps.test) await this.sleep(ms, signal);
        return exit(located(() => ({ output: applyOutputPath(state.OutputPath, effective, scope), assigned: assign(state.Assign, effective, scope) })), next);
      }
      case 'Fail': {
        const scope = scopeFor(0);
        const error = located(() => state.Error ?? this.stringField(state.ErrorPath, 'ErrorPath', input, scope));
        const cause = located(() => state.Cause ?? this.stringField(state.CausePath, 'CausePath', input, scope));
        throw new StatesError(error ?? '', cause ?? '');
      }
      case 'Task':
        return this.withErrorHandling(state, signal, exit, next, catchOutput, async (retryCount) => {
          const resource = parseTaskResource(state.Resource);
          const token = this.tokenFor(resource);
          const scope = scopeFor(retryCount, token);
          const effective = located(() => processInput(state, input, scope));
          const timeouts = located(() => this.taskTimeouts(state, input, scope));
          const result = await this.invoke(name, resource, effective, token, timeouts, cursor, signal);
          return located(() => this.jsonPathOutput(state, input, result, scope));
        });
      case 'Parallel':
        return this.withErrorHandling(state, signal, exit, next, catchOutput, async (retryCount) => {
          const scope = scopeFor(retryCount);
          const effective = located(() => processInput(state, input, scope));
          const results = await this.runParallel(state, effective, cursor, signal, item, vars, language, name);
          return located(() => this.jsonPathOutput({ ...state, Parameters: undefined }, input, results, scope));
        });
      case 'Map':
        return this.withErrorHandling(state, signal, exit, next, catchOutput, async (retryCount) => {
          const scope = this.scope(name, enteredTime, retryCount, undefined, undefined, lookup);
          const effective = located(() => applyInputPath(state.InputPath, input, scope));
          const items = located(() => {
            let value: Json = effective;
            if (state.ItemsPath !== undefined) {
              const found = evaluatePath(state.ItemsPath, effective, scope.context ?? null, lookup);
              if (!found.found) throw runtimeError(`Invalid path '${state.ItemsPath}' : ${found.reason}`);
              value = found.value;
            }
            if (!Array.isArray(value)) throw runtimeError(`Map state input must be an array but was: ${toJsonText(value)}`);
            return value;
          });
          const concurrency = located(() => this.maxConcurrency(state, effective, scope));
          const tolerance = located(() => this.tolerance(state, effective, scope));
          const selector = state.ItemSelector ?? state.Parameters;
          const results = await this.runMap(
            name,
            state,
            items,
            concurrency,
            tolerance,
            cursor,
            signal,
            vars,
            language,
            async (mapItem) =>
              selector === undefined
                ? mapItem.Value
                : located(() => evaluatePayloadTemplate(selector, effective, this.scope(name, enteredTime, retryCount, mapItem, undefined, lookup))),
            async () => located(() => this.batchingJsonPath(state, effective, scope)),
          );
          return located(() => this.jsonPathOutput({ ...state, Parameters: undefined }, input, results, scope));
        });
    }
  }

  private tokenFor(resource: TaskResource): string | undefined {
    return resource.kind === 'activity' || (resource.kind === 'service' && resource.pattern === 'waitForTaskToken')
      ? this.deps.tokens.issue()
      : undefined;
  }

  /** ResultSelector, then Assign (reading the selected result), ResultPath and OutputPath. */
  private jsonPathOutput(state: IoFields & { Assign?: JsonObject }, input: Json, result: Json, scope: PathScope): Outcome {
    const selected = state.ResultSelector === undefined ? result : evaluatePayloadTemplate(state.ResultSelector, result, scope);
    const assigned = state.Assign === undefined ? undefined : (evaluatePayloadTemplate(state.Assign, selected, scope) as JsonObject);
    const output = applyOutputPath(state.OutputPath, applyResultPath(input, state.ResultPath, selected), scope);
    return { output, ...(assigned !== undefined ? { assigned } : {}) };
  }

  // ---- JSONata states ----

  private async runJsonataState(s: JsonataStateRun): Promise<StateResult> {
    const { name, state, input, cursor, signal, item, vars, enteredTime, exit, located, next } = s;
    const jsonata = this.deps.jsonata;
    const variables = vars.all();
    const contextFor = (retryCount: number, token?: string, mapItem?: MapItem): Json =>
      this.scope(name, enteredTime, retryCount, mapItem ?? item, token).context ?? null;
    const base: StatesBinding = { input, context: contextFor(0) };
    const evaluate = (value: Json, field: string, states: StatesBinding = base): Promise<Json> =>
      jsonata.template(value, field, states, variables);
    /** Output (default: the result, or the input) and Assign, with `$states.result` set when there is one. */
    const finish = async (
      fields: { Output?: Json; Assign?: JsonObject },
      states: StatesBinding,
      fallback: Json,
      prefix = '',
    ): Promise<Outcome> => {
      const output = fields.Output === undefined ? fallback : await evaluate(fields.Output, `${prefix}Output`, states);
      if (fields.Assign === undefined) return { output };
      const assigned = (await evaluate(fields.Assign, `${prefix}Assign`, states)) as JsonObject;
      return { output, assigned };
    };
    const catchOutput = async (catcher: Catcher, err: StatesError): Promise<Outcome> => {
      const index = (state as { Catch?: readonly Catcher[] }).Catch?.indexOf(catcher) ?? 0;
      const errOut = errorOutput(err.error, err.cause);
      return located(() => finish(catcher, { ...base, errorOutput: errOut }, errOut, `Catch[${index}]/`));
    };
    const number = async (value: number | string | undefined, field: string, states: StatesBinding, check: (n: number) => boolean, what: string): Promise<number | undefined> => {
      if (value === undefined) return undefined;
      if (typeof value === 'number') return value;
      const v = await evaluate(value, field, states);
      if (typeof v !== 'number' || !check(v)) {
        throw new StatesError(StatesErrors.QueryEvaluationError, `The JSONata expression '${expressionBody(value)}' specified for the field '${field}' must evaluate to ${what}, but returned ${toJsonText(v)}.`);
      }
      return v;
    };
    const nonNegative = (n: number): boolean => Number.isInteger(n) && n >= 0;

    switch (state.Type) {
      case 'Pass':
        return exit(await located(() => finish(state, base, input)), next);
      case 'Succeed':
        return exit(await located(() => finish(state, base, input)), undefined);
      case 'Fail': {
        const text = async (value: string | undefined, field: string): Promise<string> => {
          if (value === undefined) return '';
          const v = await evaluate(value, field);
          if (typeof v !== 'string') {
            throw new StatesError(StatesErrors.QueryEvaluationError, `The JSONata expression '${expressionBody(value)}' specified for the field '${field}' must evaluate to a string, but returned ${toJsonText(v)}.`);
          }
          return v;
        };
        const error = await located(() => text(state.Error, 'Error'));
        const cause = await located(() => text(state.Cause, 'Cause'));
        throw new StatesError(error, cause);
      }
      case 'Wait': {
        const ms = await located(async () => {
          const seconds = await number(state.Seconds, 'Seconds', base, nonNegative, 'a non-negative integer');
          if (seconds !== undefined) return seconds * 1000;
          if (state.Timestamp === undefined) return 0;
          const ts = await evaluate(state.Timestamp, 'Timestamp');
          const nanos = typeof ts === 'string' ? parseTimestamp(ts) : undefined;
          if (nanos === undefined) {
            throw new StatesError(StatesErrors.QueryEvaluationError, `The field 'Timestamp' must be an ISO-8601 extended offset date-time string, but was ${toJsonText(ts)}.`);
          }
          return Math.max(0, Number(nanos / 1_000_000n) - this.deps.clock.now());
        });
        if (!this.deps.test) await this.sleep(ms, signal);
        return exit(await located(() => finish(state, base, input)), next);
      }
      case 'Choice': {
        const { outcome, target } = await located(async () => {
          const rules = state.Choices as readonly JsonataChoiceRule[];
          for (let i = 0; i < rules.length; i++) {
            const rule = rules[i] as JsonataChoiceRule;
            const condition: Json = typeof rule.Condition === 'boolean' ? rule.Condition : await evaluate(rule.Condition, `Choices[${i}]/Condition`);
            if (typeof condition !== 'boolean') {
              throw new StatesError(
                StatesErrors.QueryEvaluationError,
                `The JSONata expression '${expressionBody(String(rule.Condition))}' specified for the field 'Choices[${i}]/Condition' must evaluate to a boolean, but returned ${toJsonText(condition)}.`,
              );
            }
            if (!condition) continue;
            const output = rule.Output !== undefined ? await evaluate(rule.Output, `Choices[${i}]/Output`) : state.Output !== undefined ? await evaluate(state.Output, 'Output') : input;
            const assignFrom = rule.Assign !== undefined ? { t: rule.Assign, f: `Choices[${i}]/Assign` } : state.Assign !== undefined ? { t: state.Assign, f: 'Assign' } : undefined;
            const assigned = assignFrom ? ((await evaluate(assignFrom.t, assignFrom.f)) as JsonObject) : undefined;
            return { outcome: { output, ...(assigned !== undefined ? { assigned } : {}) }, target: rule.Next };
          }
          if (state.Default === undefined) throw new StatesError(StatesErrors.NoChoiceMatched, 'No Matches!');
          return { outcome: await finish(state, base, input), target: state.Default };
        });
        return exit(outcome, target);
      }
      case 'Task':
        return this.withErrorHandling(state, signal, exit, next, catchOutput, async (retryCount) => {
          const resource = parseTaskResource(state.Resource);
          const token = this.tokenFor(resource);
          const states: StatesBinding = { input, context: contextFor(retryCount, token) };
          const effective = state.Arguments === undefined ? input : await located(() => evaluate(state.Arguments as Json, 'Arguments', states));
          const positive = (n: number): boolean => Number.isInteger(n) && n > 0;
          const timeoutSeconds = await located(() => number(state.TimeoutSeconds, 'TimeoutSeconds', states, positive, 'a positive integer'));
          const heartbeatSeconds = await located(() => number(state.HeartbeatSeconds, 'HeartbeatSeconds', states, positive, 'a positive integer'));
          const timeouts: Timeouts = {
            ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
            ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
          };
          const result = await this.invoke(name, resource, effective, token, timeouts, cursor, signal);
          return located(() => finish(state, { ...states, result }, result));
        });
      case 'Parallel':
        return this.withErrorHandling(state, signal, exit, next, catchOutput, async (retryCount) => {
          const states: StatesBinding = { input, context: contextFor(retryCount) };
          const effective = state.Arguments === undefined ? input : await located(() => evaluate(state.Arguments as Json, 'Arguments', states));
          const results = await this.runParallel(state, effective, cursor, signal, item, vars, 'JSONata', name);
          return located(() => finish(state, { ...states, result: results }, results));
        });
      case 'Map':
        return this.withErrorHandling(state, signal, exit, next, catchOutput, async (retryCount) => {
          const states: StatesBinding = { input, context: contextFor(retryCount) };
          const items = await located(async () => {
            const value = state.Items === undefined ? input : await evaluate(state.Items, 'Items', states);
            if (!Array.isArray(value)) {
              throw new StatesError(StatesErrors.QueryEvaluationError, `The field 'Items' must evaluate to a JSON array, but was ${toJsonText(value)}.`);
            }
            return value;
          });
          const concurrency = (await located(() => number(state.MaxConcurrency, 'MaxConcurrency', states, nonNegative, 'a non-negative integer'))) ?? 0;
          const count = await located(() => number(state.ToleratedFailureCount, 'ToleratedFailureCount', states, nonNegative, 'a non-negative integer'));
          const percentage = await located(() =>
            number(state.ToleratedFailurePercentage, 'ToleratedFailurePercentage', states, (n) => n >= 0 && n <= 100, 'a number between 0 and 100'),
          );
          const tolerance: ToleranceSettings = { count, percentage };
          const positive = (n: number): boolean => Number.isInteger(n) && n > 0;
          const batcher = state.ItemBatcher;
          const results = await this.runMap(
            name,
            state,
            items,
            concurrency,
            tolerance,
            cursor,
            signal,
            vars,
            'JSONata',
            async (mapItem) =>
              state.ItemSelector === undefined
                ? mapItem.Value
                : located(() => evaluate(state.ItemSelector as Json, 'ItemSelector', { input, context: contextFor(retryCount, undefined, mapItem) })),
            async () =>
              batcher === undefined
                ? undefined
                : located(async () => ({
                    maxItems: await number(batcher.MaxItemsPerBatch as number | string | undefined, 'MaxItemsPerBatch', states, positive, 'a positive integer'),
                    maxBytes: await number(batcher.MaxInputBytesPerBatch as number | string | undefined, 'MaxInputBytesPerBatch', states, positive, 'a positive integer'),
                    batchInput: batcher.BatchInput === undefined ? undefined : await evaluate(batcher.BatchInput, 'BatchInput', states),
                  })),
          );
          return located(() => finish(state, { ...states, result: results }, results));
        });
    }
  }

  /** Retry, then Catch, around the attempts of a Task, Parallel or Map state. */
  private async withErrorHandling(
    state: TaskState | ParallelState | MapState,
    signal: AbortSignal,
    exit: (outcome: Outcome, next: string | undefined) => StateResult,
    next: string | undefined,
    catchOutput: (catcher: Catcher, err: StatesError) => Promise<Outcome>,
    attempt: (retryCount: number) => Promise<Outcome>,
  ): Promise<StateResult> {
    const used = new Map<number, number>();
    let retryCount = 0;
    for (;;) {
      try {
        const outcome = await attempt(retryCount);
        return exit(outcome, next);
      } catch (err) {
        if (!(err instanceof StatesError) || signal.aborted) throw err;
        const match = findRetrier(state.Retry, err.error);
        if (match) {
          const n = used.get(match.index) ?? 0;
          const delay = retryDelayMs(match.retrier, n, this.deps.random);
          if (delay !== undefined && this.deps.test) {
            this.deps.test.retriable(err, match.index, delay / 1000);
            throw new RetryInTest();
          }
          if (delay !== undefined) {
            used.set(match.index, n + 1);
            retryCount++;
            await this.sleep(delay, signal);
            continue;
          }
        }
        const catcher = findCatcher(state.Catch, err.error);
        if (!catcher) throw err;
        this.deps.test?.caught(err, state.Catch?.indexOf(catcher) ?? 0);
        return exit(await catchOutput(catcher, err), catcher.Next);
      }
    }
  }

  private waitMs(
    state: { Seconds?: number | string; Timestamp?: string; SecondsPath?: string; TimestampPath?: string },
    effective: Json,
    scope: PathScope,
  ): number {
    const now = this.deps.clock.now();
    const untilTimestamp = (text: Json | undefined, field: string): number => {
      const nanos = typeof text === 'string' ? parseTimestamp(text) : undefined;
      if (nanos === undefined) {
        throw runtimeError(`The ${field} parameter does not reference a valid ISO-8601 extended offset date-time format string: ${toJsonText(text ?? null)}`);
      }
      return Math.max(0, Number(nanos / 1_000_000n) - now);
    };
    if (state.Seconds !== undefined) return Number(state.Seconds) * 1000;
    if (state.Timestamp !== undefined) return untilTimestamp(state.Timestamp, 'Timestamp');
    if (state.SecondsPath !== undefined) {
      const found = evaluatePath(state.SecondsPath, effective, scope.context ?? null, scope.env?.variables);
      if (!found.found) throw runtimeError(`Invalid path '${state.SecondsPath}' : ${found.reason}`);
      const v = found.value;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw runtimeError(`The SecondsPath parameter does not reference a non-negative integer value: ${toJsonText(v)}`);
      }
      return v * 1000;
    }
    if (state.TimestampPath !== undefined) {
      const found = evaluatePath(state.TimestampPath, effective, scope.context ?? null, scope.env?.variables);
      if (!found.found) throw runtimeError(`Invalid path '${state.TimestampPath}' : ${found.reason}`);
      return untilTimestamp(found.value, 'TimestampPath');
    }
    return 0;
  }

  /** ErrorPath and CausePath: a path or an intrinsic that gives a string. */
  private stringField(expression: string | undefined, field: string, input: Json, scope: PathScope): string | undefined {
    if (expression === undefined) return undefined;
    let value: Json;
    if (looksLikeIntrinsic(expression)) {
      value = evaluateIntrinsic(expression, input, scope.context ?? null, scope.env ?? {}, field);
    } else {
      const found = evaluatePath(expression, input, scope.context ?? null, scope.env?.variables);
      if (!found.found) throw runtimeError(`Invalid path '${expression}' : ${found.reason}`);
      value = found.value;
    }
    if (typeof value !== 'string') {
      throw runtimeError(`The ${field} '${expression}' resolved to a value that is not a string: ${toJsonText(value)}`);
    }
    return value;
  }

  // ---- Task ----

  private taskTimeouts(state: TaskState, input: Json, scope: PathScope): Timeouts {
    const read = (value: number | string | undefined, path: string | undefined, field: string): number | undefined => {
      if (value !== undefined) return Number(value);
      if (path === undefined) return undefined;
      const found = evaluatePath(path, input, scope.context ?? null, scope.env?.variables);
      if (!found.found) throw runtimeError(`Invalid path '${path}' : ${found.reason}`);
      if (typeof found.value !== 'number' || !Number.isInteger(found.value) || found.value <= 0) {
        throw runtimeError(`The ${field} '${path}' does not reference a positive integer: ${toJsonText(found.value)}`);
      }
      return found.value;
    };
    const timeoutSeconds = read(state.TimeoutSeconds, state.TimeoutSecondsPath, 'TimeoutSecondsPath');
    const heartbeatSeconds = read(state.HeartbeatSeconds, state.HeartbeatSecondsPath, 'HeartbeatSecondsPath');
    return {
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
    };
  }

  private async invoke(
    stateName: string,
    resource: TaskResource,
    effective: Json,
    token: string | undefined,
    timeouts: Timeouts,
    cursor: Cursor,
    signal: AbortSignal,
  ): Promise<Json> {
    const mocked = this.exec.mock?.next(stateName);
    if (mocked) {
      if (token !== undefined) this.deps.tokens.close(token);
      return this.runMocked(resource, mocked, effective, timeouts, cursor);
    }
    if (resource.kind === 'activity') return this.runActivity(resource.arn, effective, token as string, timeouts, cursor, signal);
    if (resource.kind === 'function') return this.runFunction(resource.arn, effective, timeouts, cursor, signal);
    const { resourceType, resource: name } = resource;
    const machineRegion = this.deps.store.region;
    this.emit(cursor, 'TaskScheduled', {
      taskScheduledEventDetails: {
        resourceType,
        resource: name,
        region: machineRegion,
        parameters: toJsonText(effective),
        ...(timeouts.timeoutSeconds !== undefined ? { timeoutInSeconds: timeouts.timeoutSeconds } : {}),
        ...(timeouts.heartbeatSeconds !== undefined ? { heartbeatInSeconds: timeouts.heartbeatSeconds } : {}),
      },
    });
    this.emit(cursor, 'TaskStarted', { taskStartedEventDetails: { resourceType, resource: name } });
    const failed = (err: StatesError): never => {
      this.emit(cursor, 'TaskFailed', { taskFailedEventDetails: { resourceType, resource: name, ...failureFields(err) } });
      throw err;
    };
    let started: Json;
    try {
      started = await this.underTimeout(
        runServiceIntegration(resource, effective, {
          host: this.deps.host,
          account: this.deps.store.account,
          region: this.deps.store.region,
          executions: this.deps.executions,
          signal,
        }),
        resource.pattern === 'waitForTaskToken' ? {} : timeouts,
        signal,
      );
    } catch (err) {
      if (err instanceof StatesError && err.error === StatesErrors.Timeout && resource.pattern !== 'waitForTaskToken') {
        this.emit(cursor, 'TaskTimedOut', { taskTimedOutEventDetails: { resourceType, resource: name, ...failureFields(err) } });
        throw err;
      }
      if (err instanceof StatesError) return failed(err);
      throw err;
    }
    if (resource.pattern !== 'waitForTaskToken') {
      const output = toJsonText(started);
      this.emit(cursor, 'TaskSucceeded', {
        taskSucceededEventDetails: { resourceType, resource: name, output, outputDetails: NO_TRUNCATION },
      });
      return started;
    }
    this.emit(cursor, 'TaskSubmitted', {
      taskSubmittedEventDetails: { resourceType, resource: name, output: toJsonText(started), outputDetails: NO_TRUNCATION },
    });
    let outcome: TaskOutcome;
    try {
      outcome = await this.waitForToken(token as string, timeouts, signal, true).promise;
    } catch (err) {
      if (err instanceof StatesError) {
        this.emit(cursor, 'TaskTimedOut', { taskTimedOutEventDetails: { resourceType, resource: name, ...failureFields(err) } });
      }
      throw err;
    }
    if (!outcome.ok) return failed(new StatesError(outcome.error ?? '', outcome.cause ?? ''));
    this.emit(cursor, 'TaskSucceeded', {
      taskSucceededEventDetails: { resourceType, resource: name, output: outcome.output, outputDetails: NO_TRUNCATION },
    });
    return JSON.parse(outcome.output) as Json;
  }

  /** A Task of a Step Functions Local test case: the history of a call, with the mocked answer instead of the service's. */
  private runMocked(resource: TaskResource, mocked: MockedOutcome, effective: Json, timeouts: Timeouts, cursor: Cursor): Json {
    const failure = mocked.kind === 'throw' ? new StatesError(mocked.error, mocked.cause) : undefined;
    const output = mocked.kind === 'return' ? mocked.value : null;
    if (resource.kind === 'function') {
      this.emit(cursor, 'LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: { resource: resource.arn, input: toJsonText(effective), inputDetails: NO_TRUNCATION },
      });
      this.emit(cursor, 'LambdaFunctionStarted', {});
      if (failure) {
        this.emit(cursor, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: failureFields(failure) });
        throw failure;
      }
      this.emit(cursor, 'LambdaFunctionSucceeded', {
        lambdaFunctionSucceededEventDetails: { output: toJsonText(output), outputDetails: NO_TRUNCATION },
      });
      return output;
    }
    const resourceType = resource.kind === 'activity' ? 'activity' : resource.resourceType;
    const name = resource.kind === 'activity' ? resource.arn : resource.resource;
    this.emit(cursor, 'TaskScheduled', {
      taskScheduledEventDetails: {
        resourceType,
        resource: name,
        region: this.deps.store.region,
        parameters: toJsonText(effective),
        ...(timeouts.timeoutSeconds !== undefined ? { timeoutInSeconds: timeouts.timeoutSeconds } : {}),
        ...(timeouts.heartbeatSeconds !== undefined ? { heartbeatInSeconds: timeouts.heartbeatSeconds } : {}),
      },
    });
    this.emit(cursor, 'TaskStarted', { taskStartedEventDetails: { resourceType, resource: name } });
    if (failure) {
      this.emit(cursor, 'TaskFailed', { taskFailedEventDetails: { resourceType, resource: name, ...failureFields(failure) } });
      throw failure;
    }
    this.emit(cursor, 'TaskSucceeded', {
      taskSucceededEventDetails: { resourceType, resource: name, output: toJsonText(output), outputDetails: NO_TRUNCATION },
    });
    return output;
  }

  private async runFunction(arn: string, effective: Json, timeouts: Timeouts, cursor: Cursor, signal: AbortSignal): Promise<Json> {
    this.emit(cursor, 'LambdaFunctionScheduled', {
      lambdaFunctionScheduledEventDetails: {
        resource: arn,
        input: toJsonText(effective),
        inputDetails: NO_TRUNCATION,
        ...(timeouts.timeoutSeconds !== undefined ? { timeoutInSeconds: timeouts.timeoutSeconds } : {}),
      },
    });
    this.emit(cursor, 'LambdaFunctionStarted', {});
    let result: Json;
    try {
      result = await this.underTimeout(
        invokeFunction(arn, effective, { host: this.deps.host, account: this.deps.store.account, region: this.deps.store.region }),
        timeouts,
        signal,
      );
    } catch (err) {
      if (err instanceof StatesError && err.error === StatesErrors.Timeout) {
        this.emit(cursor, 'LambdaFunctionTimedOut', { lambdaFunctionTimedOutEventDetails: failureFields(err) });
      } else if (err instanceof StatesError) {
        this.emit(cursor, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: failureFields(err) });
      }
      throw err;
    }
    this.emit(cursor, 'LambdaFunctionSucceeded', {
      lambdaFunctionSucceededEventDetails: { output: toJsonText(result), outputDetails: NO_TRUNCATION },
    });
    return result;
  }

  /** A call that does not use a task token, bounded by the task's TimeoutSeconds and the thread's life. */
  private underTimeout<T>(work: Promise<T>, timeouts: Timeouts, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer =
        timeouts.timeoutSeconds === undefined
          ? undefined
          : this.deps.clock.setTimer(timeouts.timeoutSeconds * 1000, () => {
              signal.removeEventListener('abort', onAbort);
              reject(new StatesError(StatesErrors.Timeout, ''));
            });
      const onAbort = (): void => {
        timer?.cancel();
        reject(new Unwind());
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          timer?.cancel();
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err: unknown) => {
          timer?.cancel();
          signal.removeEventListener('abort', onAbort);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  private async runActivity(
    arn: string,
    effective: Json,
    token: string,
    timeouts: Timeouts,
    cursor: Cursor,
    signal: AbortSignal,
  ): Promise<Json> {
    const activity = this.deps.store.activities.get(arn);
    if (!activity) {
      const err = new StatesError('States.Runtime', `Activity Does Not Exist: '${arn}'`);
      this.emit(cursor, 'ActivityScheduleFailed', { activityScheduleFailedEventDetails: failureFields(err) });
      this.deps.tokens.close(token);
      throw err;
    }
    const input = toJsonText(effective);
    this.emit(cursor, 'ActivityScheduled', {
      activityScheduledEventDetails: {
        resource: arn,
        input,
        inputDetails: NO_TRUNCATION,
        ...(timeouts.timeoutSeconds !== undefined ? { timeoutInSeconds: timeouts.timeoutSeconds } : {}),
        ...(timeouts.heartbeatSeconds !== undefined ? { heartbeatInSeconds: timeouts.heartbeatSeconds } : {}),
      },
    });
    const waiting = this.waitForToken(token, timeouts, signal, false);
    this.deps.store.offerActivityTask(activity, {
      token,
      input,
      start: (workerName) => {
        this.emit(cursor, 'ActivityStarted', { activityStartedEventDetails: workerName === undefined ? {} : { workerName } });
        waiting.startHeartbeat();
      },
    });
    let outcome: TaskOutcome;
    try {
      outcome = await waiting.promise;
    } catch (err) {
      this.deps.store.withdrawActivityTask(activity, token);
      if (err instanceof StatesError) this.emit(cursor, 'ActivityTimedOut', { activityTimedOutEventDetails: failureFields(err) });
      throw err;
    }
    if (!outcome.ok) {
      const err = new StatesError(outcome.error ?? '', outcome.cause ?? '');
      this.emit(cursor, 'ActivityFailed', { activityFailedEventDetails: failureFields(err) });
      throw err;
    }
    this.emit(cursor, 'ActivitySucceeded', {
      activitySucceededEventDetails: { output: outcome.output, outputDetails: NO_TRUNCATION },
    });
    return JSON.parse(outcome.output) as Json;
  }

  /**
   * Waits for SendTaskSuccess or SendTaskFailure with the token, under the task's TimeoutSeconds (from now) and
   * HeartbeatSeconds (from now, or from startHeartbeat() for an activity, when a worker takes it).
   */
  private waitForToken(
    token: string,
    timeouts: Timeouts,
    signal: AbortSignal,
    heartbeatNow: boolean,
  ): { promise: Promise<TaskOutcome>; startHeartbeat: () => void } {
    const { clock, tokens } = this.deps;
    let armHeartbeat: () => void = () => undefined;
    const promise = new Promise<TaskOutcome>((resolve, reject) => {
      let timer: Timer | undefined;
      let heartbeat: Timer | undefined;
      const cleanup = (): void => {
        timer?.cancel();
        heartbeat?.cancel();
        signal.removeEventListener('abort', onAbort);
      };
      const timedOut = (error: string): void => {
        cleanup();
        tokens.close(token, 'timedOut');
        reject(new StatesError(error, ''));
      };
      const onAbort = (): void => {
        cleanup();
        tokens.close(token);
        reject(new Unwind());
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      if (timeouts.timeoutSeconds !== undefined) {
        timer = clock.setTimer(timeouts.timeoutSeconds * 1000, () => timedOut(StatesErrors.Timeout));
      }
      armHeartbeat = () => {
        if (timeouts.heartbeatSeconds === undefined) return;
        heartbeat?.cancel();
        heartbeat = clock.setTimer(timeouts.heartbeatSeconds * 1000, () => timedOut(StatesErrors.HeartbeatTimeout));
      };
      tokens.attach(
        token,
        (outcome) => {
          cleanup();
          resolve(outcome);
        },
        () => armHeartbeat(),
      );
      if (heartbeatNow) armHeartbeat();
    });
    return { promise, startHeartbeat: () => armHeartbeat() };
  }

  // ---- Parallel and Map ----

  /** Runs the branches on the effective input, each in a variable scope of its own; the results in branch order. */
  private async runParallel(
    state: ParallelState,
    effective: Json,
    cursor: Cursor,
    signal: AbortSignal,
    item: MapItem | undefined,
    vars: VariableScope,
    language: QueryLanguage,
    name: string,
  ): Promise<Json[]> {
    this.emit(cursor, 'ParallelStateStarted', {});
    const remember = this.rememberSuccesses(name, item);
    const results = await this.runAll(
      state.Branches.length,
      0,
      signal,
      remember((i, branchSignal) =>
        this.runBranch(state.Branches[i] as Branch, effective, { last: cursor.last }, branchSignal, item, vars.child(), language)),
      () => {
        cursor.last = this.exec.history.length;
        this.emit(cursor, 'ParallelStateFailed', {});
      },
    );
    cursor.last = this.exec.history.length;
    this.emit(cursor, 'ParallelStateSucceeded', {});
    return results;
  }

  /** Runs the item processor over the items, each iteration in a variable scope of its own. */
  private async runMap(
    name: string,
    state: MapState,
    items: readonly Json[],
    concurrency: number,
    toleranceSettings: ToleranceSettings,
    cursor: Cursor,
    signal: AbortSignal,
    vars: VariableScope,
    language: QueryLanguage,
    itemInput: (item: MapItem) => Promise<Json>,
    batching: () => Promise<Batching | undefined>,
  ): Promise<Json[]> {
    const processor = (state.ItemProcessor ?? state.Iterator) as ItemProcessor;
    if (processor.ProcessorConfig?.Mode === 'DISTRIBUTED') {
      return this.runDistributed(name, state, processor, items, concurrency, toleranceSettings, cursor, signal, language, itemInput, batching);
    }
    const tolerance = toleranceOf(toleranceSettings.count, toleranceSettings.percentage, items.length);
    this.emit(cursor, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
    const remember = this.rememberSuccesses(name, undefined);
    const results = await this.runAll(
      items.length,
      concurrency,
      signal,
      remember(async (index, itemSignal) => {
        const item: MapItem = { Index: index, Value: items[index] as Json };
        const thread: Cursor = { last: cursor.last };
        this.emit(thread, 'MapIterationStarted', { mapIterationStartedEventDetails: { name, index } });
        try {
          const input = await itemInput(item);
          const output = await this.runBranch(processor, input, thread, itemSignal, item, vars.child(), language);
          this.emit(thread, 'MapIterationSucceeded', { mapIterationSucceededEventDetails: { name, index } });
          return output;
        } catch (err) {
          if (err instanceof StatesError) {
            this.emit(thread, 'MapIterationFailed', { mapIterationFailedEventDetails: { name, index } });
          } else if (err instanceof Unwind && !signal.aborted && !this.closed) {
            this.emit(thread, 'MapIterationAborted', { mapIterationAbortedEventDetails: { name, index } });
          }
          throw err;
        }
      }),
      () => {
        cursor.last = this.exec.history.length;
        this.emit(cursor, 'MapStateFailed', {});
      },
      tolerance,
    );
    cursor.last = this.exec.history.length;
    this.emit(cursor, 'MapStateSucceeded', {});
    return results;
  }

  /**
   * Wraps the job of a Parallel or inline Map state so that each success is remembered for a redrive, and so that a
   * redriven state reuses the outputs of what succeeded before instead of running it again.
   */
  private rememberSuccesses(
    name: string,
    item: MapItem | undefined,
  ): (job: (index: number, signal: AbortSignal) => Promise<Json>) => (index: number, signal: AbortSignal) => Promise<Json> {
    // Inside a Map iteration the same state runs once per item: nothing to tell apart, so nothing is remembered.
    if (item !== undefined || this.exec.machine.type === 'EXPRESS') return (job) => job;
    const earlier = this.redrive?.state === name ? this.redrive.completed : undefined;
    if (earlier) this.redrive = undefined;
    const now = new Map<number, Json>();
    this.succeeded.set(name, now);
    return (job) => async (index, signal) => {
      const done = earlier?.get(index);
      const output = done !== undefined || earlier?.has(index) ? (done as Json) : await job(index, signal);
      now.set(index, output);
      return output;
    };
  }

  /**
   * ToleratedFailureCount and ToleratedFailurePercentage (and their Path forms): how many failed iterations the Map
   * state accepts; a failed iteration's result is its error output. Undefined when neither is set.
   */
  private tolerance(state: MapState, effective: Json, scope: PathScope): ToleranceSettings {
    const read = (value: number | string | undefined, path: string | undefined, field: string, max: number): number | undefined => {
      if (value !== undefined) return Number(value);
      if (path === undefined) return undefined;
      const found = evaluatePath(path, effective, scope.context ?? null, scope.env?.variables);
      if (!found.found) throw runtimeError(`Invalid path '${path}' : ${found.reason}`);
      if (typeof found.value !== 'number' || found.value < 0 || found.value > max) {
        throw runtimeError(`The ${field} '${path}' does not reference a number between 0 and ${max}: ${toJsonText(found.value)}`);
      }
      return found.value;
    };
    const count = read(state.ToleratedFailureCount, state.ToleratedFailureCountPath, 'ToleratedFailureCountPath', Number.MAX_SAFE_INTEGER);
    const percentage = read(
      state.ToleratedFailurePercentage,
      state.ToleratedFailurePercentagePath,
      'ToleratedFailurePercentagePath',
      100,
    );
    return { count, percentage };
  }

  /** ItemBatcher of a JSONPath Map state: numbers or their Path forms, and BatchInput as a payload template. */
  private batchingJsonPath(state: MapState, effective: Json, scope: PathScope): Batching | undefined {
    const batcher = state.ItemBatcher;
    if (batcher === undefined) return undefined;
    const read = (value: Json | undefined, path: Json | undefined, field: string): number | undefined => {
      if (typeof value === 'number') return value;
      if (typeof path !== 'string') return undefined;
      const found = evaluatePath(path, effective, scope.context ?? null, scope.env?.variables);
      if (!found.found) throw runtimeError(`Invalid path '${path}' : ${found.reason}`);
      if (typeof found.value !== 'number' || !Number.isInteger(found.value) || found.value <= 0) {
        throw runtimeError(`The ${field} '${path}' does not reference a positive integer: ${toJsonText(found.value)}`);
      }
      return found.value;
    };
    return {
      maxItems: read(batcher.MaxItemsPerBatch, batcher.MaxItemsPerBatchPath, 'MaxItemsPerBatchPath'),
      maxBytes: read(batcher.MaxInputBytesPerBatch, batcher.MaxInputBytesPerBatchPath, 'MaxInputBytesPerBatchPath'),
      batchInput: batcher.BatchInput === undefined ? undefined : evaluatePayloadTemplate(batcher.BatchInput, effective, scope),
    };
  }

  /**
   * A distributed Map state: a Map Run whose child executions (one per item, or per batch with ItemBatcher) run the
   * item processor as workflows of their own, at most MaxConcurrency at a time; UpdateMapRun changes the concurrency
   * and the tolerated failures while it runs. Failed items beyond the tolerance fail the state with
   * States.ExceedToleratedFailureThreshold (with no tolerance set, one failed item is enough).
   */
  private async runDistributed(
    name: string,
    state: MapState,
    processor: ItemProcessor,
    items: readonly Json[],
    concurrency: number,
    tolerance: ToleranceSettings,
    cursor: Cursor,
    signal: AbortSignal,
    language: QueryLanguage,
    itemInput: (item: MapItem) => Promise<Json>,
    batching: () => Promise<Batching | undefined>,
  ): Promise<Json[]> {
    const mapRuns = this.deps.mapRuns;
    if (!mapRuns) throw runtimeError('A distributed Map state cannot run here');
    const inputs: Json[] = [];
    for (let i = 0; i < items.length; i++) inputs.push(await itemInput({ Index: i, Value: items[i] as Json }));
    const batch = await batching();
    const children = batch ? batchItems(inputs, batch) : inputs.map((input) => ({ input, count: 1 }));
    this.emit(cursor, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
    const label = state.Label ?? name;
    const run = mapRuns.start(this.exec, label, {
      maxConcurrency: concurrency,
      toleratedFailurePercentage: tolerance.percentage ?? 0,
      toleratedFailureCount: tolerance.count ?? 0,
      itemTotal: items.length,
    });
    // Which tolerance the definition set: an unset one does not limit failures, unless neither is set.
    const limited = { count: tolerance.count !== undefined, percentage: tolerance.percentage !== undefined };
    this.emit(cursor, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn: run.arn } });
    const definition: StateMachineDefinition = { ...processor, QueryLanguage: processor.QueryLanguage ?? language };
    const type = processor.ProcessorConfig?.ExecutionType ?? 'STANDARD';
    const results: Json[] = new Array<Json>(children.length).fill(null);
    let failedItems = 0;
    let failure: StatesError | undefined;
    const exceeded = (): boolean => {
      if (failedItems === 0) return false;
      // UpdateMapRun can set a tolerance the definition left out.
      const byCount = limited.count || run.toleratedFailureCount > 0;
      const byPercentage = limited.percentage || run.toleratedFailurePercentage > 0;
      if (!byCount && !byPercentage) return true;
      return (
        (byCount && failedItems > run.toleratedFailureCount) ||
        (byPercentage && (failedItems * 100) / Math.max(items.length, 1) > run.toleratedFailurePercentage)
      );
    };
    const stopChildren = (): void => {
      for (const child of run.children) if (child.status === 'RUNNING') child.stop?.(undefined, undefined);
    };
    await new Promise<void>((resolve) => {
      let next = 0;
      let running = 0;
      let finished = false;
      const fail = (): void => {
        if (failure !== undefined) return;
        failure = new StatesError(StatesErrors.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded');
        stopChildren();
      };
      const pump = (): void => {
        if (finished) return;
        while (
          failure === undefined &&
          !signal.aborted &&
          !this.closed &&
          next < children.length &&
          (run.maxConcurrency === 0 || running < run.maxConcurrency)
        ) {
          const index = next++;
          const spec = children[index] as { input: Json; count: number };
          running++;
          const child = mapRuns.startChild(run, this.exec, label, definition, type, spec.input, spec.count);
          void child.done.then(() => {
            running--;
            if (child.status === 'SUCCEEDED') {
              results[index] = child.output === undefined ? null : (JSON.parse(child.output) as Json);
            } else {
              failedItems += spec.count;
              results[index] = errorOutput(child.error ?? '', child.cause ?? '');
              if (exceeded()) fail();
            }
            pump();
          });
        }
        if (running === 0 && (next >= children.length || failure !== undefined || signal.aborted || this.closed)) {
          finished = true;
          run.updated = undefined;
          signal.removeEventListener('abort', onAbort);
          resolve();
        }
      };
      const onAbort = (): void => {
        stopChildren();
        pump();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      run.updated = () => {
        if (exceeded()) fail();
        pump();
      };
      pump();
    });
    run.stopDate = new Date(this.deps.clock.now());
    if (signal.aborted || this.closed) {
      run.status = 'ABORTED';
      throw new Unwind();
    }
    if (failure !== undefined) {
      const err: StatesError = failure;
      run.status = 'FAILED';
      this.emit(cursor, 'MapRunFailed', { mapRunFailedEventDetails: failureFields(err) });
      this.emit(cursor, 'MapStateFailed', {});
      throw err;
    }
    run.status = 'SUCCEEDED';
    this.emit(cursor, 'MapRunSucceeded', {});
    this.emit(cursor, 'MapStateSucceeded', {});
    return results;
  }

  private maxConcurrency(state: MapState, effective: Json, scope: PathScope): number {
    if (state.MaxConcurrency !== undefined) return Number(state.MaxConcurrency);
    if (state.MaxConcurrencyPath === undefined) return 0;
    const found = evaluatePath(state.MaxConcurrencyPath, effective, scope.context ?? null, scope.env?.variables);
    if (!found.found) throw runtimeError(`Invalid path '${state.MaxConcurrencyPath}' : ${found.reason}`);
    if (typeof found.value !== 'number' || !Number.isInteger(found.value) || found.value < 0) {
      throw runtimeError(`The MaxConcurrencyPath '${state.MaxConcurrencyPath}' does not reference a non-negative integer`);
    }
    return found.value;
  }

  /**
   * Runs count jobs, at most `concurrency` at a time (0: all at once). The first failure stops the others and,
   * once every job has unwound, is rethrown after onFailure().
   */
  private async runAll(
    count: number,
    concurrency: number,
    signal: AbortSignal,
    job: (index: number, signal: AbortSignal) => Promise<Json>,
    onFailure: () => void,
    tolerance?: (failures: number) => boolean,
  ): Promise<Json[]> {
    const siblings = new AbortController();
    const jobSignal = AbortSignal.any([signal, siblings.signal]);
    const results: Json[] = new Array<Json>(count).fill(null);
    let failure: unknown;
    let failures = 0;
    let nextIndex = 0;
    const worker = async (): Promise<void> => {
      while (failure === undefined && !jobSignal.aborted && nextIndex < count) {
        const index = nextIndex++;
        try {
          results[index] = await job(index, jobSignal);
        } catch (thrown) {
          let err = thrown;
          if (err instanceof StatesError && tolerance && failure === undefined) {
            failures++;
            if (tolerance(failures)) {
              results[index] = errorOutput(err.error, err.cause);
              continue;
            }
            err = new StatesError(StatesErrors.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded');
          }
          if (failure === undefined && !(err instanceof Unwind)) {
            failure = err;
            siblings.abort(new Unwind());
          } else if (failure === undefined) {
            failure = err;
          }
          return;
        }
      }
    };
    const workers = concurrency > 0 ? Math.min(concurrency, count) : count;
    await Promise.all(Array.from({ length: workers }, () => worker()));
    if (signal.aborted) throw new Unwind();
    if (failure !== undefined) {
      if (failure instanceof StatesError) onFailure();
      throw failure instanceof Error ? failure : new Error(String(failure));
    }
    return results;
  }

  // ---- helpers ----

  private scope(
    name: string,
    enteredTime: string,
    retryCount: number,
    item: MapItem | undefined,
    token?: string,
    variables?: VariableLookup,
  ): PathScope {
    const machine = this.exec.machine;
    const context = contextToJson({
      Execution: this.context,
      State: { EnteredTime: enteredTime, Name: name, RetryCount: retryCount },
      StateMachine: { Id: machine.arn, Name: machine.name },
      ...(token !== undefined ? { Task: { Token: token } } : {}),
      ...(item !== undefined ? { Map: { Item: item } } : {}),
    });
    return {
      context: this.deps.contextOverride ? overrideContext(context, this.deps.contextOverride) : context,
      env: { random: this.deps.random, uuid: randomUUID, ...(variables ? { variables } : {}) },
    };
  }

  /** Sleeps on the clock; when the thread is stopped it unwinds. */
  private async sleep(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await this.deps.clock.sleep(ms, signal);
    } catch {
      throw new Unwind();
    }
  }
}

/** The context object with TestState's given fields laid over it, object by object. */
function overrideContext(context: Json, given: JsonObject): Json {
  if (!isJsonObject(context)) return context;
  const out: JsonObject = { ...context };
  for (const [k, v] of Object.entries(given)) {
    const current = out[k];
    out[k] = isJsonObject(current) && isJsonObject(v) ? { ...current, ...v } : v;
  }
  return out;
}

/** How many failed iterations a Map state accepts (undefined when neither limit is set). */
/** Groups item inputs into batches by MaxItemsPerBatch and MaxInputBytesPerBatch; each batch is `{ Items, BatchInput }`. */
function batchItems(inputs: readonly Json[], batching: Batching): { input: Json; count: number }[] {
  const out: { input: Json; count: number }[] = [];
  const envelope = (items: Json[]): Json => ({ ...(batching.batchInput !== undefined ? { BatchInput: batching.batchInput } : {}), Items: items });
  let current: Json[] = [];
  for (const input of inputs) {
    const candidate = [...current, input];
    const tooMany = batching.maxItems !== undefined && candidate.length > batching.maxItems;
    const tooBig = batching.maxBytes !== undefined && Buffer.byteLength(toJsonText(envelope(candidate))) > batching.maxBytes;
    if (current.length > 0 && (tooMany || tooBig)) {
      out.push({ input: envelope(current), count: current.length });
      current = [input];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) out.push({ input: envelope(current), count: current.length });
  return out;
}

function toleranceOf(count: number | undefined, percentage: number | undefined, total: number): ((failures: number) => boolean) | undefined {
  if (count === undefined && percentage === undefined) return undefined;
  return (failures) =>
    (count === undefined || failures <= count) && (percentage === undefined || (failures * 100) / Math.max(total, 1) <= percentage);
}

/** error and cause for an event or DescribeExecution, leaving out the empty ones (a Fail state without Error). */
function failureFields(err: StatesError): { error?: string; cause?: string } {
  return { ...(err.error !== '' ? { error: err.error } : {}), ...(err.cause !== '' ? { cause: err.cause } : {}) };
}
