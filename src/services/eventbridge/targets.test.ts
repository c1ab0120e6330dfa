import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEventBridgeHarness, type EventBridgeHarness } from './harness.js';

let h: EventBridgeHarness;
let lambda: LambdaClient;
let sns: SNSClient;
let server: Server;
let sink: string;
const received: unknown[] = [];
const config = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

beforeAll(async () => {
  h = await startEventBridgeHarness();
  lambda = new LambdaClient(config(h.sy.endpoint));
  sns = new SNSClient(config(h.sy.endpoint));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  lambda.destroy();
  sns.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

const put = (source: string) =>
  h.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'T', Detail: JSON.stringify({ n: 1 }) }] }));

describe('targets', () => {
  test('an SNS topic target fans out the event', async () => {
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'eb-topic' }))).TopicArn ?? '';
    const q = await h.queue('from-topic');
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await h.eb.send(new PutRuleCommand({ Name: 'to-sns', EventPattern: JSON.stringify({ source: ['sns.app'] }) }));
    await h.eb.send(new PutTargetsCommand({ Rule: 'to-sns', Targets: [{ Id: 's', Arn: topic }] }));
    const r = await put('sns.app');
    let messages = await h.receive(q.url);
    for (let i = 0; i < 100 && messages.length === 0; i++) {
      await new Promise((res) => setTimeout(res, 10));
      messages = await h.receive(q.url);
    }
    expect(JSON.parse(messages[0]?.Body ?? '')).toMatchObject({ id: r.Entries?.[0]?.EventId, source: 'sns.app', detail: { n: 1 } });
  });

  test('a Lambda function target is invoked with the event', async () => {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'on-event',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Handler: 'index.handler',
        Code: { ZipFile: zipSync({ 'index.js': strToU8('exports.handler = async (e) => { await fetch(process.env.SINK, { method: "POST", body: JSON.stringify(e) }); };') }) },
        Environment: { Variables: { SINK: sink } },
      }),
    );
    await h.eb.send(new PutRuleCommand({ Name: 'to-lambda', EventPattern: JSON.stringify({ source: ['fn.app'] }) }));
    await h.eb.send(new PutTargetsCommand({ Rule: 'to-lambda', Targets: [{ Id: 'f', Arn: fn.FunctionArn }] }));
    const r = await put('fn.app');
    for (let i = 0; i < 1000 && received.length === 0; i++) await new Promise((res) => setTimeout(res, 10));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ version: '0', id: r.Entries?.[0]?.EventId, source: 'fn.app', 'detail-type': 'T', detail: { n: 1 } });
  }, 30_000);
});

describe('step functions target', () => {
  test('a state machine target starts an execution with the event as input', async () => {
    const sfn = new SFNClient(config(h.sy.endpoint));
    try {
      const sm = await sfn.send(
        new CreateStateMachineCommand({
          name: 'eb-sm',
          roleArn: 'arn:aws:iam::000000000000:role/sfn',
          definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
        }),
      );
      await h.eb.send(new PutRuleCommand({ Name: 'to-sfn', EventPattern: JSON.stringify({ source: ['sfn.app'] }) }));
      await h.eb.send(new PutTargetsCommand({ Rule: 'to-sfn', Targets: [{ Id: 'm', Arn: sm.stateMachineArn, InputPath: '$.detail' }] }));
      await put('sfn.app');
      const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn }));
      expect(list.executions).toHaveLength(1);
      const exec = await sfn.send(new DescribeExecutionCommand({ executionArn: list.executions?.[0]?.executionArn }));
      expect(JSON.parse(exec.input ?? '')).toEqual({ n: 1 });
    } finally {
      sfn.destroy();
    }
  });
});
