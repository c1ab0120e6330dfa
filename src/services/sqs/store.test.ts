// The store's domain operations without HTTP, as a suite any store engine can run.
import { describe, expect, test } from 'vitest';
import { defaultSettings } from './attributes.js';
import { md5Hex } from './md5.js';
import { parseReceiptHandle, SqsStore, type NewMessage } from './store.js';

const T0 = Date.UTC(2026, 0, 1);

function message(body: string, extra: Partial<NewMessage> = {}): NewMessage {
  return {
    body,
    md5OfBody: md5Hex(body),
    attributes: {},
    md5OfAttributes: undefined,
    systemAttributes: {},
    md5OfSystemAttributes: undefined,
    senderId: '000000000000',
    delaySeconds: 0,
    ...extra,
  };
}

export function runQueueStoreSuite(makeStore: () => SqsStore): void {
  describe('queue store', () => {
    test('claim hides messages for the visibility timeout, then redelivers with a new receipt', () => {
      const store = makeStore();
      const q = store.createQueue('q', false, defaultSettings(false), {}, T0);
      q.enqueue(message('a'), T0);
      const [first] = store.claimVisibleMessages(q, T0, { max: 10, visibilityTimeout: 30 });
      const receipt = first?.receipt;
      expect(parseReceiptHandle(receipt ?? '')).toMatchObject({ messageId: first?.id, queueArn: q.arn });
      expect(store.claimVisibleMessages(q, T0 + 29_999, { max: 10, visibilityTimeout: 30 })).toHaveLength(0);
      const [again] = store.claimVisibleMessages(q, T0 + 30_000, { max: 10, visibilityTimeout: 30 });
      expect(again?.receiveCount).toBe(2);
      expect(again?.receipt).not.toBe(receipt);
      q.deleteByReceipt(parseReceiptHandle(receipt ?? '') ?? { raw: '', queueArn: '', messageId: '' }, T0 + 30_000);
      expect(q.counts(T0 + 30_000)).toEqual({ visible: 0, inflight: 1, delayed: 0 });
      q.deleteByReceipt(parseReceiptHandle(again?.receipt ?? '') ?? { raw: '', queueArn: '', messageId: '' }, T0 + 30_000);
      expect(q.counts(T0 + 30_000)).toEqual({ visible: 0, inflight: 0, delayed: 0 });
    });

    test('FIFO: groups lock while in flight; deduplication within five minutes', () => {
      const store = makeStore();
      const q = store.createQueue('q.fifo', true, defaultSettings(true), {}, T0);
      q.enqueue(message('a1', { groupId: 'A', deduplicationId: '1' }), T0);
      q.enqueue(message('b1', { groupId: 'B', deduplicationId: '2' }), T0);
      q.enqueue(message('a2', { groupId: 'A', deduplicationId: '3' }), T0);
      expect(q.enqueue(message('dup', { groupId: 'A', deduplicationId: '1' }), T0 + 299_999).duplicate).toBe(true);
      expect(q.enqueue(message('later', { groupId: 'C', deduplicationId: '1' }), T0 + 300_000).duplicate).toBe(false);
      const first = store.claimVisibleMessages(q, T0, { max: 1, visibilityTimeout: 30 });
      expect(first.map((m) => m.body)).toEqual(['a1']);
      const rest = store.claimVisibleMessages(q, T0, { max: 10, visibilityTimeout: 30 });
      expect(rest.map((m) => m.body)).toEqual(['b1']);
    });

    test('dead-letter move happens in the same claim', () => {
      const store = makeStore();
      const dlq = store.createQueue('dlq', false, defaultSettings(false), {}, T0);
      const q = store.createQueue(
        'src',
        false,
        { ...defaultSettings(false), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) },
        {},
        T0,
      );
      q.enqueue(message('poison'), T0);
      expect(store.claimVisibleMessages(q, T0, { max: 1, visibilityTimeout: 0 })).toHaveLength(1);
      expect(store.claimVisibleMessages(q, T0, { max: 1, visibilityTimeout: 0 })).toHaveLength(0);
      expect(dlq.counts(T0).visible).toBe(1);
      expect([...dlq.messages.values()][0]?.deadLetterSourceArn).toBe(q.arn);
    });

    test('a large standard queue is received from without rescanning what is in flight', () => {
      const store = makeStore();
      const q = store.createQueue('big', false, defaultSettings(false), {}, T0);
      for (let i = 0; i < 20_000; i++) q.enqueue(message(`m${i}`), T0);
      const started = performance.now();
      let received = 0;
      for (let i = 0; i < 2_000; i++) received += store.claimVisibleMessages(q, T0, { max: 10, visibilityTimeout: 60 }).length;
      expect(received).toBe(20_000);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(q.counts(T0)).toEqual({ visible: 0, inflight: 20_000, delayed: 0 });
      expect(store.claimVisibleMessages(q, T0 + 60_000, { max: 10, visibilityTimeout: 60 })).toHaveLength(10);
    });

    test('retention removes old messages', () => {
      const store = makeStore();
      const q = store.createQueue('r', false, { ...defaultSettings(false), MessageRetentionPeriod: '60' }, {}, T0);
      q.enqueue(message('x'), T0);
      expect(q.counts(T0 + 59_999).visible).toBe(1);
      expect(q.counts(T0 + 60_000).visible).toBe(0);
    });
  });
}

runQueueStoreSuite(() => new SqsStore('000000000000', 'us-east-1'));

test('receipt handles: malformed ones do not parse', () => {
  expect(parseReceiptHandle('garbage')).toBeUndefined();
  expect(parseReceiptHandle('')).toBeUndefined();
  expect(parseReceiptHandle(Buffer.from('SY1 a b').toString('base64'))).toBeUndefined();
});
