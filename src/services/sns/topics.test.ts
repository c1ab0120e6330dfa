import {
  AddPermissionCommand,
  CreateSMSSandboxPhoneNumberCommand,
  GetSMSAttributesCommand,
  ListSMSSandboxPhoneNumbersCommand,
  RemovePermissionCommand,
  SetSMSAttributesCommand,
  VerifySMSSandboxPhoneNumberCommand,
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetDataProtectionPolicyCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishCommand,
  PutDataProtectionPolicyCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startSnsHarness, type SnsHarness } from './harness.js';

let h: SnsHarness;
beforeAll(async () => {
  h = await startSnsHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

const ACCOUNT = '000000000000';
const createTopic = async (Name: string, Attributes?: Record<string, string>): Promise<string> =>
  (await h.sns.send(new CreateTopicCommand({ Name, Attributes }))).TopicArn ?? '';
const attrs = async (TopicArn: string): Promise<Record<string, string>> =>
  (await h.sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes ?? {};
const error = async (p: Promise<unknown>): Promise<{ name: string; message: string }> => {
  try {
    await p;
  } catch (e) {
    const err = e as Error;
    return { name: err.name, message: err.message };
  }
  throw new Error('expected an error');
};

describe('topics', () => {
  test('CreateTopic is idempotent and answers the ARN; conflicting attributes are refused', async () => {
    const arn = await createTopic('orders', { DisplayName: 'Orders' });
    expect(arn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:orders`);
    expect(await createTopic('orders', { DisplayName: 'Orders' })).toBe(arn);
    expect(await createTopic('orders')).toBe(arn);
    expect(await error(createTopic('orders', { DisplayName: 'Other' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    });
  });

  test('names: standard topics take letters, digits, - and _; FIFO topics must end in .fifo', async () => {
    for (const bad of ['', 'a.b', 'has space', 'x'.repeat(257), 'orders.fifo']) {
      expect(await error(createTopic(bad))).toEqual({ name: 'InvalidParameterException', message: 'Invalid parameter: Topic Name' });
    }
    expect(await createTopic('x'.repeat(256))).toContain(':xxx');
    expect((await error(createTopic('orders', { FifoTopic: 'true' }))).message).toMatch(/^Invalid parameter: Fifo Topic names must end with \.fifo/);
    const fifo = await createTopic('orders.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const a = await attrs(fifo);
    expect(a.FifoTopic).toBe('true');
    expect(a.ContentBasedDeduplication).toBe('true');
  });

  test('GetTopicAttributes: default policy, owner, counts, effective delivery policy', async () => {
    const arn = await createTopic('t1');
    const a = await attrs(arn);
    expect(a).toMatchObject({
      TopicArn: arn,
      Owner: ACCOUNT,
      DisplayName: '',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    const policy = JSON.parse(a.Policy ?? '{}') as { Statement: { Resource: string; Condition: unknown }[] };
    expect(policy.Statement[0]?.Resource).toBe(arn);
    expect(policy.Statement[0]?.Condition).toEqual({ StringEquals: { 'AWS:SourceOwner': ACCOUNT } });
    expect(JSON.parse(a.EffectiveDeliveryPolicy ?? '{}')).toHaveProperty('http.defaultHealthyRetryPolicy.numRetries', 3);
    expect(a.FifoTopic).toBeUndefined();
  });

  test('SetTopicAttributes stores and validates; unknown names are refused', async () => {
    const arn = await createTopic('t2');
    await h.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'Shown' }));
    await h.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'KmsMasterKeyId', AttributeValue: 'alias/aws/sns' }));
    const delivery = '{"http":{"defaultHealthyRetryPolicy":{"numRetries":5}}}';
    await h.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: delivery }));
    const a = await attrs(arn);
    expect(a.DisplayName).toBe('Shown');
    expect(a.KmsMasterKeyId).toBe('alias/aws/sns');
    expect(a.DeliveryPolicy).toBe(delivery);
    expect(a.EffectiveDeliveryPolicy).toBe(delivery);
    expect(await error(h.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Nope', AttributeValue: 'x' })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: AttributeName',
    });
    expect((await error(h.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Policy', AttributeValue: '{' })))).name).toBe(
      'InvalidParameterException',
    );
  });

  test('a missing topic is NotFound; DeleteTopic is idempotent and removes subscriptions', async () => {
    const arn = await createTopic('gone');
    const sub = await h.sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` }));
    await h.sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    await h.sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    expect(await error(attrs(arn))).toEqual({ name: 'NotFoundException', message: 'Topic does not exist' });
    expect((await error(h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn })))).name).toBe('NotFoundException');
  });

  test('ListTopics pages by 100 with NextToken', async () => {
    for (let i = 0; i < 105; i++) await createTopic(`t-${i}`);
    const first = await h.sns.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await h.sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.Topics).toHaveLength(5);
    expect(second.NextToken).toBeUndefined();
    const all = new Set([...(first.Topics ?? []), ...(second.Topics ?? [])].map((t) => t.TopicArn));
    expect(all.size).toBe(105);
  });

  test('tags: TagResource, UntagResource, ListTagsForResource; 50 at most; unknown resource', async () => {
    const arn = await createTopic('tagged');
    await h.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await h.sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    expect((await h.sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await error(h.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: many })))).name).toBe('TagLimitExceededException');
    expect((await error(h.sns.send(new ListTagsForResourceCommand({ ResourceArn: `${arn}-nope` })))).name).toBe('ResourceNotFoundException');
  });

  test('data protection policy is stored', async () => {
    const arn = await createTopic('dp');
    const policy = '{"Name":"p","Version":"2021-06-01","Statement":[]}';
    await h.sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: policy }));
    expect((await h.sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }))).DataProtectionPolicy).toBe(policy);
  });
});

describe('subscriptions', () => {
  test('sqs and lambda subscriptions are confirmed at once; listing and attributes', async () => {
    const topic = await createTopic('subs');
    const queue = `arn:aws:sqs:us-east-1:${ACCOUNT}:q1`;
    const sub = await h.sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queue, Attributes: { RawMessageDelivery: 'true' } }),
    );
    expect(sub.SubscriptionArn).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    const again = await h.sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queue, Attributes: { RawMessageDelivery: 'true' } }),
    );
    expect(again.SubscriptionArn).toBe(sub.SubscriptionArn);
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'lambda', Endpoint: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f` }));
    const a = (await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes;
    expect(a).toMatchObject({
      SubscriptionArn: sub.SubscriptionArn,
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: queue,
      Owner: ACCOUNT,
      RawMessageDelivery: 'true',
      PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'true',
    });
    const byTopic = await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }));
    expect(byTopic.Subscriptions?.map((s) => s.Protocol)).toEqual(['sqs', 'lambda']);
    expect((await attrs(topic)).SubscriptionsConfirmed).toBe('2');
    await h.sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
    expect((await h.sns.send(new ListSubscriptionsCommand({}))).Subscriptions?.map((s) => s.Protocol)).toEqual(['lambda']);
    expect((await error(h.sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn })))).name).toBe('NotFoundException');
  });

  test('email subscriptions wait for confirmation by token; the confirmation lands in the outbox', async () => {
    const topic = await createTopic('mail');
    const sub = await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'a@example.com' }));
    expect(sub.SubscriptionArn).toBe('pending confirmation');
    const withArn = await h.sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: 'email-json', Endpoint: 'b@example.com', ReturnSubscriptionArn: true }),
    );
    expect(withArn.SubscriptionArn).toMatch(/^arn:aws:sns:/);
    const listed = await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }));
    expect(listed.Subscriptions?.map((s) => s.SubscriptionArn)).toEqual(['PendingConfirmation', 'PendingConfirmation']);
    expect((await attrs(topic)).SubscriptionsPending).toBe('2');
    const outbox = h.internal().outbox();
    expect(outbox.map((e) => [e.type, e.protocol, e.endpoint])).toEqual([
      ['SubscriptionConfirmation', 'email', 'a@example.com'],
      ['SubscriptionConfirmation', 'email-json', 'b@example.com'],
    ]);
    const json = JSON.parse(outbox[1]?.message ?? '{}') as { Type: string; Token: string; SubscribeURL: string; TopicArn: string };
    expect(json.Type).toBe('SubscriptionConfirmation');
    expect(json.TopicArn).toBe(topic);
    expect(json.SubscribeURL).toContain(`Token=${json.Token}`);
    const confirmed = await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token: json.Token }));
    expect(confirmed.SubscriptionArn).toBe(withArn.SubscriptionArn);
    expect((await attrs(topic)).SubscriptionsConfirmed).toBe('1');
    expect((await error(h.sns.send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token: 'nope' })))).message).toBe('Invalid parameter: Token');
  });

  test('protocol and endpoint validation', async () => {
    const topic = await createTopic('val');
    const fifo = await createTopic('val.fifo', { FifoTopic: 'true' });
    const cases: [string, string, string, string][] = [
      [topic, 'carrier-pigeon', 'x', 'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon'],
      [topic, 'sqs', 'not-an-arn', 'Invalid parameter: SQS endpoint ARN'],
      [topic, 'lambda', 'arn:aws:sqs:us-east-1:1:q', 'Invalid parameter: Lambda endpoint ARN'],
      [topic, 'http', 'https://example.com', 'Invalid parameter: Endpoint must match the specified protocol'],
      [topic, 'email', 'nobody', 'Invalid parameter: Email address'],
      [topic, 'sqs', `arn:aws:sqs:us-east-1:${ACCOUNT}:q.fifo`, 'Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics'],
      [fifo, 'email', 'a@example.com', 'Invalid parameter: Invalid protocol type: email'],
    ];
    for (const [TopicArn, Protocol, Endpoint, message] of cases) {
      expect(await error(h.sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint })))).toEqual({ name: 'InvalidParameterException', message });
    }
    const raw = await error(
      h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'a@b.c', Attributes: { RawMessageDelivery: 'true' } })),
    );
    expect(raw.name).toBe('InvalidParameterException');
    const unknownTopic = await error(h.sns.send(new SubscribeCommand({ TopicArn: `${topic}x`, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:1:q' })));
    expect(unknownTopic.name).toBe('NotFoundException');
  });

  test('SetSubscriptionAttributes: filter policy and scope, redrive policy; bad policies are refused', async () => {
    const topic = await createTopic('setsub');
    const { SubscriptionArn } = await h.sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` }),
    );
    const set = (AttributeName: string, AttributeValue: string) =>
      h.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
    await set('FilterPolicy', '{"color":["red"]}');
    let a = (await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes;
    expect(a?.FilterPolicy).toBe('{"color":["red"]}');
    expect(a?.FilterPolicyScope).toBe('MessageAttributes');
    await set('FilterPolicyScope', 'MessageBody');
    await set('RedrivePolicy', `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:${ACCOUNT}:dlq"}`);
    a = (await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes;
    expect(a?.FilterPolicyScope).toBe('MessageBody');
    expect(a?.RedrivePolicy).toContain('dlq');
    await set('FilterPolicy', '{"a":{"b":["x"]}}');
    expect((await error(set('FilterPolicyScope', 'MessageAttributes'))).message).toBe(
      'Invalid parameter: FilterPolicy: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    a = (await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes;
    expect(a?.FilterPolicyScope).toBe('MessageBody');
    expect((await error(set('FilterPolicy', '{"a":["x"],"b":["x"],"c":["x"],"d":["x"],"e":["x"],"f":["x"]}'))).message).toBe(
      'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys',
    );
    expect((await error(set('Nope', 'x'))).message).toBe('Invalid parameter: AttributeName');
    expect((await error(set('RedrivePolicy', '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:000000000000:dlq"}'))).message).toBe(
      'Invalid parameter: RedrivePolicy: The dead-letter queue must be in the same AWS account and Region as the subscription',
    );
    expect((await error(set('RedrivePolicy', '{"deadLetterTargetArn":"nope"}'))).message).toBe(
      'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn',
    );
    await set('FilterPolicy', '');
    a = (await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes;
    expect(a?.FilterPolicy).toBeUndefined();
  });

  test('visiting SubscribeURL confirms and UnsubscribeURL unsubscribes (unsigned GETs to Switchyard)', async () => {
    const topic = await createTopic('links');
    const sub = await h.sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: 'email-json', Endpoint: 'a@example.com', ReturnSubscriptionArn: true }),
    );
    const doc = JSON.parse(h.internal().outbox()[0]?.message ?? '{}') as { SubscribeURL: string };
    expect((await fetch(doc.SubscribeURL)).status).toBe(200);
    const a = await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }));
    expect(a.Attributes?.PendingConfirmation).toBe('false');
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'hi' }));
    const n = JSON.parse(h.internal().outbox()[1]?.message ?? '{}') as { UnsubscribeURL: string };
    expect((await fetch(n.UnsubscribeURL)).status).toBe(200);
    expect((await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions).toEqual([]);
  });

  test('ListSubscriptionsByTopic and ListSubscriptions page by 100', async () => {
    const topic = await createTopic('many');
    for (let i = 0; i < 101; i++) {
      await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q${i}` }));
    }
    const first = await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }));
    expect(first.Subscriptions).toHaveLength(100);
    const second = await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic, NextToken: first.NextToken }));
    expect(second.Subscriptions).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const all = await h.sns.send(new ListSubscriptionsCommand({}));
    expect(all.Subscriptions).toHaveLength(100);
    expect((await h.sns.send(new ListSubscriptionsCommand({ NextToken: all.NextToken }))).Subscriptions).toHaveLength(1);
    expect((await error(h.sns.send(new ListSubscriptionsCommand({ NextToken: 'garbage' })))).message).toBe('Invalid parameter: NextToken');
  });

  test('cross-account: another account subscribes its queue to our topic and owns the subscription', async () => {
    const topic = await createTopic('shared');
    const other = h.clients('222222222222');
    const subscribe = () =>
      other.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:222222222222:theirs' }));
    expect(await error(subscribe())).toEqual({
      name: 'AuthorizationErrorException',
      message: `User: arn:aws:iam::222222222222:root is not authorized to perform: SNS:Subscribe on resource: ${topic} because no resource-based policy allows the SNS:Subscribe action`,
    });
    expect((await error(other.sns.send(new PublishCommand({ TopicArn: topic, Message: 'x' })))).name).toBe('AuthorizationErrorException');
    await h.sns.send(
      new AddPermissionCommand({ TopicArn: topic, Label: 'partner', AWSAccountId: ['222222222222'], ActionName: ['Subscribe', 'Publish'] }),
    );
    expect((await other.sns.send(new PublishCommand({ TopicArn: topic, Message: 'x' }))).MessageId).toBeTruthy();
    const sub = await other.sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:222222222222:theirs' }),
    );
    expect(sub.SubscriptionArn).toContain(topic);
    const mine = await other.sns.send(new ListSubscriptionsCommand({}));
    expect(mine.Subscriptions).toMatchObject([{ Owner: '222222222222', TopicArn: topic }]);
    expect((await h.sns.send(new ListSubscriptionsCommand({}))).Subscriptions).toEqual([]);
    expect((await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions).toHaveLength(1);
    await other.sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
    expect((await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions).toEqual([]);
  });
});

describe('permissions and SMS', () => {
  test('AddPermission and RemovePermission edit the topic policy', async () => {
    const topic = await createTopic('perm');
    await h.sns.send(new AddPermissionCommand({ TopicArn: topic, Label: 'pub', AWSAccountId: ['111122223333'], ActionName: ['Publish'] }));
    let policy = JSON.parse((await attrs(topic)).Policy ?? '{}') as { Statement: { Sid: string; Principal: unknown; Action: unknown }[] };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['__default_statement_ID', 'pub']);
    expect(policy.Statement[1]).toMatchObject({ Principal: { AWS: ['arn:aws:iam::111122223333:root'] }, Action: ['SNS:Publish'] });
    expect((await error(h.sns.send(new AddPermissionCommand({ TopicArn: topic, Label: 'pub', AWSAccountId: ['1'], ActionName: ['Publish'] })))).name).toBe(
      'InvalidParameterException',
    );
    await h.sns.send(new RemovePermissionCommand({ TopicArn: topic, Label: 'pub' }));
    policy = JSON.parse((await attrs(topic)).Policy ?? '{}') as typeof policy;
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['__default_statement_ID']);
  });

  test('SMS sandbox numbers: the one-time password arrives in the outbox', async () => {
    await h.sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550100' }));
    const otp = /(\d{6})/.exec(h.internal().outbox()[0]?.message ?? '')?.[1];
    expect((await error(h.sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550100', OneTimePassword: '000000x' })))).name).toBe(
      'VerificationException',
    );
    await h.sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550100', OneTimePassword: otp }));
    expect((await h.sns.send(new ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers).toEqual([{ PhoneNumber: '+15555550100', Status: 'Verified' }]);
    await h.sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional' } }));
    expect((await h.sns.send(new GetSMSAttributesCommand({}))).attributes).toEqual({ DefaultSMSType: 'Transactional' });
  });
});
