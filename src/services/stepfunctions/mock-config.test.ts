// Step Functions Local mock configuration files over the wire: `stateMachineArn#TestCase` runs mocked Task states.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSfnHarness, types, type SfnHarness } from './harness.js';

const MOCKS = {
  StateMachines: {
    Orders: {
      TestCases: {
        HappyPath: { Charge: 'ChargeOk', Notify: 'SqsOk' },
        RetryPath: { Charge: 'ChargeRetry', Notify: 'SqsOk' },
        FailPath: { Charge: 'ChargeFails' },
      },
    },
    Quick: { TestCases: { HappyPath: { Charge: 'ChargeOk' } } },
  },
  MockedResponses: {
    ChargeOk: { '0': { Return: { StatusCode: 200, Payload: { charged: true } } } },
    ChargeRetry: {
      '0': { Throw: { Error: 'Lambda.ServiceException', Cause: 'busy' } },
      '1-2': { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'slow down' } },
      '3': { Return: { StatusCode: 200, Payload: { charged: 'late' } } },
    },
    ChargeFails: { '0': { Throw: { Error: 'Payment.Declined', Cause: 'card declined' } } },
    SqsOk: { '0': { Return: { MessageId: 'm-1', MD5OfMessageBody: 'abc' } } },
  },
};

const ORDERS = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:does-not-exist', 'Payload.$': '$' },
      ResultSelector: { 'charged.$': '$.Payload.charged' },
      Retry: [{ ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 3 }],
      Catch: [{ ErrorEquals: ['Payment.Declined'], ResultPath: '$.error', Next: 'Declined' }],
      ResultPath: '$.charge',
      Next: 'Notify',
    },
    Notify: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage',
      Parameters: { QueueUrl: 'http://nowhere/000000000000/none', 'MessageBody.$': 'States.JsonToString($)' },
      ResultPath: '$.sent',
      End: true,
    },
    Declined: { Type: 'Pass', End: true },
  },
};

let h: SfnHarness;
let dir: string;
let previous: string | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sfn-mocks-'));
  const file = join(dir, 'MockConfigFile.json');
  writeFileSync(file, JSON.stringify(MOCKS));
  previous = process.env.SFN_MOCK_CONFIG;
  process.env.SFN_MOCK_CONFIG = file;
  h = await startSfnHarness();
});

afterAll(async () => {
  if (previous === undefined) delete process.env.SFN_MOCK_CONFIG;
  else process.env.SFN_MOCK_CONFIG = previous;
  rmSync(dir, { recursive: true, force: true });
  await h.close();
});

const startCase = async (machineArn: string, testCase: string, input: unknown): Promise<string> => {
  const out = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#${testCase}`, input: JSON.stringify(input) }));
  await h.clock.advance(0);
  return out.executionArn as string;
};

describe('Step Functions Local mock configuration', () => {
  it('HappyPath: mocked Task states return the mocked responses, processed by ResultSelector and ResultPath', async () => {
    const arn = await h.machine(ORDERS, { name: 'Orders' });
    const exec = await startCase(arn, 'HappyPath', { order: 7 });
    expect(exec).toMatch(/:execution:Orders:/);
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({
      order: 7,
      charge: { charged: true },
      sent: { MessageId: 'm-1', MD5OfMessageBody: 'abc' },
    });
    const history = await h.history(exec);
    expect(types(history)).toContain('TaskSucceeded');
  });

  it('RetryPath: invocation ranges answer successive attempts, with the retries on the fake clock', async () => {
    // The same name and definition again: CreateStateMachine is idempotent and answers the same ARN.
    const machineArn = await h.machine(ORDERS, { name: 'Orders' });
    const exec = await startCase(machineArn, 'RetryPath', {});
    expect((await h.describe(exec)).status).toBe('RUNNING');
    for (let i = 0; i < 3; i++) await h.clock.advance(1000);
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '').charge).toEqual({ charged: 'late' });
    const failures = (await h.history(exec)).filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error);
    expect(failures).toEqual(['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.TooManyRequestsException']);
  });

  it('FailPath: a mocked Throw is caught by Catch', async () => {
    const exec = await startCase('arn:aws:states:us-east-1:000000000000:stateMachine:Orders', 'FailPath', {});
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ error: { Error: 'Payment.Declined', Cause: 'card declined' } });
  });

  it('a broken mock file, or none, is an error naming the problem', async () => {
    const arn = await h.machine(ORDERS, { name: 'Orders' });
    const good = process.env.SFN_MOCK_CONFIG;
    const bad = join(dir, 'Broken.json');
    writeFileSync(bad, JSON.stringify({ StateMachines: {}, MockedResponses: { Gap: { '0': { Return: 1 }, '2': { Return: 2 } } } }));
    try {
      process.env.SFN_MOCK_CONFIG = bad;
      await expect(startCase(arn, 'HappyPath', {})).rejects.toMatchObject({
        name: 'ValidationException',
        message: `Invalid mock configuration file ${bad}: MockedResponses.Gap must number its invocations from 0 without gaps or overlaps`,
      });
      delete process.env.SFN_MOCK_CONFIG;
      await expect(startCase(arn, 'HappyPath', {})).rejects.toMatchObject({
        name: 'ValidationException',
        message: "Test case 'HappyPath' requested, but no mock configuration file is set (SFN_MOCK_CONFIG)",
      });
    } finally {
      process.env.SFN_MOCK_CONFIG = good;
    }
  });

  it('works with StartSyncExecution, and an unknown test case is refused', async () => {
    const arn = await h.machine(ORDERS, { name: 'Quick', type: 'EXPRESS' });
    const out = await h.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${arn}#HappyPath`, input: '{}' }));
    // Notify is not mocked in this test case, so it calls SQS for real and fails on the missing queue.
    expect(out.status).toBe('FAILED');
    await expect(
      h.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Nope`, input: '{}' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: "Test case 'Nope' of state machine 'Quick' is not in the mock configuration file",
    });
  });
});
