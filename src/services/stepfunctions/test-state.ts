// TestState (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html): runs one state on
// the interpreter without waiting (Wait states) or retrying (a matching retrier answers RETRIABLE), and reports the
// output, the next state, and at DEBUG the data after each step of input and output processing.
import { randomUUID } from 'node:crypto';
import type { InspectionData, TestStateInput, TestStateOutput } from '@aws-sdk/client-sfn';
import { formatArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../core/context.js';
import { formatInvalidDefinition, parseDefinition, transitionsOf, type State, type StateMachineDefinition } from './asl/definition.js';
import type { StatesError } from './asl/errors.js';
import { applyInputPath, applyResultPath, evaluatePayloadTemplate, processInput, type PathScope } from './asl/io.js';
import { isJsonObject, toJsonText, type Json, type JsonObject } from './asl/json.js';
import { ExecutionEngine, type EngineDeps, type TestObserver } from './engine.js';
import { SfnErrors } from './errors.js';
import { parseTaskResource } from './integrations.js';
import { MockedExecution, type MockedOutcome } from './mock-config.js';
import type { ExecutionRecord } from './store.js';

const LEVELS = ['INFO', 'DEBUG', 'TRACE'];
const DEFAULT_NAME = 'TestState';
const DEFAULT_ROLE = 'arn:aws:iam::000000000000:role/TestState';

/** The engine dependencies TestState needs, without the test observer (it adds its own). */
export type TestStateDeps = Omit<EngineDeps, 'test' | 'initialVariables'>;

export async function testState(ctx: RequestContext, input: TestStateInput, deps: TestStateDeps, clock: Clock): Promise<TestStateOutput> {
  if (input.definition === undefined || input.definition === null) throw SfnErrors.missing('definition');
  const level = input.inspectionLevel ?? 'INFO';
  if (!LEVELS.includes(level)) {
    throw SfnErrors.validation(
      `1 validation error detected: Value '${String(level)}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]`,
    );
  }
  if (input.stateConfiguration !== undefined) {
    throw SfnErrors.validation("Switchyard's TestState does not support the 'stateConfiguration' parameter");
  }
  const contextOverride = input.context === undefined ? undefined : parseJsonInput(input.context, 'context');
  if (contextOverride !== undefined && !isJsonObject(contextOverride)) {
    throw SfnErrors.invalidExecutionInput('The context must be a JSON object');
  }
  const { name, state } = stateToTest(input.definition, input.stateName);
  const mock = mockOf(input.mock, name, state);
  const stateInput = parseJsonInput(input.input ?? '{}', 'input');
  const variables = input.variables === undefined ? {} : parseJsonInput(input.variables, 'variables');
  if (!isJsonObject(variables)) throw SfnErrors.invalidExecutionInput('The variables must be a JSON object');
  if (state.Type === 'Task') {
    const resource = parseTaskResource(state.Resource);
    if (resource.kind === 'activity' || (resource.kind === 'service' && resource.pattern !== 'response')) {
      throw SfnErrors.validation('TestState does not support activities or the .sync and .waitForTaskToken integration patterns');
    }
  }

  let retry: { err: StatesError; index: number; seconds: number } | undefined;
  let caught: { err: StatesError; index: number } | undefined;
  let next: string | undefined;
  let finished = false;
  let after: JsonObject = variables;
  const observer: TestObserver = {
    retriable: (err, index, seconds) => {
      retry = { err, index, seconds };
    },
    caught: (err, index) => {
      caught = { err, index };
    },
    exited: (vars) => {
      after = vars;
    },
    finished: (n) => {
      finished = true;
      next = n;
    },
  };

  const parsed: StateMachineDefinition = { StartAt: name, States: { [name]: state } };
  const started = new Date(clock.now());
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const machineArn = formatArn('states', ctx.region, ctx.account, `stateMachine:${DEFAULT_NAME}`);
  const exec: ExecutionRecord = {
    arn: formatArn('states', ctx.region, ctx.account, `execution:${DEFAULT_NAME}:${randomUUID()}`),
    name: randomUUID(),
    machine: {
      arn: machineArn,
      name: DEFAULT_NAME,
      type: 'STANDARD',
      definition: JSON.stringify(parsed),
      parsed,
      roleArn: input.roleArn ?? DEFAULT_ROLE,
      revisionId: randomUUID(),
      updateDate: started,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    },
    input: toJsonText(stateInput),
    startDate: started,
    status: 'RUNNING',
    history: [],
    redriveCount: 0,
    done,
    ...(mock ? { mock } : {}),
  };
  new ExecutionEngine(
    exec,
    { ...deps, statusChanged: () => undefined, initialVariables: variables, test: observer, ...(contextOverride ? { contextOverride } : {}) },
    resolveDone,
  ).start();
  await done;

  const out: TestStateOutput = {};
  const errorDetails: NonNullable<InspectionData['errorDetails']> = {};
  if (retry) {
    out.status = 'RETRIABLE';
    out.error = retry.err.error;
    out.cause = retry.err.cause;
    errorDetails.retryIndex = retry.index;
    errorDetails.retryBackoffIntervalSeconds = Math.round(retry.seconds);
  } else if (caught) {
    out.status = 'CAUGHT_ERROR';
    out.error = caught.err.error;
    out.cause = caught.err.cause;
    errorDetails.catchIndex = caught.index;
  } else if (!finished || exec.status !== 'SUCCEEDED') {
    out.status = 'FAILED';
    if (exec.error !== undefined) out.error = exec.error;
    if (exec.cause !== undefined) out.cause = exec.cause;
  } else {
    out.status = 'SUCCEEDED';
  }
  if ((out.status === 'SUCCEEDED' || out.status === 'CAUGHT_ERROR') && exec.output !== undefined) {
    out.output = exec.output;
    if (next !== undefined) out.nextState = next;
  }
  if (level !== 'INFO') {
    out.inspectionData = {
      ...inspect(state, stateInput, exec, variables),
      variables: toJsonText(after),
      ...(Object.keys(errorDetails).length > 0 ? { errorDetails } : {}),
    };
  }
  return out;
}

/**
 * TestState's `mock`: the Task's answer (`result`, a JSON text) or its failure (`errorOutput`), instead of calling the
 * service. Only Task states take one. fieldValidationMode NONE is what Switchyard does whatever the mode: the mocked
 * result is not checked against the service's response shape.
 */
function mockOf(mock: TestStateInput['mock'], name: string, state: State): MockedExecution | undefined {
  if (mock === undefined) return undefined;
  if (state.Type !== 'Task') throw SfnErrors.validation('A mock can only be provided for a Task state');
  const hasResult = mock.result !== undefined;
  const hasError = mock.errorOutput !== undefined;
  if (hasResult === hasError) throw SfnErrors.validation('A mock must contain exactly one of result or errorOutput');
  const modes = ['STRICT', 'PRESENT', 'NONE'];
  if (mock.fieldValidationMode !== undefined && !modes.includes(mock.fieldValidationMode)) {
    throw SfnErrors.validation(
      `1 validation error detected: Value '${mock.fieldValidationMode}' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [${modes.join(', ')}]`,
    );
  }
  let outcome: MockedOutcome;
  if (hasResult) {
    let value: Json;
    try {
      value = JSON.parse(mock.result ?? '') as Json;
    } catch (err) {
      throw SfnErrors.validation(`The mock result is not valid JSON: ${(err as Error).message}`);
    }
    outcome = { kind: 'return', value };
  } else {
    outcome = { kind: 'throw', error: mock.errorOutput?.error ?? '', cause: mock.errorOutput?.cause ?? '' };
  }
  return new MockedExecution(new Map([[name, [{ from: 0, to: Number.MAX_SAFE_INTEGER, outcome }]]]));
}

/** The state to test: the definition of one state, or (with stateName) a state of a whole machine definition. */
function stateToTest(definition: string, stateName: string | undefined): { name: string; state: State } {
  let doc: unknown;
  try {
    doc = JSON.parse(definition);
  } catch (err) {
    throw SfnErrors.invalidDefinition(`Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(err as Error).message}'`);
  }
  if (!isJsonObject(doc as Json)) {
    throw SfnErrors.invalidDefinition("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: The state definition must be a JSON object'");
  }
  const object = doc as JsonObject;
  if (stateName !== undefined) {
    const { definition: machine, diagnostics } = parseDefinition(definition);
    if (!machine) throw SfnErrors.invalidDefinition(formatInvalidDefinition(diagnostics));
    const state = machine.States[stateName];
    if (!state) throw SfnErrors.validation(`The state '${stateName}' does not exist in the state machine definition`);
    const language = state.QueryLanguage ?? machine.QueryLanguage;
    return { name: stateName, state: language !== undefined ? { ...state, QueryLanguage: language } : state };
  }
  // Validate the state as part of a machine in which every state it can move to exists.
  const states: JsonObject = { [DEFAULT_NAME]: object };
  for (const target of transitionsOf(object)) if (target !== DEFAULT_NAME) states[target] = { Type: 'Succeed' };
  const { diagnostics } = parseDefinition(JSON.stringify({ StartAt: DEFAULT_NAME, States: states }));
  const errors = diagnostics.filter((d) => d.severity === 'ERROR');
  if (errors.length > 0) throw SfnErrors.invalidDefinition(formatInvalidDefinition(errors));
  return { name: DEFAULT_NAME, state: object as unknown as State };
}

function parseJsonInput(text: string, field: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw SfnErrors.invalidExecutionInput(`The ${field} is not valid JSON: ${(err as Error).message}`);
  }
}

/** The data after each processing step, from the history of the run and the state's own fields. */
function inspect(state: State, input: Json, exec: ExecutionRecord, variables: JsonObject): InspectionData {
  const data: InspectionData = { input: toJsonText(input) };
  const scope: PathScope = { env: { variables: (name) => variables[name] } };
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch {
      return undefined;
    }
  };
  const scheduled = exec.history.find((e) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled');
  const succeeded = exec.history.find((e) => e.type === 'TaskSucceeded' || e.type === 'LambdaFunctionSucceeded');
  const sent = scheduled?.taskScheduledEventDetails?.parameters ?? scheduled?.lambdaFunctionScheduledEventDetails?.input;
  const resultText = succeeded?.taskSucceededEventDetails?.output ?? succeeded?.lambdaFunctionSucceededEventDetails?.output;
  if (state.QueryLanguage === 'JSONata') {
    if (sent !== undefined) data.afterArguments = sent;
    if (resultText !== undefined) data.result = resultText;
    return data;
  }
  const fields = state as {
    InputPath?: string | null;
    Parameters?: Json;
    Result?: Json;
    ResultSelector?: Json;
    ResultPath?: string | null;
  };
  const afterInputPath = attempt(() => applyInputPath(fields.InputPath, input, scope));
  if (afterInputPath === undefined) return data;
  data.afterInputPath = toJsonText(afterInputPath);
  const afterParameters = sent !== undefined ? (JSON.parse(sent) as Json) : attempt(() => processInput({ InputPath: fields.InputPath, Parameters: fields.Parameters }, input, scope));
  if (afterParameters === undefined) return data;
  data.afterParameters = toJsonText(afterParameters);
  const result: Json | undefined =
    resultText !== undefined ? (JSON.parse(resultText) as Json) : state.Type === 'Pass' ? (fields.Result ?? afterParameters) : undefined;
  if (result === undefined) return data;
  data.result = toJsonText(result);
  const selected = fields.ResultSelector === undefined ? result : attempt(() => evaluatePayloadTemplate(fields.ResultSelector as Json, result, scope));
  if (selected === undefined) return data;
  data.afterResultSelector = toJsonText(selected);
  const combined = attempt(() => applyResultPath(input, fields.ResultPath, selected));
  if (combined !== undefined) data.afterResultPath = toJsonText(combined);
  return data;
}
