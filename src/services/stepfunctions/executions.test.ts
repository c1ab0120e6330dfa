import {
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chain, startSfnHarness, types, type SfnHarness } from './harness.js';

let h: SfnHarness;
beforeAll(async () => {
  h = await startSfnHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected a rejection');
}

async function run(definition: object, input: unknown = {}): Promise<{ arn: string; status?: string; output?: unknown; error?: string; cause?: string }> {
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

describe('Pass, Succeed and Fail', () => {
  it('runs Pass states with the I/O pipeline and writes the history chain', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Parameters: { 'v.$': '$.x', 'name.$': '$$.Execution.Name' }, ResultPath: '$.a', Next: 'B' },
          B: { Type: 'Pass', Result: 'done', ResultPath: '$.b', OutputPath: '$.b', Next: 'C' },
          C: { Type: 'Succeed' },
        },
      },
      { x: 1 },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toBe('done');
    const events = await h.history(r.arn);
    expect(chain(events)).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'PassStateEntered'],
      [5, 4, 'PassStateExited'],
      [6, 5, 'SucceedStateEntered'],
      [7, 6, 'SucceedStateExited'],
      [8, 7, 'ExecutionSucceeded'],
    ]);
    expect(events[1]?.stateEnteredEventDetails).toEqual({ name: 'A', input: '{"x":1}', inputDetails: { truncated: false } });
    const exited = JSON.parse(events[2]?.stateExitedEventDetails?.output ?? '');
    expect(exited.a.v).toBe(1);
    expect(exited.a.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[7]?.executionSucceededEventDetails?.output).toBe('"done"');
  });

  it('fails with Error and Cause, and with ErrorPath and CausePath', async () => {
    const plain = await run({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Oops', Cause: 'because' } } });
    expect(plain).toMatchObject({ status: 'FAILED', error: 'Oops', cause: 'because' });
    const paths = await run(
      { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: "States.Format('bad {}', $.n)" } } },
      { e: 'Dyn', n: 7 },
    );
    expect(paths).toMatchObject({ status: 'FAILED', error: 'Dyn', cause: 'bad 7' });
    expect(types(await h.history(paths.arn))).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });

  it('fails with States.Runtime naming the state when a path matches nothing', async () => {
    const r = await run({ StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.missing', End: true } } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toMatch(/^An error occurred while executing the state 'P' \(entered at the event id #2\)\. Invalid path '\$\.missing'/);
  });
});

describe('Choice', () => {
  const def = {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' },
          { And: [{ Variable: '$.s', IsPresent: true }, { Variable: '$.s', StringEquals: 'x' }], Next: 'X' },
        ],
        Default: 'Small',
      },
      Big: { Type: 'Pass', Result: 'big', End: true },
      X: { Type: 'Pass', Result: 'x', End: true },
      Small: { Type: 'Pass', Result: 'small', End: true },
    },
  };
  it('follows the first matching rule, else the Default', async () => {
    expect((await run(def, { n: 11 })).output).toBe('big');
    expect((await run(def, { n: 1, s: 'x' })).output).toBe('x');
    const r = await run(def, { n: 1 });
    expect(r.output).toBe('small');
    expect(types(await h.history(r.arn))).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });
  it('fails with States.NoChoiceMatched without a Default', async () => {
    const r = await run({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'D' }] }, D: { Type: 'Succeed' } } }, { n: 2 });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
  });
});

describe('Wait on the clock', () => {
  it('waits a day in no time with Seconds', async () => {
    const machine = await h.machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86400, End: true } } });
    const arn = await h.start(machine, { a: 1 });
    expect((await h.describe(arn)).status).toBe('RUNNING');
    await h.clock.advance(86_399_000);
    expect((await h.describe(arn)).status).toBe('RUNNING');
    await h.clock.advance(1000);
    const d = await h.describe(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.stopDate!.getTime() - d.startDate!.getTime()).toBe(86_400_000);
    const events = await h.history(arn);
    expect(types(events)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
    expect(events[2]!.timestamp!.getTime() - events[1]!.timestamp!.getTime()).toBe(86_400_000);
  });

  it('waits with SecondsPath, Timestamp and TimestampPath', async () => {
    const start = h.clock.now();
    const at = new Date(start + 30_000).toISOString();
    const machine = await h.machine({
      StartAt: 'S',
      States: {
        S: { Type: 'Wait', SecondsPath: '$.s', Next: 'T' },
        T: { Type: 'Wait', Timestamp: at, Next: 'TP' },
        TP: { Type: 'Wait', TimestampPath: '$.t', End: true },
      },
    });
    const arn = await h.start(machine, { s: 10, t: new Date(start + 50_000).toISOString() });
    await h.clock.advance(10_000);
    expect(types(await h.history(arn)).at(-1)).toBe('WaitStateEntered');
    await h.clock.advance(20_000);
    expect((await h.describe(arn)).status).toBe('RUNNING');
    await h.clock.advance(20_000);
    const d = await h.describe(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.stopDate!.getTime() - start).toBe(50_000);
  });

  it('fails on a SecondsPath that is not a number', async () => {
    const r = await run({ StartAt: 'S', States: { S: { Type: 'Wait', SecondsPath: '$.s', End: true } } }, { s: 'x' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});

describe('Parallel and Map', () => {
  it('runs Parallel branches and collects their outputs in order', async () => {
    const r = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'A' }, A: { Type: 'Pass', Result: 1, End: true } } },
              { StartAt: 'B', States: { B: { Type: 'Pass', InputPath: '$.v', End: true } } },
            ],
            ResultPath: '$.out',
            End: true,
          },
        },
      },
      { v: 'in' },
    );
    expect(r.status).toBe('RUNNING');
    await h.clock.advance(1000);
    const d = await h.describe(r.arn);
    expect(JSON.parse(d.output ?? '')).toEqual({ v: 'in', out: [1, 'in'] });
    const t = types(await h.history(r.arn));
    expect(t.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
    expect(t.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
  });

  it('fails a Parallel state with its branch error, which Catch handles', async () => {
    const r = await run({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Branch.Boom', Cause: 'c' } } },
            { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } },
          ],
          Catch: [{ ErrorEquals: ['Branch.Boom'], ResultPath: '$.err', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Succeed' },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ err: { Error: 'Branch.Boom', Cause: 'c' } });
    const t = types(await h.history(r.arn));
    expect(t).toContain('ParallelStateFailed');
    expect(t).not.toContain('WaitStateExited');
  });

  it('runs Map iterations with ItemsPath, ItemSelector and MaxConcurrency', async () => {
    const r = await run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            MaxConcurrency: 1,
            ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'k.$': '$.k' },
            ItemProcessor: {
              ProcessorConfig: { Mode: 'INLINE' },
              StartAt: 'W',
              States: { W: { Type: 'Wait', Seconds: 5, Next: 'P' }, P: { Type: 'Pass', End: true } },
            },
            ResultPath: '$.results',
            End: true,
          },
        },
      },
      { items: ['a', 'b', 'c'], k: 'K' },
    );
    await h.clock.advance(10_000);
    expect((await h.describe(r.arn)).status).toBe('RUNNING');
    await h.clock.advance(5_000);
    const d = await h.describe(r.arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '').results).toEqual([
      { value: 'a', index: 0, k: 'K' },
      { value: 'b', index: 1, k: 'K' },
      { value: 'c', index: 2, k: 'K' },
    ]);
    const events = await h.history(r.arn);
    expect(events.find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails).toEqual({ length: 3 });
    expect(events.filter((e) => e.type === 'MapIterationSucceeded').map((e) => e.mapIterationSucceededEventDetails)).toEqual([
      { name: 'M', index: 0 },
      { name: 'M', index: 1 },
      { name: 'M', index: 2 },
    ]);
  });

  it('fails a Map state when an iteration fails', async () => {
    const r = await run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            Iterator: {
              StartAt: 'C',
              States: {
                C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'F' }], Default: 'OK' },
                F: { Type: 'Fail', Error: 'Two' },
                OK: { Type: 'Pass', End: true },
              },
            },
            End: true,
          },
        },
      },
      [1, 2, 3],
    );
    expect(r).toMatchObject({ status: 'FAILED', error: 'Two' });
    const t = types(await h.history(r.arn));
    expect(t).toContain('MapIterationFailed');
    expect(t.slice(-2)).toEqual(['MapStateFailed', 'ExecutionFailed']);
  });
});

describe('executions', () => {
  const WAIT = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } };

  it('keeps names unique: same input while running is idempotent, anything else is ExecutionAlreadyExists', async () => {
    const machine = await h.machine(WAIT);
    const a = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'n1', input: '{"a":1}' }));
    const b = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'n1', input: '{"a":1}' }));
    expect(b.executionArn).toBe(a.executionArn);
    const err = await rejection(h.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'n1', input: '{"a":2}' })));
    expect(err).toEqual({ name: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${a.executionArn}'` });
    await h.clock.advance(60_000);
    const closed = await rejection(h.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'n1', input: '{"a":1}' })));
    expect(closed.name).toBe('ExecutionAlreadyExists');
    await h.clock.advance(90 * 24 * 3600 * 1000);
    const reused = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'n1', input: '{"a":3}' }));
    expect(reused.executionArn).toBe(a.executionArn);
    expect((await h.describe(a.executionArn!)).input).toBe('{"a":3}');
    const bad = await rejection(h.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: '{' })));
    expect(bad.name).toBe('InvalidExecutionInput');
  });

  it('lists executions newest first, by status, in pages', async () => {
    const machine = await h.machine(WAIT);
    const first = await h.start(machine, {}, 'e1');
    await h.clock.advance(60_000);
    await h.start(machine, {}, 'e2');
    await h.start(machine, {}, 'e3');
    const all = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }));
    expect(all.executions?.map((e) => e.name)).toEqual(['e3', 'e2', 'e1']);
    const running = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: machine, statusFilter: 'RUNNING', maxResults: 1 }));
    expect(running.executions?.map((e) => e.name)).toEqual(['e3']);
    const next = await h.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machine, statusFilter: 'RUNNING', maxResults: 1, nextToken: running.nextToken }),
    );
    expect(next.executions?.map((e) => e.name)).toEqual(['e2']);
    const done = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: machine, statusFilter: 'SUCCEEDED' }));
    expect(done.executions?.map((e) => e.executionArn)).toEqual([first]);
  });

  it('stops an execution with error and cause', async () => {
    const machine = await h.machine(WAIT);
    const arn = await h.start(machine);
    const stopped = await h.sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Manual', cause: 'by test' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    await h.clock.advance(60_000);
    const d = await h.describe(arn);
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'by test' });
    const events = await h.history(arn);
    expect(types(events)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    expect(events[2]?.executionAbortedEventDetails).toEqual({ error: 'Manual', cause: 'by test' });
  });

  it('times out with the state machine TimeoutSeconds', async () => {
    const machine = await h.machine({ TimeoutSeconds: 5, ...WAIT });
    const arn = await h.start(machine);
    await h.clock.advance(5_000);
    const d = await h.describe(arn);
    expect(d).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(types(await h.history(arn)).at(-1)).toBe('ExecutionTimedOut');
  });

  it('pages the history, in reverse order too, and describes the machine it ran', async () => {
    const machine = await h.machine({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } },
    });
    const arn = await h.start(machine);
    const page1 = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 4 }));
    expect(page1.events?.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    const page2 = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 4, nextToken: page1.nextToken }));
    expect(page2.events?.map((e) => e.id)).toEqual([5, 6]);
    expect(page2.nextToken).toBeUndefined();
    const reversed = await h.sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 2, includeExecutionData: false }),
    );
    expect(reversed.events?.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'PassStateExited']);
    expect(reversed.events?.[0]?.executionSucceededEventDetails).toEqual({});
    const sm = await h.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: arn }));
    expect(sm.stateMachineArn).toBe(machine);
    expect(JSON.parse(sm.definition ?? '').StartAt).toBe('A');
    const missing = await rejection(h.sfn.send(new GetExecutionHistoryCommand({ executionArn: `${arn}x` })));
    expect(missing.name).toBe('ExecutionDoesNotExist');
  });
});

describe('starting executions from other services', () => {
  it('starts an execution through deliver() with the message body as input', async () => {
    const { deliver } = await import('../../core/targets.js');
    const machine = await h.machine({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
    const host = { provider: (name: string) => h.sy.instance.provider(name) } as unknown as Parameters<typeof deliver>[0];
    const result = await deliver(host, machine, { body: '{"from":"events"}' }, { account: '000000000000', region: 'us-east-1', service: 'eventbridge' });
    expect(result.id).toMatch(/^arn:aws:states:us-east-1:000000000000:execution:/);
    const d = await h.describe(result.id!);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"from":"events"}' });
  });

  it('runs EXPRESS machines with StartExecution too', async () => {
    const machine = await h.machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } }, { type: 'EXPRESS' });
    const arn = await h.start(machine, { e: 1 });
    expect(arn).toContain(':express:');
    await h.clock.advance(1000);
    expect((await h.describe(arn)).status).toBe('SUCCEEDED');
  });
});

describe('quotas', () => {
  it('fails with States.DataLimitExceeded when a state output exceeds 256 KiB, which Catch cannot handle', async () => {
    const r = await run(
      {
        StartAt: 'Big',
        States: {
          Big: {
            Type: 'Pass',
            Parameters: { 'a.$': '$.s', 'b.$': '$.s', 'c.$': '$.s' },
            End: true,
          },
        },
      },
      { s: 'x'.repeat(100_000) },
    );
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });
});

describe('Map tolerated failures', () => {
  const map = (tolerance: object) => ({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ...tolerance,
        ItemProcessor: {
          StartAt: 'C',
          States: {
            C: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 2, Next: 'F' }], Default: 'OK' },
            F: { Type: 'Fail', Error: 'TooBig', Cause: 'big' },
            OK: { Type: 'Pass', End: true },
          },
        },
        End: true,
      },
    },
  });

  it('accepts failures up to ToleratedFailureCount, with their error output as results', async () => {
    const r = await run(map({ ToleratedFailureCount: 2 }), [1, 3, 4]);
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual([1, { Error: 'TooBig', Cause: 'big' }, { Error: 'TooBig', Cause: 'big' }]);
  });

  it('fails with States.ExceedToleratedFailureThreshold beyond the percentage', async () => {
    const r = await run(map({ ToleratedFailurePercentagePath: '$$.Execution.Input[0]' }), [30, 3, 4, 1]);
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });
});
