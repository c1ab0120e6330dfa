// boto3 1.26 (Debian's python3-boto3, on /usr/bin/python3) against Switchyard's SQS over awsQuery. Each scenario is one
// Python process (test/cli/py/*.py) that prints its results as JSON; the assertions live here.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianBoto3, debianBoto3Missing, tempHome, warnSkipped, type Boto3Error } from '../support/debian-clients.js';
import { md5OfBody, md5OfMessageAttributes, type WireAttribute } from '../support/sqs-md5.js';

const missing = debianBoto3Missing();
if (missing) warnSkipped('sqs-boto3', missing);

const script = (name: string): string => fileURLToPath(new URL(`./py/${name}.py`, import.meta.url));
const ACCOUNT = '000000000000';
/** One Python process per scenario; generous because CI machines are shared and each process costs CPU. */
const SLOW = { timeout: 240_000 };
/** The body lifecycle.py sends: unicode (BMP and astral), XML specials, CR LF, tab, a CDATA end, an entity. */
const BODY = 'h\u00e9llo \u2713 \u{1F680} <&>"\' line\nnext\r\n\ttab ]]> &amp;';

interface Message {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody: string;
  MD5OfMessageAttributes?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, WireAttribute>;
}
interface Received {
  Messages?: Message[];
}
interface BatchResult {
  Successful?: { Id: string; MessageId?: string; MD5OfMessageBody?: string; MD5OfMessageAttributes?: string }[];
  Failed?: { Id: string; SenderFault: boolean; Code: string; Message?: string }[];
}

describe.skipIf(missing !== undefined).concurrent('boto3 1.26 (awsQuery) against SQS', () => {
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

  test('full message lifecycle: attributes, tags, every attribute type, visibility, delete, purge', SLOW, async () => {
    const r = await py.run<{
      _versions: { boto3: string; boto3_path: string; protocol: string };
      create: { QueueUrl: string };
      url: { QueueUrl: string };
      attributes: { Attributes: Record<string, string> };
      tags: { Tags?: Record<string, string> };
      send: { MessageId: string; MD5OfMessageBody: string; MD5OfMessageAttributes: string; MD5OfMessageSystemAttributes?: string };
      receive: Received;
      sent_body: string;
      sent_attributes: Record<string, WireAttribute>;
      receive_in_flight: Received;
      receive_again: Received;
      receive_after_delete: Received;
      count_before_purge: Record<string, string>;
      receive_after_purge: Received;
      attributes_after_set: Record<string, string>;
      tags_after: { Tags?: Record<string, string> };
      after_delete: Boto3Error;
      big_send: { MD5OfMessageBody: string };
      big_equal: boolean;
      big_md5: string;
      big_bytes: number;
    }>(script('lifecycle'), { prefix: 'boto' });
    expect(r._versions.boto3).toMatch(/^1\.26\./);
    expect(r._versions.boto3_path).toMatch(/^\/usr\/lib\/python3\/dist-packages\//);
    expect(r._versions.protocol).toBe('query');
    const url = `${sy.endpoint}/${ACCOUNT}/boto-life`;
    expect(r.create.QueueUrl).toBe(url);
    expect(r.url.QueueUrl).toBe(url);
    expect(r.attributes.Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:boto-life`,
      VisibilityTimeout: '45',
      MessageRetentionPeriod: '3600',
      MaximumMessageSize: '2048',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
    });
    expect(r.attributes.Attributes.CreatedTimestamp).toMatch(/^\d{10}$/);
    expect(r.attributes.Attributes.LastModifiedTimestamp).toMatch(/^\d{10}$/);
    expect(r.tags.Tags).toEqual({ env: 'test', team: 'core' });

    expect(r.sent_body).toBe(BODY);
    expect(r.send.MD5OfMessageBody).toBe(md5OfBody(BODY));
    expect(r.send.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(r.sent_attributes));
    expect(r.send.MD5OfMessageSystemAttributes).toBe(
      md5OfMessageAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } }),
    );
    const m = r.receive.Messages?.[0];
    expect(r.receive.Messages).toHaveLength(1);
    expect(m?.MessageId).toBe(r.send.MessageId);
    expect(m?.Body).toBe(BODY);
    expect(m?.MD5OfBody).toBe(md5OfBody(BODY));
    expect(m?.MessageAttributes).toEqual(r.sent_attributes);
    expect(m?.MD5OfMessageAttributes).toBe(r.send.MD5OfMessageAttributes);
    expect(m?.Attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(m?.Attributes?.SentTimestamp).toMatch(/^\d{13}$/);
    expect(m?.Attributes?.ApproximateFirstReceiveTimestamp).toMatch(/^\d{13}$/);
    expect(m?.Attributes?.SenderId).toBeTruthy();

    expect(r.receive_in_flight.Messages).toBeUndefined();
    expect(r.receive_again.Messages?.[0]?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    expect(r.receive_after_delete.Messages).toBeUndefined();
    expect(r.count_before_purge).toEqual({ ApproximateNumberOfMessages: '3' });
    expect(r.receive_after_purge.Messages).toBeUndefined();
    expect(r.attributes_after_set).toEqual({ VisibilityTimeout: '10', DelaySeconds: '2' });
    expect(r.tags_after.Tags).toEqual({ team: 'core', added: 'yes' });
    expect(r.big_bytes).toBeGreaterThan(200_000);
    expect(r.big_bytes).toBeLessThanOrEqual(262_144);
    expect(r.big_equal).toBe(true);
    expect(r.big_md5).toBe(r.big_send.MD5OfMessageBody);
    expect(r.after_delete).toMatchObject({
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      status: 400,
      exception: 'QueueDoesNotExist',
    });
  });

  test('FIFO: order within each group, deduplication, group locking, missing group or dedup id', SLOW, async () => {
    const r = await py.run<{
      sends: { MessageId: string; SequenceNumber: string; MD5OfMessageBody: string }[];
      duplicate: { MessageId: string };
      received: { Body: string; Attributes: Record<string, string> }[];
      lock_first: string[];
      lock_while_in_flight: string[];
      lock_after_delete: string[];
      no_group: Boto3Error;
      no_dedup: Boto3Error;
    }>(script('fifo'), { prefix: 'boto' });
    for (const s of r.sends) expect(s.SequenceNumber).toMatch(/^\d+$/);
    const seqs = r.sends.map((s) => BigInt(s.SequenceNumber));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    const bodies = r.received.map((m) => m.Body);
    expect(bodies).toHaveLength(10);
    expect(bodies.filter((b) => b.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(bodies.filter((b) => b.startsWith('b'))).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    const a0 = r.received.find((m) => m.Body === 'a0');
    expect(a0?.Attributes).toMatchObject({ MessageGroupId: 'A', MessageDeduplicationId: 'a0', SequenceNumber: r.sends[0]?.SequenceNumber });
    expect(r.lock_first).toEqual(['x1']);
    expect(r.lock_while_in_flight).toEqual([]);
    expect(r.lock_after_delete).toEqual(['x2']);
    expect(r.no_group).toMatchObject({ code: 'MissingParameter', status: 400 });
    expect(r.no_group.message).toContain('MessageGroupId');
    expect(r.no_dedup).toMatchObject({ code: 'InvalidParameterValue', status: 400 });
  });

  test('dead-letter queue: the receive after maxReceiveCount moves the message', SLOW, async () => {
    const r = await py.run<{
      dlq_arn: string;
      src_url: string;
      redrive_policy: { RedrivePolicy: string };
      send: { MessageId: string };
      receives: [string, string][][];
      dlq_messages: { Body: string; MessageId: string }[];
      sources: { queueUrls?: string[] };
    }>(script('dlq'), { prefix: 'boto' });
    expect(r.dlq_arn).toBe(`arn:aws:sqs:us-east-1:${ACCOUNT}:boto-dlq`);
    const policy = JSON.parse(r.redrive_policy.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: unknown };
    expect(policy.deadLetterTargetArn).toBe(r.dlq_arn);
    expect(Number(policy.maxReceiveCount)).toBe(2);
    expect(r.receives).toEqual([[['poison', '1']], [['poison', '2']], []]);
    expect(r.dlq_messages).toEqual([{ Body: 'poison', MessageId: r.send.MessageId }]);
    expect(r.sources.queueUrls).toEqual([r.src_url]);
  });

  test('long polling: waits the whole time when empty, returns early when a message arrives', SLOW, async () => {
    const r = await py.run<{
      empty_seconds: number;
      empty_messages: unknown[];
      wake_seconds: number;
      wake_bodies: string[];
      queue_default_seconds: number;
    }>(script('long_poll'), { prefix: 'boto' });
    expect(r.empty_messages).toEqual([]);
    expect(r.empty_seconds).toBeGreaterThanOrEqual(0.9);
    expect(r.empty_seconds).toBeLessThan(4);
    expect(r.wake_bodies).toEqual(['woken']);
    expect(r.wake_seconds).toBeGreaterThanOrEqual(1.3);
    expect(r.wake_seconds).toBeLessThan(9.5);
    expect(r.queue_default_seconds).toBeGreaterThanOrEqual(0.9);
  });

  test('batches: per-entry results, partial failures, whole-request errors', SLOW, async () => {
    const r = await py.run<{
      send: BatchResult;
      received: { Body: string; MD5OfBody: string; MessageAttributes?: Record<string, WireAttribute> }[];
      visibility: BatchResult;
      delete: BatchResult;
      count_after: Record<string, string>;
      empty: Boto3Error;
      too_many: Boto3Error;
      not_distinct: Boto3Error;
      bad_id: Boto3Error;
    }>(script('batch'), { prefix: 'boto' });
    const sent = Object.fromEntries((r.send.Successful ?? []).map((e) => [e.Id, e]));
    expect(Object.keys(sent).sort()).toEqual(['one', 'three', 'two']);
    expect(r.send.Failed ?? []).toEqual([]);
    expect(sent.one?.MD5OfMessageBody).toBe(md5OfBody('first <1>'));
    expect(sent.two?.MD5OfMessageAttributes).toBe(md5OfMessageAttributes({ k: { DataType: 'String', StringValue: 'v' } }));
    expect(r.received.map((m) => m.Body).sort()).toEqual(['first <1>', 'second', 'third']);
    for (const m of r.received) expect(m.MD5OfBody).toBe(md5OfBody(m.Body));
    for (const result of [r.visibility, r.delete]) {
      expect((result.Successful ?? []).map((e) => e.Id).sort()).toEqual(['ok0', 'ok1', 'ok2']);
      expect(result.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid' })]);
    }
    expect(r.count_after).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    expect(r.empty).toMatchObject({ code: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400, exception: 'EmptyBatchRequest' });
    expect(r.too_many).toMatchObject({ code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400 });
    expect(r.not_distinct).toMatchObject({ code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 });
    expect(r.bad_id).toMatchObject({ code: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400 });
  });

  test('error codes, HTTP statuses and modeled exceptions', SLOW, async () => {
    const r = await py.run<Record<string, Boto3Error>>(script('errors'), { prefix: 'boto', endpoint: sy.endpoint });
    const nonExistent = { code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400, type: 'Sender', exception: 'QueueDoesNotExist' };
    expect(r.get_url_missing).toMatchObject(nonExistent);
    expect(r.get_url_missing?.message).toBe('The specified queue does not exist.');
    expect(r.send_missing).toMatchObject(nonExistent);
    expect(r.attributes_missing).toMatchObject(nonExistent);
    expect(r.exists).toMatchObject({ code: 'QueueAlreadyExists', status: 400, exception: 'QueueNameExists' });
    expect(r.bad_attribute_name).toMatchObject({ code: 'InvalidAttributeName', status: 400 });
    expect(r.bad_attribute_value).toMatchObject({ code: 'InvalidAttributeValue', status: 400 });
    expect(r.bad_max_messages).toMatchObject({ code: 'InvalidParameterValue', status: 400 });
    expect(r.bad_receipt).toMatchObject({ code: 'ReceiptHandleIsInvalid', status: 404 });
    expect(r.fifo_name_without_attribute).toMatchObject({ code: 'InvalidParameterValue', status: 400 });
    expect(r.bad_name).toMatchObject({ code: 'InvalidParameterValue', status: 400 });
    expect(r.invalid_body).toMatchObject({ code: 'InvalidMessageContents', status: 400 });
  });
});
