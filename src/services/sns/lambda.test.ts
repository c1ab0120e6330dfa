import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { startSnsHarness, verifySnsSignature, type SnsHarness } from './harness.js';

let h: SnsHarness;
let lambda: LambdaClient;
let server: Server;
let sink: string;
const events: unknown[] = [];
const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

beforeAll(async () => {
  h = await startSnsHarness();
  lambda = new LambdaClient({ endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  lambda.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

describe('lambda subscriptions', () => {
  test('the function is invoked asynchronously with the SNS event', async () => {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'on-sns',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipSync({ 'index.js': strToU8('exports.handler = async (e) => { await fetch(process.env.SINK, { method: "POST", body: JSON.stringify(e) }); };') }) },
        Environment: { Variables: { SINK: sink } },
      }),
    );
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'to-lambda' }))).TopicArn ?? '';
    const sub = await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'lambda', Endpoint: fn.FunctionArn }));
    const r = await h.sns.send(
      new PublishCommand({ TopicArn: topic, Message: 'hello', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }),
    );
    for (let i = 0; i < 1000 && events.length === 0; i++) await new Promise((res) => setTimeout(res, 10));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: sub.SubscriptionArn,
          Sns: {
            Type: 'Notification',
            MessageId: r.MessageId,
            TopicArn: topic,
            Subject: null,
            Message: 'hello',
            MessageAttributes: { k: { Type: 'String', Value: 'v' } },
          },
        },
      ],
    });
    const record = (events[0] as { Records: { Sns: Record<string, unknown> }[] }).Records[0];
    expect(await verifySnsSignature(record?.Sns ?? {})).toBe(true);
  }, 30_000);
});
