// The AWS CLI v2 from Debian (/usr/bin/aws, awsQuery) against Switchyard's SNS, one command per process as a user runs
// it, asserting the JSON it prints and its exit codes (254 for a service error). Queues are made and read with the
// JS SDK in process (and a few topics made with it), so that the CLI calls (about a second of CPU each) go to SNS alone.
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianAwsCli, debianAwsCliMissing, tempHome, warnSkipped } from '../support/debian-clients.js';

const missing = debianAwsCliMissing();
if (missing) warnSkipped('sns-awscli', missing);

const ACCOUNT = '000000000000';
const SLOW = 300_000;
const arnOf = (name: string, service = 'sns'): string => `arn:aws:${service}:us-east-1:${ACCOUNT}:${name}`;

interface Subscription {
  SubscriptionArn: string;
  Owner: string;
  Protocol: string;
  Endpoint: string;
  TopicArn: string;
}
interface OutboxEntry {
  protocol: string;
  endpoint: string;
  type: string;
  topicArn?: string;
  subscriptionArn?: string;
  subject?: string;
  message: string;
}

describe.skipIf(missing !== undefined).concurrent('AWS CLI v2 from Debian (awsQuery) against SNS', () => {
  let sy: RunningSwitchyard;
  let aws: DebianAwsCli;
  let sqs: SQSClient;
  let sns: SNSClient;
  let home: ReturnType<typeof tempHome>;

  /** Runs a command that must fail with a service error; returns its stderr. */
  const fails = async (args: string[], code: string): Promise<string> => {
    const r = await aws.run(args);
    expect(r.code, r.stderr).toBe(254);
    expect(r.stderr).toContain(`An error occurred (${code})`);
    return r.stderr;
  };
  const createQueue = async (name: string, attributes?: Record<string, string>): Promise<string> =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? '';
  const receive = async (url: string): Promise<Message[]> =>
    (
      await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], AttributeNames: ['All'] }),
      )
    ).Messages ?? [];
  const outbox = async (): Promise<OutboxEntry[]> => {
    const res = await fetch(`${sy.endpoint}/_switchyard/sns/outbox`);
    return ((await res.json()) as { messages: OutboxEntry[] }).messages;
  };

  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
    aws = new DebianAwsCli(sy.endpoint, home.path);
    const config = { endpoint: sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    sqs = new SQSClient(config);
    sns = new SNSClient(config);
  });
  afterAll(async () => {
    sqs.destroy();
    sns.destroy();
    await sy.stop();
    home.dispose();
  });

  // 9 CLI calls (25 in the suite)
  test('create-topic (standard with tags, FIFO with attributes), list-topics over awsQuery, topic attributes, tags', { timeout: SLOW }, async () => {
    const std = await aws.ok<{ TopicArn: string }>([
      'sns', 'create-topic', '--name', 'cli-topic', '--attributes', 'DisplayName=CLI topic', '--tags', 'Key=env,Value=test', 'Key=team,Value=core',
    ]);
    expect(std).toEqual({ TopicArn: arnOf('cli-topic') });
    const fifo = await aws.ok<{ TopicArn: string }>([
      'sns', 'create-topic', '--name', 'cli-topic.fifo', '--attributes', 'FifoTopic=true,ContentBasedDeduplication=true',
    ]);
    expect(fifo).toEqual({ TopicArn: arnOf('cli-topic.fifo') });

    const debug = await aws.run(['--debug', 'sns', 'list-topics']);
    expect(debug.code, debug.stderr).toBe(0);
    expect(debug.stderr).toContain("'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'");
    expect(debug.stderr).toContain("'body': {'Action': 'ListTopics', 'Version': '2010-03-31'}");
    const listed = debug.json as { Topics: { TopicArn: string }[] };
    expect(listed.Topics.map((t) => t.TopicArn)).toEqual(expect.arrayContaining([std.TopicArn, fifo.TopicArn]));

    const fifoAttrs = await aws.ok<{ Attributes: Record<string, string> }>(['sns', 'get-topic-attributes', '--topic-arn', fifo.TopicArn]);
    expect(fifoAttrs.Attributes).toMatchObject({ TopicArn: fifo.TopicArn, FifoTopic: 'true', ContentBasedDeduplication: 'true', Owner: ACCOUNT });

    const set = await aws.run(['sns', 'set-topic-attributes', '--topic-arn', std.TopicArn, '--attribute-name', 'DisplayName', '--attribute-value', 'Renamed']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('');
    const attrs = await aws.ok<{ Attributes: Record<string, string> }>(['sns', 'get-topic-attributes', '--topic-arn', std.TopicArn]);
    expect(attrs.Attributes).toMatchObject({
      TopicArn: std.TopicArn,
      DisplayName: 'Renamed',
      Owner: ACCOUNT,
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(attrs.Attributes).not.toHaveProperty('FifoTopic');

    await aws.ok(['sns', 'tag-resource', '--resource-arn', std.TopicArn, '--tags', 'Key=added,Value=yes']);
    await aws.ok(['sns', 'untag-resource', '--resource-arn', std.TopicArn, '--tag-keys', 'env']);
    const tags = await aws.ok<{ Tags: { Key: string; Value: string }[] }>(['sns', 'list-tags-for-resource', '--resource-arn', std.TopicArn]);
    expect([...tags.Tags].sort((a, b) => a.Key.localeCompare(b.Key))).toEqual([
      { Key: 'added', Value: 'yes' },
      { Key: 'team', Value: 'core' },
    ]);
  });

  // 13 CLI calls
  test('subscribe sqs (raw, filter policy) and email; list, get/set subscription attributes; publish, publish-batch; unsubscribe; delete-topic', { timeout: SLOW }, async () => {
    const topic = (await aws.ok<{ TopicArn: string }>(['sns', 'create-topic', '--name', 'cli-flow'])).TopicArn;
    const url = await createQueue('cli-flow-q');
    const queueArn = arnOf('cli-flow-q', 'sqs');
    const sub = await aws.ok<{ SubscriptionArn: string }>([
      'sns', 'subscribe', '--topic-arn', topic, '--protocol', 'sqs', '--notification-endpoint', queueArn, '--return-subscription-arn',
      '--attributes', JSON.stringify({ RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ color: ['red', 'blue'] }) }),
    ]);
    expect(sub.SubscriptionArn).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    const email = await aws.ok(['sns', 'subscribe', '--topic-arn', topic, '--protocol', 'email', '--notification-endpoint', 'dev@example.com']);
    expect(email).toEqual({ SubscriptionArn: 'pending confirmation' });
    const confirmation = (await outbox()).find((e) => e.topicArn === topic && e.type === 'SubscriptionConfirmation');
    expect(confirmation).toMatchObject({ protocol: 'email', endpoint: 'dev@example.com', subject: 'AWS Notification - Subscription Confirmation' });

    const expected: Subscription[] = [
      { SubscriptionArn: sub.SubscriptionArn, Owner: ACCOUNT, Protocol: 'sqs', Endpoint: queueArn, TopicArn: topic },
      { SubscriptionArn: 'PendingConfirmation', Owner: ACCOUNT, Protocol: 'email', Endpoint: 'dev@example.com', TopicArn: topic },
    ];
    const all = await aws.ok<{ Subscriptions: Subscription[] }>(['sns', 'list-subscriptions']);
    expect(all.Subscriptions).toEqual(expect.arrayContaining(expected));
    const byTopic = await aws.ok<{ Subscriptions: Subscription[] }>(['sns', 'list-subscriptions-by-topic', '--topic-arn', topic]);
    expect(byTopic.Subscriptions).toEqual(expected);

    await aws.ok([
      'sns', 'set-subscription-attributes', '--subscription-arn', sub.SubscriptionArn,
      '--attribute-name', 'FilterPolicy', '--attribute-value', JSON.stringify({ color: ['red'] }),
    ]);
    const subAttrs = await aws.ok<{ Attributes: Record<string, string> }>(['sns', 'get-subscription-attributes', '--subscription-arn', sub.SubscriptionArn]);
    expect(subAttrs.Attributes).toMatchObject({
      SubscriptionArn: sub.SubscriptionArn,
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Owner: ACCOUNT,
      RawMessageDelivery: 'true',
      PendingConfirmation: 'false',
      FilterPolicyScope: 'MessageAttributes',
    });
    expect(JSON.parse(subAttrs.Attributes.FilterPolicy ?? '')).toEqual({ color: ['red'] });

    const published = await aws.ok<{ MessageId: string }>([
      'sns', 'publish', '--topic-arn', topic, '--subject', 'Hello', '--message', 'red <&> \u00e9',
      '--message-attributes', JSON.stringify({ color: { DataType: 'String', StringValue: 'red' }, n: { DataType: 'Number', StringValue: '7' } }),
    ]);
    expect(published.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const batch = await aws.ok<{ Successful: { Id: string; MessageId: string }[]; Failed: { Id: string; Code: string; SenderFault: boolean }[] }>([
      'sns', 'publish-batch', '--topic-arn', topic, '--publish-batch-request-entries', JSON.stringify([
        { Id: 'red', Message: 'batch red', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } },
        { Id: 'blue', Message: 'batch blue', MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' } } },
        { Id: 'bad', Message: '' },
      ]),
    ]);
    expect(batch.Successful.map((e) => e.Id).sort()).toEqual(['blue', 'red']);
    expect(batch.Failed).toEqual([expect.objectContaining({ Id: 'bad', Code: 'InvalidParameter', SenderFault: true })]);

    const got = await receive(url);
    expect(got.map((m) => m.Body).sort()).toEqual(['batch red', 'red <&> \u00e9']);
    const first = got.find((m) => m.Body === 'red <&> \u00e9');
    expect(first?.MessageAttributes).toEqual({
      color: { DataType: 'String', StringValue: 'red' },
      n: { DataType: 'Number', StringValue: '7' },
    });

    const unsub = await aws.run(['sns', 'unsubscribe', '--subscription-arn', sub.SubscriptionArn]);
    expect(unsub.code, unsub.stderr).toBe(0);
    expect(unsub.stdout).toBe('');
    await aws.ok(['sns', 'publish', '--topic-arn', topic, '--message', 'after unsubscribe',
      '--message-attributes', JSON.stringify({ color: { DataType: 'String', StringValue: 'red' } })]);
    expect(await receive(url)).toEqual([]);

    const del = await aws.run(['sns', 'delete-topic', '--topic-arn', topic]);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toBe('');
    const stderr = await fails(['sns', 'publish', '--topic-arn', topic, '--message', 'x'], 'NotFound');
    expect(stderr.trim()).toBe('An error occurred (NotFound) when calling the Publish operation: Topic does not exist');
  });

  // 3 CLI calls
  test('errors: publish to a missing topic, an invalid filter policy, FIFO publish without a group id', { timeout: SLOW }, async () => {
    const missingTopic = arnOf('cli-never-created');
    const stderr = await fails(['sns', 'publish', '--topic-arn', missingTopic, '--message', 'x'], 'NotFound');
    expect(stderr.trim()).toBe('An error occurred (NotFound) when calling the Publish operation: Topic does not exist');

    // the topics are made in process, to save CLI calls; the errors come from the CLI's Subscribe and Publish
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'cli-errs' }))).TopicArn ?? '';
    const fifoTopic = (await sns.send(new CreateTopicCommand({ Name: 'cli-errs.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }))).TopicArn ?? '';
    const bad = await fails([
      'sns', 'subscribe', '--topic-arn', topic, '--protocol', 'sqs', '--notification-endpoint', arnOf('cli-errs-q', 'sqs'),
      '--attributes', JSON.stringify({ FilterPolicy: JSON.stringify({ color: [{ bogus: 1 }] }) }),
    ], 'InvalidParameter');
    expect(bad).toMatch(/when calling the Subscribe operation: Invalid parameter: FilterPolicy: /);

    const fifo = await fails(['sns', 'publish', '--topic-arn', fifoTopic, '--message', 'x'], 'InvalidParameter');
    expect(fifo).toContain('MessageGroupId');
  });
});
