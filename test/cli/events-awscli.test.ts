// The AWS CLI v2 from Debian (/usr/bin/aws, awsJson1_1) against Switchyard's EventBridge, one command per process as a
// user runs it, asserting the JSON it prints and its exit codes (254 for a service error). The target queue is made and
// read with the JS SDK in process, so that the CLI calls (about a second of CPU each) go to EventBridge alone.
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianAwsCli, debianAwsCliMissing, tempHome, warnSkipped } from '../support/debian-clients.js';

const missing = debianAwsCliMissing();
if (missing) warnSkipped('events-awscli', missing);

const ACCOUNT = '000000000000';
const SLOW = 300_000;

interface Envelope {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

describe.skipIf(missing !== undefined)('AWS CLI v2 from Debian against EventBridge', () => {
  let sy: RunningSwitchyard;
  let aws: DebianAwsCli;
  let sqs: SQSClient;
  let home: ReturnType<typeof tempHome>;

  const receive = async (url: string): Promise<Message[]> =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }))).Messages ?? [];

  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
    aws = new DebianAwsCli(sy.endpoint, home.path);
    sqs = new SQSClient({ endpoint: sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    sqs.destroy();
    await sy.stop();
    home.dispose();
  });

  // 6 CLI calls
  test('create-event-bus, put-rule with a pattern, put-targets to SQS, put-events, list-rules', { timeout: SLOW }, async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'cli-events-target' }))).QueueUrl ?? '';
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    const queueArn = attrs.Attributes?.QueueArn ?? '';

    const bus = await aws.ok<{ EventBusArn: string }>(['events', 'create-event-bus', '--name', 'cli-bus']);
    expect(bus).toEqual({ EventBusArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/cli-bus` });

    const pattern = JSON.stringify({ source: ['cli.app'], 'detail-type': ['Order Placed'], detail: { amount: [{ numeric: ['>', 10] }] } });
    const rule = await aws.ok<{ RuleArn: string }>([
      'events', 'put-rule', '--name', 'cli-rule', '--event-bus-name', 'cli-bus', '--event-pattern', pattern,
    ]);
    expect(rule).toEqual({ RuleArn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/cli-bus/cli-rule` });

    const targets = await aws.ok<{ FailedEntryCount: number; FailedEntries: unknown[] }>([
      'events', 'put-targets', '--rule', 'cli-rule', '--event-bus-name', 'cli-bus', '--targets', JSON.stringify([{ Id: 'q', Arn: queueArn }]),
    ]);
    expect(targets).toEqual({ FailedEntryCount: 0, FailedEntries: [] });

    const entries = [
      { Source: 'cli.app', DetailType: 'Order Placed', Detail: JSON.stringify({ amount: 42, id: 'o-1' }), EventBusName: 'cli-bus' },
      { Source: 'cli.app', DetailType: 'Order Placed', Detail: JSON.stringify({ amount: 5, id: 'o-2' }), EventBusName: 'cli-bus' },
    ];
    const put = await aws.ok<{ FailedEntryCount: number; Entries: { EventId: string }[] }>(['events', 'put-events', '--entries', JSON.stringify(entries)]);
    expect(put.FailedEntryCount).toBe(0);
    expect(put.Entries).toHaveLength(2);
    for (const e of put.Entries) expect(e.EventId).toMatch(/^[0-9a-f-]{36}$/);

    const messages = await receive(url);
    expect(messages).toHaveLength(1);
    const envelope = JSON.parse(messages[0]?.Body ?? '{}') as Envelope;
    expect(envelope).toMatchObject({
      version: '0',
      id: put.Entries[0]?.EventId,
      'detail-type': 'Order Placed',
      source: 'cli.app',
      account: ACCOUNT,
      region: 'us-east-1',
      resources: [],
      detail: { amount: 42, id: 'o-1' },
    });
    expect(envelope.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const listed = await aws.ok<{ Rules: { Name: string; Arn: string; EventBusName: string; EventPattern: string; State: string }[] }>([
      'events', 'list-rules', '--event-bus-name', 'cli-bus',
    ]);
    expect(listed.Rules).toHaveLength(1);
    expect(listed.Rules[0]).toMatchObject({ Name: 'cli-rule', Arn: rule.RuleArn, EventBusName: 'cli-bus', State: 'ENABLED' });
    expect(JSON.parse(listed.Rules[0]?.EventPattern ?? '{}')).toEqual(JSON.parse(pattern));
  });

  // 2 CLI calls
  test('test-event-pattern: true and false', { timeout: SLOW }, async () => {
    const event = JSON.stringify({
      id: '6f6a7c1e-0000-4000-8000-000000000001',
      'detail-type': 'Order Placed',
      source: 'cli.app',
      account: ACCOUNT,
      time: '2024-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { amount: 42 },
    });
    const yes = await aws.ok<{ Result: boolean }>([
      'events', 'test-event-pattern', '--event-pattern', JSON.stringify({ source: ['cli.app'], detail: { amount: [{ numeric: ['>', 10] }] } }), '--event', event,
    ]);
    expect(yes).toEqual({ Result: true });
    const no = await aws.ok<{ Result: boolean }>([
      'events', 'test-event-pattern', '--event-pattern', JSON.stringify({ source: ['other.app'] }), '--event', event,
    ]);
    expect(no).toEqual({ Result: false });
  });

  // 4 CLI calls
  test('create-archive and describe-archive; put-permission and the policy in describe-event-bus', { timeout: SLOW }, async () => {
    const busArn = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
    const archive = await aws.ok<{ ArchiveArn: string; State: string }>([
      'events', 'create-archive', '--archive-name', 'cli-archive', '--event-source-arn', busArn, '--retention-days', '7',
      '--event-pattern', JSON.stringify({ source: ['cli.app'] }),
    ]);
    expect(archive).toMatchObject({ ArchiveArn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/cli-archive`, State: 'ENABLED' });
    const described = await aws.ok<Record<string, unknown>>(['events', 'describe-archive', '--archive-name', 'cli-archive']);
    expect(described).toMatchObject({ ArchiveName: 'cli-archive', EventSourceArn: busArn, RetentionDays: 7, EventCount: 0, SizeBytes: 0, State: 'ENABLED' });
    await aws.ok(['events', 'put-permission', '--action', 'events:PutEvents', '--principal', '111122223333', '--statement-id', 'partner']);
    const bus = await aws.ok<{ Policy: string }>(['events', 'describe-event-bus']);
    expect(JSON.parse(bus.Policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'events:PutEvents', Resource: busArn }],
    });
  });

  // 1 CLI call
  test('put-rule with an invalid pattern: InvalidEventPatternException, exit 254', { timeout: SLOW }, async () => {
    const r = await aws.run(['events', 'put-rule', '--name', 'bad-rule', '--event-pattern', JSON.stringify({ source: 'not-an-array' })]);
    expect(r.code, r.stderr).toBe(254);
    expect(r.stderr).toMatch(/An error occurred \(InvalidEventPatternException\) when calling the PutRule operation: Event pattern is not valid\. Reason: /);
  });
});
