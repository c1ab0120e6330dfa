// Destinations of asynchronous invocations beyond SQS: an SNS topic, an EventBridge bus and another function each
// receive the invocation record as AWS sends it to them.
import { InvokeCommand, PutFunctionEventInvokeConfigCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';
let h: LambdaHarness;
let sqs: SQSClient;
let sns: SNSClient;
let events: EventBridgeClient;

beforeAll(async () => {
  h = await startLambdaHarness();
  const config = { endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
  events = new EventBridgeClient(config);
});
afterAll(async () => {
  sqs.destroy();
  sns.destroy();
  events.destroy();
  await h.close();
});

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attrs.Attributes?.QueueArn ?? '' };
}

async function receive(url: string): Promise<Message> {
  for (let i = 0; i < 20; i++) {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    const m = got.Messages?.[0];
    if (m) return m;
  }
  throw new Error(`nothing arrived on ${url}`);
}

async function fn(name: string, code: string): Promise<void> {
  await h.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip({ 'index.js': code }) } }),
  );
}

describe('asynchronous invocation destinations', () => {
  it('sends the record to an SNS topic on success and to an event bus, as an event from lambda, on failure', async () => {
    const fromTopic = await queue('from-topic');
    const fromBus = await queue('from-bus');
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'results' }))).TopicArn ?? '';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: fromTopic.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await events.send(new PutRuleCommand({ Name: 'lambda-failures', EventPattern: JSON.stringify({ source: ['lambda'], 'detail-type': ['Lambda Function Invocation Result - Failure'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'lambda-failures', Targets: [{ Id: 'q', Arn: fromBus.arn }] }));
    await fn('flaky', 'exports.handler = async (e) => { if (e.fail) throw new Error("bad input"); return { ok: true }; };');
    await h.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'flaky',
        MaximumRetryAttempts: 0,
        DestinationConfig: {
          OnSuccess: { Destination: topicArn },
          OnFailure: { Destination: 'arn:aws:events:us-east-1:000000000000:event-bus/default' },
        },
      }),
    );
    await h.lambda.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: Buffer.from('{"fail":false}') }));
    await h.lambda.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: Buffer.from('{"fail":true}') }));
    const success = JSON.parse((await receive(fromTopic.url)).Body ?? '') as Record<string, unknown>;
    expect(success).toMatchObject({
      version: '1.0',
      requestContext: { functionArn: `${ARN}flaky:$LATEST`, condition: 'Success' },
      requestPayload: { fail: false },
      responsePayload: { ok: true },
    });
    const event = JSON.parse((await receive(fromBus.url)).Body ?? '') as Record<string, unknown>;
    expect(event).toMatchObject({
      version: '0',
      source: 'lambda',
      'detail-type': 'Lambda Function Invocation Result - Failure',
      account: '000000000000',
      region: 'us-east-1',
      resources: [`${ARN}flaky:$LATEST`],
      detail: {
        requestContext: { condition: 'RetriesExhausted' },
        requestPayload: { fail: true },
        responseContext: { functionError: 'Unhandled' },
        responsePayload: { errorMessage: 'bad input' },
      },
    });
  }, 60_000);

  it('invokes another function with the record as its event', async () => {
    const seen = await queue('seen-by-handler');
    await fn('recorder', `const { SQSClient, SendMessageCommand } = require(${JSON.stringify(require.resolve('@aws-sdk/client-sqs'))});
const sqs = new SQSClient({});
exports.handler = async (e) => { await sqs.send(new SendMessageCommand({ QueueUrl: ${JSON.stringify(seen.url)}, MessageBody: JSON.stringify(e) })); };`);
    await fn('source', 'exports.handler = async () => "done";');
    await h.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'source', DestinationConfig: { OnSuccess: { Destination: `${ARN}recorder` } } }),
    );
    await h.lambda.send(new InvokeCommand({ FunctionName: 'source', InvocationType: 'Event', Payload: Buffer.from('{"n":1}') }));
    const record = JSON.parse((await receive(seen.url)).Body ?? '') as Record<string, unknown>;
    expect(record).toMatchObject({ requestContext: { condition: 'Success', functionArn: `${ARN}source:$LATEST` }, requestPayload: { n: 1 }, responsePayload: 'done' });
  }, 60_000);
});
