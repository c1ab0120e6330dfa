// The interpreter: runs one execution of a JSONPath state machine on the injected clock and writes its history as
// Step Functions does (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html): each
// event has an id and the id of the event before it in the same thread (a Parallel branch or a Map iteration is a
// thread), and the first state's StateEntered points at 0, as AWS writes it.
import { randomUUID } from 'node:crypto';
import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { Clock, Timer } from '../../core/clock.js';
import type { Logger } from '../../core/logging.js';
import type { ServiceHost } from '../../core/provider.js';
import { chooseNext, parseTimestamp, type ChoiceRule } from './asl/choice.js';
import { contextToJson, type ExecutionContext } from './asl/context-object.js';
import type { Branch, MapState, ParallelState, State, TaskState } from './asl/definition.js';
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
  type PathScope,
} from './asl/io.js';
import { toJsonText, type Json } from './asl/json.js';
import { evaluatePath } from './asl/jsonpath.js';
import { invokeFunction, parseTaskResource, runServiceIntegration, type TaskResource } from './integrations.js';
import type { ExecutionRecord, ExecutionStatus, StepFunctionsStore } from './store.js';
import type { TaskOutcome, TaskTokens } from './tokens.js';

export interface EngineDeps {
  readonly clock: Clock;
  readonly host: ServiceHost;
  readonly tokens: TaskTokens;
  readonly store: StepFunctionsStore;
  readonly log: Logger;
  /** For FULL jitter and States.MathRandom; injectable so tests are deterministic. */
  readonly random: () => number;
}

type Details = Omit<HistoryEvent, 'timestamp' | 'type' | 'id' | 'previousEventId'>;

/** The last event of one thread of the execution. */
interface Cursor {
  last: number;
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
      RedriveCount: 0,
    };
  }

  start(): void {
    this.exec.stop = (error, cause) => this.abort(error, cause);
    this.run().catch((err: unknown) => this.deps.log.error(`stepfunctions: execution ${this.exec.arn} crashed`, err));
  }

  // ---- the execution ----

  private async run(): Promise<void> {
    const machine = this.exec.machine;
    this.emit(undefined, 'ExecutionStarted', {
      executionStartedEventDetails: { input: this.exec.input, inputDetails: NO_TRUNCATION, roleArn: machine.roleArn },
    });
    const timeout = machine.parsed.TimeoutSeconds;
    if (typeof timeout === 'number' && timeout > 0) {
      this.timeoutTimer = this.deps.clock.setTimer(timeout * 1000, () => this.timeOut());
    }
    const cursor: Cursor = { last: 0 };
    try {
      if (machine.parsed.QueryLanguage === 'JSONata') {
        throw new StatesError(StatesErrors.Runtime, 'Switchyard does not run JSONata state machines yet');
      }
      const output = await this.runBranch(machine.parsed, this.context.Input, cursor, this.controller.signal);
      const text = toJsonText(output);
      this.emit(cursor, 'ExecutionSucceeded', {
        executionSucceededEventDetails: { output: text, outputDetails: NO_TRUNCATION },
      });
      this.close('SUCCEEDED', { output: text });
    } catch (err) {
      if (this.closed) return;
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
  }

  /** Appends an event; a closed execution takes no more events, and the thread that tried unwinds. */
  private emit(cursor: Cursor | undefined, type: HistoryEventType, details: Details): number {
    if (this.closed) throw new Unwind();
    const id = this.exec.history.length + 1;
    this.exec.history.push({
      timestamp: new Date(this.deps.clock.now()),
      type,
      id,
      previousEventId: cursor?.last ?? 0,
      ...details,
    });
    if (cursor) cursor.last = id;
    return id;
  }

  // ---- states ----

  private async runBranch(branch: Branch, input: Json, cursor: Cursor, signal: AbortSignal, item?: MapItem): Promise<Json> {
    let name = branch.StartAt;
    let data = input;
    for (;;) {
      if (signal.aborted) throw new Unwind();
      const state = branch.States[name];
      if (!state) throw runtimeError(`The state '${name}' does not exist`);
      const result = await this.runState(name, state, data, cursor, signal, item);
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
  ): Promise<StateResult> {
    const type = state.Type;
    const enteredId = this.emit(cursor, `${type}StateEntered` as HistoryEventType, {
      stateEnteredEventDetails: { name, input: toJsonText(input), inputDetails: NO_TRUNCATION },
    });
    const enteredTime = new Date(this.deps.clock.now()).toISOString();
    const scopeFor = (retryCount: number, token?: string): PathScope => this.scope(name, enteredTime, retryCount, item, token);
    const exit = (output: Json, next: string | undefined): StateResult => {
      const text = toJsonText(output);
      if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
        throw new StatesError(
          StatesErrors.DataLimitExceeded,
          `The state '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
        );
      }
      this.emit(cursor, `${type}StateExited` as HistoryEventType, {
        stateExitedEventDetails: { name, output: text, outputDetails: NO_TRUNCATION },
      });
      return { output, next };
    };
    const located = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (err) {
        throw err instanceof StatesError ? inState(err, name, enteredId) : err;
      }
    };
    if (state.QueryLanguage === 'JSONata') {
      throw located(() => new StatesError(StatesErrors.Runtime, 'Switchyard does not run JSONata states yet'));
    }
    const next = state.Type === 'Choice' || state.Type === 'Succeed' || state.Type === 'Fail' ? undefined : state.End === true ? undefined : state.Next;

    switch (state.Type) {
      case 'Pass': {
        const output = located(() => {
          const scope = scopeFor(0);
          const effective = processInput(state, input, scope);
          const result = state.Result !== undefined ? state.Result : effective;
          return processOutput({ ResultPath: state.ResultPath, OutputPath: state.OutputPath }, input, result, scope);
        });
        return exit(output, next);
      }
      case 'Succeed': {
        const output = located(() => {
          const scope = scopeFor(0);
          return applyOutputPath(state.OutputPath, applyInputPath(state.InputPath, input, scope), scope);
        });
        return exit(output, undefined);
      }
      case 'Choice': {
        const scope = scopeFor(0);
        const { output, target } = located(() => {
          const effective = applyInputPath(state.InputPath, input, scope);
          const chosen = chooseNext(state.Choices as readonly ChoiceRule[], state.Default, effective, scope.context ?? null);
          if (chosen === undefined) throw new StatesError(StatesErrors.NoChoiceMatched, 'No Matches!');
          return { output: applyOutputPath(state.OutputPath, effective, scope), target: chosen };
        });
        return exit(output, target);
      }
      case 'Wait': {
        const scope = scopeFor(0);
        const effective = located(() => applyInputPath(state.InputPath, input, scope));
        const ms = located(() => this.waitMs(state, effective, scope));
        await this.sleep(ms, signal);
        return exit(located(() => applyOutputPath(state.OutputPath, effective, scope)), next);
      }
      case 'Fail': {
        const scope = scopeFor(0);
        const error = located(() => state.Error ?? this.stringField(state.ErrorPath, 'ErrorPath', input, scope));
        const cause = located(() => state.Cause ?? this.stringField(state.CausePath, 'CausePath', input, scope));
        throw new StatesError(error ?? '', cause ?? '');
      }
      case 'Task':
        return this.withErrorHandling(state, input, signal, located, exit, next, (retryCount) =>
          this.runTask(state, input, cursor, signal, retryCount, scopeFor, located),
        );
      case 'Parallel':
        return this.withErrorHandling(state, input, signal, located, exit, next, (retryCount) =>
          this.runParallel(state, input, cursor, signal, scopeFor(retryCount), located, item),
        );
      case 'Map':
        return this.withErrorHandling(state, input, signal, located, exit, next, (retryCount) =>
          this.runMap(name, state, input, cursor, signal, retryCount, enteredTime, located),
        );
    }
  }

  /** Retry, then Catch, around the attempts of a Task, Parallel or Map state. */
  private async withErrorHandling(
    state: TaskState | ParallelState | MapState,
    input: Json,
    signal: AbortSignal,
    located: <T>(fn: () => T) => T,
    exit: (output: Json, next: string | undefined) => StateResult,
    next: string | undefined,
    attempt: (retryCount: number) => Promise<Json>,
  ): Promise<StateResult> {
    const used = new Map<number, number>();
    let retryCount = 0;
    for (;;) {
      try {
        const output = await attempt(retryCount);
        return exit(output, next);
      } catch (err) {
        if (!(err instanceof StatesError) || signal.aborted) throw err;
        const match = findRetrier(state.Retry, err.error);
        if (match) {
          const n = used.get(match.index) ?? 0;
          const delay = retryDelayMs(match.retrier, n, this.deps.random);
          if (delay !== undefined) {
            used.set(match.index, n + 1);
            retryCount++;
            await this.sleep(delay, signal);
            continue;
          }
        }
        const catcher = findCatcher(state.Catch, err.error);
        if (!catcher) throw err;
        const output = located(() => applyResultPath(input, catcher.ResultPath, errorOutput(err.error, err.cause)));
        return exit(output, catcher.Next);
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
      const found = evaluatePath(state.SecondsPath, effective, scope.context ?? null);
      if (!found.found) throw runtimeError(`Invalid path '${state.SecondsPath}' : ${found.reason}`);
      const v = found.value;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw runtimeError(`The SecondsPath parameter does not reference a non-negative integer value: ${toJsonText(v)}`);
      }
      return v * 1000;
    }
    if (state.TimestampPath !== undefined) {
      const found = evaluatePath(state.TimestampPath, effective, scope.context ?? null);
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
      const found = evaluatePath(expression, input, scope.context ?? null);
      if (!found.found) throw runtimeError(`Invalid path '${expression}' : ${found.reason}`);
      value = found.value;
    }
    if (typeof value !== 'string') {
      throw runtimeError(`The ${field} '${expression}' resolved to a value that is not a string: ${toJsonText(value)}`);
    }
    return value;
  }

  // ---- Task ----

  private async runTask(
    state: TaskState,
    input: Json,
    cursor: Cursor,
    signal: AbortSignal,
    retryCount: number,
    scopeFor: (retryCount: number, token?: string) => PathScope,
    located: <T>(fn: () => T) => T,
  ): Promise<Json> {
    const resource = parseTaskResource(state.Resource);
    const token =
      resource.kind === 'activity' || (resource.kind === 'service' && resource.pattern === 'waitForTaskToken')
        ? this.deps.tokens.issue()
        : undefined;
    const scope = scopeFor(retryCount, token);
    const effective = located(() => processInput(state, input, scope));
    const timeouts = located(() => this.taskTimeouts(state, input, scope));
    const result = await this.invoke(resource, effective, token, timeouts, cursor, signal);
    return located(() => processOutput(state, input, result, scope));
  }

  private taskTimeouts(state: TaskState, input: Json, scope: PathScope): Timeouts {
    const read = (value: number | string | undefined, path: string | undefined, field: string): number | undefined => {
      if (value !== undefined) return Number(value);
      if (path === undefined) return undefined;
      const found = evaluatePath(path, input, scope.context ?? null);
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
    resource: TaskResource,
    effective: Json,
    token: string | undefined,
    timeouts: Timeouts,
    cursor: Cursor,
    signal: AbortSignal,
  ): Promise<Json> {
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

  private async runParallel(
    state: ParallelState,
    input: Json,
    cursor: Cursor,
    signal: AbortSignal,
    scope: PathScope,
    located: <T>(fn: () => T) => T,
    item: MapItem | undefined,
  ): Promise<Json> {
    const effective = located(() => processInput(state, input, scope));
    this.emit(cursor, 'ParallelStateStarted', {});
    const results = await this.runAll(
      state.Branches.length,
      0,
      signal,
      (i, branchSignal) => this.runBranch(state.Branches[i] as Branch, effective, { last: cursor.last }, branchSignal, item),
      () => {
        cursor.last = this.exec.history.length;
        this.emit(cursor, 'ParallelStateFailed', {});
      },
    );
    cursor.last = this.exec.history.length;
    this.emit(cursor, 'ParallelStateSucceeded', {});
    return located(() => processOutput({ ...state, Parameters: undefined }, input, results, scope));
  }

  private async runMap(
    name: string,
    state: MapState,
    input: Json,
    cursor: Cursor,
    signal: AbortSignal,
    retryCount: number,
    enteredTime: string,
    located: <T>(fn: () => T) => T,
  ): Promise<Json> {
    const scope = this.scope(name, enteredTime, retryCount, undefined);
    const effective = located(() => applyInputPath(state.InputPath, input, scope));
    const items = located(() => {
      let value: Json = effective;
      if (state.ItemsPath !== undefined) {
        const found = evaluatePath(state.ItemsPath, effective, scope.context ?? null);
        if (!found.found) throw runtimeError(`Invalid path '${state.ItemsPath}' : ${found.reason}`);
        value = found.value;
      }
      if (!Array.isArray(value)) {
        throw runtimeError(`Map state input must be an array but was: ${toJsonText(value)}`);
      }
      return value;
    });
    const concurrency = located(() => this.maxConcurrency(state, effective, scope));
    const tolerance = located(() => this.tolerance(state, effective, scope, items.length));
    const processor = (state.ItemProcessor ?? state.Iterator) as Branch;
    const selector = state.ItemSelector ?? state.Parameters;
    this.emit(cursor, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
    const results = await this.runAll(
      items.length,
      concurrency,
      signal,
      async (index, itemSignal) => {
        const item: MapItem = { Index: index, Value: items[index] as Json };
        const thread: Cursor = { last: cursor.last };
        this.emit(thread, 'MapIterationStarted', { mapIterationStartedEventDetails: { name, index } });
        try {
          const itemInput =
            selector === undefined
              ? item.Value
              : located(() => evaluatePayloadTemplate(selector, effective, this.scope(name, enteredTime, retryCount, item)));
          const output = await this.runBranch(processor, itemInput, thread, itemSignal, item);
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
      },
      () => {
        cursor.last = this.exec.history.length;
        this.emit(cursor, 'MapStateFailed', {});
      },
      tolerance,
    );
    cursor.last = this.exec.history.length;
    this.emit(cursor, 'MapStateSucceeded', {});
    return located(() => processOutput({ ...state, Parameters: undefined }, input, results, scope));
  }

  /**
   * ToleratedFailureCount and ToleratedFailurePercentage (and their Path forms): how many failed iterations the Map
   * state accepts; a failed iteration's result is its error output. Undefined when neither is set.
   */
  private tolerance(state: MapState, effective: Json, scope: PathScope, total: number): ((failures: number) => boolean) | undefined {
    const read = (value: number | string | undefined, path: string | undefined, field: string, max: number): number | undefined => {
      if (value !== undefined) return Number(value);
      if (path === undefined) return undefined;
      const found = evaluatePath(path, effective, scope.context ?? null);
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
    if (count === undefined && percentage === undefined) return undefined;
    return (failures) =>
      (count === undefined || failures <= count) && (percentage === undefined || (failures * 100) / Math.max(total, 1) <= percentage);
  }

  private maxConcurrency(state: MapState, effective: Json, scope: PathScope): number {
    if (state.MaxConcurrency !== undefined) return Number(state.MaxConcurrency);
    if (state.MaxConcurrencyPath === undefined) return 0;
    const found = evaluatePath(state.MaxConcurrencyPath, effective, scope.context ?? null);
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

  private scope(name: string, enteredTime: string, retryCount: number, item: MapItem | undefined, token?: string): PathScope {
    const machine = this.exec.machine;
    return {
      context: contextToJson({
        Execution: this.context,
        State: { EnteredTime: enteredTime, Name: name, RetryCount: retryCount },
        StateMachine: { Id: machine.arn, Name: machine.name },
        ...(token !== undefined ? { Task: { Token: token } } : {}),
        ...(item !== undefined ? { Map: { Item: item } } : {}),
      }),
      env: { random: this.deps.random, uuid: randomUUID },
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

/** error and cause for an event or DescribeExecution, leaving out the empty ones (a Fail state without Error). */
function failureFields(err: StatesError): { error?: string; cause?: string } {
  return { ...(err.error !== '' ? { error: err.error } : {}), ...(err.cause !== '' ? { cause: err.cause } : {}) };
}
