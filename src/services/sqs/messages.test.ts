import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let url: string;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  h.sy.reset();
  url = (await h.sqs.send(new CreateQueueCommand({ QueueName: 'm' }))).QueueUrl ?? '';
});

/** Reference MD5 of message attributes, written from AWS's description of the encoding. */
function referenceMd5(attrs: Record<string, MessageAttributeValue>): string {
  const parts: Buffer[] = [];
  const field = (b: Buffer): void => {
    const n = Buffer.alloc(4);
    n.writeInt32BE(b.length);
    parts.push(n, b);
  };
  for (const name of Object.keys(attrs).sort()) {
    const a = attrs[name] as MessageAttributeValue;
    field(Buffer.from(name));
    field(Buffer.from(a.DataType ?? ''));
    if (a.BinaryValue) {
      parts.push(Buffer.from([2]));
      field(Buffer.from(a.BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      field(Buffer.from(a.StringValue ?? ''));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

describe('SendMessage and ReceiveMessage', () => {
  test('body, MD5s, message attributes of every type, AWSTraceHeader, system attributes', async () => {
    const attrs: Record<string, MessageAttributeValue> = {
      city: { DataType: 'String', StringValue: 'Zürich' },
      count: { DataType: 'Number', StringValue: '42' },
      'count.int': { DataType: 'Number.int', StringValue: '-7.5e3' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
      custom: { DataType: 'String.json', StringValue: '{"a":1}' },
    };
    const trace = { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } };
    const body = 'héllo 🌍 <xml> & "quotes"';
    const sent = await h.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: attrs, MessageSystemAttributes: trace }),
    );
    expect(sent.MD5OfMessageBody).toBe(md5(body));
    expect(sent.MD5OfMessageAttributes).toBe(referenceMd5(attrs));
    expect(sent.MD5OfMessageSystemAttributes).toBe(referenceMd5(trace));
    const r = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    const m = r.Messages?.[0];
    expect(m?.Body).toBe(body);
    expect(m?.MessageId).toBe(sent.MessageId);
    expect(m?.MD5OfBody).toBe(md5(body));
    expect(m?.MD5OfMessageAttributes).toBe(referenceMd5(attrs));
    expect(m?.MessageAttributes?.blob?.BinaryValue).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(m?.MessageAttributes?.['count.int']).toEqual({ DataType: 'Number.int', StringValue: '-7.5e3' });
    expect(m?.Attributes).toMatchObject({
      SenderId: '000000000000',
      ApproximateReceiveCount: '1',
      AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(Number(m?.Attributes?.SentTimestamp)).toBeGreaterThan(1_600_000_000_000);
    expect(m?.Attributes?.ApproximateFirstReceiveTimestamp).toBeDefined();
    expect(m?.Attributes?.SequenceNumber).toBeUndefined();
  });

  test('MessageAttributeNames selects by name and prefix.*; MD5 covers the returned ones', async () => {
    const attrs: Record<string, MessageAttributeValue> = {
      'a.x': { DataType: 'String', StringValue: '1' },
      'a.y': { DataType: 'String', StringValue: '2' },
      b: { DataType: 'String', StringValue: '3' },
    };
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: attrs }));
    const r = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['a.*'], VisibilityTimeout: 0 }));
    const m = r.Messages?.[0];
    expect(Object.keys(m?.MessageAttributes ?? {}).sort()).toEqual(['a.x', 'a.y']);
    expect(m?.MD5OfMessageAttributes).toBe(referenceMd5({ 'a.x': attrs['a.x'] as MessageAttributeValue, 'a.y': attrs['a.y'] as MessageAttributeValue }));
    const none = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }));
    expect(none.Messages?.[0]?.MessageAttributes).toBeUndefined();
    expect(none.Messages?.[0]?.Attributes).toBeUndefined();
    const one = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['b'], MessageSystemAttributeNames: ['SenderId'] }));
    expect(one.Messages?.[0]?.MessageAttributes).toEqual({ b: { DataType: 'String', StringValue: '3' } });
    expect(one.Messages?.[0]?.Attributes).toEqual({ SenderId: '000000000000' });
  });

  test('MaxNumberOfMessages returns up to ten; receipt handles differ per receive', async () => {
    for (let i = 0; i < 12; i++) await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}` }));
    const r = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    expect(r.Messages).toHaveLength(10);
    const again = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(again.Messages).toHaveLength(10);
    const first = r.Messages?.[0];
    const redelivered = again.Messages?.find((m) => m.MessageId === first?.MessageId);
    expect(redelivered).toBeDefined();
    expect(redelivered?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    await expect(h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
    await expect(h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 21 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 43201 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  test('validation: body, characters, size, attributes, DelaySeconds', async () => {
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '' }))).rejects.toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageBody.',
    });
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a\u0001b' }))).rejects.toMatchObject({
      name: 'InvalidMessageContents',
      message: expect.stringContaining("Invalid binary character '#x1' was found in the message body") as unknown,
    });
    await expect(
      h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', message: "Can't cast the value of message (user) attribute 'n' to a number." });
    await expect(
      h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Float', StringValue: '1' } } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(
      h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { n: { DataType: 'String', StringValue: '' } } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: eleven }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Number of message attributes [11] exceeds the allowed maximum [10].',
    });
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    const small = (await h.sqs.send(new CreateQueueCommand({ QueueName: 'small', Attributes: { MaximumMessageSize: '1024' } }))).QueueUrl;
    await h.sqs.send(new SendMessageCommand({ QueueUrl: small, MessageBody: 'x'.repeat(1024) }));
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: small, MessageBody: 'x'.repeat(1020), MessageAttributes: { ab: { DataType: 'String', StringValue: 'c' } } }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    });
  });
});

describe('DeleteMessage and ChangeMessageVisibility', () => {
  test('delete by receipt handle; malformed handle is ReceiptHandleIsInvalid; stale handle succeeds', async () => {
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const r = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    const handle = r.Messages?.[0]?.ReceiptHandle ?? '';
    await h.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle }));
    await h.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle }));
    const err = await h.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'ReceiptHandleIsInvalid',
      message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      $metadata: { httpStatusCode: 404 },
    });
    const attrs = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
  });

  test('ChangeMessageVisibility to 0 makes the message visible; MessageNotInflight when it is not in flight', async () => {
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const r = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    const handle = r.Messages?.[0]?.ReceiptHandle ?? '';
    expect((await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    await h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }));
    const err = await h.sqs
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 10 }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'MessageNotInflight', Code: 'AWS.SimpleQueueService.MessageNotInflight' });
    const again = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    await expect(
      h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 43201 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('batches', () => {
  test('SendMessageBatch reports per-entry success and failure', async () => {
    const r = await h.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok1', MessageBody: 'one', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'bad', MessageBody: 'two\u0000' },
          { Id: 'ok2', MessageBody: 'three', DelaySeconds: 0 },
        ],
      }),
    );
    expect(r.Successful?.map((e) => e.Id)).toEqual(['ok1', 'ok2']);
    expect(r.Successful?.[0]?.MD5OfMessageBody).toBe(md5('one'));
    expect(r.Successful?.[0]?.MD5OfMessageAttributes).toBe(referenceMd5({ k: { DataType: 'String', StringValue: 'v' } }));
    expect(r.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents' }),
    ]);
  });

  test.each([
    [[], 'EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest'],
    [Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })), 'TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest'],
    [[{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }], 'BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct'],
    [[{ Id: 'a b', MessageBody: 'x' }], 'InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId'],
    [[{ Id: 'a', MessageBody: 'x'.repeat(600_000) }, { Id: 'b', MessageBody: 'x'.repeat(600_000) }], 'BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong'],
  ])('batch error %#', async (Entries, name, Code) => {
    await expect(h.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }))).rejects.toMatchObject({ name, Code });
  });

  test('DeleteMessageBatch and ChangeMessageVisibilityBatch', async () => {
    await h.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] }));
    const r = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    const [a, b] = r.Messages ?? [];
    const cv = await h.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', ReceiptHandle: a?.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'x', ReceiptHandle: 'nonsense', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(cv.Successful).toEqual([{ Id: 'a' }]);
    expect(cv.Failed?.[0]).toMatchObject({ Id: 'x', SenderFault: true, Code: 'ReceiptHandleIsInvalid' });
    const d = await h.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'b', ReceiptHandle: b?.ReceiptHandle },
          { Id: 'y', ReceiptHandle: 'nonsense' },
        ],
      }),
    );
    expect(d.Successful).toEqual([{ Id: 'b' }]);
    expect(d.Failed?.[0]).toMatchObject({ Id: 'y', Code: 'ReceiptHandleIsInvalid' });
    const attrs = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('1');
  });
});

test('an attribute named __proto__ is kept as an attribute, not taken as a prototype', async () => {
  const call = async (target: string, body: string): Promise<Record<string, unknown>> => {
    const res = await fetch(`${h.sy.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${target}`,
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x',
      },
      body,
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const sent = await call(
    'SendMessage',
    `{"QueueUrl":${JSON.stringify(url)},"MessageBody":"x","MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"v"}}}`,
  );
  expect(sent.MD5OfMessageAttributes).toBe(referenceMd5(JSON.parse('{"__proto__":{"DataType":"String","StringValue":"v"}}')));
  const received = await call('ReceiveMessage', `{"QueueUrl":${JSON.stringify(url)},"MessageAttributeNames":["All"]}`);
  const text = JSON.stringify(received);
  expect(text).toContain('"MessageAttributes":{"__proto__":{');
});
