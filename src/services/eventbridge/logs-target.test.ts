import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEventBridgeHarness, type EventBridgeHarness } from './harness.js';

let h: EventBridgeHarness;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  h = await startEventBridgeHarness({ fakeClock: true });
  logs = new CloudWatchLogsClient({ endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});
afterAll(async () => {
  logs.destroy();
  await h.close();
});

describe('CloudWatch Logs targets', () => {
  test('the event is written as its JSON, in a stream named by the event id, at the event time', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/orders' }));
    await h.eb.send(new PutRuleCommand({ Name: 'to-logs', EventPattern: JSON.stringify({ source: ['logs.app'] }) }));
    const group = 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/orders';
    await h.eb.send(new PutTargetsCommand({ Rule: 'to-logs', Targets: [{ Id: 'l', Arn: group }] }));
    const r = await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'logs.app', DetailType: 'Order', Detail: JSON.stringify({ n: 7 }) }] }));
    const id = r.Entries?.[0]?.EventId ?? '';
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/events/orders', logStreamName: id, startFromHead: true }));
    expect(got.events).toHaveLength(1);
    const message = JSON.parse(got.events?.[0]?.message ?? '');
    expect(Object.keys(message)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(message).toMatchObject({ id, source: 'logs.app', detail: { n: 7 } });
    expect(got.events?.[0]?.timestamp).toBe(Date.parse(message.time));
    const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/orders', filterPattern: '{ $.detail.n = 7 }' }));
    expect(filtered.events?.map((e) => e.logStreamName)).toEqual([id]);
  });

  test('a missing log group is not retried: the event goes to the dead-letter queue', async () => {
    const dlq = await h.queue('logs-dlq');
    await h.eb.send(new PutRuleCommand({ Name: 'to-missing', EventPattern: JSON.stringify({ source: ['nolog.app'] }) }));
    await h.eb.send(
      new PutTargetsCommand({ Rule: 'to-missing', Targets: [{ Id: 'l', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/none', DeadLetterConfig: { Arn: dlq.arn } }] }),
    );
    await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'nolog.app', DetailType: 'x', Detail: '{}' }] }));
    const [m] = await h.receive(dlq.url);
    expect(m?.MessageAttributes?.ERROR_CODE?.StringValue).toBe('ResourceNotFoundException');
  });
});
