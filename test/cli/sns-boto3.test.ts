// boto3 1.26 (Debian's python3-boto3, on /usr/bin/python3) against Switchyard's SNS over awsQuery, with SQS queues as
// subscribers. Each scenario is one Python process (test/cli/py/sns_*.py) that prints its results as JSON; the
// assertions live here.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { verifySnsSignature } from '../../src/services/sns/harness.js';
import { DebianBoto3, debianBoto3Missing, tempHome, warnSkipped, type Boto3Error } from '../support/debian-clients.js';

const missing = debianBoto3Missing();
if (missing) warnSkipped('sns-boto3', missing);

const script = (name: string): string => fileURLToPath(new URL(`./py/${name}.py`, import.meta.url));
const ACCOUNT = '000000000000';
const SLOW = { timeout: 240_000 };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Versions {
  boto3: string;
  boto3_path: string;
  protocol: string;
}
interface Envelope {
  Type: string;
  MessageId: string;
  SequenceNumber?: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  UnsubscribeURL: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}
interface SqsAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}
interface Received {
  Body: string;
  MessageAttributes: Record<string, SqsAttribute> | null;
  Attributes: Record<string, string>;
}
interface BatchResult {
  Successful?: { Id: string; MessageId: string; SequenceNumber?: string }[];
  Failed?: { Id: string; Code: string; Message?: string; SenderFault: boolean }[];
}
interface OutboxEntry {
  protocol: string;
  endpoint: string;
  type: string;
  messageId: string;
  topicArn?: string;
  subscriptionArn?: string;
  subject?: string;
  message: string;
  timestamp: string;
}

const arnOf = (name: string, service = 'sns'): string => `arn:aws:${service}:us-east-1:${ACCOUNT}:${name}`;

describe.skipIf(missing !== undefined).concurrent('boto3 1.26 (awsQuery) against SNS', () => {
  let sy: RunningSwitchyard;
  let py: DebianBoto3;
  let home: ReturnType<typeof tempHome>;
  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
    py = new DebianBoto3(sy.endpoint, home.path);
  });
  afterAll(async () => {
    await sy.stop();
    home.dispose();
  });

  test('fan-out to two queues in the SNS envelope, field by field, and raw delivery to a third', SLOW, async () => {
    const r = await py.run<{
      _versions: Versions;
      topic_arn: string;
      subscriptions: Record<'a' | 'b' | 'raw', string>;
      by_topic: { Subscriptions: { SubscriptionArn: string; Owner: string; Protocol: string; Endpoint: string; TopicArn: string }[] };
      topic_attributes: Record<string, string>;
      message: string;
      publish: { MessageId: string };
      plain: { MessageId: string };
      received: Record<'a' | 'b' | 'raw', Received[]>;
      parsed: Record<'a' | 'b', Envelope[]>;
    }>(script('sns_fanout'), { prefix: 'boto' });
    expect(r._versions.boto3).toMatch(/^1\.26\./);
    expect(r._versions.boto3_path).toMatch(/^\/usr\/lib\/python3\/dist-packages\//);
    expect(r._versions.protocol).toBe('query');
    const topic = arnOf('boto-fan');
    expect(r.topic_arn).toBe(topic);
    for (const arn of Object.values(r.subscriptions)) expect(arn).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    expect(r.by_topic.Subscriptions).toHaveLength(3);
    expect(r.by_topic.Subscriptions).toContainEqual({
      SubscriptionArn: r.subscriptions.a,
      Owner: ACCOUNT,
      Protocol: 'sqs',
      Endpoint: arnOf('boto-fan-a', 'sqs'),
      TopicArn: topic,
    });
    expect(r.topic_attributes).toMatchObject({
      TopicArn: topic,
      Owner: ACCOUNT,
      DisplayName: 'Fan out',
      SubscriptionsConfirmed: '3',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(JSON.parse(r.topic_attributes.Policy ?? '{}')).toMatchObject({ Version: '2008-10-17' });
    expect(r.publish.MessageId).toMatch(UUID);

    for (const name of ['a', 'b'] as const) {
      const envelopes = r.parsed[name];
      expect(envelopes.map((e) => e.MessageId).sort()).toEqual([r.publish.MessageId, r.plain.MessageId].sort());
      const e = envelopes.find((x) => x.MessageId === r.publish.MessageId);
      // the keys in AWS's order
      expect(Object.keys(e ?? {})).toEqual([
        'Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature',
        'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes',
      ]);
      expect(e?.Type).toBe('Notification');
      expect(e?.TopicArn).toBe(topic);
      expect(e?.Subject).toBe('Greetings <1>');
      expect(e?.Message).toBe(r.message);
      expect(e?.Timestamp).toMatch(ISO);
      expect(Math.abs(Date.parse(e?.Timestamp ?? '') - Date.now())).toBeLessThan(120_000);
      expect(e?.SignatureVersion).toBe('1');
      expect(Buffer.from(e?.Signature ?? '', 'base64')).toHaveLength(256);
      expect(e?.SigningCertURL).toBe(`${sy.endpoint}/_switchyard/sns/SimpleNotificationService-switchyard.pem`);
      expect(await verifySnsSignature({ ...e })).toBe(true);
      const unsubscribe = new URL(e?.UnsubscribeURL ?? '');
      expect(unsubscribe.origin).toBe(sy.endpoint);
      expect(unsubscribe.searchParams.get('Action')).toBe('Unsubscribe');
      expect(unsubscribe.searchParams.get('SubscriptionArn')).toBe(r.subscriptions[name]);
      expect(e?.MessageAttributes).toEqual({
        color: { Type: 'String', Value: 'red \u00e9' },
        count: { Type: 'Number', Value: '42' },
        blob: { Type: 'Binary', Value: Buffer.from([0, 1, 2, 254, 255]).toString('base64') },
        list: { Type: 'String.Array', Value: '["x", 1, true]' },
      });
      const plain = envelopes.find((x) => x.MessageId === r.plain.MessageId);
      expect(plain).not.toHaveProperty('Subject');
      expect(plain).not.toHaveProperty('MessageAttributes');
      expect(plain?.Message).toBe('no subject, no attributes');
      // the envelope is what the queue got, as SNS lays it out
      const body = r.received[name].find((m) => m.Body.includes(r.publish.MessageId))?.Body ?? '';
      expect(body).toMatch(/^\{\n {2}"Type" : "Notification",\n {2}"MessageId" : "/);
      expect(r.received[name].every((m) => m.MessageAttributes === null)).toBe(true);
      expect(r.received[name][0]?.Attributes.SenderId).toBeTruthy();
    }

    const raw = r.received.raw;
    expect(raw.map((m) => m.Body).sort()).toEqual([r.message, 'no subject, no attributes'].sort());
    expect(raw.find((m) => m.Body === r.message)?.MessageAttributes).toEqual({
      color: { DataType: 'String', StringValue: 'red \u00e9' },
      count: { DataType: 'Number', StringValue: '42' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 254, 255]).toString('base64') },
      list: { DataType: 'String.Array', StringValue: '["x", 1, true]' },
    });
    expect(raw.find((m) => m.Body !== r.message)?.MessageAttributes).toBeNull();
  });

  test('filter policies on message attributes and on the body; changed, cleared, and refused when invalid', SLOW, async () => {
    const r = await py.run<{
      attr_sub_attributes: Record<string, string>;
      body_sub_attributes: Record<string, string>;
      attr_received: string[];
      body_received: string[];
      after_set: string[];
      attributes_after_clear: Record<string, string>;
      after_clear: string[];
      invalid_json: Boto3Error;
      invalid_operator: Boto3Error;
      invalid_scope: Boto3Error;
      body_sub_after_errors: Record<string, string>;
    }>(script('sns_filter'), { prefix: 'boto' });
    expect(r.attr_sub_attributes).toMatchObject({ FilterPolicyScope: 'MessageAttributes', RawMessageDelivery: 'true' });
    expect(JSON.parse(r.attr_sub_attributes.FilterPolicy ?? '')).toEqual({
      color: ['red', { prefix: 'bl' }],
      size: [{ numeric: ['>', 10, '<=', 20] }],
    });
    expect(r.body_sub_attributes).toMatchObject({ FilterPolicyScope: 'MessageBody' });
    expect(r.attr_received).toEqual(['{"name": "blue-20"}', '{"name": "red-15"}']);
    expect(r.body_received).toEqual(['{"detail": {"kind": "order", "total": 150}, "id": "big-order"}']);
    expect(r.after_set).toEqual(['green again']);
    expect(r.attributes_after_clear).not.toHaveProperty('FilterPolicy');
    expect(r.attributes_after_clear).not.toHaveProperty('FilterPolicyScope');
    expect(r.after_clear).toEqual(['anything']);
    const invalid = { code: 'InvalidParameter', status: 400, type: 'Sender', exception: 'InvalidParameterException' };
    expect(r.invalid_json).toMatchObject(invalid);
    expect(r.invalid_json.message).toMatch(/^Invalid parameter: FilterPolicy: /);
    expect(r.invalid_operator).toMatchObject(invalid);
    expect(r.invalid_operator.message).toMatch(/^Invalid parameter: FilterPolicy: /);
    expect(r.invalid_scope).toMatchObject(invalid);
    expect(r.body_sub_after_errors.FilterPolicy).toBe(r.body_sub_attributes.FilterPolicy);
    expect(r.body_sub_after_errors.FilterPolicyScope).toBe('MessageBody');
  });

  test('FIFO topic to FIFO queues: order per group, sequence numbers, deduplication by id and by content', SLOW, async () => {
    const r = await py.run<{
      topic_arn: string;
      topic_attributes: Record<string, string>;
      sends: { MessageId: string; SequenceNumber: string }[];
      duplicate: { MessageId: string; SequenceNumber: string };
      no_group: Boto3Error;
      no_dedup: Boto3Error;
      email_to_fifo_topic: Boto3Error;
      raw_received: { Body: string; Attributes: Record<string, string> }[];
      envelopes: Envelope[];
      envelope_attributes: Record<string, string>[];
      content_dedup: { MessageId: string; SequenceNumber: string }[];
      content_received: string[];
    }>(script('sns_fifo'), { prefix: 'boto' });
    expect(r.topic_arn).toBe(arnOf('boto-order.fifo'));
    expect(r.topic_attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'false' });
    const seqs = r.sends.map((s) => BigInt(s.SequenceNumber));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    expect(r.duplicate).toEqual(r.sends[0]);

    const bodies = r.raw_received.map((m) => m.Body);
    expect(bodies).toHaveLength(10);
    expect(bodies.filter((b) => b.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(bodies.filter((b) => b.startsWith('b'))).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(r.raw_received.find((m) => m.Body === 'a0')?.Attributes).toMatchObject({ MessageGroupId: 'A', MessageDeduplicationId: 'A0' });

    const messages = r.envelopes.map((e) => e.Message);
    expect(messages.filter((b) => b.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(messages.filter((b) => b.startsWith('b'))).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    // the envelope carries the topic's SequenceNumber after MessageId
    for (const e of r.envelopes) {
      const sent = r.sends.find((s) => s.MessageId === e.MessageId);
      expect(e.SequenceNumber).toBe(sent?.SequenceNumber);
      expect(Object.keys(e).slice(0, 4)).toEqual(['Type', 'MessageId', 'SequenceNumber', 'TopicArn']);
    }
    expect(r.envelope_attributes.map((a) => `${a.MessageGroupId}:${a.MessageDeduplicationId}`).sort()).toEqual(
      ['A:A0', 'A:A1', 'A:A2', 'A:A3', 'A:A4', 'B:B0', 'B:B1', 'B:B2', 'B:B3', 'B:B4'],
    );

    const invalid = { code: 'InvalidParameter', status: 400, exception: 'InvalidParameterException' };
    expect(r.no_group).toMatchObject(invalid);
    expect(r.no_group.message).toContain('MessageGroupId');
    expect(r.no_dedup).toMatchObject(invalid);
    expect(r.no_dedup.message).toContain('ContentBasedDeduplication');
    expect(r.email_to_fifo_topic).toMatchObject(invalid);

    expect(r.content_dedup[1]).toEqual(r.content_dedup[0]);
    expect(r.content_received).toEqual(['same body']);
  });

  test('publish_batch: partial failures per entry, FIFO batches, whole-request errors', SLOW, async () => {
    const r = await py.run<{
      mixed: BatchResult;
      received: [string, Record<string, SqsAttribute> | null][];
      fifo: BatchResult;
      fifo_received: string[];
      empty: Boto3Error;
      too_many: Boto3Error;
      not_distinct: Boto3Error;
      bad_id: Boto3Error;
      missing_topic: Boto3Error;
    }>(script('sns_batch'), { prefix: 'boto' });
    expect((r.mixed.Successful ?? []).map((e) => e.Id).sort()).toEqual(['ok1', 'ok2']);
    for (const e of r.mixed.Successful ?? []) expect(e.MessageId).toMatch(UUID);
    const failed = Object.fromEntries((r.mixed.Failed ?? []).map((f) => [f.Id, f]));
    expect(Object.keys(failed).sort()).toEqual(['badnum', 'dedup_on_std', 'empty']);
    expect(failed.empty).toMatchObject({ Code: 'InvalidParameter', SenderFault: true });
    expect(failed.badnum).toMatchObject({ Code: 'ParameterValueInvalid', SenderFault: true });
    expect(failed.dedup_on_std).toMatchObject({ Code: 'InvalidParameter', SenderFault: true });
    expect(r.received).toEqual([
      ['first', null],
      ['second', { k: { DataType: 'String', StringValue: 'v' } }],
    ]);

    expect((r.fifo.Successful ?? []).map((e) => e.Id)).toEqual(['g1', 'g2']);
    for (const e of r.fifo.Successful ?? []) expect(e.SequenceNumber).toMatch(/^\d+$/);
    expect(r.fifo.Failed).toEqual([expect.objectContaining({ Id: 'nogroup', Code: 'InvalidParameter', SenderFault: true })]);
    expect(r.fifo_received).toEqual(['one', 'three']);

    expect(r.empty).toMatchObject({ code: 'EmptyBatchRequest', status: 400, exception: 'EmptyBatchRequestException' });
    expect(r.too_many).toMatchObject({ code: 'TooManyEntriesInBatchRequest', status: 400, exception: 'TooManyEntriesInBatchRequestException' });
    expect(r.not_distinct).toMatchObject({ code: 'BatchEntryIdsNotDistinct', status: 400, exception: 'BatchEntryIdsNotDistinctException' });
    expect(r.bad_id).toMatchObject({ code: 'InvalidBatchEntryId', status: 400, exception: 'InvalidBatchEntryIdException' });
    expect(r.missing_topic).toMatchObject({ code: 'NotFound', status: 404, exception: 'NotFoundException' });
  });

  test('email and email-json subscriptions: confirmation and notifications land in the outbox', SLOW, async () => {
    const r = await py.run<{
      topic_arn: string;
      subscribe: { SubscriptionArn: string };
      subscribe_json: { SubscriptionArn: string };
      listed_pending: { SubscriptionArn: string; Protocol: string; Endpoint: string }[];
      topic_counts_pending: Record<string, string>;
      confirmations: OutboxEntry[];
      confirm: { SubscriptionArn: string };
      confirm_bad_token: { Code: string } | null;
      sub_attributes: Record<string, string>;
      publish: { MessageId: string };
      publish_no_subject: { MessageId: string };
      outbox: OutboxEntry[];
    }>(script('sns_email'), { prefix: 'boto' });
    const topic = arnOf('boto-mail');
    expect(r.subscribe).toEqual({ SubscriptionArn: 'pending confirmation' });
    expect(r.subscribe_json.SubscriptionArn).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    expect(r.listed_pending.map((s) => [s.SubscriptionArn, s.Protocol, s.Endpoint]).sort()).toEqual([
      ['PendingConfirmation', 'email', 'dev@example.com'],
      ['PendingConfirmation', 'email-json', 'ops@example.com'],
    ]);
    expect(r.topic_counts_pending).toEqual({ SubscriptionsPending: '2', SubscriptionsConfirmed: '0', SubscriptionsDeleted: '0' });

    expect(r.confirmations.map((c) => [c.type, c.protocol, c.endpoint]).sort()).toEqual([
      ['SubscriptionConfirmation', 'email', 'dev@example.com'],
      ['SubscriptionConfirmation', 'email-json', 'ops@example.com'],
    ]);
    const mail = r.confirmations.find((c) => c.protocol === 'email');
    expect(mail?.subject).toBe('AWS Notification - Subscription Confirmation');
    expect(mail?.message).toContain(topic);
    expect(mail?.message).toContain(`${sy.endpoint}/?Action=ConfirmSubscription&`);
    const json = JSON.parse(r.confirmations.find((c) => c.protocol === 'email-json')?.message ?? '{}') as Record<string, string>;
    expect(json).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: topic });
    expect(json.SubscribeURL).toContain(`Token=${json.Token}`);

    expect(r.confirm.SubscriptionArn).toBe(mail?.subscriptionArn);
    expect(r.confirm_bad_token).toMatchObject({ Code: 'InvalidParameter' });
    expect(r.sub_attributes).toMatchObject({ Protocol: 'email', Endpoint: 'dev@example.com', PendingConfirmation: 'false', TopicArn: topic });

    // only the confirmed email subscription hears the two later publishes; nothing went out while it was pending
    const notes = r.outbox.filter((e) => e.type === 'Notification');
    expect(notes.map((n) => [n.protocol, n.endpoint, n.messageId, n.subject, n.message])).toEqual([
      ['email', 'dev@example.com', r.publish.MessageId, 'Status report', 'Hello by mail'],
      ['email', 'dev@example.com', r.publish_no_subject.MessageId, 'AWS Notification Message', 'No subject here'],
    ]);
    for (const n of notes) {
      expect(n.subscriptionArn).toBe(r.confirm.SubscriptionArn);
      expect(n.timestamp).toMatch(ISO);
    }
  });

  test('error codes, HTTP statuses and modeled exceptions', SLOW, async () => {
    const r = await py.run<Record<string, Boto3Error>>(script('sns_errors'), { prefix: 'boto' });
    const notFound = { code: 'NotFound', status: 404, type: 'Sender', exception: 'NotFoundException' };
    expect(r.publish_missing).toEqual({ ...notFound, message: 'Topic does not exist' });
    expect(r.attributes_missing).toMatchObject(notFound);
    expect(r.subscribe_missing).toMatchObject(notFound);
    expect(r.subscription_missing).toEqual({ ...notFound, message: 'Subscription does not exist' });
    expect(r.tags_missing).toMatchObject({ code: 'ResourceNotFound', status: 404, exception: 'ResourceNotFoundException' });
    const invalid = { code: 'InvalidParameter', status: 400, type: 'Sender', exception: 'InvalidParameterException' };
    for (const k of [
      'bad_name', 'fifo_name_without_attribute', 'empty_message', 'bad_protocol', 'fifo_queue_standard_topic',
      'bad_filter_policy', 'bad_raw', 'bad_attribute_name', 'too_long', 'bad_structure', 'dedup_on_standard',
    ]) {
      expect(r[k], k).toMatchObject(invalid);
      expect(r[k]?.message, k).toMatch(/^Invalid parameter: /);
    }
    expect(r.empty_message?.message).toBe('Invalid parameter: Empty message');
    expect(r.bad_filter_policy?.message).toMatch(/^Invalid parameter: FilterPolicy: /);
    expect(r.bad_number).toMatchObject({ code: 'ParameterValueInvalid', status: 400, exception: 'InvalidParameterValueException' });
  });

  test('links and lifecycle: SubscribeURL and UnsubscribeURL work, MessageStructure=json, delete-topic, topic paging', SLOW, async () => {
    const r = await py.run<{
      subscribe_url_visit: { status: number; content_type: string; body: string };
      counts_after_confirm: Record<string, string>;
      structured: { MessageId: string };
      structured_envelope_message: string;
      json_mail: Envelope | null;
      unsubscribe_url_visit: { status: number; body: string };
      after_unsubscribe: Boto3Error;
      received_after_unsubscribe: string[];
      delete_again: Record<string, unknown>;
      subscriptions_after_delete: unknown[];
      topics_after_delete: string[];
      topic_pages: number[];
      topic_page_tokens: boolean[];
      paged_topics: string[];
    }>(script('sns_lifecycle'), { prefix: 'boto' });
    const topic = arnOf('boto-life');
    expect(r.subscribe_url_visit.status).toBe(200);
    expect(r.subscribe_url_visit.body).toContain('<ConfirmSubscriptionResponse');
    expect(r.subscribe_url_visit.body).toContain(`<SubscriptionArn>${topic}:`);
    expect(r.counts_after_confirm).toEqual({ SubscriptionsPending: '0', SubscriptionsConfirmed: '2', SubscriptionsDeleted: '0' });
    expect(r.structured_envelope_message).toBe('for queues');
    expect(r.json_mail).toMatchObject({ Type: 'Notification', MessageId: r.structured.MessageId, TopicArn: topic, Message: 'for json mail' });
    expect(r.unsubscribe_url_visit.status).toBe(200);
    expect(r.unsubscribe_url_visit.body).toContain('<UnsubscribeResponse');
    expect(r.after_unsubscribe).toMatchObject({ code: 'NotFound', status: 404, exception: 'NotFoundException' });
    expect(r.received_after_unsubscribe).toEqual([]);
    expect(r.delete_again).toEqual({});
    expect(r.subscriptions_after_delete).toEqual([]);
    expect(r.topics_after_delete).toEqual([]);
    expect(r.topic_pages).toEqual([100, r.topic_pages[1]]);
    expect(r.topic_page_tokens).toEqual([true, false]);
    expect(r.paged_topics).toEqual(Array.from({ length: 105 }, (_, i) => arnOf(`boto-page-${String(i).padStart(3, '0')}`)).sort());
  });

  test('the FIFO-queue-to-standard-topic message has one "Invalid parameter: " prefix, as AWS writes it', SLOW, async () => {
    const r = await py.run<Record<string, Boto3Error>>(script('sns_errors'), { prefix: 'boto-skip' });
    expect(r.fifo_queue_standard_topic?.message).toBe(
      'Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
    );
  });
});
