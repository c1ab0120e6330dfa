import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startSnsHarness, type SnsHarness } from './harness.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let h: SnsHarness;
let server: Server;
let url: string;
let received: Received[] = [];
let status = 200;

beforeAll(async () => {
  h = await startSnsHarness({ fakeClock: true });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url === '/hang' && received.length > 1) return; // never answers notifications
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});
beforeEach(() => {
  h.sy.reset();
  received = [];
  status = 200;
});

/** Waits (real time, briefly) for the endpoint to have received n requests. */
async function requests(n: number): Promise<Received[]> {
  for (let i = 0; i < 500 && received.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  expect(received).toHaveLength(n);
  return received;
}

describe('http/https subscriptions', () => {
  test('SubscriptionConfirmation POST, ConfirmSubscription, then Notification POSTs with SNS headers', async () => {
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'web' }))).TopicArn ?? '';
    const sub = await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: url, ReturnSubscriptionArn: true }));
    const [confirmation] = await requests(1);
    expect(confirmation?.headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
    expect(confirmation?.headers['x-amz-sns-topic-arn']).toBe(topic);
    const doc = JSON.parse(confirmation?.body ?? '{}') as { Type: string; Token: string; SubscribeURL: string };
    expect(doc.Type).toBe('SubscriptionConfirmation');
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'not yet' }));
    await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token: doc.Token }));
    const attrs = (await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes;
    expect(attrs?.PendingConfirmation).toBe('false');
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'now', Subject: 'S' }));
    const [, notification] = await requests(2);
    expect(notification?.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-topic-arn': topic,
      'x-amz-sns-subscription-arn': sub.SubscriptionArn,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    expect(JSON.parse(notification?.body ?? '{}')).toMatchObject({ Type: 'Notification', Message: 'now', Subject: 'S' });
  });

  test('raw delivery posts the message itself', async () => {
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'rawweb' }))).TopicArn ?? '';
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: url, Attributes: { RawMessageDelivery: 'true' } }));
    const token = (JSON.parse((await requests(1))[0]?.body ?? '{}') as { Token: string }).Token;
    await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token: token }));
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'raw body' }));
    const [, n] = await requests(2);
    expect(n?.body).toBe('raw body');
    expect(n?.headers['x-amz-sns-rawdelivery']).toBe('true');
  });

  test('5xx is retried by the delivery policy (3 retries, 20 s apart), then goes to the DLQ', async () => {
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'flaky' }))).TopicArn ?? '';
    const dlq = await h.queue('web-dlq');
    await h.sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'http',
        Endpoint: url,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
      }),
    );
    const token = (JSON.parse((await requests(1))[0]?.body ?? '{}') as { Token: string }).Token;
    await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token: token }));
    status = 503;
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'try hard' }));
    await requests(2);
    for (let i = 0; i < 3; i++) {
      await h.clock?.advance(20_000);
      await requests(3 + i);
    }
    let dead = await h.receive(dlq.url);
    for (let i = 0; i < 100 && dead.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
      dead = await h.receive(dlq.url);
    }
    expect((JSON.parse(dead[0]?.Body ?? '{}') as { Message: string }).Message).toBe('try hard');
    expect(h.internal().pendingRetries()).toBe(0);
    await h.clock?.advance(60_000);
    expect(received).toHaveLength(5);
  });

  test('an endpoint that never answers delays neither Publish nor other subscribers; it times out after 15 s', async () => {
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'slow' }))).TopicArn ?? '';
    const hang = url.replace('/hook', '/hang');
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: hang }));
    const token = (JSON.parse((await requests(1))[0]?.body ?? '{}') as { Token: string }).Token;
    await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token: token }));
    const q = await h.queue('fast-q');
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'go' }));
    expect((await h.receive(q.url)).map((m) => m.Body)).toEqual(['go']);
    await requests(2);
    expect(h.internal().pendingRetries()).toBe(0);
    await h.clock?.advance(15_000);
    for (let i = 0; i < 200 && h.internal().pendingRetries() === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(h.internal().pendingRetries()).toBe(1);
  });
});
