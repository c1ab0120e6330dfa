// RedriveExecution and TestState over the wire with @aws-sdk/client-sfn (fake clock).
import {
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  StopExecutionCommand,
  TestStateCommand,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chain, startSfnHarness, type SfnHarness } from './harness.js';

let h: SfnHarness;
beforeAll(async () => {
  h = await startSfnHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

/** Describes the execution once it has left RUNNING (the first SQS call loads the SQS service). */
async function closed(arn: string): Promise<Awaited<ReturnType<SfnHarness['describe']>>> {
  for (let i = 0; i < 200; i++) {
    const d = await h.describe(arn);
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 5));
  }
  return h.describe(arn);
}

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected a rejection');
}

describe('RedriveExecution', () => {
  it('redrives a failed execution from the state that failed, keeping the states that succeeded', async () => {
    // The Task fails while the queue does not exist; after it is created, the redrive succeeds.
    const queueUrl = `${h.sy.endpoint}/000000000000/later`;
    const machine = await h.machine({
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Result: 1, ResultPath: '$.first', Assign: { kept: 'yes' }, Next: 'Send' },
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: queueUrl, MessageBody: 'm' },
          ResultPath: null,
          Next: 'Last',
        },
        Last: { Type: 'Pass', Parameters: { 'first.$': '$.first', 'kept.$': '$kept', 'redrives.$': '$$.Execution.RedriveCount' }, End: true },
      },
    });
    const arn = await h.start(machine);
    const failed = await closed(arn);
    expect(failed).toMatchObject({ status: 'FAILED', redriveCount: 0, redriveStatus: 'REDRIVABLE' });

    await h.sqs.send(new CreateQueueCommand({ QueueName: 'later' }));
    const redriven = await h.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    const d = await closed(arn);
    expect(d).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' });
    expect(JSON.parse(d.output ?? '')).toEqual({ first: 1, kept: 'yes', redrives: 1 });
    const events = await h.history(arn);
    const types = chain(events).map(([, , t]) => t);
    expect(types.filter((t) => t === 'PassStateEntered')).toHaveLength(2); // First is not run again
    const redrivenEvent = events.find((e) => e.type === 'ExecutionRedriven');
    expect(redrivenEvent?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(redrivenEvent?.previousEventId).toBe((redrivenEvent?.id ?? 0) - 1);
    expect(types.slice(-2)).toEqual(['PassStateExited', 'ExecutionSucceeded']);

    const again = await rejection(h.sfn.send(new RedriveExecutionCommand({ executionArn: arn })));
    expect(again).toEqual({ name: 'ExecutionNotRedrivable', message: `Execution with arn ${arn} cannot be redriven: Execution is SUCCEEDED and cannot be redriven` });
  });

  it('redrives only the Parallel branches and Map iterations that did not succeed', async () => {
    await h.sqs.send(new CreateQueueCommand({ QueueName: 'ready' }));
    const send = (queue: string): object => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage',
      Parameters: { QueueUrl: `${h.sy.endpoint}/000000000000/${queue}`, MessageBody: 'm' },
      ResultSelector: { 'sent.$': '$.MessageId' },
      End: true,
    });
    const machine = await h.machine({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'ToReady', States: { ToReady: send('ready') } },
            { StartAt: 'ToLater', States: { ToLater: send('later-p') } },
          ],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemsPath: '$$.Execution.Input.queues',
          ItemProcessor: {
            StartAt: 'SendItem',
            States: {
              SendItem: {
                Type: 'Task',
                Resource: 'arn:aws:states:::sqs:sendMessage',
                Parameters: { 'QueueUrl.$': `States.Format('${h.sy.endpoint}/000000000000/{}', $)`, MessageBody: 'm' },
                ResultSelector: { 'sent.$': '$.MessageId' },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
    const count = async (queue: string): Promise<number> => {
      const url = `${h.sy.endpoint}/000000000000/${queue}`;
      const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
      const a = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return Number(a.Attributes?.ApproximateNumberOfMessages);
    };
    const arn = await h.start(machine, { queues: ['ready', 'later-m'] });
    expect((await closed(arn)).status).toBe('FAILED');
    await h.sqs.send(new CreateQueueCommand({ QueueName: 'later-p' }));
    await h.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect((await closed(arn)).status).toBe('FAILED'); // the Map's second queue is still missing
    // One message on `ready` from the Parallel's first run and one from the Map's first iteration: the Parallel's
    // `ready` branch, which had succeeded, was not run again.
    expect([await count('ready'), await count('later-p')]).toEqual([2, 1]);
    await h.sqs.send(new CreateQueueCommand({ QueueName: 'later-m' }));
    await h.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    const d = await closed(arn);
    expect(d.status).toBe('SUCCEEDED');
    // The second redrive ran only the Map iteration that had failed.
    expect([await count('ready'), await count('later-p'), await count('later-m')]).toEqual([2, 1, 1]);
    expect(JSON.parse(d.output ?? '[]')).toHaveLength(2);
  });

  it('redrives an aborted execution, and refuses express executions', async () => {
    const machine = await h.machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } });
    const arn = await h.start(machine);
    await h.sfn.send(new StopExecutionCommand({ executionArn: arn }));
    expect((await h.describe(arn)).redriveStatus).toBe('REDRIVABLE');
    await h.sfn.send(new RedriveExecutionCommand({ executionArn: arn, clientToken: 'tok' }));
    // The same client token answers again without a second redrive.
    await h.sfn.send(new RedriveExecutionCommand({ executionArn: arn, clientToken: 'tok' }));
    expect((await h.describe(arn)).status).toBe('RUNNING');
    await h.clock.advance(10_000);
    expect(await h.describe(arn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });

    const express = await h.machine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } }, { type: 'EXPRESS' });
    const ex = await h.start(express);
    const refused = await rejection(h.sfn.send(new RedriveExecutionCommand({ executionArn: ex })));
    expect(refused.name).toBe('ExecutionNotRedrivable');
    const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn: ex }));
    expect(described.redriveStatus).toBe('NOT_REDRIVABLE');
  });
});

describe('TestState', () => {
  it('runs a Pass state and shows each processing step at DEBUG', async () => {
    const out = await h.sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({
          Type: 'Pass',
          InputPath: '$.data',
          Parameters: { 'v.$': '$.v', 'seen.$': '$greeting' },
          ResultPath: '$.res',
          Assign: { 'copied.$': '$.v' },
          Next: 'Somewhere',
        }),
        input: JSON.stringify({ data: { v: 5 } }),
        variables: JSON.stringify({ greeting: 'hi' }),
        inspectionLevel: 'DEBUG',
      }),
    );
    expect(out).toMatchObject({ status: 'SUCCEEDED', nextState: 'Somewhere', output: '{"data":{"v":5},"res":{"v":5,"seen":"hi"}}' });
    expect(out.inspectionData).toMatchObject({
      input: '{"data":{"v":5}}',
      afterInputPath: '{"v":5}',
      afterParameters: '{"v":5,"seen":"hi"}',
      result: '{"v":5,"seen":"hi"}',
      afterResultSelector: '{"v":5,"seen":"hi"}',
      afterResultPath: '{"data":{"v":5},"res":{"v":5,"seen":"hi"}}',
      variables: '{"greeting":"hi","copied":5}',
    });
    const info = await h.sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', End: true }), input: '{"a":1}' }));
    expect(info).toMatchObject({ status: 'SUCCEEDED', output: '{"a":1}' });
    expect(info.inspectionData).toBeUndefined();
    expect(info.nextState).toBeUndefined();
  });

  it('answers a Task from its mock (result or errorOutput) instead of calling the service', async () => {
    const definition = JSON.stringify({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'not-deployed', 'Payload.$': '$' },
      ResultSelector: { 'answer.$': '$.Payload.answer' },
      Catch: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], Next: 'Later' }],
      End: true,
    });
    const mocked = await h.sfn.send(
      new TestStateCommand({ definition, input: '{"q":1}', inspectionLevel: 'DEBUG', mock: { result: '{"Payload":{"answer":42},"StatusCode":200}' } }),
    );
    expect(mocked).toMatchObject({ status: 'SUCCEEDED', output: '{"answer":42}' });
    expect(mocked.inspectionData?.result).toBe('{"Payload":{"answer":42},"StatusCode":200}');
    const failing = await h.sfn.send(
      new TestStateCommand({ definition, mock: { errorOutput: { error: 'Lambda.TooManyRequestsException', cause: 'busy' } } }),
    );
    expect(failing).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Later', error: 'Lambda.TooManyRequestsException', cause: 'busy' });
    const withContext = await h.sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ Type: 'Pass', Parameters: { 'exec.$': '$$.Execution.Name', 'state.$': '$$.State.Name', 'token.$': '$$.Task.Token' }, End: true }),
        context: JSON.stringify({ Execution: { Name: 'given-name' }, Task: { Token: 'tok-1' } }),
      }),
    );
    expect(JSON.parse(withContext.output ?? '{}')).toEqual({ exec: 'given-name', state: 'TestState', token: 'tok-1' });
    const onPass = await rejection(
      h.sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', End: true }), mock: { result: '{}' } })),
    );
    expect(onPass.name).toBe('ValidationException');
  });

  it('answers RETRIABLE, CAUGHT_ERROR and FAILED for failing tasks, and runs JSONata and Wait states at once', async () => {
    const task = (extra: object): string =>
      JSON.stringify({
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sqs:getQueueUrl',
        Parameters: { QueueName: 'missing' },
        End: true,
        ...extra,
      });
    const retriable = await h.sfn.send(
      new TestStateCommand({ definition: task({ Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 3 }] }), inspectionLevel: 'DEBUG' }),
    );
    expect(retriable).toMatchObject({ status: 'RETRIABLE', error: 'Sqs.QueueDoesNotExistException' });
    expect(retriable.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 3 });
    const caught = await h.sfn.send(
      new TestStateCommand({ definition: task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handler' }] }), inspectionLevel: 'DEBUG' }),
    );
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Handler', error: 'Sqs.QueueDoesNotExistException' });
    expect(JSON.parse(caught.output ?? '')).toMatchObject({ Error: 'Sqs.QueueDoesNotExistException' });
    expect(caught.inspectionData?.errorDetails).toEqual({ catchIndex: 0 });
    const failed = await h.sfn.send(new TestStateCommand({ definition: task({}) }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Sqs.QueueDoesNotExistException' });

    const jsonata = await h.sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ QueryLanguage: 'JSONata', Type: 'Wait', Seconds: 3600, Output: '{% $states.input.n * 2 %}', Next: 'N' }),
        input: '{"n":21}',
      }),
    );
    expect(jsonata).toMatchObject({ status: 'SUCCEEDED', output: '42', nextState: 'N' });
  });

  it('tests a state of a whole machine by stateName, and rejects bad definitions', async () => {
    const machine = JSON.stringify({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'A' }], Default: 'D' },
        D: { Type: 'Succeed' },
      },
    });
    const out = await h.sfn.send(new TestStateCommand({ definition: machine, stateName: 'C', input: '{"n":2}' }));
    expect(out).toMatchObject({ status: 'SUCCEEDED', nextState: 'A' });
    const bad = await rejection(h.sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass' }) })));
    expect(bad.name).toBe('InvalidDefinition');
    const activity = await rejection(
      h.sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:us-east-1:000000000000:activity:a', End: true }) })),
    );
    expect(activity.name).toBe('ValidationException');
    const badInput = await rejection(h.sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', End: true }), input: '{' })));
    expect(badInput.name).toBe('InvalidExecutionInput');
  });
});
