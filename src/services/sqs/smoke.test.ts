import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

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

test('send and receive', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'q1' }));
  expect(QueueUrl).toBe(`${sy.endpoint}/000000000000/q1`);
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  expect(r.Messages?.[0]?.Body).toBe('hello');
  await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
});
