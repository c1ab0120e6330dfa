import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  QueueNameExists,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
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
  (await h.sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl ?? '';

describe('CreateQueue', () => {
  test('returns the queue URL on the request host, idempotent with the same attributes', async () => {
    const url = await create('orders', { VisibilityTimeout: '45' });
    expect(url).toBe(`${h.sy.endpoint}/000000000000/orders`);
    expect(await create('orders', { VisibilityTimeout: '45' })).toBe(url);
    expect(await create('orders')).toBe(url);
  });

  test('QueueNameExists when an attribute differs (legacy code QueueAlreadyExists)', async () => {
    await create('orders', { VisibilityTimeout: '45' });
    const err = await h.sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '60' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueNameExists);
    expect(err).toMatchObject({ name: 'QueueNameExists', Code: 'QueueAlreadyExists', $metadata: { httpStatusCode: 400 } });
  });

  test.each([
    ['bad name!', undefined, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length'],
    ['x'.repeat(81), undefined, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length'],
    ['plain', { FifoQueue: 'true' }, 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'],
    ['q.fifo', undefined, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length'],
  ])('rejects the name %s', async (QueueName, Attributes, message) => {
    await expect(h.sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message,
    });
  });

  test('accepts 80-character names and FIFO names', async () => {
    await create('a'.repeat(80));
    await create(`${'b'.repeat(75)}.fifo`, { FifoQueue: 'true' });
  });

  test.each([
    ['VisibilityTimeout', '43201'],
    ['DelaySeconds', '901'],
    ['MaximumMessageSize', '1023'],
    ['MaximumMessageSize', '1048577'],
    ['MessageRetentionPeriod', '59'],
    ['ReceiveMessageWaitTimeSeconds', '21'],
    ['VisibilityTimeout', 'abc'],
  ])('InvalidAttributeValue for %s=%s', async (name, value) => {
    await expect(create('q', { [name]: value })).rejects.toMatchObject({
      name: 'InvalidAttributeValue',
      message: `Invalid value for the parameter ${name}.`,
    });
  });

  test('InvalidAttributeName for unknown and FIFO-only attributes on a standard queue', async () => {
    await expect(create('q', { Colour: 'blue' })).rejects.toMatchObject({ name: 'InvalidAttributeName', message: 'Unknown Attribute Colour.' });
    await expect(create('q', { ContentBasedDeduplication: 'true' })).rejects.toMatchObject({ name: 'InvalidAttributeName' });
  });

  test('tags on create', async () => {
    const r = await h.sqs.send(new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'a', env: 'dev' } }));
    const tags = await h.sqs.send(new ListQueueTagsCommand({ QueueUrl: r.QueueUrl }));
    expect(tags.Tags).toEqual({ team: 'a', env: 'dev' });
  });
});

describe('GetQueueUrl, DeleteQueue, errors', () => {
  test('QueueDoesNotExist arrives as the SDK exception with the legacy code', async () => {
    const err = await h.sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueDoesNotExist);
    expect(err).toMatchObject({
      name: 'QueueDoesNotExist',
      message: 'The specified queue does not exist.',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      Type: 'Sender',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('DeleteQueue removes the queue', async () => {
    const url = await create('gone');
    await h.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    await expect(h.sqs.send(new GetQueueUrlCommand({ QueueName: 'gone' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  test('a queue URL of any host reaches the queue; the URL account owns it (cross-account)', async () => {
    const other = h.client('111122223333');
    const { QueueUrl } = await other.send(new CreateQueueCommand({ QueueName: 'shared' }));
    expect(QueueUrl).toBe(`${h.sy.endpoint}/111122223333/shared`);
    await expect(h.sqs.send(new GetQueueUrlCommand({ QueueName: 'shared' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    const byOwner = await h.sqs.send(new GetQueueUrlCommand({ QueueName: 'shared', QueueOwnerAWSAccountId: '111122223333' }));
    expect(byOwner.QueueUrl).toBe(QueueUrl);
    const r = await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'from 000000000000' }));
    expect(r.MessageId).toBeTruthy();
    const attrs = await other.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('1');
  });

  test('malformed queue URL is InvalidAddress; missing QueueUrl is MissingParameter', async () => {
    await expect(h.sqs.send(new SendMessageCommand({ QueueUrl: `${h.sy.endpoint}/a/b/c`, MessageBody: 'x' }))).rejects.toMatchObject({
      name: 'InvalidAddress',
    });
    await expect(h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: undefined }))).rejects.toMatchObject({ name: 'MissingParameter' });
  });
});

describe('ListQueues', () => {
  test('prefix, MaxResults and NextToken pagination', async () => {
    for (const n of ['a1', 'a2', 'a3', 'b1', 'a4']) await create(n);
    const all = await h.sqs.send(new ListQueuesCommand({}));
    expect(all.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
    expect(all.NextToken).toBeUndefined();
    const names: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await h.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'a', MaxResults: 3, NextToken }));
      names.push(...(page.QueueUrls ?? []).map((u) => u.split('/').pop() ?? ''));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    expect(names).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(pages).toBe(2);
    const none = await h.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }));
    expect(none.QueueUrls ?? []).toEqual([]);
    await expect(h.sqs.send(new ListQueuesCommand({ MaxResults: 0 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('queue attributes', () => {
  test('defaults and computed attributes', async () => {
    const url = await create('defaults');
    const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:defaults',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      VisibilityTimeout: '30',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
    });
    expect(Number(Attributes?.CreatedTimestamp)).toBeGreaterThan(1_600_000_000);
    expect(Attributes?.FifoQueue).toBeUndefined();
    const fifo = await create('defaults.fifo', { FifoQueue: 'true' });
    const f = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: fifo, AttributeNames: ['All'] }));
    expect(f.Attributes).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
  });

  test('a list of names, and InvalidAttributeName for unknown names', async () => {
    const url = await create('some');
    const r = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'QueueArn'] }));
    expect(r.Attributes).toEqual({ VisibilityTimeout: '30', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:some' });
    await expect(
      h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Nope' as 'All'] })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeName', message: 'Unknown Attribute Nope.' });
  });

  test('SetQueueAttributes changes values and LastModifiedTimestamp; validates', async () => {
    const url = await create('settable');
    await h.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { VisibilityTimeout: '5', DelaySeconds: '10', KmsMasterKeyId: 'alias/aws/sqs', Policy: '{"Version":"2012-10-17","Statement":[]}' },
      }),
    );
    const r = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(r.Attributes).toMatchObject({
      VisibilityTimeout: '5',
      DelaySeconds: '10',
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '300',
      SqsManagedSseEnabled: 'false',
    });
    await expect(
      h.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: 'true' } })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
    await expect(
      h.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: 'not json' } })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeValue', message: 'Invalid value for the parameter Policy.' });
  });

  test('RedrivePolicy: target must exist, be of the same type, and allow the source', async () => {
    const dlq = await create('dlq');
    const dlqArn = 'arn:aws:sqs:us-east-1:000000000000:dlq';
    const policy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
    const src = await create('src', { RedrivePolicy: policy });
    const got = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: src, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(got.Attributes?.RedrivePolicy ?? '')).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
    const missing = JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:none', maxReceiveCount: 3 });
    await expect(create('src2', { RedrivePolicy: missing })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: `Value ${missing} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
    });
    await expect(create('src3', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 0 }) })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(create('src4.fifo', { FifoQueue: 'true', RedrivePolicy: policy })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await h.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: ['arn:aws:sqs:us-east-1:000000000000:src'] }) } }),
    );
    await expect(create('src5', { RedrivePolicy: policy })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await h.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' } }));
    await expect(create('src6', { RedrivePolicy: policy })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(
      h.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"some"}' } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    const sources = await h.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    expect(sources.queueUrls).toEqual([src]);
    await h.sqs.send(new SetQueueAttributesCommand({ QueueUrl: src, Attributes: { RedrivePolicy: '' } }));
    const none = await h.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    expect(none.queueUrls ?? []).toEqual([]);
  });

  test('FIFO high throughput needs DeduplicationScope messageGroup', async () => {
    await expect(create('ht.fifo', { FifoQueue: 'true', FifoThroughputLimit: 'perMessageGroupId' })).rejects.toMatchObject({
      name: 'InvalidAttributeValue',
    });
    await create('ht.fifo', { FifoQueue: 'true', FifoThroughputLimit: 'perMessageGroupId', DeduplicationScope: 'messageGroup' });
  });
});

describe('tags and permissions', () => {
  test('TagQueue, UntagQueue, ListQueueTags', async () => {
    const url = await create('tags');
    expect((await h.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toBeUndefined();
    await h.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { a: '1', b: '2' } }));
    await h.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['a'] }));
    expect((await h.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ b: '2' });
  });

  test('AddPermission and RemovePermission edit the Policy attribute', async () => {
    const url = await create('perm');
    await h.sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: 'send', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }));
    await h.sqs.send(
      new AddPermissionCommand({ QueueUrl: url, Label: 'both', AWSAccountIds: ['111122223333', '444455556666'], Actions: ['ReceiveMessage', 'DeleteMessage'] }),
    );
    const arn = 'arn:aws:sqs:us-east-1:000000000000:perm';
    const read = async (): Promise<unknown> => {
      const r = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }));
      return r.Attributes?.Policy === undefined ? undefined : JSON.parse(r.Attributes.Policy);
    };
    expect(await read()).toEqual({
      Version: '2012-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        { Sid: 'send', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'SQS:SendMessage', Resource: arn },
        {
          Sid: 'both',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root'] },
          Action: ['SQS:ReceiveMessage', 'SQS:DeleteMessage'],
          Resource: arn,
        },
      ],
    });
    await expect(
      h.sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: 'send', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', message: 'Value send for parameter Label is invalid. Reason: Already exists.' });
    await h.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'send' }));
    await h.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'both' }));
    expect(await read()).toBeUndefined();
    await expect(h.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'both' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "Value both for parameter Label is invalid. Reason: can't find label on existing policy.",
    });
  });
});
