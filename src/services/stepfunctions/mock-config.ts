// The mock configuration file of Step Functions Local
// (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html), so that users' existing mock
// files work unchanged: test cases map state names to mocked responses, and an execution started with
// `stateMachineArn#TestCase` answers its mocked Task states from them instead of calling the service.
import { readFileSync } from 'node:fs';
import { SfnErrors } from './errors.js';
import type { Json, JsonObject } from './asl/json.js';

/** What one invocation of a mocked Task answers. */
export type MockedOutcome =
  | { readonly kind: 'return'; readonly value: Json }
  | { readonly kind: 'throw'; readonly error: string; readonly cause: string };

interface InvocationRange {
  readonly from: number;
  readonly to: number;
  readonly outcome: MockedOutcome;
}

type MockedResponse = readonly InvocationRange[];

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const invalid = (path: string, reason: string): Error =>
  new Error(`Invalid mock configuration file ${path}: ${reason}`);

function parseOutcome(path: string, where: string, value: unknown): MockedOutcome {
  if (!isObject(value)) throw invalid(path, `${where} must be an object with Return or Throw`);
  const hasReturn = 'Return' in value;
  const hasThrow = 'Throw' in value;
  if (hasReturn === hasThrow) throw invalid(path, `${where} must have exactly one of Return and Throw`);
  if (hasReturn) return { kind: 'return', value: value.Return as Json };
  const t = value.Throw;
  if (!isObject(t) || typeof t.Error !== 'string') throw invalid(path, `${where}.Throw must have a string Error`);
  if (t.Cause !== undefined && typeof t.Cause !== 'string') throw invalid(path, `${where}.Throw.Cause must be a string`);
  return { kind: 'throw', error: t.Error, cause: typeof t.Cause === 'string' ? t.Cause : '' };
}

function parseResponse(path: string, name: string, value: unknown): MockedResponse {
  if (!isObject(value)) throw invalid(path, `MockedResponses.${name} must be an object`);
  const ranges: InvocationRange[] = [];
  for (const [key, outcome] of Object.entries(value)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(key);
    if (!m) throw invalid(path, `MockedResponses.${name} has key '${key}': keys are invocation numbers like "0" or ranges like "1-2"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw invalid(path, `MockedResponses.${name} has the empty range '${key}'`);
    ranges.push({ from, to, outcome: parseOutcome(path, `MockedResponses.${name}.${key}`, outcome) });
  }
  ranges.sort((a, b) => a.from - b.from);
  // The invocations must be numbered from 0 without gaps or overlaps.
  let next = 0;
  for (const r of ranges) {
    if (r.from !== next) throw invalid(path, `MockedResponses.${name} must number its invocations from 0 without gaps or overlaps`);
    next = r.to + 1;
  }
  if (ranges.length === 0) throw invalid(path, `MockedResponses.${name} has no responses`);
  return ranges;
}

/** A parsed mock configuration file. */
export class MockConfig {
  private constructor(
    private readonly testCases: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, MockedResponse>>>,
  ) {}

  /** Reads and checks the file; a bad file is an error naming it, not a silently ignored mock. */
  static load(path: string): MockConfig {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    } catch (err) {
      throw invalid(path, (err as Error).message);
    }
    if (!isObject(doc)) throw invalid(path, 'the file must hold a JSON object');
    const responses = doc.MockedResponses ?? {};
    if (!isObject(responses)) throw invalid(path, 'MockedResponses must be an object');
    const parsed = new Map<string, MockedResponse>();
    for (const [name, value] of Object.entries(responses)) parsed.set(name, parseResponse(path, name, value));
    const machines = doc.StateMachines ?? {};
    if (!isObject(machines)) throw invalid(path, 'StateMachines must be an object');
    const out = new Map<string, Map<string, Map<string, MockedResponse>>>();
    for (const [machine, spec] of Object.entries(machines)) {
      if (!isObject(spec) || !isObject(spec.TestCases)) throw invalid(path, `StateMachines.${machine}.TestCases must be an object`);
      const cases = new Map<string, Map<string, MockedResponse>>();
      for (const [testCase, states] of Object.entries(spec.TestCases)) {
        if (!isObject(states)) throw invalid(path, `StateMachines.${machine}.TestCases.${testCase} must be an object`);
        const mocked = new Map<string, MockedResponse>();
        for (const [state, responseName] of Object.entries(states)) {
          const response = typeof responseName === 'string' ? parsed.get(responseName) : undefined;
          if (!response) {
            throw invalid(path, `StateMachines.${machine}.TestCases.${testCase}.${state} names no mocked response: ${JSON.stringify(responseName)}`);
          }
          mocked.set(state, response);
        }
        cases.set(testCase, mocked);
      }
      out.set(machine, cases);
    }
    return new MockConfig(out);
  }

  /** The test case an execution of `machineName` runs, or the error StartExecution answers. */
  testCase(machineName: string, testCase: string): MockedExecution {
    const states = this.testCases.get(machineName)?.get(testCase);
    if (!states) {
      throw SfnErrors.validation(`Test case '${testCase}' of state machine '${machineName}' is not in the mock configuration file`);
    }
    return new MockedExecution(states);
  }
}

/** The mocked states of one execution, counting each state's invocations (retries and Map iterations included). */
export class MockedExecution {
  private readonly counts = new Map<string, number>();

  constructor(private readonly states: ReadonlyMap<string, MockedResponse>) {}

  /** The next answer of a mocked state, or undefined when the state is not mocked and calls the service. */
  next(state: string): MockedOutcome | undefined {
    const ranges = this.states.get(state);
    if (!ranges) return undefined;
    const n = this.counts.get(state) ?? 0;
    this.counts.set(state, n + 1);
    // Invocations past the last range repeat the last response.
    const range = ranges.find((r) => n >= r.from && n <= r.to) ?? ranges[ranges.length - 1];
    return range?.outcome;
  }
}
