import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startSnsHarness, type SnsHarness } from './harness.js';

let h: SnsHarness;
beforeAll(async () => {
  h = await startSnsHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

describe("AWS's quotas", () => {
  test('1,000 FIFO topics per account and region; standard topics are counted apart', async () => {
    for (let i = 0; i < 1000; i++) {
      await h.sns.send(new CreateTopicCommand({ Name: `f${i}.fifo`, Attributes: { FifoTopic: 'true' } }));
    }
    await expect(h.sns.send(new CreateTopicCommand({ Name: 'one-more.fifo', Attributes: { FifoTopic: 'true' } }))).rejects.toMatchObject({
      name: 'TopicLimitExceededException',
      message: 'Topic limit exceeded',
    });
    // creating an existing topic again is not a new topic
    await h.sns.send(new CreateTopicCommand({ Name: 'f0.fifo', Attributes: { FifoTopic: 'true' } }));
    await h.sns.send(new CreateTopicCommand({ Name: 'standard' }));
    const other = h.clients('111122223333').sns;
    await other.send(new CreateTopicCommand({ Name: 'f0.fifo', Attributes: { FifoTopic: 'true' } }));
  }, 60_000);

  test('200 filter policies per topic', async () => {
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'filtered' }))).TopicArn ?? '';
    const filter = { FilterPolicy: '{"k":["v"]}' };
    for (let i = 0; i < 200; i++) {
      await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:q${i}`, Attributes: filter }));
    }
    await expect(
      h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q200', Attributes: filter })),
    ).rejects.toMatchObject({ name: 'FilterPolicyLimitExceededException', message: 'Filter policy limit exceeded' });
    // a subscription without a filter is fine, and cannot gain one
    const plain = await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q200' }));
    await expect(
      h.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: plain.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: filter.FilterPolicy })),
    ).rejects.toMatchObject({ name: 'FilterPolicyLimitExceededException' });
    // subscribing again with the same attributes answers the existing subscription
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q0', Attributes: filter }));
  }, 30_000);
});

describe('KMS settings', () => {
  test('KmsMasterKeyId is kept as given (AWS checks the key when it is used); messages are not encrypted locally', async () => {
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'sse', Attributes: { KmsMasterKeyId: 'alias/aws/sns' } }))).TopicArn ?? '';
    expect((await h.sns.send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes?.KmsMasterKeyId).toBe('alias/aws/sns');
    const key = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    await h.sns.send(new SetTopicAttributesCommand({ TopicArn: topic, AttributeName: 'KmsMasterKeyId', AttributeValue: key }));
    expect((await h.sns.send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes?.KmsMasterKeyId).toBe(key);
    const q = await h.queue('sse-q');
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'clear text' }));
    expect((await h.receive(q.url)).map((m) => m.Body)).toEqual(['clear text']);
    await h.sns.send(new SetTopicAttributesCommand({ TopicArn: topic, AttributeName: 'KmsMasterKeyId', AttributeValue: '' }));
    expect((await h.sns.send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes).not.toHaveProperty('KmsMasterKeyId');
  });
});

describe('subscription attributes', () => {
  test('firehose subscriptions need a SubscriptionRoleArn that is a role', async () => {
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'to-firehose' }))).TopicArn ?? '';
    const stream = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/s';
    await expect(h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'firehose', Endpoint: stream }))).rejects.toThrow(
      'Invalid parameter: Attributes Reason: SubscriptionRoleArn is required for the firehose protocol',
    );
    await expect(
      h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'firehose', Endpoint: stream, Attributes: { SubscriptionRoleArn: 'role' } })),
    ).rejects.toThrow('Invalid parameter: Attributes Reason: SubscriptionRoleArn: Invalid role ARN [role]');
    const role = 'arn:aws:iam::000000000000:role/sns-to-firehose';
    const sub = await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'firehose', Endpoint: stream, Attributes: { SubscriptionRoleArn: role } }));
    expect((await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes?.SubscriptionRoleArn).toBe(role);
  });
});

describe('FIFO message archiving and replay', () => {
  test('ArchivePolicy keeps messages; a ReplayPolicy replays its window to a new subscription, as first published', async () => {
    const fifo = { FifoTopic: 'true', ContentBasedDeduplication: 'true' };
    await expect(h.sns.send(new CreateTopicCommand({ Name: 'std', Attributes: { ArchivePolicy: '{"MessageRetentionPeriod":"7"}' } }))).rejects.toThrow(
      'Invalid parameter: ArchivePolicy: Message archiving is only supported on FIFO topics',
    );
    await expect(
      h.sns.send(new CreateTopicCommand({ Name: 'bad.fifo', Attributes: { ...fifo, ArchivePolicy: '{"MessageRetentionPeriod":"400"}' } })),
    ).rejects.toThrow('Invalid parameter: ArchivePolicy: MessageRetentionPeriod must be an integer between 1 and 365');
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'kept.fifo', Attributes: { ...fifo, ArchivePolicy: '{"MessageRetentionPeriod":"7"}' } })))
      .TopicArn ?? '';
    const attrs = (await h.sns.send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes;
    expect(attrs?.ArchivePolicy).toBe('{"MessageRetentionPeriod":"7"}');
    expect(Date.parse(attrs?.BeginningArchiveTime ?? '')).not.toBeNaN();
    const published = [];
    for (const [m, color] of [['one', 'red'], ['two', 'blue'], ['three', 'red']] as const) {
      published.push(
        await h.sns.send(
          new PublishCommand({ TopicArn: topic, Message: m, MessageGroupId: 'g', MessageAttributes: { color: { DataType: 'String', StringValue: color } } }),
        ),
      );
    }
    const q = await h.queue('replay.fifo', { FifoQueue: 'true' });
    const sub = await h.sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'sqs',
        Endpoint: q.arn,
        Attributes: {
          FilterPolicy: '{"color":["red"]}',
          ReplayPolicy: JSON.stringify({ PointType: 'Timestamp', StartingPoint: new Date(Date.now() - 60_000).toISOString() }),
        },
      }),
    );
    const got = (await h.receive(q.url)).map((m) => JSON.parse(m.Body ?? '{}') as { Message: string; MessageId: string; SequenceNumber: string });
    expect(got.map((n) => n.Message)).toEqual(['one', 'three']);
    expect(got.map((n) => n.MessageId)).toEqual([published[0]?.MessageId, published[2]?.MessageId]);
    expect(got.map((n) => n.SequenceNumber)).toEqual([published[0]?.SequenceNumber, published[2]?.SequenceNumber]);
    expect((await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes?.ReplayStatus).toBe('Completed');
    await expect(
      h.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn, AttributeName: 'ReplayPolicy', AttributeValue: '{"PointType":"Offset"}' })),
    ).rejects.toThrow('Invalid parameter: ReplayPolicy: PointType must be Timestamp');
    // an empty policy stops archiving
    await h.sns.send(new SetTopicAttributesCommand({ TopicArn: topic, AttributeName: 'ArchivePolicy', AttributeValue: '{}' }));
    expect((await h.sns.send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes).not.toHaveProperty('BeginningArchiveTime');
  });
});
