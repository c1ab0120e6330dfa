// The AWS CLI v2 from Debian (/usr/bin/aws, which speaks awsQuery to SQS) against Switchyard, one command per
// process as a user runs it, asserting the JSON it prints and its exit codes (254 for a service error).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FakeClock, startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianAwsCli, debianAwsCliMissing, tempHome, warnSkipped } from '../support/debian-clients.js';
import { md5OfBody, md5OfMessageAttributes, type WireAttribute } from '../support/sqs-md5.js';

const missing = debianAwsCliMissing();
if (missing) warnSkipped('sqs-awscli', missing);

/** Whether this CLI's bundled SQS model has the message move task commands (2.9.19 from Debian 12 has not). */
function cliHasMoveTasks(): boolean {
  try {
    const model = '/usr/lib/python3/dist-packages/awscli/botocore/data/sqs/2012-11-05/service-2.json';
    return readFileSync(model, 'utf8').includes('StartMessageMoveTask');
  } catch {
    return false;
  }
}
const hasMoveTasks = missing === undefined && cliHasMoveTasks();
if (missing === undefined && !hasMoveTasks) {
  warnSkipped('sqs-awscli', 'this AWS CLI has no start/list/cancel-message-move-task commands; that test is skipped');
}

const ACCOUNT = '000000000000';
/** Each CLI call costs about a second of CPU; on a shared machine a scenario of a dozen calls can take minutes. */
const SLOW = 300_000;
/** Unicode (BMP and astral), XML specials, CR LF, tab, a CDATA end and a literal entity must survive the XML answer. */
const BODY = 'h\u00e9llo \u2713 \u{1F680} <&>"\' line\nnext\r\n\ttab ]]> &amp;';
const ATTRIBUTES: Record<string, WireAttribute> = {
  s: { DataType: 'String', StringValue: 'v <&> \u00e9' },
  n: { DataType: 'Number', StringValue: '-12.5e3' },
  b: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 254, 255]).toString('base64') },
  c: { DataType: 'String.custom', StringValue: 'typed' },
};
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793';

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

describe.skipIf(missing !== undefined).concurrent('AWS CLI v2 from Debian (awsQuery) against SQS', () => {
  let sy: RunningSwitchyard;
  let aws: DebianAwsCli;
  let home: ReturnType<typeof tempHome>;
  const urlOf = (name: string): string => `${sy.endpoint}/${ACCOUNT}/${name}`;
  const create = async (name: string, ...extra: string[]): Promise<string> =>
    (await aws.ok<{ QueueUrl: string }>(['sqs', 'create-queue', '--queue-name', name, ...extra])).QueueUrl;
  const attributesOf = async (url: string, ...names: string[]): Promise<Record<string, string>> =>
    (
      await aws.ok<{ Attributes?: Record<string, string> }>([
        'sqs', 'get-queue-attributes', '--queue-url', url, '--attribute-names', ...(names.length ? names : ['All']),
      ])
    ).Attributes ?? {};
  /** Runs a command that must fail with a service error; returns its stderr. */
  const fails = async (args: string[], code: string): Promise<string> => {
    const r = await aws.run(args);
    expect(r.code, r.stderr).toBe(254);
    expect(r.stderr).toContain(`An error occurred (${code})`);
    return r.stderr;
  };

  /** A second Switchyard on a fake clock, for delays and visibility timeouts. */
  const clock = new FakeClock();
  let timed: RunningSwitchyard;
  let timedAws: DebianAwsCli;

  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
    aws = new DebianAwsCli(sy.endpoint, home.path);
    timed = await startSwitchyard({ port: 0, logLevel: 'silent', clock });
    timedAws = new DebianAwsCli(timed.endpoint, home.path);
  });
  afterAll(async () => {
    await sy.stop();
    await timed.stop();
    home.dispose();
  });

  test('the CLI is Debian\'s v2 and speaks awsQuery to SQS', { timeout: SLOW }, async () => {
    const version = await aws.run(['--version']);
    expect(version.stdout).toMatch(/^aws-cli\/2\./);
    const debug = await aws.run(['--debug', 'sqs', 'list-queues']);
    expect(debug.code).toBe(0);
    expect(debug.stderr).toContain("'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'");
    expect(debug.stderr).toContain("'body': {'Action': 'ListQueues', 'Version': '2012-11-05'}");
    expect(debug.stderr).not.toContain('x-amz-json');
  });

  test('create-queue with attributes and tags, get-queue-url, get/set-queue-attributes, tags', { timeout: SLOW }, async () => {
    const url = await create('cli-std', '--attributes', 'VisibilityTimeout=45,MessageRetentionPeriod=3600', '--tags', 'env=test,team=core');
    expect(url).toBe(urlOf('cli-std'));
    expect(await create('cli-std', '--attributes', 'VisibilityTimeout=45,MessageRetentionPeriod=3600')).toBe(url);
    expect(await aws.ok(['sqs', 'get-queue-url', '--queue-name', 'cli-std'])).toEqual({ QueueUrl: url });
    const all = await attributesOf(url);
    expect(all).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:cli-std`,
      VisibilityTimeout: '45',
      MessageRetentionPeriod: '3600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
    });
    expect(all.CreatedTimestamp).toMatch(/^\d{10}$/);
    expect(all).not.toHaveProperty('FifoQueue');
    expect(await attributesOf(url, 'VisibilityTimeout', 'QueueArn')).toEqual({
      VisibilityTimeout: '45',
      QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:cli-std`,
    });
    const set = await aws.run(['sqs', 'set-queue-attributes', '--queue-url', url, '--attributes', 'VisibilityTimeout=10,DelaySeconds=1']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('');
    expect(await attributesOf(url, 'VisibilityTimeout', 'DelaySeconds')).toEqual({ VisibilityTimeout: '10', DelaySeconds: '1' });

    expect(await aws.ok(['sqs', 'list-queue-tags', '--queue-url', url])).toEqual({ Tags: { env: 'test', team: 'core' } });
    await aws.ok(['sqs', 'tag-queue', '--queue-url', url, '--tags', 'added=yes']);
    await aws.ok(['sqs', 'untag-queue', '--queue-url', url, '--tag-keys', 'env']);
    expect(await aws.ok(['sqs', 'list-queue-tags', '--queue-url', url])).toEqual({ Tags: { team: 'core', added: 'yes' } });

    await fails(['sqs', 'create-queue', '--queue-name', 'cli-std', '--attributes', 'VisibilityTimeout=46'], 'QueueAlreadyExists');
    await fails(['sqs', 'set-queue-attributes', '--queue-url', url, '--attributes', 'Bogus=1'], 'InvalidAttributeName');
    await fails(['sqs', 'set-queue-attributes', '--queue-url', url, '--attributes', 'VisibilityTimeout=99999'], 'InvalidAttributeValue');
  });

  test('send-message with every attribute type and an awkward body; receive-message with all attributes; MD5s', { timeout: SLOW }, async () => {
    const url = await create('cli-msg');
    const sent = await aws.ok<{ MessageId: string; MD5OfMessageBody: string; MD5OfMessageAttributes: string; MD5OfMessageSystemAttributes: string }>([
      'sqs', 'send-message', '--queue-url', url, '--message-body', BODY,
      '--message-attributes', JSON.stringify(ATTRIBUTES),
      '--message-system-attributes', JSON.stringify({ AWSTraceHeader: { DataType: 'String', StringValue: TRACE } }),
    ]);
    expect(sent.MD5OfMessageBody).toBe(md5OfBody(BODY));
    expect(sent.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(ATTRIBUTES));
    expect(sent.MD5OfMessageSystemAttributes).toBe(md5OfMessageAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: TRACE } }));

    const received = await aws.ok<Received>([
      'sqs', 'receive-message', '--queue-url', url, '--attribute-names', 'All', '--message-attribute-names', 'All',
      '--max-number-of-messages', '10', '--wait-time-seconds', '1', '--visibility-timeout', '600',
    ]);
    expect(received.Messages).toHaveLength(1);
    const m = received.Messages?.[0];
    expect(m?.MessageId).toBe(sent.MessageId);
    expect(m?.Body).toBe(BODY);
    expect(m?.MD5OfBody).toBe(md5OfBody(BODY));
    expect(m?.MessageAttributes).toEqual(ATTRIBUTES);
    expect(m?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(m?.Attributes).toMatchObject({ ApproximateReceiveCount: '1', AWSTraceHeader: TRACE });
    expect(m?.Attributes?.SentTimestamp).toMatch(/^\d{13}$/);
    expect(m?.Attributes?.ApproximateFirstReceiveTimestamp).toMatch(/^\d{13}$/);
    expect(m?.Attributes?.SenderId).toBeTruthy();

    // in flight: a second receive prints nothing
    expect(await aws.ok(['sqs', 'receive-message', '--queue-url', url])).toEqual({});
    await aws.ok(['sqs', 'change-message-visibility', '--queue-url', url, '--receipt-handle', m?.ReceiptHandle ?? '', '--visibility-timeout', '0']);
    const again = await aws.ok<Received>([
      'sqs', 'receive-message', '--queue-url', url, '--attribute-names', 'ApproximateReceiveCount', '--message-attribute-names', 's', 'n',
    ]);
    const m2 = again.Messages?.[0];
    expect(m2?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    expect(m2?.MessageAttributes).toEqual({ s: ATTRIBUTES.s, n: ATTRIBUTES.n });
    expect(m2?.MD5OfMessageAttributes).toBe(md5OfMessageAttributes({ s: ATTRIBUTES.s!, n: ATTRIBUTES.n! }));
    await aws.ok(['sqs', 'delete-message', '--queue-url', url, '--receipt-handle', m2?.ReceiptHandle ?? '']);
    // AWS documents no single code for a deleted message's handle; any service error (exit 254) will do
    const late = await aws.run(['sqs', 'change-message-visibility', '--queue-url', url, '--receipt-handle', m2?.ReceiptHandle ?? '', '--visibility-timeout', '5']);
    expect(late.code, late.stderr).toBe(254);
    expect(await attributesOf(url, 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible')).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  // On a fake clock, so that the timing holds however slow the machine makes each CLI call.
  test('--delay-seconds and the visibility timeout, on a fake clock', { timeout: SLOW }, async () => {
    const url = (await timedAws.ok<{ QueueUrl: string }>(['sqs', 'create-queue', '--queue-name', 'cli-delay'])).QueueUrl;
    await timedAws.ok(['sqs', 'send-message', '--queue-url', url, '--message-body', 'later', '--delay-seconds', '5']);
    expect(await timedAws.ok(['sqs', 'receive-message', '--queue-url', url])).toEqual({});
    const counts = ['sqs', 'get-queue-attributes', '--queue-url', url, '--attribute-names',
      'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible'];
    expect(await timedAws.ok(counts)).toEqual({
      Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '1', ApproximateNumberOfMessagesNotVisible: '0' },
    });
    await clock.advance(5_000);
    const receive = ['sqs', 'receive-message', '--queue-url', url, '--attribute-names', 'ApproximateReceiveCount'];
    const first = await timedAws.ok<Received>(receive);
    expect(first.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['later', '1']]);
    expect(await timedAws.ok(counts)).toEqual({
      Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '0', ApproximateNumberOfMessagesNotVisible: '1' },
    });
    await clock.advance(29_000);
    expect(await timedAws.ok(receive)).toEqual({});
    await clock.advance(1_000);
    const second = await timedAws.ok<Received>(receive);
    expect(second.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['later', '2']]);
  });

  test('FIFO queue: attributes, order, content deduplication, missing group id', { timeout: SLOW }, async () => {
    const url = await create('cli-order.fifo', '--attributes', 'FifoQueue=true,ContentBasedDeduplication=true');
    expect(url).toBe(urlOf('cli-order.fifo'));
    expect(await attributesOf(url, 'FifoQueue', 'ContentBasedDeduplication')).toEqual({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
    });
    const sends: { SequenceNumber: string; MessageId: string }[] = [];
    for (const body of ['one', 'two', 'three', 'one']) {
      sends.push(await aws.ok(['sqs', 'send-message', '--queue-url', url, '--message-body', body, '--message-group-id', 'g']));
    }
    for (const s of sends) expect(s.SequenceNumber).toMatch(/^\d+$/);
    const r = await aws.ok<Received>([
      'sqs', 'receive-message', '--queue-url', url, '--max-number-of-messages', '10', '--attribute-names', 'All',
    ]);
    expect(r.Messages?.map((x) => x.Body)).toEqual(['one', 'two', 'three']);
    expect(r.Messages?.[0]?.Attributes).toMatchObject({
      MessageGroupId: 'g',
      SequenceNumber: sends[0]?.SequenceNumber,
      MessageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    const stderr = await fails(['sqs', 'send-message', '--queue-url', url, '--message-body', 'x'], 'MissingParameter');
    expect(stderr).toContain('MessageGroupId');
  });

  test('send-message-batch, change-message-visibility-batch and delete-message-batch with a partial failure', { timeout: SLOW }, async () => {
    const url = await create('cli-batch');
    const entries = [
      { Id: 'one', MessageBody: 'first <1>' },
      { Id: 'two', MessageBody: 'second \u00e9', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
      { Id: 'three', MessageBody: 'third', DelaySeconds: 0 },
    ];
    const sent = await aws.ok<BatchResult>(['sqs', 'send-message-batch', '--queue-url', url, '--entries', JSON.stringify(entries)]);
    expect(sent.Failed ?? []).toEqual([]);
    const byId = Object.fromEntries((sent.Successful ?? []).map((e) => [e.Id, e]));
    expect(Object.keys(byId).sort()).toEqual(['one', 'three', 'two']);
    for (const e of entries) expect(byId[e.Id]?.MD5OfMessageBody).toBe(md5OfBody(e.MessageBody));
    expect(byId.two?.MD5OfMessageAttributes).toBe(md5OfMessageAttributes({ k: { DataType: 'String', StringValue: 'v' } }));

    const receive = ['sqs', 'receive-message', '--queue-url', url, '--max-number-of-messages', '10', '--visibility-timeout', '600'];
    const r = await aws.ok<Received>([...receive, '--wait-time-seconds', '1']);
    let messages = r.Messages ?? [];
    if (messages.length < 3) {
      const more = await aws.ok<Received>(receive);
      messages = [...messages, ...(more.Messages ?? [])];
    }
    expect(messages.map((m) => m.Body).sort()).toEqual(['first <1>', 'second \u00e9', 'third']);
    const good = messages.map((m, i) => ({ Id: `ok${i}`, ReceiptHandle: m.ReceiptHandle }));
    const bad = { Id: 'bad', ReceiptHandle: 'not-a-receipt-handle' };

    const vis = await aws.ok<BatchResult>([
      'sqs', 'change-message-visibility-batch', '--queue-url', url,
      '--entries', JSON.stringify([...good, bad].map((e) => ({ ...e, VisibilityTimeout: 60 }))),
    ]);
    const del = await aws.ok<BatchResult>(['sqs', 'delete-message-batch', '--queue-url', url, '--entries', JSON.stringify([...good, bad])]);
    for (const result of [vis, del]) {
      expect((result.Successful ?? []).map((e) => e.Id).sort()).toEqual(['ok0', 'ok1', 'ok2']);
      expect(result.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid' })]);
    }
    await fails(
      ['sqs', 'send-message-batch', '--queue-url', url, '--entries', JSON.stringify([{ Id: 'same', MessageBody: 'a' }, { Id: 'same', MessageBody: 'b' }])],
      'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    );
  });

  test('list-queues: prefix, --max-items/--starting-token, --page-size, server-side --max-results', { timeout: SLOW }, async () => {
    const names = ['cli-list-a', 'cli-list-b', 'cli-list-c'];
    await Promise.all(names.map((n) => create(n)));
    const all = names.map(urlOf);
    const listed = await aws.ok<{ QueueUrls?: string[] }>(['sqs', 'list-queues', '--queue-name-prefix', 'cli-list-']);
    expect([...(listed.QueueUrls ?? [])].sort()).toEqual(all);

    const page1 = await aws.ok<{ QueueUrls?: string[]; NextToken?: string }>([
      'sqs', 'list-queues', '--queue-name-prefix', 'cli-list-', '--max-items', '2',
    ]);
    expect(page1.QueueUrls).toHaveLength(2);
    expect(page1.NextToken).toBeTruthy();
    const page2 = await aws.ok<{ QueueUrls?: string[]; NextToken?: string }>([
      'sqs', 'list-queues', '--queue-name-prefix', 'cli-list-', '--starting-token', page1.NextToken ?? '',
    ]);
    expect(page2.NextToken).toBeUndefined();
    expect([...(page1.QueueUrls ?? []), ...(page2.QueueUrls ?? [])].sort()).toEqual(all);

    // --page-size makes the CLI ask 2 at a time (MaxResults) and follow NextToken itself
    const paged = await aws.ok<{ QueueUrls?: string[] }>(['sqs', 'list-queues', '--queue-name-prefix', 'cli-list-', '--page-size', '2']);
    expect([...(paged.QueueUrls ?? [])].sort()).toEqual(all);

    // one server page at a time: MaxResults and the server's own NextToken
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 3; i++) {
      const page = await aws.ok<{ QueueUrls?: string[]; NextToken?: string }>([
        'sqs', 'list-queues', '--queue-name-prefix', 'cli-list-', '--no-paginate', '--max-results', '2',
        ...(token ? ['--next-token', token] : []),
      ]);
      expect((page.QueueUrls ?? []).length).toBeLessThanOrEqual(2);
      seen.push(...(page.QueueUrls ?? []));
      token = page.NextToken;
      if (!token) break;
    }
    expect(token).toBeUndefined();
    expect(seen.sort()).toEqual(all);

    expect(await aws.ok(['sqs', 'list-queues', '--queue-name-prefix', 'cli-none-'])).toEqual({});
  });

  test('purge-queue empties the queue; a second purge within 60 s is refused', { timeout: SLOW }, async () => {
    const url = await create('cli-purge');
    await aws.ok(['sqs', 'send-message-batch', '--queue-url', url, '--entries', 'Id=a,MessageBody=1', 'Id=b,MessageBody=2', 'Id=c,MessageBody=3']);
    expect(await attributesOf(url, 'ApproximateNumberOfMessages')).toEqual({ ApproximateNumberOfMessages: '3' });
    await aws.ok(['sqs', 'purge-queue', '--queue-url', url]);
    expect(await attributesOf(url, 'ApproximateNumberOfMessages')).toEqual({ ApproximateNumberOfMessages: '0' });
    expect(await aws.ok(['sqs', 'receive-message', '--queue-url', url])).toEqual({});
    await fails(['sqs', 'purge-queue', '--queue-url', url], 'AWS.SimpleQueueService.PurgeQueueInProgress');
  });

  test('add-permission and remove-permission edit the queue policy', { timeout: SLOW }, async () => {
    const url = await create('cli-perm');
    await aws.ok([
      'sqs', 'add-permission', '--queue-url', url, '--label', 'l1', '--aws-account-ids', '111122223333',
      '--actions', 'SendMessage', 'ReceiveMessage',
    ]);
    const policy = JSON.parse((await attributesOf(url, 'Policy')).Policy ?? '{}') as {
      Statement?: { Sid?: string; Effect?: string; Principal?: { AWS?: unknown }; Action?: unknown; Resource?: string }[];
    };
    expect(policy.Statement).toHaveLength(1);
    const st = policy.Statement?.[0];
    expect(st).toMatchObject({ Sid: 'l1', Effect: 'Allow', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:cli-perm` });
    expect([st?.Principal?.AWS].flat()).toEqual(['arn:aws:iam::111122223333:root']);
    expect([st?.Action].flat()).toEqual(['SQS:SendMessage', 'SQS:ReceiveMessage']);
    await aws.ok(['sqs', 'remove-permission', '--queue-url', url, '--label', 'l1']);
    expect((await attributesOf(url, 'Policy')).Policy).toBeUndefined();
    const r = await aws.run(['sqs', 'remove-permission', '--queue-url', url, '--label', 'l1']);
    expect(r.code).toBe(254);
  });

  test('dead-letter queue: redrive policy as JSON, list-dead-letter-source-queues, the message moves', { timeout: SLOW }, async () => {
    const dlq = await create('cli-dlq');
    const dlqArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:cli-dlq`;
    const src = await create('cli-src', '--attributes', JSON.stringify({
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '1' }),
    }));
    expect(await aws.ok(['sqs', 'list-dead-letter-source-queues', '--queue-url', dlq])).toEqual({ queueUrls: [src] });
    const sent = await aws.ok<{ MessageId: string }>(['sqs', 'send-message', '--queue-url', src, '--message-body', 'poison']);
    const first = await aws.ok<Received>(['sqs', 'receive-message', '--queue-url', src, '--visibility-timeout', '0']);
    expect(first.Messages?.map((m) => m.Body)).toEqual(['poison']);
    expect(await aws.ok(['sqs', 'receive-message', '--queue-url', src])).toEqual({});
    const moved = await aws.ok<Received>(['sqs', 'receive-message', '--queue-url', dlq, '--wait-time-seconds', '2']);
    expect(moved.Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[sent.MessageId, 'poison']]);
  });

  test.runIf(hasMoveTasks)('start-message-move-task, list-message-move-tasks, cancel-message-move-task', { timeout: SLOW }, async () => {
    const dlq = await create('cli-move-dlq');
    const dlqArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:cli-move-dlq`;
    const src = await create('cli-move-src', '--attributes', JSON.stringify({
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '1' }),
    }));
    await aws.ok(['sqs', 'send-message', '--queue-url', dlq, '--message-body', 'back']);
    const started = await aws.ok<{ TaskHandle: string }>(['sqs', 'start-message-move-task', '--source-arn', dlqArn]);
    expect(started.TaskHandle).toBeTruthy();
    const listed = await aws.ok<{ Results?: { Status: string; SourceArn: string }[] }>([
      'sqs', 'list-message-move-tasks', '--source-arn', dlqArn,
    ]);
    expect(listed.Results?.[0]?.SourceArn).toBe(dlqArn);
    const back = await aws.ok<Received>(['sqs', 'receive-message', '--queue-url', src, '--wait-time-seconds', '5']);
    expect(back.Messages?.map((m) => m.Body)).toEqual(['back']);
    // a finished task cannot be cancelled
    const cancel = await aws.run(['sqs', 'cancel-message-move-task', '--task-handle', started.TaskHandle]);
    expect(cancel.code).toBe(254);
  });

  test('delete-queue; then every call names the queue as non-existent', { timeout: SLOW }, async () => {
    const url = await create('cli-gone');
    const del = await aws.run(['sqs', 'delete-queue', '--queue-url', url]);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toBe('');
    const stderr = await fails(['sqs', 'get-queue-url', '--queue-name', 'cli-gone'], 'AWS.SimpleQueueService.NonExistentQueue');
    expect(stderr.trim()).toBe(
      'An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.',
    );
    await fails(['sqs', 'send-message', '--queue-url', url, '--message-body', 'x'], 'AWS.SimpleQueueService.NonExistentQueue');
    await fails(['sqs', 'get-queue-attributes', '--queue-url', url], 'AWS.SimpleQueueService.NonExistentQueue');
  });

  test('a 12-digit access key id selects the account and --region the region', { timeout: SLOW }, async () => {
    const other = new DebianAwsCli(sy.endpoint, home.path, { AWS_ACCESS_KEY_ID: '111122223333' });
    const url = (await other.ok<{ QueueUrl: string }>(['sqs', 'create-queue', '--queue-name', 'cli-acct', '--region', 'eu-west-1'])).QueueUrl;
    expect(url).toBe(`${sy.endpoint}/111122223333/cli-acct`);
    const attrs = await other.ok<{ Attributes: Record<string, string> }>([
      'sqs', 'get-queue-attributes', '--queue-url', url, '--region', 'eu-west-1', '--attribute-names', 'QueueArn',
    ]);
    expect(attrs.Attributes).toEqual({ QueueArn: 'arn:aws:sqs:eu-west-1:111122223333:cli-acct' });
    await fails(['sqs', 'get-queue-url', '--queue-name', 'cli-acct'], 'AWS.SimpleQueueService.NonExistentQueue');
  });

  test('parameter errors from the service', { timeout: SLOW }, async () => {
    const url = await create('cli-errs');
    await fails(['sqs', 'receive-message', '--queue-url', url, '--max-number-of-messages', '11'], 'InvalidParameterValue');
    await fails(['sqs', 'create-queue', '--queue-name', 'bad name!'], 'InvalidParameterValue');
    await fails(['sqs', 'delete-message', '--queue-url', url, '--receipt-handle', 'garbage'], 'ReceiptHandleIsInvalid');
    await fails(['sqs', 'send-message', '--queue-url', url, '--message-body', 'bad \u0001 char'], 'InvalidMessageContents');
  });
});
