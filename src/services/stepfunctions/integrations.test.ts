// SNS, EventBridge, nested Step Functions and AWS SDK integrations, and execution status events, over the wire.
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSfnHarness, types, type SfnHarness } from './harness.js';

let h: SfnHarness;
let sns: SNSClient;
let events: EventBridgeClient;
beforeAll(async () => {
  h = await startSfnHarness();
  const config = { endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  sns = new SNSClient(config);
  events = new EventBridgeClient(config);
});
afterAll(async () => {
  sns.destroy();
  events.destroy();
  await h.close();
});
beforeEach(() => h.sy.reset());

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const url = (await h.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
  const attrs = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attrs.Attributes?.QueueArn as string };
}

async function receive(url: string): Promise<string[]> {
  const out = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  return (out.Messages ?? []).map((m) => m.Body as string);
}

/** Lets deliveries that run after the execution's own work (fan-out, event routing) finish. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await h.clock.advance(0);
    await new Promise((r) => setImmediate(r));
  }
}

async function runToEnd(definition: object, input: unknown = {}): Promise<{ arn: string; status?: string; output?: unknown; error?: string; cause?: string }> {
  const machine = await h.machine(definition);
  const arn = await h.start(machine, input);
  await settle();
  const d = await h.describe(arn);
  return {
    arn,
    ...(d.status ? { status: d.status } : {}),
    ...(d.output !== undefined ? { output: JSON.parse(d.output) } : {}),
    ...(d.error !== undefined ? { error: d.error } : {}),
    ...(d.cause !== undefined ? { cause: d.cause } : {}),
  };
}

describe('SNS Publish', () => {
  it('publishes to a topic (object Message as JSON) and fails with SNS.NotFoundException for a missing topic', async () => {
    const q = await queue('sns-target');
    const topic = (await sns.send(new CreateTopicCommand({ Name: 't1' }))).TopicArn as string;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const r = await runToEnd(
      { StartAt: 'P', States: { P: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: topic, Message: { 'hello.$': '$.who' } }, End: true } } },
      { who: 'world' },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ MessageId: expect.any(String) });
    expect(await receive(q.url)).toEqual(['{"hello":"world"}']);
    const missing = await runToEnd({
      StartAt: 'P',
      States: { P: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: `${topic}-nope`, Message: 'x' }, End: true } },
    });
    expect(missing.error).toBe('SNS.NotFoundException');
  });

  it('waits for the task token handed out through SNS', async () => {
    const q = await queue('sns-token');
    const topic = (await sns.send(new CreateTopicCommand({ Name: 't2' }))).TopicArn as string;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const machine = await h.machine({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
          Parameters: { TopicArn: topic, Message: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    const arn = await h.start(machine);
    await settle();
    expect((await h.describe(arn)).status).toBe('RUNNING');
    const [body] = await receive(q.url);
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: JSON.parse(body as string).token, output: '{"ok":1}' }));
    const d = await h.describe(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toBe('{"ok":1}');
  });
});

describe('EventBridge PutEvents and status change events', () => {
  it('puts events (Detail as an object) that a rule routes, and sends execution status changes to the default bus', async () => {
    const custom = await queue('custom-events');
    const status = await queue('status-events');
    await events.send(new PutRuleCommand({ Name: 'custom', EventPattern: JSON.stringify({ source: ['my.app'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'custom', Targets: [{ Id: '1', Arn: custom.arn }] }));
    await events.send(new PutRuleCommand({ Name: 'status', EventPattern: JSON.stringify({ source: ['aws.states'], detail: { status: ['SUCCEEDED'] } }) }));
    await events.send(new PutTargetsCommand({ Rule: 'status', Targets: [{ Id: '1', Arn: status.arn }] }));
    const r = await runToEnd(
      {
        StartAt: 'E',
        States: {
          E: {
            Type: 'Task',
            Resource: 'arn:aws:states:::events:putEvents',
            Parameters: { Entries: [{ Source: 'my.app', DetailType: 'Order', 'Detail.$': '$' }] },
            End: true,
          },
        },
      },
      { id: 42 },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ Entries: [{ EventId: expect.any(String) }], FailedEntryCount: 0 });
    await settle();
    const [customEvent] = await receive(custom.url);
    expect(JSON.parse(customEvent as string)).toMatchObject({ source: 'my.app', 'detail-type': 'Order', detail: { id: 42 } });
    const [statusEvent] = await receive(status.url);
    const parsed = JSON.parse(statusEvent as string);
    expect(parsed).toMatchObject({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      resources: [r.arn],
      detail: { executionArn: r.arn, status: 'SUCCEEDED', input: '{"id":42}', inputDetails: { included: true }, outputDetails: { included: true } },
    });
    expect(typeof parsed.detail.startDate).toBe('number');
  });
});

describe('nested Step Functions executions', () => {
  it('starts a child (response), waits for it (.sync with text output, .sync:2 with JSON) and fails when it fails', async () => {
    const child = await h.machine(
      { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'F' }], Default: 'S' }, F: { Type: 'Fail', Error: 'ChildErr', Cause: 'no' }, S: { Type: 'Pass', Parameters: { 'got.$': '$.v', 'parent.$': '$.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID' }, End: true } } },
      { name: 'child' },
    );
    const parent = (resource: string): object => ({
      StartAt: 'N',
      States: {
        N: {
          Type: 'Task',
          Resource: resource,
          Parameters: { StateMachineArn: child, Input: { 'v.$': '$.v', 'fail.$': '$.fail', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' } },
          End: true,
        },
      },
    });
    const fire = await runToEnd(parent('arn:aws:states:::states:startExecution'), { v: 1, fail: false });
    expect(fire.output).toEqual({ ExecutionArn: expect.stringContaining(':execution:child:'), StartDate: expect.any(Number) });
    const sync = await runToEnd(parent('arn:aws:states:::states:startExecution.sync'), { v: 2, fail: false });
    expect(sync.status).toBe('SUCCEEDED');
    expect(sync.output).toMatchObject({ Status: 'SUCCEEDED', Output: JSON.stringify({ got: 2, parent: sync.arn }) });
    const sync2 = await runToEnd(parent('arn:aws:states:::states:startExecution.sync:2'), { v: 3, fail: false });
    expect(sync2.output).toMatchObject({ Status: 'SUCCEEDED', Output: { got: 3, parent: sync2.arn }, Input: { v: 3, fail: false } });
    const events = await h.history(sync2.arn);
    expect(events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails).toMatchObject({ resourceType: 'states', resource: 'startExecution.sync:2' });
    const failed = await runToEnd(parent('arn:aws:states:::states:startExecution.sync'), { v: 4, fail: true });
    expect(failed.error).toBe('States.TaskFailed');
    expect(JSON.parse(failed.cause as string)).toMatchObject({ Status: 'FAILED', Error: 'ChildErr', Cause: 'no' });
  });

  it('waits for a child that answers with the task token through aws-sdk:sfn:sendTaskSuccess', async () => {
    const child = await h.machine(
      {
        StartAt: 'Reply',
        States: {
          Reply: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:sfn:sendTaskSuccess',
            Parameters: { 'TaskToken.$': '$.token', Output: '{"from":"child"}' },
            End: true,
          },
        },
      },
      { name: 'replier' },
    );
    const r = await runToEnd({
      StartAt: 'N',
      States: {
        N: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
          Parameters: { StateMachineArn: child, Input: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ from: 'child' });
  });
});

describe('AWS SDK integrations', () => {
  it('calls a service action with PascalCase parameters and returns PascalCase output', async () => {
    const r = await runToEnd({
      StartAt: 'Create',
      States: {
        Create: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:createQueue', Parameters: { QueueName: 'sdk-q' }, ResultPath: '$.q', Next: 'Send' },
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sqs:sendMessage',
          Parameters: { 'QueueUrl.$': '$.q.QueueUrl', MessageBody: 'via sdk' },
          ResultPath: '$.sent',
          Next: 'List',
        },
        List: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sfn:listStateMachines', Parameters: {}, ResultPath: '$.machines', End: true },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    const out = r.output as { q: { QueueUrl: string }; sent: { MessageId: string }; machines: { StateMachines: { Name: string; CreationDate: string }[] } };
    expect(out.q.QueueUrl).toMatch(/\/000000000000\/sdk-q$/);
    expect(out.sent.MessageId).toEqual(expect.any(String));
    expect(out.machines.StateMachines[0]?.CreationDate).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await receive(out.q.QueueUrl)).toEqual(['via sdk']);
  });

  it('waits for a task token handed out through an SDK call (.waitForTaskToken)', async () => {
    const q = await queue('sdk-token');
    const machine = await h.machine({
      StartAt: 'Send',
      States: {
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: q.url, 'MessageBody.$': '$$.Task.Token' },
          End: true,
        },
      },
    });
    const arn = await h.start(machine);
    await settle();
    const [token] = await receive(q.url);
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"done"' }));
    const d = await h.describe(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toBe('"done"');
    const events = await h.history(arn);
    expect(events.find((e) => e.type === 'TaskSubmitted')?.taskSubmittedEventDetails).toMatchObject({
      resourceType: 'aws-sdk:sqs',
      resource: 'sendMessage.waitForTaskToken',
    });
  });

  it('fails with Service.CodeException errors that Catch can match', async () => {
    const r = await runToEnd({
      StartAt: 'Get',
      States: {
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sqs:getQueueUrl',
          Parameters: { QueueName: 'missing' },
          Catch: [{ ErrorEquals: ['Sqs.QueueDoesNotExistException'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as { Error: string }).Error).toBe('Sqs.QueueDoesNotExistException');
    const events = await h.history(r.arn);
    expect(types(events)).toContain('TaskFailed');
    const sfnMissing = await runToEnd({
      StartAt: 'D',
      States: {
        D: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sfn:describeStateMachine',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:none' },
          End: true,
        },
      },
    });
    expect(sfnMissing.error).toBe('Sfn.StateMachineDoesNotExistException');
  });
});
