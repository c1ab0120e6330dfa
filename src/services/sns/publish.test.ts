import {
  CreateTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  type PublishCommandInput,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startSnsHarness, verifySnsSignature, type SnsHarness } from './harness.js';

let h: SnsHarness;
beforeAll(async () => {
  h = await startSnsHarness({ fakeClock: true });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

const createTopic = async (Name: string, Attributes?: Record<string, string>): Promise<string> =>
  (await h.sns.send(new CreateTopicCommand({ Name, Attributes }))).TopicArn ?? '';
const subscribe = async (TopicArn: string, queueArn: string, Attributes?: Record<string, string>): Promise<string> =>
  (await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes }))).SubscriptionArn ?? '';
const error = async (p: Promise<unknown>): Promise<{ name: string; message: string }> => {
  try {
    await p;
  } catch (e) {
    const err = e as Error;
    return { name: err.name, message: err.message };
  }
  throw new Error('expected an error');
};

describe('Publish to SQS', () => {
  test('the SNS envelope, exactly as AWS lays it out', async () => {
    const topic = await createTopic('env');
    const q = await h.queue('env-q');
    const sub = await subscribe(topic, q.arn);
    const r = await h.sns.send(
      new PublishCommand({
        TopicArn: topic,
        Message: 'hello "world"',
        Subject: 'Greeting',
        MessageAttributes: {
          color: { DataType: 'String', StringValue: 'red' },
          size: { DataType: 'Number', StringValue: '42' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    expect(r.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const [m] = await h.receive(q.url);
    const body = m?.Body ?? '';
    expect(body.startsWith('{\n  "Type" : "Notification",\n  "MessageId" : ')).toBe(true);
    const n = JSON.parse(body) as Record<string, unknown>;
    expect(Object.keys(n)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    expect(n).toMatchObject({
      Type: 'Notification',
      MessageId: r.MessageId,
      TopicArn: topic,
      Subject: 'Greeting',
      Message: 'hello "world"',
      Timestamp: '2026-01-01T00:00:00.000Z',
      SignatureVersion: '1',
      MessageAttributes: {
        color: { Type: 'String', Value: 'red' },
        size: { Type: 'Number', Value: '42' },
        blob: { Type: 'Binary', Value: 'AQID' },
      },
    });
    expect(n.SigningCertURL).toBe(`${h.sy.endpoint}/_switchyard/sns/SimpleNotificationService-switchyard.pem`);
    expect(n.UnsubscribeURL).toContain(`Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub)}`);
    expect(Buffer.from(String(n.Signature), 'base64')).toHaveLength(256);
    expect(await verifySnsSignature(n)).toBe(true);
    expect(await verifySnsSignature({ ...n, Message: 'tampered' })).toBe(false);
    expect(m?.MessageAttributes).toBeUndefined();
  });

  test('no Subject and no attributes: those keys are absent', async () => {
    const topic = await createTopic('plain');
    const q = await h.queue('plain-q');
    await subscribe(topic, q.arn);
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'x' }));
    const n = JSON.parse((await h.receive(q.url))[0]?.Body ?? '{}') as Record<string, unknown>;
    expect(n).not.toHaveProperty('Subject');
    expect(n).not.toHaveProperty('MessageAttributes');
  });

  test('raw message delivery: the body is the message and attributes become SQS message attributes', async () => {
    const topic = await createTopic('raw');
    const q = await h.queue('raw-q');
    await subscribe(topic, q.arn, { RawMessageDelivery: 'true' });
    await h.sns.send(
      new PublishCommand({
        TopicArn: topic,
        Message: '{"order":1}',
        MessageAttributes: {
          color: { DataType: 'String', StringValue: 'red' },
          n: { DataType: 'Number', StringValue: '1.5' },
          b: { DataType: 'Binary', BinaryValue: new Uint8Array([9]) },
        },
      }),
    );
    const [m] = await h.receive(q.url);
    expect(m?.Body).toBe('{"order":1}');
    expect(m?.MessageAttributes?.color).toMatchObject({ DataType: 'String', StringValue: 'red' });
    expect(m?.MessageAttributes?.n).toMatchObject({ DataType: 'Number', StringValue: '1.5' });
    expect(Array.from(m?.MessageAttributes?.b?.BinaryValue ?? [])).toEqual([9]);
  });

  test('fan-out to every subscription; MessageStructure json picks the sqs entry or default', async () => {
    const topic = await createTopic('fan');
    const a = await h.queue('fan-a');
    const b = await h.queue('fan-b');
    await subscribe(topic, a.arn);
    await subscribe(topic, b.arn, { RawMessageDelivery: 'true' });
    await h.sns.send(
      new PublishCommand({ TopicArn: topic, MessageStructure: 'json', Message: JSON.stringify({ default: 'dflt', sqs: 'for sqs', email: 'e' }) }),
    );
    expect((JSON.parse((await h.receive(a.url))[0]?.Body ?? '{}') as { Message: string }).Message).toBe('for sqs');
    expect((await h.receive(b.url))[0]?.Body).toBe('for sqs');
    const noDefault = await error(h.sns.send(new PublishCommand({ TopicArn: topic, MessageStructure: 'json', Message: '{"sqs":"x"}' })));
    expect(noDefault).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
    });
    expect((await error(h.sns.send(new PublishCommand({ TopicArn: topic, MessageStructure: 'json', Message: 'nope' })))).message).toBe(
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
  });

  test('validation: empty message, size, subject, attributes, target', async () => {
    const topic = await createTopic('val');
    const cases: [Omit<PublishCommandInput, 'TopicArn'>, string, string][] = [
      [{ Message: '' }, 'InvalidParameterException', 'Invalid parameter: Empty message'],
      [{ Message: 'x'.repeat(262_145) }, 'InvalidParameterException', 'Invalid parameter: Message too long'],
      [{ Message: 'x', Subject: 'line\nbreak' }, 'InvalidParameterException', 'Invalid parameter: Subject'],
      [{ Message: 'x', Subject: 's'.repeat(100) }, 'InvalidParameterException', 'Invalid parameter: Subject'],
      [
        { Message: 'x', MessageAttributes: { a: { DataType: 'Float', StringValue: '1' } } },
        'InvalidParameterException',
        "Invalid parameter: The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
      ],
      [
        { Message: 'x', MessageAttributes: { a: { DataType: 'Number', StringValue: 'abc' } } },
        'InvalidParameterValueException',
        "Could not cast message attribute 'a' value to number.",
      ],
      [
        { Message: 'x', MessageAttributes: { a: { DataType: 'String', StringValue: '' } } },
        'InvalidParameterException',
        "Invalid parameter: The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'.",
      ],
      [{ Message: 'x', MessageDeduplicationId: 'd' }, 'InvalidParameterException', 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type'],
    ];
    for (const [input, name, message] of cases) {
      expect(await error(h.sns.send(new PublishCommand({ TopicArn: topic, ...input })))).toEqual({ name, message });
    }
    expect(await createTopic('ok')).toBeTruthy();
    expect((await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'x'.repeat(262_144) }))).MessageId).toBeTruthy();
    expect((await error(h.sns.send(new PublishCommand({ TopicArn: `${topic}-missing`, Message: 'x' })))).name).toBe('NotFoundException');
    expect((await error(h.sns.send(new PublishCommand({ Message: 'x' })))).name).toBe('InvalidParameterException');
  });

  test('a subscriber whose queue is gone never stops the others; its message goes to the redrive DLQ', async () => {
    const topic = await createTopic('dlq');
    const gone = await h.queue('gone-q');
    const ok = await h.queue('ok-q');
    const dlq = await h.queue('the-dlq');
    await subscribe(topic, gone.arn, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
    await subscribe(topic, ok.arn, { RawMessageDelivery: 'true' });
    await h.sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'lost' }));
    await h.clock?.advance(1);
    expect((await h.receive(ok.url)).map((m) => m.Body)).toEqual(['lost']);
    const dead = await h.receive(dlq.url);
    expect((JSON.parse(dead[0]?.Body ?? '{}') as { Message: string }).Message).toBe('lost');
    expect(h.internal().pendingRetries()).toBe(0);
  });

  test('cross-account: a topic delivers to a queue of another account', async () => {
    const other = h.clients('111111111111');
    const q = await h.queue('theirs', undefined, other.sqs);
    expect(q.arn).toContain(':111111111111:');
    const topic = await createTopic('mine');
    await subscribe(topic, q.arn, { RawMessageDelivery: 'true' });
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'across' }));
    expect((await h.receive(q.url, other.sqs)).map((m) => m.Body)).toEqual(['across']);
  });
});

describe('FIFO topics', () => {
  test('to a FIFO queue: group id, sequence numbers, 5-minute deduplication, content-based dedup', async () => {
    const topic = await createTopic('orders.fifo', { FifoTopic: 'true' });
    const q = await h.queue('orders.fifo', { FifoQueue: 'true' });
    await subscribe(topic, q.arn, { RawMessageDelivery: 'true' });
    const missing = await error(h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'a' })));
    expect(missing.message).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    const noDedup = await error(h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'a', MessageGroupId: 'g' })));
    expect(noDedup.message).toBe(
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    const first = await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'a', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    const dup = await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'a2', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    const second = await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'b', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }));
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    expect(dup.MessageId).toBe(first.MessageId);
    expect(BigInt(second.SequenceNumber ?? '0')).toBeGreaterThan(BigInt(first.SequenceNumber ?? '0'));
    const got = await h.receive(q.url);
    expect(got.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([
      ['a', 'g'],
      ['b', 'g'],
    ]);
    await h.clock?.advance(5 * 60_000);
    const after = await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'c', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    expect(after.MessageId).not.toBe(first.MessageId);
  });

  test('content-based deduplication; the envelope carries SequenceNumber', async () => {
    const topic = await createTopic('cbd.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const q = await h.queue('cbd.fifo', { FifoQueue: 'true' });
    await subscribe(topic, q.arn);
    const a = await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'same', MessageGroupId: 'g' }));
    const b = await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'same', MessageGroupId: 'g' }));
    expect(b.MessageId).toBe(a.MessageId);
    const msgs = await h.receive(q.url);
    expect(msgs).toHaveLength(1);
    const n = JSON.parse(msgs[0]?.Body ?? '{}') as Record<string, unknown>;
    expect(n.SequenceNumber).toBe(a.SequenceNumber);
    expect(Object.keys(n).slice(0, 4)).toEqual(['Type', 'MessageId', 'SequenceNumber', 'TopicArn']);
  });

  test('concurrent publishes reach the queue in sequence-number order, each envelope signed', async () => {
    const topic = await createTopic('burst.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true', SignatureVersion: '2' });
    const q = await h.queue('burst.fifo', { FifoQueue: 'true' });
    await subscribe(topic, q.arn);
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.sns.send(new PublishCommand({ TopicArn: topic, Message: `m${i}`, MessageGroupId: 'g' }))),
    );
    const bySequence = [...sent].sort((x, y) => (BigInt(x.SequenceNumber ?? 0) < BigInt(y.SequenceNumber ?? 0) ? -1 : 1));
    const got = (await h.receive(q.url)).map((m) => JSON.parse(m.Body ?? '{}') as Record<string, string>);
    expect(got.map((n) => n.MessageId)).toEqual(bySequence.map((r) => r.MessageId));
    for (const n of got) expect(await verifySnsSignature(n)).toBe(true);
  });
});

describe('PublishBatch', () => {
  test('per-entry results and failures; batch-level errors', async () => {
    const topic = await createTopic('batch');
    const q = await h.queue('batch-q');
    await subscribe(topic, q.arn, { RawMessageDelivery: 'true' });
    const r = await h.sns.send(
      new PublishBatchCommand({
        TopicArn: topic,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'm1' },
          { Id: 'two', Message: '' },
          { Id: 'three', Message: 'm3', MessageAttributes: { n: { DataType: 'Number', StringValue: 'x' } } },
        ],
      }),
    );
    expect(r.Successful?.map((s) => s.Id)).toEqual(['one']);
    expect(r.Failed).toEqual([
      { Id: 'two', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true },
      { Id: 'three', Code: 'ParameterValueInvalid', Message: "Could not cast message attribute 'n' value to number.", SenderFault: true },
    ]);
    expect((await h.receive(q.url)).map((m) => m.Body)).toEqual(['m1']);
    const send = (entries: { Id: string; Message: string }[]) =>
      error(h.sns.send(new PublishBatchCommand({ TopicArn: topic, PublishBatchRequestEntries: entries })));
    expect((await send([])).name).toBe('EmptyBatchRequestException');
    expect((await send(Array.from({ length: 11 }, (_, i) => ({ Id: `i${i}`, Message: 'x' })))).name).toBe('TooManyEntriesInBatchRequestException');
    expect((await send([{ Id: 'a', Message: 'x' }, { Id: 'a', Message: 'y' }])).name).toBe('BatchEntryIdsNotDistinctException');
    expect((await send([{ Id: 'a b', Message: 'x' }])).name).toBe('InvalidBatchEntryIdException');
    expect((await send([{ Id: 'a', Message: 'x'.repeat(200_000) }, { Id: 'b', Message: 'x'.repeat(100_000) }])).name).toBe(
      'BatchRequestTooLongException',
    );
  });
});

describe('filter policies end to end', () => {
  test('MessageAttributes scope', async () => {
    const topic = await createTopic('filt');
    const q = await h.queue('filt-q');
    const sub = await subscribe(topic, q.arn, {
      RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify({ color: ['red', { prefix: 'bl' }], price: [{ numeric: ['>=', 10, '<', 100] }] }),
    });
    const pub = (Message: string, attrs: Record<string, [string, string]>) =>
      h.sns.send(
        new PublishCommand({
          TopicArn: topic,
          Message,
          MessageAttributes: Object.fromEntries(Object.entries(attrs).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }])),
        }),
      );
    await pub('yes1', { color: ['String', 'red'], price: ['Number', '10'] });
    await pub('yes2', { color: ['String', 'blue'], price: ['Number', '99.5'] });
    await pub('no-price', { color: ['String', 'red'] });
    await pub('no-range', { color: ['String', 'red'], price: ['Number', '100'] });
    await pub('no-color', { color: ['String', 'green'], price: ['Number', '50'] });
    await pub('string-price', { color: ['String', 'red'], price: ['String', '50'] });
    expect((await h.receive(q.url)).map((m) => m.Body).sort()).toEqual(['yes1', 'yes2']);
    await h.sns.send(
      new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: 'FilterPolicy', AttributeValue: '{"tags":["b"]}' }),
    );
    await pub('array', { tags: ['String.Array', '["a","b"]'] });
    await pub('array-no', { tags: ['String.Array', '["a","c"]'] });
    expect((await h.receive(q.url)).map((m) => m.Body)).toEqual(['array']);
  });

  test('MessageBody scope with nested keys', async () => {
    const topic = await createTopic('body');
    const q = await h.queue('body-q');
    await subscribe(topic, q.arn, {
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({ order: { status: ['paid'], total: [{ numeric: ['>', 5] }] } }),
    });
    for (const body of [
      { order: { status: 'paid', total: 10 } },
      { order: { status: 'paid', total: 1 } },
      { order: { status: 'open', total: 10 } },
      { status: 'paid', total: 10 },
    ]) {
      await h.sns.send(new PublishCommand({ TopicArn: topic, Message: JSON.stringify(body) }));
    }
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'not json' }));
    expect((await h.receive(q.url)).map((m) => m.Body)).toEqual(['{"order":{"status":"paid","total":10}}']);
  });
});
