// Unknown or invalid input through the JSON protocol: always a 4xx with an AWS error body, never a 500 or a hang.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let url: string;
beforeAll(async () => {
  h = await startHarness();
  url = `${h.sy.endpoint}/000000000000/robust`;
  await post('CreateQueue', { QueueName: 'robust' });
  await post('CreateQueue', { QueueName: 'robust.fifo', Attributes: { FifoQueue: 'true' } });
});
afterAll(async () => {
  await h.close();
});

async function post(operation: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; queryError: string | null }> {
  const res = await fetch(h.sy.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, queryError: res.headers.get('x-amzn-query-error') };
}

const cases: Array<[string, unknown]> = [
  ['CreateQueue', {}],
  ['CreateQueue', { QueueName: 'x', Attributes: { RedrivePolicy: '{"deadLetterTargetArn":5}' } }],
  ['CreateQueue', { QueueName: 'x', Attributes: { RedrivePolicy: 'nope' } }],
  ['CreateQueue', { QueueName: 'x', Attributes: { RedriveAllowPolicy: '[]' } }],
  ['CreateQueue', { QueueName: 'x', Attributes: { VisibilityTimeout: '1.5' } }],
  ['CreateQueue', { QueueName: 'x', tags: { '': 'v' } }],
  ['CreateQueue', { QueueName: 5 }],
  ['CreateQueue', '{not json'],
  ['GetQueueUrl', {}],
  ['GetQueueAttributes', { QueueUrl: 'http://x/y' }],
  ['GetQueueAttributes', { QueueUrl: '%%%' }],
  ['GetQueueAttributes', { QueueUrl: 'http://[bad' }],
  ['SendMessage', { QueueUrl: '' }],
  ['SendMessage', { QueueUrl: 'URL' }],
  ['SendMessage', { QueueUrl: 'URL', MessageBody: 'x', MessageAttributes: { a: {} } }],
  ['SendMessage', { QueueUrl: 'URL', MessageBody: 'x', MessageAttributes: { a: { DataType: 'Binary' } } }],
  ['SendMessage', { QueueUrl: 'URL', MessageBody: 'x', MessageAttributes: { a: { DataType: 'String', StringListValues: ['a'] } } }],
  ['SendMessage', { QueueUrl: 'URL', MessageBody: 'x', MessageAttributes: { 'AWS.x': { DataType: 'String', StringValue: 'v' } } }],
  ['SendMessage', { QueueUrl: 'URL', MessageBody: 'x', MessageSystemAttributes: { Other: { DataType: 'String', StringValue: 'v' } } }],
  ['SendMessage', { QueueUrl: 'URL', MessageBody: 'x', DelaySeconds: -1 }],
  ['SendMessage', { QueueUrl: 'URL', MessageBody: 'x', DelaySeconds: 'soon' }],
  ['SendMessage', { QueueUrl: 'FIFO', MessageBody: 'x', MessageGroupId: 'g'.repeat(129), MessageDeduplicationId: 'd' }],
  ['SendMessageBatch', { QueueUrl: 'URL', Entries: [{}] }],
  ['SendMessageBatch', { QueueUrl: 'URL', Entries: 'x' }],
  ['ReceiveMessage', { QueueUrl: 'URL', MaxNumberOfMessages: 1.5 }],
  ['ReceiveMessage', { QueueUrl: 'URL', WaitTimeSeconds: -1 }],
  ['ReceiveMessage', { QueueUrl: 'URL', AttributeNames: ['Bogus'] }],
  ['DeleteMessage', { QueueUrl: 'URL' }],
  ['DeleteMessage', { QueueUrl: 'URL', ReceiptHandle: 'U1kxIGZvbyBiYXI=' }],
  ['DeleteMessageBatch', { QueueUrl: 'URL', Entries: [] }],
  ['ChangeMessageVisibility', { QueueUrl: 'URL', ReceiptHandle: 'x' }],
  ['ChangeMessageVisibility', { QueueUrl: 'URL', ReceiptHandle: 'x', VisibilityTimeout: -5 }],
  ['ChangeMessageVisibilityBatch', { QueueUrl: 'URL', Entries: [{ Id: 'a' }, { Id: 'a' }] }],
  ['SetQueueAttributes', { QueueUrl: 'URL', Attributes: { QueueArn: 'x' } }],
  ['ListQueues', { NextToken: 'garbage' }],
  ['ListQueues', { MaxResults: 1001 }],
  ['ListDeadLetterSourceQueues', { QueueUrl: 'URL', NextToken: 'eyJ9' }],
  ['TagQueue', { QueueUrl: 'URL' }],
  ['UntagQueue', { QueueUrl: 'URL' }],
  ['AddPermission', { QueueUrl: 'URL', Label: 'l', AWSAccountIds: ['1'], Actions: ['Fly'] }],
  ['AddPermission', { QueueUrl: 'URL', Label: 'l' }],
  ['RemovePermission', { QueueUrl: 'URL' }],
  ['PurgeQueue', {}],
  ['StartMessageMoveTask', {}],
  ['StartMessageMoveTask', { SourceArn: 'not an arn' }],
  ['StartMessageMoveTask', { SourceArn: 'arn:aws:sqs:us-east-1:000000000000:robust', MaxNumberOfMessagesPerSecond: 501 }],
  ['CancelMessageMoveTask', { TaskHandle: '!!!' }],
  ['CancelMessageMoveTask', {}],
  ['ListMessageMoveTasks', { SourceArn: 'arn:aws:sqs:us-east-1:000000000000:robust', MaxResults: 11 }],
  ['ListMessageMoveTasks', {}],
  ['NoSuchOperation', {}],
];

test.each(cases)('%s %j answers a 4xx AWS error', async (operation, body) => {
  const fixed =
    typeof body === 'object' && body !== null
      ? JSON.parse(JSON.stringify(body).replaceAll('"URL"', JSON.stringify(url)).replaceAll('"FIFO"', JSON.stringify(`${url}.fifo`)))
      : body;
  const r = await post(operation, fixed);
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  expect(String(r.json.__type)).toMatch(/#\w+$/);
  expect(r.queryError).toMatch(/;Sender$/);
});
