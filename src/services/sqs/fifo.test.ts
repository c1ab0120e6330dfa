import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

const create = async (QueueName: string, Attributes?: Record<string, string>): Promise<string> =>
  (await h.sqs.send(new CreateQueueCommand({ QueueName, Attributes: { FifoQueue: 'true', ...Attributes } }))).QueueUrl ?? '';
const send = (QueueUrl: string, MessageBody: string, MessageGroupId: string, MessageDeduplicationId?: string) =>
  h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId, MessageDeduplicationId: MessageDeduplicationId ?? MessageBody }));
const count = async (QueueUrl: string): Promise<number> =>
  Number((await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages);

describe('FIFO queues', () => {
  test('strict order per group; a group is locked while a message of it is in flight', async () => {
    const url = await create('order.fifo');
    await send(url, 'a1', 'A');
    await send(url, 'b1', 'B');
    await send(url, 'a2', 'A');
    await send(url, 'a3', 'A');
    const first = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
    expect(first.Messages?.map((m) => m.Body)).toEqual(['a1']);
    const second = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(second.Messages?.map((m) => m.Body)).toEqual(['b1']);
    await h.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }));
    const third = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(third.Messages?.map((m) => m.Body)).toEqual(['a2', 'a3']);
  });

  test('messages of one group come together, then other groups', async () => {
    const url = await create('groups.fifo');
    await send(url, 'a1', 'A');
    await send(url, 'b1', 'B');
    await send(url, 'a2', 'A');
    const r = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(r.Messages?.map((m) => m.Body)).toEqual(['a1', 'a2', 'b1']);
  });

  test('system attributes: SequenceNumber (20 digits, increasing), MessageGroupId, MessageDeduplicationId', async () => {
    const url = await create('attrs.fifo');
    const a = await send(url, 'one', 'G', 'd-1');
    const b = await send(url, 'two', 'G', 'd-2');
    expect(a.SequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(b.SequenceNumber ?? '0')).toBeGreaterThan(BigInt(a.SequenceNumber ?? '0'));
    const r = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'] }));
    expect(r.Messages?.[0]?.Attributes).toMatchObject({ SequenceNumber: a.SequenceNumber, MessageGroupId: 'G', MessageDeduplicationId: 'd-1' });
  });

  test('deduplication: explicit ids, content-based, and per message group in high-throughput mode', async () => {
    const url = await create('dedup.fifo');
    const x = await send(url, 'x', 'G', 'same');
    const y = await send(url, 'y', 'H', 'same');
    expect(y.MessageId).toBe(x.MessageId);
    expect(await count(url)).toBe(1);

    const cbd = await create('cbd.fifo', { ContentBasedDeduplication: 'true' });
    const m1 = await h.sqs.send(new SendMessageCommand({ QueueUrl: cbd, MessageBody: 'body', MessageGroupId: 'G' }));
    const m2 = await h.sqs.send(new SendMessageCommand({ QueueUrl: cbd, MessageBody: 'body', MessageGroupId: 'G' }));
    expect(m2.MessageId).toBe(m1.MessageId);
    await h.sqs.send(new SendMessageCommand({ QueueUrl: cbd, MessageBody: 'other', MessageGroupId: 'G' }));
    expect(await count(cbd)).toBe(2);

    const ht = await create('ht.fifo', { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    await send(ht, 'x', 'G', 'same');
    await send(ht, 'y', 'H', 'same');
    await send(ht, 'z', 'H', 'same');
    expect(await count(ht)).toBe(2);
  });

  test('errors: MessageGroupId required, deduplication id or content-based, no per-message delay', async () => {
    const url = await create('err.fifo');
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' }))).rejects.toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    await expect(
      h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    });
    const batch = await h.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }, { Id: 'b', MessageBody: 'y' }] }),
    );
    expect(batch.Successful?.[0]?.SequenceNumber).toMatch(/^\d{20}$/);
    expect(batch.Failed?.[0]).toMatchObject({ Id: 'b', Code: 'MissingParameter', SenderFault: true });
    const standard = (await h.sqs.send(new CreateQueueCommand({ QueueName: 'std' }))).QueueUrl;
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: standard, MessageBody: 'x', MessageDeduplicationId: 'd' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });
});

describe('internal interface', () => {
  test('sendMessage by ARN and URL, queueByArn', async () => {
    const url = (await h.sqs.send(new CreateQueueCommand({ QueueName: 'inbox' }))).QueueUrl ?? '';
    const sqs = h.internal();
    const arn = 'arn:aws:sqs:us-east-1:000000000000:inbox';
    expect(sqs.queueByArn(arn)).toEqual({ arn, name: 'inbox', account: '000000000000', region: 'us-east-1', fifo: false, visibilityTimeout: 30 });
    expect(sqs.queueByArn('arn:aws:sqs:us-east-1:000000000000:none')).toBeUndefined();
    sqs.sendMessage('000000000000', 'us-east-1', arn, { body: 'from sns', attributes: { k: { DataType: 'String', StringValue: 'v' } } });
    sqs.sendMessage('000000000000', 'us-east-1', url, { body: 'by url' });
    expect(() => sqs.sendMessage('000000000000', 'us-east-1', 'arn:aws:sqs:us-east-1:000000000000:none', { body: 'x' })).toThrow(
      'The specified queue does not exist.',
    );
    const r = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(r.Messages?.map((m) => m.Body)).toEqual(['from sns', 'by url']);
    expect(r.Messages?.[0]?.MessageAttributes?.k?.StringValue).toBe('v');
  });
});

test('internal receiveMessages, changeMessageVisibility and deleteMessage (for pollers)', async () => {
  const url = (await h.sqs.send(new CreateQueueCommand({ QueueName: 'poller' }))).QueueUrl ?? '';
  const arn = 'arn:aws:sqs:us-east-1:000000000000:poller';
  const sqs = h.internal();
  sqs.sendMessage('000000000000', 'us-east-1', url, { body: 'job', attributes: { k: { DataType: 'String', StringValue: 'v' } } });
  const [m] = await sqs.receiveMessages(arn, { maxMessages: 10, visibilityTimeout: 30 });
  expect(m?.Body).toBe('job');
  expect(m?.Attributes?.ApproximateReceiveCount).toBe('1');
  expect(m?.MessageAttributes?.k?.StringValue).toBe('v');
  expect(await sqs.receiveMessages(arn, {})).toEqual([]);
  sqs.changeMessageVisibility(arn, m?.ReceiptHandle ?? '', 0);
  const [again] = await sqs.receiveMessages(arn, {});
  sqs.deleteMessage(arn, again?.ReceiptHandle ?? '');
  expect(await count(url)).toBe(0);
  await expect(sqs.receiveMessages('arn:aws:sqs:us-east-1:000000000000:none', {})).rejects.toThrow('The specified queue does not exist.');
});
