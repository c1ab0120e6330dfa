// A Kinesis stream as a rule target: the event lands as a record whose partition key is KinesisParameters'
// PartitionKeyPath value in the event, or the event id without one.
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

let sy: RunningSwitchyard;
let events: EventBridgeClient;
let kinesis: KinesisClient;

beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
  const config = { endpoint: sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  events = new EventBridgeClient(config);
  kinesis = new KinesisClient(config);
});
afterAll(async () => {
  events.destroy();
  kinesis.destroy();
  await sy.stop();
});

describe('Kinesis targets', () => {
  it('puts the event on the stream with the partition key from PartitionKeyPath, or the event id', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 }));
    const streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/orders';
    await events.send(new PutRuleCommand({ Name: 'to-stream', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'to-stream',
        Targets: [
          { Id: 'keyed', Arn: streamArn, KinesisParameters: { PartitionKeyPath: '$.detail.customer' } },
          { Id: 'plain', Arn: streamArn, InputPath: '$.detail' },
        ],
      }),
    );
    const put = await events.send(
      new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Order Placed', Detail: JSON.stringify({ customer: 'c-42', total: 9 }) }] }),
    );
    const eventId = put.Entries?.[0]?.EventId ?? '';
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: 'orders', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const records = (await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records ?? [];
    const byKey = new Map(records.map((r) => [r.PartitionKey, JSON.parse(Buffer.from(r.Data ?? []).toString('utf8')) as Record<string, unknown>]));
    expect(byKey.get('c-42')).toMatchObject({ id: eventId, source: 'shop', 'detail-type': 'Order Placed', detail: { customer: 'c-42' } });
    expect(byKey.get(eventId)).toEqual({ customer: 'c-42', total: 9 });
  });

  it('refuses KinesisParameters on a target that is not a stream', async () => {
    await events.send(new PutRuleCommand({ Name: 'wrong', EventPattern: JSON.stringify({ source: ['x'] }) }));
    const out = await events.send(
      new PutTargetsCommand({
        Rule: 'wrong',
        Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', KinesisParameters: { PartitionKeyPath: '$.id' } }],
      }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.FailedEntries?.[0]?.ErrorMessage).toBe('KinesisParameters can only be used with an Amazon Kinesis target.');
  });
});
