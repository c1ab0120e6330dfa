// Visibility, delays, retention, long polling, dead-letter moves, purge window and move tasks, on a fake clock.
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FakeClock } from '../../core/clock.js';
import { startHarness, until, type Harness } from './harness.js';

let h: Harness;
let clock: FakeClock;
beforeAll(async () => {
  h = await startHarness({ fakeClock: true });
  clock = h.clock as FakeClock;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

const ARN = (name: string): string => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const create = async (QueueName: string, Attributes?: Record<string, string>): Promise<string> =>
  (await h.sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl ?? '';
const counts = async (QueueUrl: string): Promise<[number, number, number]> => {
  const a = (await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
  return [Number(a.ApproximateNumberOfMessages), Number(a.ApproximateNumberOfMessagesNotVisible), Number(a.ApproximateNumberOfMessagesDelayed)];
};
const receive = (QueueUrl: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}) =>
  h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, AttributeNames: ['All'], ...extra }));
const waiting = (name: string): number => h.internal().waitingReceives(ARN(name));

describe('visibility, delay, retention', () => {
  test('a received message reappears when its visibility timeout expires', async () => {
    const url = await create('vis', { VisibilityTimeout: '30' });
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const first = await receive(url);
    expect(first.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(await counts(url)).toEqual([0, 1, 0]);
    await clock.advance(29_999);
    expect((await receive(url)).Messages).toBeUndefined();
    await clock.advance(1);
    const second = await receive(url);
    expect(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second.Messages?.[0]?.Attributes?.ApproximateFirstReceiveTimestamp).toBe(first.Messages?.[0]?.Attributes?.ApproximateFirstReceiveTimestamp);
  });

  test('VisibilityTimeout on receive and the 12-hour total limit of ChangeMessageVisibility', async () => {
    const url = await create('limit');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const r = await receive(url, { VisibilityTimeout: 5 });
    await clock.advance(5_000);
    const again = await receive(url, { VisibilityTimeout: 43_200 });
    const handle = again.Messages?.[0]?.ReceiptHandle;
    await clock.advance(1_000_000);
    await expect(
      h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 43_200 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    });
    await h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 100 }));
    await expect(
      h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: r.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 1 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('The receipt handle has expired') as unknown });
  });

  test('queue and per-message delays; ApproximateNumberOfMessagesDelayed', async () => {
    const url = await create('delay', { DelaySeconds: '10' });
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'queue delay' }));
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'own delay', DelaySeconds: 2 }));
    expect(await counts(url)).toEqual([0, 0, 2]);
    await clock.advance(2_000);
    expect((await receive(url, { VisibilityTimeout: 0 })).Messages?.map((m) => m.Body)).toEqual(['own delay']);
    await clock.advance(8_000);
    expect(await counts(url)).toEqual([2, 0, 0]);
  });

  test('messages expire after MessageRetentionPeriod', async () => {
    const url = await create('retention', { MessageRetentionPeriod: '60' });
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old' }));
    await clock.advance(30_000);
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'new' }));
    await clock.advance(30_000);
    expect((await receive(url)).Messages?.map((m) => m.Body)).toEqual(['new']);
  });
});

describe('long polling', () => {
  test('answers as soon as a message is sent', async () => {
    const url = await create('lp');
    const pending = receive(url, { WaitTimeSeconds: 20 });
    await until(() => waiting('lp') === 1, 'the receive to wait');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'now' }));
    expect((await pending).Messages?.[0]?.Body).toBe('now');
    expect(waiting('lp')).toBe(0);
  });

  test('returns empty when the wait time ends; the queue default ReceiveMessageWaitTimeSeconds applies', async () => {
    const url = await create('lp-empty', { ReceiveMessageWaitTimeSeconds: '5' });
    const pending = receive(url);
    await until(() => waiting('lp-empty') === 1, 'the receive to wait');
    await clock.advance(4_999);
    expect(waiting('lp-empty')).toBe(1);
    await clock.advance(1);
    expect((await pending).Messages).toBeUndefined();
  });

  test('a delayed message that comes due during the wait is returned', async () => {
    const url = await create('lp-delay');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 3 }));
    const pending = receive(url, { WaitTimeSeconds: 10 });
    await until(() => waiting('lp-delay') === 1, 'the receive to wait');
    await clock.advance(3_000);
    expect((await pending).Messages?.[0]?.Body).toBe('later');
  });

  test('hundreds of concurrent waiters each get a message', async () => {
    const url = await create('lp-many');
    const many = new SQSClient({
      endpoint: h.sy.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: { httpAgent: { maxSockets: 400 } },
    });
    try {
      const n = 200;
      const receives = Array.from({ length: n }, () => many.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 })));
      await until(() => waiting('lp-many') === n, `${n} receives to wait`);
      for (let b = 0; b < n / 10; b++) {
        await h.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `${b}-${i}` })) }),
        );
      }
      const results = await Promise.all(receives);
      const bodies = new Set(results.map((r) => r.Messages?.[0]?.Body));
      expect(bodies.size).toBe(n);
    } finally {
      many.destroy();
    }
  });

  test('deleting an in-flight FIFO message wakes a receiver waiting on its group', async () => {
    const url = await create('lp-group.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first', MessageGroupId: 'g' }));
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'second', MessageGroupId: 'g' }));
    const first = await receive(url, { MaxNumberOfMessages: 1 });
    const pending = receive(url, { WaitTimeSeconds: 20 });
    await until(() => waiting('lp-group.fifo') === 1, 'the receive to wait');
    await h.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }));
    expect((await pending).Messages?.map((m) => m.Body)).toEqual(['second']);
  });

  test('stops when the client disconnects or the queue is deleted', async () => {
    const url = await create('lp-stop');
    const abort = new AbortController();
    const gone = receive(url, { WaitTimeSeconds: 20 }, ).catch(() => 'aborted');
    const aborted = h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }), { abortSignal: abort.signal }).catch(() => 'aborted');
    await until(() => waiting('lp-stop') === 2, 'two receives to wait');
    abort.abort();
    expect(await aborted).toBe('aborted');
    await until(() => waiting('lp-stop') === 1, 'the disconnected receive to stop');
    await h.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(await gone).toEqual(expect.objectContaining({ $metadata: expect.anything() as unknown }));
  });
});

describe('dead-letter queues', () => {
  test('a message received maxReceiveCount times moves to the DLQ on the next receive, keeping its attributes', async () => {
    const dlq = await create('dead');
    const src = await create('work', {
      VisibilityTimeout: '10',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: ARN('dead'), maxReceiveCount: 2 }),
    });
    const sent = await h.sqs.send(
      new SendMessageCommand({ QueueUrl: src, MessageBody: 'poison', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }),
    );
    expect((await receive(src)).Messages).toHaveLength(1);
    await clock.advance(10_000);
    expect((await receive(src)).Messages).toHaveLength(1);
    await clock.advance(10_000);
    expect((await receive(src)).Messages).toBeUndefined();
    const dead = await receive(dlq, { MessageAttributeNames: ['All'] });
    const m = dead.Messages?.[0];
    expect(m?.MessageId).toBe(sent.MessageId);
    expect(m?.Body).toBe('poison');
    expect(m?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(m?.Attributes?.DeadLetterQueueSourceArn).toBe(ARN('work'));
    expect(await counts(src)).toEqual([0, 0, 0]);
  });

  test('a DLQ whose RedriveAllowPolicy later denies the source receives nothing', async () => {
    const dlq = await create('deny-dead');
    const src = await create('deny-src', {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: ARN('deny-dead'), maxReceiveCount: 1 }),
    });
    await h.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' } }));
    await h.sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'x' }));
    await receive(src);
    await clock.advance(1_000);
    expect((await receive(src)).Messages).toHaveLength(1);
    expect(await counts(dlq)).toEqual([0, 0, 0]);
  });

  test('StartMessageMoveTask moves messages back at MaxNumberOfMessagesPerSecond; List and Cancel', async () => {
    await create('mt-dead');
    const src = await create('mt-src', {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: ARN('mt-dead'), maxReceiveCount: 1 }),
    });
    await h.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: src, Entries: Array.from({ length: 5 }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) }),
    );
    await receive(src);
    expect((await receive(src)).Messages).toBeUndefined();
    const dead = `${h.sy.endpoint}/000000000000/mt-dead`;
    expect((await counts(dead))[0]).toBe(5);
    await expect(h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: ARN('mt-src') }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    const { TaskHandle } = await h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: ARN('mt-dead'), MaxNumberOfMessagesPerSecond: 2 }));
    expect(JSON.parse(Buffer.from(TaskHandle ?? '', 'base64').toString())).toMatchObject({ sourceArn: ARN('mt-dead') });
    const list = async () => (await h.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: ARN('mt-dead'), MaxResults: 10 }))).Results ?? [];
    expect(await list()).toEqual([
      {
        TaskHandle,
        Status: 'RUNNING',
        SourceArn: ARN('mt-dead'),
        MaxNumberOfMessagesPerSecond: 2,
        ApproximateNumberOfMessagesMoved: 0,
        ApproximateNumberOfMessagesToMove: 5,
        StartedTimestamp: clock.now(),
      },
    ]);
    await clock.advance(0);
    expect((await list())[0]?.ApproximateNumberOfMessagesMoved).toBe(2);
    await expect(h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: ARN('mt-dead') }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await clock.advance(1_000);
    expect((await list())[0]?.ApproximateNumberOfMessagesMoved).toBe(4);
    await clock.advance(1_000);
    expect((await list())[0]).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 5 });
    expect((await list())[0]?.TaskHandle).toBeUndefined();
    expect(await counts(src)).toEqual([5, 0, 0]);
    expect(await counts(dead)).toEqual([0, 0, 0]);

    // Back to the DLQ, then a task that is cancelled part-way.
    await receive(src);
    await receive(src);
    const second = await h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: ARN('mt-dead'), MaxNumberOfMessagesPerSecond: 1 }));
    await clock.advance(0);
    const cancelled = await h.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: second.TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBe(1);
    await clock.advance(0);
    expect((await list())[0]).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 1 });
    expect(await list()).toHaveLength(2);
    await expect(h.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'bm9wZQ==' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

test('a move task with DestinationArn sends every message there', async () => {
  await create('to-dead');
  const src = await create('to-src', {
    VisibilityTimeout: '0',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: ARN('to-dead'), maxReceiveCount: 1 }),
  });
  const other = await create('to-other');
  await h.sqs.send(new SendMessageBatchCommand({ QueueUrl: src, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] }));
  await receive(src);
  await receive(src);
  await h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: ARN('to-dead'), DestinationArn: ARN('to-other') }));
  await clock.advance(0);
  const tasks = await h.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: ARN('to-dead') }));
  expect(tasks.Results?.[0]).toMatchObject({ Status: 'COMPLETED', DestinationArn: ARN('to-other'), ApproximateNumberOfMessagesMoved: 2 });
  const moved = await receive(other);
  expect(moved.Messages?.map((m) => m.Body).sort()).toEqual(['a', 'b']);
  expect(moved.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
});

describe('purge and FIFO windows', () => {
  test('PurgeQueue deletes messages; a second purge within 60 s is PurgeQueueInProgress', async () => {
    const url = await create('purge');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await h.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await counts(url)).toEqual([0, 0, 0]);
    const err = await h.sqs.send(new PurgeQueueCommand({ QueueUrl: url })).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'PurgeQueueInProgress',
      message: 'Only one PurgeQueue operation on purge is allowed every 60 seconds.',
      Code: 'AWS.SimpleQueueService.PurgeQueueInProgress',
      $metadata: { httpStatusCode: 403 },
    });
    await clock.advance(60_000);
    await h.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  });

  test('FIFO deduplication lasts five minutes', async () => {
    const url = await create('dedup.fifo', { FifoQueue: 'true' });
    const send = () => h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    const a = await send();
    await clock.advance(299_000);
    const b = await send();
    expect(b.MessageId).toBe(a.MessageId);
    expect(b.SequenceNumber).toBe(a.SequenceNumber);
    expect((await counts(url))[0]).toBe(1);
    await clock.advance(1_000);
    const c = await send();
    expect(c.MessageId).not.toBe(a.MessageId);
    expect((await counts(url))[0]).toBe(2);
  });

  test('ReceiveRequestAttemptId returns the same messages within five minutes', async () => {
    const url = await create('attempt.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'one', MessageGroupId: 'g' }));
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'two', MessageGroupId: 'g' }));
    const first = await receive(url, { ReceiveRequestAttemptId: 'try-1' });
    const retry = await receive(url, { ReceiveRequestAttemptId: 'try-1' });
    expect(retry.Messages?.map((m) => m.ReceiptHandle)).toEqual(first.Messages?.map((m) => m.ReceiptHandle));
    expect((await receive(url, { ReceiveRequestAttemptId: 'try-2' })).Messages).toBeUndefined();
  });
});
