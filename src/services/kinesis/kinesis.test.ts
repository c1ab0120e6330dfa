// Kinesis Data Streams through @aws-sdk/client-kinesis (HTTP/2, as the JS client speaks it), on a fake clock.
import {
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteResourcePolicyCommand,
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeLimitsCommand,
  DescribeStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetResourcePolicyCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamConsumersCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  AddTagsToStreamCommand,
  MergeShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  PutResourcePolicyCommand,
  RegisterStreamConsumerCommand,
  SplitShardCommand,
  StartStreamEncryptionCommand,
  SubscribeToShardCommand,
  UpdateShardCountCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { deliver } from '../../core/targets.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

let sy: RunningSwitchyard;
let kinesis: KinesisClient;
const clock = new FakeClock(Date.UTC(2026, 5, 1));
const ACCOUNT = '000000000000';
const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent', clock });
  kinesis = new KinesisClient({
    endpoint: sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  kinesis.destroy();
  await sy.stop();
});
beforeEach(() => sy.reset());

async function iterator(stream: string, shard: string, type: ShardIteratorType, extra: { StartingSequenceNumber?: string; Timestamp?: Date } = {}): Promise<string> {
  const out = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard, ShardIteratorType: type, ...extra }));
  return out.ShardIterator ?? '';
}

describe('streams', () => {
  test('a provisioned stream splits the hash key space evenly between its shards', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 2 }));
    const d = (await kinesis.send(new DescribeStreamCommand({ StreamName: 'orders' }))).StreamDescription;
    expect(d).toMatchObject({
      StreamName: 'orders',
      StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/orders`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 24,
      HasMoreShards: false,
      EncryptionType: 'NONE',
    });
    expect(d?.Shards?.map((s) => [s.ShardId, s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey])).toEqual([
      ['shardId-000000000000', '0', '170141183460469231731687303715884105727'],
      ['shardId-000000000001', '170141183460469231731687303715884105728', '340282366920938463463374607431768211455'],
    ]);
    const summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'orders' }))).StreamDescriptionSummary;
    expect(summary).toMatchObject({ OpenShardCount: 2, ConsumerCount: 0 });
  });

  test('without a shard count a stream is on-demand with four shards', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'auto' }));
    const summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'auto' }))).StreamDescriptionSummary;
    expect(summary).toMatchObject({ StreamModeDetails: { StreamMode: 'ON_DEMAND' }, OpenShardCount: 4 });
  });

  test('lists streams with pagination, and answers AWS errors for duplicates, unknown streams and bad names', async () => {
    for (const n of ['a', 'b', 'c']) await kinesis.send(new CreateStreamCommand({ StreamName: n, ShardCount: 1 }));
    const first = await kinesis.send(new ListStreamsCommand({ Limit: 2 }));
    expect(first).toMatchObject({ StreamNames: ['a', 'b'], HasMoreStreams: true });
    expect(first.StreamSummaries?.[0]).toMatchObject({ StreamName: 'a', StreamStatus: 'ACTIVE' });
    const second = await kinesis.send(new ListStreamsCommand({ NextToken: first.NextToken }));
    expect(second).toMatchObject({ StreamNames: ['c'], HasMoreStreams: false });
    await expect(kinesis.send(new CreateStreamCommand({ StreamName: 'a', ShardCount: 1 }))).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: `Stream a under account ${ACCOUNT} already exists.`,
    });
    await expect(kinesis.send(new DescribeStreamCommand({ StreamName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Stream nope under account ${ACCOUNT} not found.`,
      $metadata: { httpStatusCode: 400 },
    });
    await expect(kinesis.send(new CreateStreamCommand({ StreamName: 'bad name', ShardCount: 1 }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await kinesis.send(new DeleteStreamCommand({ StreamName: 'a' }));
    expect((await kinesis.send(new ListStreamsCommand({}))).StreamNames).toEqual(['b', 'c']);
  });
});

describe('records', () => {
  test('routes each record to the shard owning the MD5 of its partition key, in sequence order', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 2 }));
    const put = await kinesis.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'user-1', Data: bytes('one') }));
    const hash = BigInt(`0x${createHash('md5').update('user-1').digest('hex')}`);
    expect(put.ShardId).toBe(hash < 2n ** 127n ? 'shardId-000000000000' : 'shardId-000000000001');
    expect(put.SequenceNumber).toMatch(/^\d{56}$/);
    expect(put.EncryptionType).toBe('NONE');
    const batch = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 's',
        Records: [
          { PartitionKey: 'user-1', Data: bytes('two') },
          { PartitionKey: 'x', Data: bytes('to shard 0'), ExplicitHashKey: '0' },
          { PartitionKey: 'user-1', Data: bytes('three') },
        ],
      }),
    );
    expect(batch.FailedRecordCount).toBe(0);
    expect(batch.Records?.[1]?.ShardId).toBe('shardId-000000000000');
    const it = await iterator('s', put.ShardId ?? '', 'TRIM_HORIZON');
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: it }));
    const mine = (got.Records ?? []).filter((r) => r.PartitionKey === 'user-1');
    expect(mine.map((r) => text(r.Data))).toEqual(['one', 'two', 'three']);
    expect(mine[0]?.ApproximateArrivalTimestamp?.getTime()).toBe(clock.now());
    expect(got.MillisBehindLatest).toBe(0);
    expect(got.NextShardIterator).toBeTruthy();
    const nothing = await kinesis.send(new GetRecordsCommand({ ShardIterator: got.NextShardIterator }));
    expect(nothing.Records).toEqual([]);
    await kinesis.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'user-1', Data: bytes('four') }));
    const later = await kinesis.send(new GetRecordsCommand({ ShardIterator: nothing.NextShardIterator }));
    expect(later.Records?.map((r) => text(r.Data))).toEqual(['four']);
  });

  test('every iterator type starts where AWS starts it', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'it', ShardCount: 1 }));
    const seqs: string[] = [];
    for (const d of ['a', 'b', 'c']) {
      seqs.push((await kinesis.send(new PutRecordCommand({ StreamName: 'it', PartitionKey: 'k', Data: bytes(d) }))).SequenceNumber ?? '');
      await clock.advance(1000);
    }
    const read = async (it: string): Promise<string[]> =>
      ((await kinesis.send(new GetRecordsCommand({ ShardIterator: it }))).Records ?? []).map((r) => text(r.Data));
    const shard = 'shardId-000000000000';
    expect(await read(await iterator('it', shard, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[1] }))).toEqual(['b', 'c']);
    expect(await read(await iterator('it', shard, 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[1] }))).toEqual(['c']);
    expect(await read(await iterator('it', shard, 'AT_TIMESTAMP', { Timestamp: new Date(clock.now() - 2000) }))).toEqual(['b', 'c']);
    const latest = await iterator('it', shard, 'LATEST');
    expect(await read(latest)).toEqual([]);
    const limited = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('it', shard, 'TRIM_HORIZON'), Limit: 1 }));
    expect(limited.Records?.map((r) => text(r.Data))).toEqual(['a']);
    expect(limited.MillisBehindLatest).toBe(2000);
    await expect(
      kinesis.send(new GetShardIteratorCommand({ StreamName: 'it', ShardId: 'shardId-000000000009', ShardIteratorType: 'LATEST' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `Shard shardId-000000000009 in stream it under account ${ACCOUNT} does not exist` });
    await expect(kinesis.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
    });
  });

  test('a shard iterator expires after five minutes', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'exp', ShardCount: 1 }));
    const it = await iterator('exp', 'shardId-000000000000', 'TRIM_HORIZON');
    await clock.advance(300_001);
    await expect(kinesis.send(new GetRecordsCommand({ ShardIterator: it }))).rejects.toMatchObject({
      name: 'ExpiredIteratorException',
      message: expect.stringContaining('which is further in the future than the tolerated delay of 300000 milliseconds'),
    });
  });

  test('records older than the retention period are gone', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'ret', ShardCount: 1 }));
    await kinesis.send(new PutRecordCommand({ StreamName: 'ret', PartitionKey: 'k', Data: bytes('old') }));
    await clock.advance(23 * 3_600_000);
    await kinesis.send(new PutRecordCommand({ StreamName: 'ret', PartitionKey: 'k', Data: bytes('new') }));
    await clock.advance(2 * 3_600_000);
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('ret', 'shardId-000000000000', 'TRIM_HORIZON') }));
    expect(got.Records?.map((r) => text(r.Data))).toEqual(['new']);
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'ret', RetentionPeriodHours: 48 }));
    await expect(kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'ret', RetentionPeriodHours: 12 }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
      message: 'Minimum allowed retention period is 24 hours. Requested retention period (12 hours) is too short.',
    });
  });

  test('validates records as AWS does', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'v', ShardCount: 1 }));
    await expect(
      kinesis.send(new PutRecordCommand({ StreamName: 'v', PartitionKey: 'k', Data: bytes('x'), ExplicitHashKey: String(2n ** 128n) })),
    ).rejects.toMatchObject({ name: 'InvalidArgumentException', message: expect.stringContaining('Invalid ExplicitHashKey') });
    await expect(
      kinesis.send(new PutRecordCommand({ StreamName: 'v', PartitionKey: 'k', Data: new Uint8Array(1024 * 1024) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const many = Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: bytes('x') }));
    await expect(kinesis.send(new PutRecordsCommand({ StreamName: 'v', Records: many }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 500'),
    });
  });
});

describe('resharding', () => {
  test('a split closes the parent; reading it to the end lists its children and ends the iterator chain', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'r', ShardCount: 1 }));
    await kinesis.send(new PutRecordCommand({ StreamName: 'r', PartitionKey: 'k', Data: bytes('before') }));
    await kinesis.send(new SplitShardCommand({ StreamName: 'r', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(2n ** 127n) }));
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: 'r' }))).Shards ?? [];
    expect(shards.map((s) => [s.ShardId, s.ParentShardId, s.SequenceNumberRange?.EndingSequenceNumber !== undefined])).toEqual([
      ['shardId-000000000000', undefined, true],
      ['shardId-000000000001', 'shardId-000000000000', false],
      ['shardId-000000000002', 'shardId-000000000000', false],
    ]);
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('r', 'shardId-000000000000', 'TRIM_HORIZON') }));
    expect(got.Records?.map((r) => text(r.Data))).toEqual(['before']);
    expect(got.NextShardIterator).toBeUndefined();
    expect(got.ChildShards?.map((c) => c.ShardId)).toEqual(['shardId-000000000001', 'shardId-000000000002']);
    const put = await kinesis.send(new PutRecordCommand({ StreamName: 'r', PartitionKey: 'k', Data: bytes('after') }));
    expect(['shardId-000000000001', 'shardId-000000000002']).toContain(put.ShardId);
    await kinesis.send(new MergeShardsCommand({ StreamName: 'r', ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }));
    const open = (await kinesis.send(new ListShardsCommand({ StreamName: 'r', ShardFilter: { Type: 'AT_LATEST' } }))).Shards ?? [];
    expect(open.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId])).toEqual([
      ['shardId-000000000003', 'shardId-000000000001', 'shardId-000000000002'],
    ]);
    await expect(
      kinesis.send(new SplitShardCommand({ StreamName: 'r', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '5' })),
    ).rejects.toMatchObject({ name: 'InvalidArgumentException' });
  });

  test('UpdateShardCount rescales uniformly within half and double', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'u', ShardCount: 2 }));
    const out = await kinesis.send(new UpdateShardCountCommand({ StreamName: 'u', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
    expect(out).toMatchObject({ CurrentShardCount: 2, TargetShardCount: 4 });
    const summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'u' }))).StreamDescriptionSummary;
    expect(summary?.OpenShardCount).toBe(4);
    await expect(kinesis.send(new UpdateShardCountCommand({ StreamName: 'u', TargetShardCount: 9, ScalingType: 'UNIFORM_SCALING' }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
    });
    const page = await kinesis.send(new ListShardsCommand({ StreamName: 'u', MaxResults: 4 }));
    expect(page.Shards).toHaveLength(4);
    const rest = await kinesis.send(new ListShardsCommand({ NextToken: page.NextToken }));
    expect(rest.Shards?.map((s) => s.ShardId)).toEqual(['shardId-000000000004', 'shardId-000000000005']);
    expect((await kinesis.send(new DescribeLimitsCommand({}))).OpenShardCount).toBe(4);
  });
});

describe('consumers, tags, encryption, policies and deliveries', () => {
  test('registers, describes, lists and deregisters consumers; a stream with consumers needs EnforceConsumerDeletion', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'c', ShardCount: 1 }));
    const arn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/c`;
    const reg = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'app' }));
    expect(reg.Consumer).toMatchObject({ ConsumerName: 'app', ConsumerStatus: 'CREATING' });
    expect(reg.Consumer?.ConsumerARN).toMatch(new RegExp(`^${arn}/consumer/app:\\d+$`));
    const desc = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: reg.Consumer?.ConsumerARN }));
    expect(desc.ConsumerDescription).toMatchObject({ ConsumerStatus: 'ACTIVE', StreamARN: arn });
    expect((await kinesis.send(new ListStreamConsumersCommand({ StreamARN: arn }))).Consumers?.map((x) => x.ConsumerName)).toEqual(['app']);
    await expect(kinesis.send(new DeleteStreamCommand({ StreamName: 'c' }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await kinesis.send(new DeregisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'app' }));
    await kinesis.send(new DeleteStreamCommand({ StreamName: 'c' }));
  });

  test('SubscribeToShard streams the records from the starting position, then new ones as they arrive', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'fan', ShardCount: 1 }));
    await kinesis.send(new PutRecordCommand({ StreamName: 'fan', PartitionKey: 'k', Data: bytes('before') }));
    const arn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/fan`;
    const consumer = (await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'efo' }))).Consumer;
    const sub = await kinesis.send(
      new SubscribeToShardCommand({ ConsumerARN: consumer?.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' } }),
    );
    const events = sub.EventStream?.[Symbol.asyncIterator]();
    if (!events) throw new Error('no event stream');
    const first = await events.next();
    expect(first.value?.SubscribeToShardEvent?.Records?.map((r: { Data?: Uint8Array }) => text(r.Data))).toEqual(['before']);
    expect(first.value?.SubscribeToShardEvent?.ContinuationSequenceNumber).toMatch(/^\d{56}$/);
    const pending = events.next();
    await kinesis.send(new PutRecordCommand({ StreamName: 'fan', PartitionKey: 'k', Data: bytes('after') }));
    const second = await pending;
    expect(second.value?.SubscribeToShardEvent?.Records?.map((r: { Data?: Uint8Array }) => text(r.Data))).toEqual(['after']);
    const heartbeat = events.next();
    await clock.advance(5_000);
    expect((await heartbeat).value?.SubscribeToShardEvent?.Records).toEqual([]);
    await events.return?.(undefined);
    await expect(
      kinesis.send(new SubscribeToShardCommand({ ConsumerARN: `${arn}/consumer/nobody:1`, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('tags, encryption (records report KMS), enhanced monitoring and resource policies', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 't', ShardCount: 1, Tags: { team: 'a' } }));
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: 't', Tags: { env: 'dev' } }));
    expect((await kinesis.send(new ListTagsForStreamCommand({ StreamName: 't' }))).Tags).toEqual([
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'a' },
    ]);
    await kinesis.send(new StartStreamEncryptionCommand({ StreamName: 't', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    const put = await kinesis.send(new PutRecordCommand({ StreamName: 't', PartitionKey: 'k', Data: bytes('secret') }));
    expect(put.EncryptionType).toBe('KMS');
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('t', 'shardId-000000000000', 'TRIM_HORIZON') }));
    expect(got.Records?.[0]?.EncryptionType).toBe('KMS');
    const mon = await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: 't', ShardLevelMetrics: ['IncomingBytes'] }));
    expect(mon).toMatchObject({ CurrentShardLevelMetrics: [], DesiredShardLevelMetrics: ['IncomingBytes'] });
    const arn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/t`;
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: policy }));
    expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy).toBe(policy);
    await kinesis.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }));
    expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy).toBe('{}');
  });

  test('other services deliver records through core/targets', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'd', ShardCount: 1 }));
    const arn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/d`;
    const result = await deliver(sy.instance, arn, { body: '{"hello":"world"}', partitionKey: 'p1' }, { account: ACCOUNT, region: 'us-east-1', service: 'eventbridge' });
    expect(result.id).toMatch(/^shardId-000000000000:\d{56}$/);
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('d', 'shardId-000000000000', 'TRIM_HORIZON') }));
    expect(got.Records?.map((r) => [r.PartitionKey, text(r.Data)])).toEqual([['p1', '{"hello":"world"}']]);
  });
});
