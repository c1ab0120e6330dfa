import {
  CreateEventBusCommand,
  DisableRuleCommand,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEventBridgeHarness, type EventBridgeHarness } from './harness.js';

let h: EventBridgeHarness;
beforeAll(async () => {
  h = await startEventBridgeHarness();
});
afterAll(async () => {
  await h.close();
});

const entry = (over: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'my.app',
  DetailType: 'Order Placed',
  Detail: JSON.stringify({ orderId: 'o-1', amount: 42 }),
  ...over,
});

async function ruleToQueue(name: string, pattern: unknown, target: Record<string, unknown> = {}, bus?: string) {
  const q = await h.queue(`${name}-q`);
  await h.eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern), EventBusName: bus }));
  const r = await h.eb.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: 't', Arn: q.arn, ...target }] }));
  expect(r.FailedEntryCount).toBe(0);
  return q;
}

describe('PutEvents', () => {
  test('a matching rule delivers the envelope to an SQS queue', async () => {
    const q = await ruleToQueue('to-sqs', { source: ['my.app'], detail: { amount: [{ numeric: ['>', 10] }] } });
    const r = await h.eb.send(
      new PutEventsCommand({
        Entries: [entry({ Resources: ['arn:aws:s3:::b'], Time: new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 500)) }), entry({ Detail: '{"amount": 1}' })],
      }),
    );
    expect(r.FailedEntryCount).toBe(0);
    expect(r.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    const messages = await h.receive(q.url);
    expect(messages).toHaveLength(1);
    const body = JSON.parse(messages[0]?.Body ?? '') as Record<string, unknown>;
    expect(body).toEqual({
      version: '0',
      id: r.Entries?.[0]?.EventId,
      'detail-type': 'Order Placed',
      source: 'my.app',
      account: '000000000000',
      time: '2024-05-06T07:08:09Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::b'],
      detail: { orderId: 'o-1', amount: 42 },
    });
    expect(Object.keys(body)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  });

  test('a disabled rule delivers nothing', async () => {
    const q = await ruleToQueue('disabled', { source: ['dis.app'] });
    await h.eb.send(new DisableRuleCommand({ Name: 'disabled' }));
    await h.eb.send(new PutEventsCommand({ Entries: [entry({ Source: 'dis.app' })] }));
    expect(await h.receive(q.url)).toHaveLength(0);
  });

  test('per-entry validation', async () => {
    const r = await h.eb.send(
      new PutEventsCommand({
        Entries: [
          entry({ Source: undefined }),
          entry({ DetailType: undefined }),
          entry({ Detail: '[1]' }),
          entry({ Detail: '{oops' }),
          entry({ EventBusName: 'missing' }),
          entry(),
        ],
      }),
    );
    expect(r.FailedEntryCount).toBe(4);
    // As AWS does, an event for a bus that does not exist is accepted (and dropped).
    expect(r.Entries?.map((e) => e.ErrorCode)).toEqual(['InvalidArgument', 'InvalidArgument', 'MalformedDetail', 'MalformedDetail', undefined, undefined]);
    expect(r.Entries?.[4]?.EventId).toBeDefined();
    expect(r.Entries?.[0]?.ErrorMessage).toBe('Parameter Source is not valid. Reason: Source is a required argument.');
    expect(r.Entries?.[5]?.EventId).toBeDefined();
  });

  test('request limits: 10 entries, 256 KB', async () => {
    await expect(h.eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const big = JSON.stringify({ x: 'y'.repeat(140 * 1024) });
    await expect(h.eb.send(new PutEventsCommand({ Entries: [entry({ Detail: big }), entry({ Detail: big })] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });

  test('a custom bus by ARN, Input and InputPath', async () => {
    const bus = await h.eb.send(new CreateEventBusCommand({ Name: 'shop' }));
    const q1 = await ruleToQueue('const', { source: ['shop.app'] }, { Input: '{"fixed":true}' }, 'shop');
    const q2 = await ruleToQueue('path', { source: ['shop.app'] }, { InputPath: '$.detail.orderId' }, 'shop');
    await h.eb.send(new PutEventsCommand({ Entries: [entry({ Source: 'shop.app', EventBusName: bus.EventBusArn })] }));
    expect((await h.receive(q1.url))[0]?.Body).toBe('{"fixed":true}');
    expect((await h.receive(q2.url))[0]?.Body).toBe('"o-1"');
  });

  test('InputTransformer: JSON template and text template', async () => {
    const paths = { id: '$.detail.orderId', amount: '$.detail.amount', detail: '$.detail' };
    const q1 = await ruleToQueue('xf-json', { source: ['xf.app'] }, {
      InputTransformer: {
        InputPathsMap: paths,
        InputTemplate: '{"order": <id>, "text": "order <id> for <amount>", "all": <detail>, "rule": "<aws.events.rule-name>"}',
      },
    });
    const q2 = await ruleToQueue('xf-text', { source: ['xf.app'] }, {
      InputTransformer: { InputPathsMap: paths, InputTemplate: '"order <id> is worth <amount>"' },
    });
    await h.eb.send(new PutEventsCommand({ Entries: [entry({ Source: 'xf.app' })] }));
    expect(JSON.parse((await h.receive(q1.url))[0]?.Body ?? '')).toEqual({
      order: 'o-1',
      text: 'order o-1 for 42',
      all: { orderId: 'o-1', amount: 42 },
      rule: 'xf-json',
    });
    expect((await h.receive(q2.url))[0]?.Body).toBe('"order o-1 is worth 42"');
  });

  test('FIFO queue targets take the group id from SqsParameters', async () => {
    const q = await h.queue('fifo-t.fifo', { FifoQueue: 'true' });
    await h.eb.send(new PutRuleCommand({ Name: 'fifo', EventPattern: JSON.stringify({ source: ['fifo.app'] }) }));
    const bad = await h.eb.send(new PutTargetsCommand({ Rule: 'fifo', Targets: [{ Id: 'f', Arn: q.arn }] }));
    expect(bad.FailedEntryCount).toBe(1);
    await h.eb.send(new PutTargetsCommand({ Rule: 'fifo', Targets: [{ Id: 'f', Arn: q.arn, SqsParameters: { MessageGroupId: 'g1' } }] }));
    await h.eb.send(new PutEventsCommand({ Entries: [entry({ Source: 'fifo.app' })] }));
    const [m] = await h.receive(q.url);
    expect(m?.Attributes?.MessageGroupId).toBe('g1');
  });

  test('another event bus as target, also in another account', async () => {
    const other = h.clients('111111111111');
    const remoteBus = await other.eb.send(new CreateEventBusCommand({ Name: 'central' }));
    const remoteQueue = await h.queue('central-q', undefined, other.sqs);
    await other.eb.send(new PutPermissionCommand({ EventBusName: 'central', Action: 'events:PutEvents', Principal: '000000000000', StatementId: 'from-main' }));
    await other.eb.send(new PutRuleCommand({ Name: 'collect', EventBusName: 'central', EventPattern: JSON.stringify({ source: ['fwd.app'] }) }));
    await other.eb.send(new PutTargetsCommand({ Rule: 'collect', EventBusName: 'central', Targets: [{ Id: 'q', Arn: remoteQueue.arn }] }));
    await h.eb.send(new PutRuleCommand({ Name: 'forward', EventPattern: JSON.stringify({ source: ['fwd.app'] }) }));
    await h.eb.send(new PutTargetsCommand({ Rule: 'forward', Targets: [{ Id: 'bus', Arn: remoteBus.EventBusArn }] }));
    const r = await h.eb.send(new PutEventsCommand({ Entries: [entry({ Source: 'fwd.app' })] }));
    const [m] = await h.receive(remoteQueue.url, other.sqs);
    expect(JSON.parse(m?.Body ?? '')).toMatchObject({ id: r.Entries?.[0]?.EventId, account: '000000000000', source: 'fwd.app' });
  });
});

describe('bus to bus', () => {
  test('PutEvents to another account bus by ARN', async () => {
    const other = h.clients('222222222222');
    const bus = await other.eb.send(new CreateEventBusCommand({ Name: 'inbox' }));
    const q = await h.queue('inbox-q', undefined, other.sqs);
    await other.eb.send(new PutPermissionCommand({ EventBusName: 'inbox', Action: 'events:PutEvents', Principal: '*', StatementId: 'anyone' }));
    await other.eb.send(new PutRuleCommand({ Name: 'all', EventBusName: 'inbox', EventPattern: JSON.stringify({ source: ['x.app'] }) }));
    await other.eb.send(new PutTargetsCommand({ Rule: 'all', EventBusName: 'inbox', Targets: [{ Id: 'q', Arn: q.arn }] }));
    const r = await h.eb.send(new PutEventsCommand({ Entries: [entry({ Source: 'x.app', EventBusName: bus.EventBusArn })] }));
    expect(r.FailedEntryCount).toBe(0);
    const [m] = await h.receive(q.url, other.sqs);
    expect(JSON.parse(m?.Body ?? '')).toMatchObject({ account: '000000000000', source: 'x.app' });
  });

  test('a cycle of buses stops', async () => {
    const a = await h.eb.send(new CreateEventBusCommand({ Name: 'ping' }));
    const b = await h.eb.send(new CreateEventBusCommand({ Name: 'pong' }));
    const pattern = JSON.stringify({ source: ['loop.app'] });
    await h.eb.send(new PutRuleCommand({ Name: 'to-pong', EventBusName: 'ping', EventPattern: pattern }));
    await h.eb.send(new PutTargetsCommand({ Rule: 'to-pong', EventBusName: 'ping', Targets: [{ Id: 'b', Arn: b.EventBusArn }] }));
    await h.eb.send(new PutRuleCommand({ Name: 'to-ping', EventBusName: 'pong', EventPattern: pattern }));
    await h.eb.send(new PutTargetsCommand({ Rule: 'to-ping', EventBusName: 'pong', Targets: [{ Id: 'a', Arn: a.EventBusArn }] }));
    const r = await h.eb.send(new PutEventsCommand({ Entries: [entry({ Source: 'loop.app', EventBusName: 'ping' })] }));
    expect(r.FailedEntryCount).toBe(0);
  });
});
