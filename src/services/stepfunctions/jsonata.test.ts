// JSONata states and workflow variables, driven over the wire with @aws-sdk/client-sfn.
import { createHash } from 'node:crypto';
import { CreateStateMachineCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLE, startSfnHarness, types, type SfnHarness } from './harness.js';

let h: SfnHarness;
beforeAll(async () => {
  h = await startSfnHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

interface Run {
  arn: string;
  status?: string;
  output?: unknown;
  error?: string;
  cause?: string;
}

async function run(definition: object, input: unknown = {}): Promise<Run> {
  const machine = await h.machine(definition);
  const arn = await h.start(machine, input);
  const d = await h.describe(arn);
  return {
    arn,
    ...(d.status ? { status: d.status } : {}),
    ...(d.output !== undefined ? { output: JSON.parse(d.output) } : {}),
    ...(d.error !== undefined ? { error: d.error } : {}),
    ...(d.cause !== undefined ? { cause: d.cause } : {}),
  };
}

async function invalid(definition: object): Promise<string> {
  try {
    await h.sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: JSON.stringify(definition), roleArn: ROLE }));
  } catch (err) {
    expect((err as Error).name).toBe('InvalidDefinition');
    return (err as Error).message;
  }
  throw new Error('expected InvalidDefinition');
}

const jsonata = (states: object, startAt = 'A'): object => ({ QueryLanguage: 'JSONata', StartAt: startAt, States: states });

describe('JSONata states', () => {
  it('evaluates Output and Assign with $states and variables, visible from the next state', async () => {
    const r = await run(
      jsonata({
        A: {
          Type: 'Pass',
          Assign: { total: '{% $sum($states.input.prices) %}', name: '{% $states.context.Execution.Name %}', fixed: 5 },
          Output: { first: '{% $states.input.prices[0] %}', seesOld: '{% $exists($total) %}' },
          Next: 'B',
        },
        B: { Type: 'Pass', Output: '{% { "total": $total, "fixed": $fixed, "nameLen": $length($name), "input": $states.input } %}', End: true },
      }),
      { prices: [1, 2, 3.5] },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ total: 6.5, fixed: 5, nameLen: 36, input: { first: 1, seesOld: false } });
    const events = await h.history(r.arn);
    expect(events[2]?.stateExitedEventDetails?.assignedVariables).toEqual({
      total: '6.5',
      name: JSON.stringify(r.arn.split(':').pop()),
      fixed: '5',
    });
    expect(events[2]?.stateExitedEventDetails?.assignedVariablesDetails).toEqual({ truncated: false });
  });

  it("provides Step Functions' own functions and disables $eval", async () => {
    const r = await run(
      jsonata({
        A: {
          Type: 'Pass',
          Output: {
            partition: '{% $partition([1,2,3,4,5], 2) %}',
            range: '{% $range(0, 10, 5) %}',
            hash: "{% $hash('hello', 'SHA-256') %}",
            seeded: '{% $random(42) = $random(42) %}',
            random: '{% $random() >= 0 and $random() < 1 %}',
            uuid: '{% $uuid() %}',
            parsed: '{% $parse($states.input.text).a %}',
          },
          End: true,
        },
      }),
      { text: '{"a":[1,true]}' },
    );
    expect(r.output).toEqual({
      partition: [[1, 2], [3, 4], [5]],
      range: [0, 5, 10],
      hash: createHash('sha256').update('hello').digest('hex'),
      seeded: true,
      random: true,
      uuid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      parsed: [1, true],
    });
    const evalRun = await run(jsonata({ A: { Type: 'Pass', Output: "{% $eval('1+1') %}", End: true } }));
    expect(evalRun.error).toBe('States.QueryEvaluationError');
    const deep = await run(jsonata({ A: { Type: 'Pass', Output: '{% ($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(200)) %}', End: true } }));
    expect(deep).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(deep.cause).toContain('D1011');
  });

  it('fails with States.QueryEvaluationError naming the field, and Catch handles it with $states.errorOutput', async () => {
    const failed = await run(jsonata({ A: { Type: 'Pass', Output: { v: { w: '{% $states.input.absent %}' } }, End: true } }));
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause:
        "An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '$states.input.absent' specified for the field 'Output/v/w' returned nothing (undefined).",
    });
    const caught = await run(
      jsonata({
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', Output: '{% $states.input.nope %}', End: true } } }],
          Catch: [
            {
              ErrorEquals: ['States.QueryEvaluationError'],
              Assign: { why: '{% $states.errorOutput.Error %}' },
              Output: { error: '{% $states.errorOutput.Error %}', input: '{% $states.input %}' },
              Next: 'Done',
            },
          ],
          Next: 'Done',
        },
        Done: { Type: 'Pass', Output: { why: '{% $why %}', prev: '{% $states.input %}' }, End: true },
      }, 'P'),
      { k: 1 },
    );
    expect(caught.output).toEqual({ why: 'States.QueryEvaluationError', prev: { error: 'States.QueryEvaluationError', input: { k: 1 } } });
  });

  it('branches with Choice Condition, rule Output and Assign, and NoChoiceMatched', async () => {
    const def = jsonata({
      C: {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $states.input.n > 10 %}', Assign: { size: 'big' }, Output: { n: '{% $states.input.n %}' }, Next: 'Big' },
          { Condition: '{% $states.input.n > 5 %}', Next: 'Mid' },
        ],
      },
      Big: { Type: 'Pass', Output: { size: '{% $size %}', in: '{% $states.input %}' }, End: true },
      Mid: { Type: 'Succeed' },
    }, 'C');
    expect((await run(def, { n: 11, extra: true })).output).toEqual({ size: 'big', in: { n: 11 } });
    expect((await run(def, { n: 6 })).output).toEqual({ n: 6 });
    expect(await run(def, { n: 1 })).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
    const notBoolean = await run(jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% 1 %}', Next: 'S' }] }, S: { Type: 'Succeed' } }, 'C'));
    expect(notBoolean.error).toBe('States.QueryEvaluationError');
  });

  it('runs Map over Items with ItemSelector; iterations read outer variables but their Assign stays inside', async () => {
    const r = await run(
      jsonata({
        Init: { Type: 'Pass', Assign: { factor: 10, seen: 'outer' }, Next: 'M' },
        M: {
          Type: 'Map',
          Items: '{% $states.input.xs %}',
          ItemSelector: { value: '{% $states.context.Map.Item.Value %}', index: '{% $states.context.Map.Item.Index %}' },
          MaxConcurrency: '{% 2 %}',
          ItemProcessor: {
            StartAt: 'Inner',
            States: {
              Inner: { Type: 'Pass', Assign: { seen: 'inner' }, Next: 'Inner2' },
              Inner2: { Type: 'Pass', Output: '{% $states.input.value * $factor + $states.input.index %}', End: true },
            },
          },
          Output: { results: '{% $states.result %}', seen: '{% $seen %}' },
          Next: 'After',
        },
        After: { Type: 'Pass', Output: { results: '{% $states.input.results %}', seen: '{% $seen %}' }, End: true },
      }, 'Init'),
      { xs: [1, 2, 3] },
    );
    expect(r.output).toEqual({ results: [10, 21, 32], seen: 'outer' });
    const notArray = await run(jsonata({ M: { Type: 'Map', Items: '{% 5 %}', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true } }, 'M'));
    expect(notArray.error).toBe('States.QueryEvaluationError');
  });

  it('runs Parallel with Arguments, and Wait with a Seconds expression on the fake clock', async () => {
    const machine = await h.machine(
      jsonata({
        W: { Type: 'Wait', Seconds: '{% $states.input.delay %}', Assign: { d: '{% $states.input.delay %}' }, Next: 'P' },
        P: {
          Type: 'Parallel',
          Arguments: { base: '{% $states.input.base %}' },
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input.base + $d %}', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% $states.input.base * 2 %}', End: true } } },
          ],
          End: true,
        },
      }, 'W'),
    );
    const arn = await h.start(machine, { delay: 30, base: 4 });
    expect((await h.describe(arn)).status).toBe('RUNNING');
    await h.clock.advance(30_000);
    const d = await h.describe(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual([34, 8]);
  });

  it('runs a Task with Arguments and shapes its result with Output', async () => {
    const queue = await h.sqs.send(new CreateQueueCommand({ QueueName: 'jsonata-q' }));
    const r = await run(
      jsonata({
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: queue.QueueUrl, MessageBody: { order: '{% $states.input.id %}' } },
          Output: { id: '{% $states.result.MessageId %}', input: '{% $states.input %}' },
          Assign: { md5: '{% $states.result.MD5OfMessageBody %}' },
          End: true,
        },
      }, 'Send'),
      { id: 'o-1' },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toMatchObject({ id: expect.any(String), input: { id: 'o-1' } });
    const msgs = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl }));
    expect(msgs.Messages?.[0]?.Body).toBe('{"order":"o-1"}');
  });

  it('fails with Error and Cause expressions', async () => {
    const r = await run(jsonata({ F: { Type: 'Fail', Error: "{% 'E.' & $states.input.code %}", Cause: '{% $string($states.input) %}' } }, 'F'), { code: 'X' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'E.X', cause: '{"code":"X"}' });
  });

  it('runs a JSONata state inside a JSONPath machine', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Parameters: { 'v.$': '$.x' }, Next: 'B' },
          B: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.v + 1 %}', End: true },
        },
      },
      { x: 1 },
    );
    expect(r.output).toBe(2);
  });
});

describe('variables in JSONPath states', () => {
  it('assigns with .$ fields and reads $name in Parameters, Choice and intrinsics; Catch assigns too', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Result: { n: 3 }, Assign: { 'count.$': '$.n', label: 'L' }, ResultPath: null, Next: 'C' },
          C: { Type: 'Choice', Choices: [{ Variable: '$count', NumericEquals: 3, Next: 'T' }], Default: 'S' },
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sqs:sendMessage',
            Parameters: { QueueUrl: 'http://nowhere/000000000000/missing', MessageBody: 'x' },
            Catch: [{ ErrorEquals: ['States.ALL'], Assign: { 'err.$': '$.Error' }, ResultPath: '$.caught', Next: 'P' }],
            End: true,
          },
          P: {
            Type: 'Pass',
            Parameters: { 'count.$': '$count', 'text.$': "States.Format('{} of {}', $label, $count)", 'err.$': '$err', 'in.$': '$.in' },
            End: true,
          },
          S: { Type: 'Succeed' },
        },
      },
      { in: 'put' },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ count: 3, text: 'L of 3', err: 'SQS.AmazonSQSException', in: 'put' });
    const events = await h.history(r.arn);
    expect(types(events)).toContain('ChoiceStateExited');
  });

  it('keeps Parallel branch assignments inside the branch', async () => {
    const r = await run({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 'outer' }, Next: 'P' },
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'B1', States: { B1: { Type: 'Pass', Assign: { x: 'inner' }, Next: 'B2' }, B2: { Type: 'Pass', Parameters: { 'x.$': '$x' }, End: true } } },
            { StartAt: 'C1', States: { C1: { Type: 'Pass', Parameters: { 'x.$': '$x' }, End: true } } },
          ],
          ResultPath: '$.branches',
          Next: 'Z',
        },
        Z: { Type: 'Pass', Parameters: { 'x.$': '$x', 'branches.$': '$.branches' }, End: true },
      },
    });
    expect(r.output).toEqual({ x: 'outer', branches: [{ x: 'inner' }, { x: 'outer' }] });
  });
});

describe('validation of JSONata and variables', () => {
  it('rejects JSONPath fields in JSONata states and JSONata fields in JSONPath states', async () => {
    expect(await invalid(jsonata({ A: { Type: 'Pass', Parameters: { a: 1 }, End: true } }))).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field \"Parameters\" is not supported by Step Functions at /States/A'",
    );
    expect(await invalid({ StartAt: 'A', States: { A: { Type: 'Pass', Output: { a: 1 }, End: true } } })).toContain(
      'The field "Output" is not supported by Step Functions at /States/A',
    );
  });

  it('rejects a JSONata expression that reads the context item, or does not parse', async () => {
    expect(await invalid(jsonata({ E: { Type: 'Pass', Output: { v: '{% phone %}' }, End: true } }, 'E'))).toBe(
      "Invalid State Machine Definition: 'UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported. at /States/E/Output/v'",
    );
    expect(await invalid(jsonata({ E: { Type: 'Pass', Output: '{% $states.input.( %}', End: true } }, 'E'))).toContain(
      'SCHEMA_VALIDATION_FAILED',
    );
    const ok = await h.sfn.send(
      new ValidateStateMachineDefinitionCommand({
        definition: JSON.stringify(jsonata({ E: { Type: 'Pass', Output: '{% $states.input.items[price > 3].name %}', End: true } }, 'E')),
      }),
    );
    expect(ok.result).toBe('OK');
  });

  it('rejects invalid variable names', async () => {
    expect(await invalid(jsonata({ A: { Type: 'Pass', Assign: { states: 1 }, End: true } }))).toContain("The variable name 'states' is reserved");
    expect(await invalid({ StartAt: 'A', States: { A: { Type: 'Pass', Assign: { '1x': 1 }, End: true } } })).toContain("The variable name '1x' is not valid");
  });
});
