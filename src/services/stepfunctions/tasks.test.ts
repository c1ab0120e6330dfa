import {
  CreateActivityCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  GetActivityTaskCommand,
  ListActivitiesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSfnHarness, types, type SfnHarness } from './harness.js';

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

async function activity(name = 'work'): Promise<string> {
  return (await h.sfn.send(new CreateActivityCommand({ name }))).activityArn as string;
}

async function task(activityArn: string): Promise<{ taskToken: string; input: unknown }> {
  const out = await h.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'w1' }));
  if (!out.taskToken) throw new Error('no task');
  return { taskToken: out.taskToken, input: JSON.parse(out.input ?? 'null') };
}

const times = (events: readonly HistoryEvent[], type: string): number[] =>
  events.filter((e) => e.type === type).map((e) => e.timestamp!.getTime());

describe('activities', () => {
  it('creates, describes, lists and deletes activities', async () => {
    const arn = await activity('a1');
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:activity:a1');
    expect((await h.sfn.send(new DescribeActivityCommand({ activityArn: arn }))).name).toBe('a1');
    expect((await h.sfn.send(new ListActivitiesCommand({}))).activities?.map((a) => a.name)).toEqual(['a1']);
    await h.sfn.send(new DeleteActivityCommand({ activityArn: arn }));
    const err = await rejection(h.sfn.send(new DescribeActivityCommand({ activityArn: arn })));
    expect(err).toEqual({ name: 'ActivityDoesNotExist', message: `Activity Does Not Exist: '${arn}'` });
  });

  it('hands a task to a long-polling worker and completes with SendTaskSuccess', async () => {
    const arn = await activity();
    const machine = await h.machine({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: arn, Parameters: { 'n.$': '$.n' }, ResultPath: '$.r', End: true } },
    });
    const poll = h.sfn.send(new GetActivityTaskCommand({ activityArn: arn, workerName: 'w1' }));
    await new Promise((r) => setTimeout(r, 20));
    const exec = await h.start(machine, { n: 5 });
    const got = await poll;
    expect(JSON.parse(got.input ?? '')).toEqual({ n: 5 });
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: got.taskToken, output: '{"ok":true}' }));
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ n: 5, r: { ok: true } });
    const events = await h.history(exec);
    expect(types(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'ActivityScheduled',
      'ActivityStarted',
      'ActivitySucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[2]?.activityScheduledEventDetails).toMatchObject({ resource: arn, input: '{"n":5}' });
    expect(events[3]?.activityStartedEventDetails).toEqual({ workerName: 'w1' });
    const late = await rejection(h.sfn.send(new SendTaskSuccessCommand({ taskToken: got.taskToken, output: '{}' })));
    expect(late.name).toBe('TaskDoesNotExist');
    const invalid = await rejection(h.sfn.send(new SendTaskSuccessCommand({ taskToken: 'nope', output: '{}' })));
    expect(invalid.name).toBe('InvalidToken');
  });

  it('answers an empty GetActivityTask after 60 seconds', async () => {
    const arn = await activity();
    const poll = h.sfn.send(new GetActivityTaskCommand({ activityArn: arn }));
    await new Promise((r) => setTimeout(r, 20));
    await h.clock.advance(60_000);
    const out = await poll;
    expect(out.taskToken).toBeUndefined();
  });

  it('retries with backoff on the clock, then catches', async () => {
    const arn = await activity();
    const machine = await h.machine({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: arn,
          Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    });
    const exec = await h.start(machine, { a: 1 });
    const fail = async (): Promise<void> => {
      const t = await task(arn);
      await h.sfn.send(new SendTaskFailureCommand({ taskToken: t.taskToken, error: 'Flaky', cause: 'try again' }));
    };
    await fail();
    await h.clock.advance(1_999);
    expect(types(await h.history(exec)).at(-1)).toBe('ActivityFailed');
    await h.clock.advance(1);
    await fail();
    await h.clock.advance(6_000);
    await fail();
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ a: 1, error: { Error: 'Flaky', Cause: 'try again' } });
    const events = await h.history(exec);
    const scheduled = times(events, 'ActivityScheduled');
    expect(scheduled.map((t) => t - scheduled[0]!)).toEqual([0, 2_000, 8_000]);
    expect(events.filter((e) => e.type === 'ActivityFailed').map((e) => e.activityFailedEventDetails)).toEqual([
      { error: 'Flaky', cause: 'try again' },
      { error: 'Flaky', cause: 'try again' },
      { error: 'Flaky', cause: 'try again' },
    ]);
  });

  it('times out a task with TimeoutSeconds, and a late answer gets TaskTimedOut', async () => {
    const arn = await activity();
    const machine = await h.machine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: arn, TimeoutSeconds: 30, End: true } } });
    const exec = await h.start(machine);
    const t = await task(arn);
    await h.clock.advance(30_000);
    const d = await h.describe(exec);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(types(await h.history(exec)).slice(-2)).toEqual(['ActivityTimedOut', 'ExecutionFailed']);
    const late = await rejection(h.sfn.send(new SendTaskSuccessCommand({ taskToken: t.taskToken, output: '{}' })));
    expect(late.name).toBe('TaskTimedOut');
  });

  it('keeps a task alive with heartbeats and fails it with States.HeartbeatTimeout when they stop', async () => {
    const arn = await activity();
    const machine = await h.machine({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: arn, HeartbeatSeconds: 10, End: true } },
    });
    const exec = await h.start(machine);
    const t = await task(arn);
    for (let i = 0; i < 3; i++) {
      await h.clock.advance(9_000);
      await h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: t.taskToken }));
    }
    expect((await h.describe(exec)).status).toBe('RUNNING');
    await h.clock.advance(10_000);
    expect(await h.describe(exec)).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    const hb = await rejection(h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: t.taskToken })));
    expect(hb.name).toBe('TaskTimedOut');
  });

  it('rejects output that is not JSON', async () => {
    const arn = await activity();
    const machine = await h.machine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: arn, End: true } } });
    await h.start(machine);
    const t = await task(arn);
    const err = await rejection(h.sfn.send(new SendTaskSuccessCommand({ taskToken: t.taskToken, output: '{' })));
    expect(err.name).toBe('InvalidOutput');
  });
});

describe('SQS integration', () => {
  it('sends a message with sqs:sendMessage', async () => {
    const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: 'q1' }));
    const machine = await h.machine({
      StartAt: 'Send',
      States: {
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl, 'MessageBody.$': '$' },
          End: true,
        },
      },
    });
    const exec = await h.start(machine, { hello: 'world' });
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    const out = JSON.parse(d.output ?? '');
    expect(out.MessageId).toBeTypeOf('string');
    const got = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(got.Messages?.[0]?.Body).toBe('{"hello":"world"}');
    const events = await h.history(exec);
    expect(types(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[2]?.taskScheduledEventDetails).toMatchObject({ resourceType: 'sqs', resource: 'sendMessage', region: 'us-east-1' });
  });

  it('waits for the task token sent through the queue', async () => {
    const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: 'callbacks' }));
    const machine = await h.machine({
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl, MessageBody: { 'token.$': '$$.Task.Token', 'order.$': '$.order' } },
          ResultPath: '$.answer',
          End: true,
        },
      },
    });
    const exec = await h.start(machine, { order: 7 });
    const got = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const body = JSON.parse(got.Messages?.[0]?.Body ?? '');
    expect(body.order).toBe(7);
    expect((await h.describe(exec)).status).toBe('RUNNING');
    await h.clock.advance(3_600_000);
    expect((await h.describe(exec)).status).toBe('RUNNING');
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: body.token, output: '{"approved":true}' }));
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ order: 7, answer: { approved: true } });
    expect(types(await h.history(exec))).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('fails the task on SendTaskFailure and on a missing queue', async () => {
    const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: 'q2' }));
    const machine = await h.machine({
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl, 'MessageBody.$': '$$.Task.Token' },
          End: true,
        },
      },
    });
    const exec = await h.start(machine);
    const got = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await h.sfn.send(new SendTaskFailureCommand({ taskToken: got.Messages?.[0]?.Body, error: 'Rejected', cause: 'no' }));
    expect(await h.describe(exec)).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'no' });

    const missing = await h.machine({
      StartAt: 'S',
      States: {
        S: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: `${QueueUrl}-nope`, MessageBody: 'x' },
          End: true,
        },
      },
    });
    const e2 = await h.start(missing);
    const d2 = await h.describe(e2);
    expect(d2).toMatchObject({ status: 'FAILED', error: 'SQS.AmazonSQSException' });
    expect(d2.cause).toContain('Error Code: AWS.SimpleQueueService.NonExistentQueue');
  });
});

describe('other resources', () => {
  it('fail with States.TaskFailed naming the integration', async () => {
    const machine = await h.machine({
      StartAt: 'S',
      States: {
        S: {
          Type: 'Task',
          Resource: 'arn:aws:states:::glue:startJobRun',
          Parameters: { JobName: 'j' },
          End: true,
        },
      },
    });
    const exec = await h.start(machine);
    const d = await h.describe(exec);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(d.cause).toContain('arn:aws:states:::glue:startJobRun');
  });
});

describe('long polling', () => {
  it('forgets a poll whose client went away, so the next worker gets the task', async () => {
    const arn = await activity('lp');
    const gone = new AbortController();
    const first = h.sfn.send(new GetActivityTaskCommand({ activityArn: arn }), { abortSignal: gone.signal });
    await new Promise((r) => setTimeout(r, 20));
    gone.abort();
    await expect(first).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    const machine = await h.machine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: arn, End: true } } });
    await h.start(machine, { v: 1 });
    const t = await task(arn);
    expect(t.input).toEqual({ v: 1 });
  });

  it('reads TimeoutSecondsPath and HeartbeatSecondsPath from the input', async () => {
    const arn = await activity('paths');
    const machine = await h.machine({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: arn, TimeoutSecondsPath: '$.t', HeartbeatSecondsPath: '$.hb', End: true } },
    });
    const exec = await h.start(machine, { t: 100, hb: 40 });
    const events = await h.history(exec);
    expect(events[2]?.activityScheduledEventDetails).toMatchObject({ timeoutInSeconds: 100, heartbeatInSeconds: 40 });
    await task(arn);
    await h.clock.advance(40_000);
    expect(await h.describe(exec)).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });
});

describe('retry timing', () => {
  it('caps the backoff at MaxDelaySeconds', async () => {
    const machine = await h.machine({
      StartAt: 'S',
      States: {
        S: {
          Type: 'Task',
          Resource: 'arn:aws:states:::glue:startJobRun',
          Parameters: { JobName: 'j' },
          Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 10, BackoffRate: 10, MaxDelaySeconds: 15, MaxAttempts: 3 }],
          End: true,
        },
      },
    });
    const exec = await h.start(machine);
    await h.clock.advance(10_000 + 15_000 + 15_000);
    const d = await h.describe(exec);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    const scheduled = times(await h.history(exec), 'TaskScheduled');
    expect(scheduled.map((t) => t - scheduled[0]!)).toEqual([0, 10_000, 25_000, 40_000]);
  });

  it('times out a callback without heartbeats through SQS', async () => {
    const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: 'hb' }));
    const machine = await h.machine({
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl, 'MessageBody.$': '$$.Task.Token' },
          HeartbeatSeconds: 5,
          Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Late' }],
          End: true,
        },
        Late: { Type: 'Pass', End: true },
      },
    });
    const exec = await h.start(machine);
    const got = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const token = got.Messages?.[0]?.Body ?? '';
    await h.clock.advance(4_000);
    await h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await h.clock.advance(4_000);
    expect((await h.describe(exec)).status).toBe('RUNNING');
    await h.clock.advance(1_000);
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ Error: 'States.HeartbeatTimeout', Cause: '' });
    expect(types(await h.history(exec))).toContain('TaskTimedOut');
  });
});
