import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../index.js';
import { deliver } from './targets.js';

let sy: RunningSwitchyard;
let sqs: SQSClient;
beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
  sqs = new SQSClient({ endpoint: sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(async () => {
  sqs.destroy();
  await sy.stop();
});

test('deliver() puts a message on an SQS queue named by its ARN, with attributes', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'delivered' }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const arn = attrs.Attributes?.QueueArn ?? '';
  const result = await deliver(
    sy.instance,
    arn,
    { body: '{"hello":"world"}', attributes: { kind: { DataType: 'String', StringValue: 'greeting' } } },
    { account: '000000000000', region: 'us-east-1', service: 'test' },
  );
  expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }));
  expect(r.Messages?.[0]?.Body).toBe('{"hello":"world"}');
  expect(r.Messages?.[0]?.MessageAttributes?.kind?.StringValue).toBe('greeting');
});

test('deliver() to a missing queue throws QueueDoesNotExist; to a service without targets, NotImplemented', async () => {
  const source = { account: '000000000000', region: 'us-east-1', service: 'test' };
  await expect(deliver(sy.instance, 'arn:aws:sqs:us-east-1:000000000000:nope', { body: 'x' }, source)).rejects.toMatchObject({
    code: 'QueueDoesNotExist',
  });
  await expect(deliver(sy.instance, 'arn:aws:dynamodb:us-east-1:000000000000:table/t', { body: 'x' }, source)).rejects.toMatchObject({
    code: 'NotImplemented',
  });
});
