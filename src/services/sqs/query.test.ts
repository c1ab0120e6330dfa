// The query protocol (form in, XML out) that the AWS CLI v2 and boto3 speak, posted raw.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { md5Hex, md5OfAttributes } from './md5.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function query(params: Record<string, string>, path = '/'): Promise<{ status: number; xml: string }> {
  const body = new URLSearchParams({ Version: '2012-11-05', ...params }).toString();
  const res = await fetch(`${h.sy.endpoint}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=abc',
    },
    body,
  });
  return { status: res.status, xml: await res.text() };
}

test('CreateQueue, SendMessage with MessageAttribute.N.*, ReceiveMessage as XML', async () => {
  const created = await query({ Action: 'CreateQueue', QueueName: 'cli', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '40' });
  expect(created.status).toBe(200);
  const url = `${h.sy.endpoint}/000000000000/cli`;
  expect(created.xml).toContain(`<CreateQueueResult><QueueUrl>${url}</QueueUrl></CreateQueueResult>`);

  const sent = await query(
    {
      Action: 'SendMessage',
      QueueUrl: url,
      MessageBody: 'a < b & c',
      'MessageAttribute.1.Name': 'color',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'red',
      'MessageAttribute.2.Name': 'bin',
      'MessageAttribute.2.Value.DataType': 'Binary',
      'MessageAttribute.2.Value.BinaryValue': Buffer.from([1, 2, 3]).toString('base64'),
    },
    '/000000000000/cli',
  );
  expect(sent.status).toBe(200);
  const md5Attrs = md5OfAttributes({
    color: { DataType: 'String', StringValue: 'red' },
    bin: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
  });
  expect(sent.xml).toMatch(/^<\?xml version="1.0"\?><SendMessageResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><SendMessageResult>/);
  expect(sent.xml).toContain(`<MD5OfMessageBody>${md5Hex('a < b & c')}</MD5OfMessageBody>`);
  expect(sent.xml).toContain(`<MD5OfMessageAttributes>${md5Attrs}</MD5OfMessageAttributes>`);
  expect(sent.xml).toMatch(/<MessageId>[0-9a-f-]{36}<\/MessageId>/);

  const received = await query({
    Action: 'ReceiveMessage',
    QueueUrl: url,
    'AttributeName.1': 'All',
    'MessageAttributeName.1': 'All',
    MaxNumberOfMessages: '5',
  });
  expect(received.status).toBe(200);
  const xml = received.xml;
  expect(xml).toContain('<ReceiveMessageResult><Message><MessageId>');
  expect(xml).toContain('<Body>a &lt; b &amp; c</Body>');
  expect(xml).toContain(`<MD5OfBody>${md5Hex('a < b & c')}</MD5OfBody>`);
  expect(xml).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
  expect(xml).toContain('<MessageAttribute><Name>color</Name><Value><DataType>String</DataType><StringValue>red</StringValue></Value></MessageAttribute>');
  expect(xml).toContain('<MessageAttribute><Name>bin</Name><Value><DataType>Binary</DataType><BinaryValue>AQID</BinaryValue></Value></MessageAttribute>');
  expect(xml).toContain(`<MD5OfMessageAttributes>${md5Attrs}</MD5OfMessageAttributes>`);
  expect(xml).toMatch(/<ReceiptHandle>[A-Za-z0-9+/=]+<\/ReceiptHandle>/);

  const attrs = await query({ Action: 'GetQueueAttributes', QueueUrl: url, 'AttributeName.1': 'VisibilityTimeout' });
  expect(attrs.xml).toContain('<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name><Value>40</Value></Attribute></GetQueueAttributesResult>');
});

test('errors carry the legacy code and status', async () => {
  const missing = await query({ Action: 'GetQueueUrl', QueueName: 'nope' });
  expect(missing.status).toBe(400);
  expect(missing.xml).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
  expect(missing.xml).toContain('<Message>The specified queue does not exist.</Message>');
  await query({ Action: 'CreateQueue', QueueName: 'exists' });
  const exists = await query({ Action: 'CreateQueue', QueueName: 'exists', 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '5' });
  expect(exists.xml).toContain('<Code>QueueAlreadyExists</Code>');
  const batch = await query({ Action: 'SendMessageBatch', QueueUrl: `${h.sy.endpoint}/000000000000/exists` });
  expect(batch.xml).toContain('<Code>AWS.SimpleQueueService.EmptyBatchRequest</Code>');
  const handle = await query({ Action: 'DeleteMessage', QueueUrl: `${h.sy.endpoint}/000000000000/exists`, ReceiptHandle: 'x' });
  expect(handle.status).toBe(404);
  expect(handle.xml).toContain('<Code>ReceiptHandleIsInvalid</Code>');
});

test('SendMessageBatch and ListQueues in XML', async () => {
  await query({ Action: 'CreateQueue', QueueName: 'batchq' });
  const url = `${h.sy.endpoint}/000000000000/batchq`;
  const r = await query({
    Action: 'SendMessageBatch',
    QueueUrl: url,
    'SendMessageBatchRequestEntry.1.Id': 'one',
    'SendMessageBatchRequestEntry.1.MessageBody': 'first',
    'SendMessageBatchRequestEntry.2.Id': 'two',
    'SendMessageBatchRequestEntry.2.MessageBody': 'second',
    'SendMessageBatchRequestEntry.2.DelaySeconds': '1000',
  });
  expect(r.xml).toContain('<SendMessageBatchResultEntry><Id>one</Id>');
  expect(r.xml).toContain('<BatchResultErrorEntry><Id>two</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code>');
  const list = await query({ Action: 'ListQueues', QueueNamePrefix: 'batch' });
  expect(list.xml).toContain(`<ListQueuesResult><QueueUrl>${url}</QueueUrl></ListQueuesResult>`);
});
