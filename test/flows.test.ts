// Services wired together as on AWS: a state machine calls a real Lambda function and hands its result to SQS.
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../src/index.js';

const config = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
let sy: RunningSwitchyard;
let lambda: LambdaClient;
let sfn: SFNClient;
let sqs: SQSClient;

beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
  lambda = new LambdaClient({ ...config, endpoint: sy.endpoint });
  sfn = new SFNClient({ ...config, endpoint: sy.endpoint });
  sqs = new SQSClient({ ...config, endpoint: sy.endpoint });
});
afterAll(async () => {
  lambda.destroy();
  sfn.destroy();
  sqs.destroy();
  await sy.stop();
});

test('Step Functions invokes a real Lambda handler, then sends its result to SQS', async () => {
  const code = 'exports.handler = async (event) => ({ total: event.items.reduce((a, b) => a + b, 0) });';
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'sum',
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::000000000000:role/lambda',
      Handler: 'index.handler',
      Code: { ZipFile: zipSync({ 'index.js': strToU8(code) }) },
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: 'sum' });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'totals' }));
  const definition = {
    StartAt: 'Sum',
    States: {
      Sum: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'sum', 'Payload.$': '$' },
        ResultSelector: { 'total.$': '$.Payload.total' },
        Next: 'Send',
      },
      Send: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage',
        Parameters: { QueueUrl, 'MessageBody.$': 'States.Format(\'total={}\', $.total)' },
        End: true,
      },
    },
  };
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'sum-and-send',
      definition: JSON.stringify(definition),
      roleArn: 'arn:aws:iam::000000000000:role/sfn',
    }),
  );
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ items: [1, 2, 3, 4] }) }),
  );
  // The long poll answers when the execution's last state sends its message.
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  expect(r.Messages?.[0]?.Body).toBe('total=10');
  let status: string | undefined;
  for (let i = 0; i < 50 && status !== 'SUCCEEDED'; i++) {
    status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
  }
  expect(status).toBe('SUCCEEDED');
});

test('an EventBridge rule on Step Functions status changes starts a second (JSONata) state machine', async () => {
  const events = new EventBridgeClient({ ...config, endpoint: sy.endpoint });
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'follow-ups' }));
    const first = await sfn.send(
      new CreateStateMachineCommand({
        name: 'first',
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', Result: { order: 7 }, End: true } } }),
        roleArn: 'arn:aws:iam::000000000000:role/sfn',
      }),
    );
    const second = await sfn.send(
      new CreateStateMachineCommand({
        name: 'second',
        definition: JSON.stringify({
          QueryLanguage: 'JSONata',
          StartAt: 'Tell',
          States: {
            Tell: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sqs:sendMessage',
              Arguments: {
                QueueUrl,
                MessageBody: "{% 'order ' & $string($parse($states.input.detail.output).order) & ' ' & $states.input.detail.status %}",
              },
              End: true,
            },
          },
        }),
        roleArn: 'arn:aws:iam::000000000000:role/sfn',
      }),
    );
    await events.send(
      new PutRuleCommand({
        Name: 'on-first-done',
        EventPattern: JSON.stringify({ source: ['aws.states'], detail: { stateMachineArn: [first.stateMachineArn], status: ['SUCCEEDED'] } }),
      }),
    );
    await events.send(new PutTargetsCommand({ Rule: 'on-first-done', Targets: [{ Id: 'second', Arn: second.stateMachineArn }] }));
    await sfn.send(new StartExecutionCommand({ stateMachineArn: first.stateMachineArn }));
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    expect(r.Messages?.[0]?.Body).toBe('order 7 SUCCEEDED');
  } finally {
    events.destroy();
  }
});

test('a distributed Map fans items out to SQS from child executions, and the run is logged to CloudWatch Logs', async () => {
  const { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = new CloudWatchLogsClient({ ...config, endpoint: sy.endpoint });
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'fanned-out' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/vendedlogs/states/fan' }));
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'fan-to-sqs',
        definition: JSON.stringify({
          StartAt: 'Fan',
          States: {
            Fan: {
              Type: 'Map',
              ItemsPath: '$.orders',
              MaxConcurrency: 2,
              ItemProcessor: {
                ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
                StartAt: 'Send',
                States: {
                  Send: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::sqs:sendMessage',
                    Parameters: { QueueUrl, 'MessageBody.$': "States.Format('order {}', $.id)" },
                    ResultSelector: { 'sent.$': '$.MessageId' },
                    End: true,
                  },
                },
              },
              End: true,
            },
          },
        }),
        roleArn: 'arn:aws:iam::000000000000:role/sfn',
        loggingConfiguration: {
          level: 'ALL',
          includeExecutionData: false,
          destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/states/fan:*' } }],
        },
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ orders: [{ id: 1 }, { id: 2 }, { id: 3 }] }) }),
    );
    const bodies: string[] = [];
    for (let i = 0; i < 10 && bodies.length < 3; i++) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }));
      bodies.push(...(r.Messages ?? []).map((m) => m.Body ?? ''));
    }
    expect(bodies.sort()).toEqual(['order 1', 'order 2', 'order 3']);
    let status: string | undefined;
    for (let i = 0; i < 50 && status !== 'SUCCEEDED'; i++) {
      status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
    }
    expect(status).toBe('SUCCEEDED');
    let logged: string[] = [];
    for (let i = 0; i < 50 && !logged.includes('ExecutionSucceeded'); i++) {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/vendedlogs/states/fan' }));
      logged = (out.events ?? [])
        .map((e) => JSON.parse(e.message ?? '{}') as { type: string; execution_arn: string })
        .filter((r) => r.execution_arn === executionArn)
        .map((r) => r.type);
      if (!logged.includes('ExecutionSucceeded')) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(logged).toEqual(expect.arrayContaining(['ExecutionStarted', 'MapRunStarted', 'MapRunSucceeded', 'ExecutionSucceeded']));
  } finally {
    logs.destroy();
  }
});
