// Services wired together as on AWS: a state machine calls a real Lambda function and hands its result to SQS.
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
