// Kinesis event source mappings over the wire: the control plane and its errors, and real Node handlers fed by the
// shard pollers (record format, starting positions, retries on the fake clock, bisection, partial batch responses,
// on-failure destinations, filters, resharding, disable).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';

const STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/';

let h: LambdaHarness;
let kinesis: KinesisClient;
let sqs: SQSClient;
let sns: SNSClient;
let clock: FakeClock;
let out: string;

beforeAll(async () => {
  clock = new FakeClock();
  h = await startLambdaHarness({ clock });
  const config = {
    endpoint: h.sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  kinesis = new KinesisClient(config);
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
  out = mkdtempSync(join(tmpdir(), 'kinesis-esm-test-'));
});
afterAll(async () => {
  kinesis.destroy();
  sqs.destroy();
  sns.destroy();
  await h.close();
  rmSync(out, { recursive: true, force: true });
});

interface KinesisEvent {
  Records: Array<{
    kinesis: { partitionKey: string; sequenceNumber: string; data: string; approximateArrivalTimestamp: number };
    eventID: string;
    [k: string]: unknown;
  }>;
}

/**
 * A handler that appends each event to a file and answers with `answer(event, n)`, n being the invocation count;
 * the answer 'throw' makes it fail.
 */
async function recorder(name: string, answer = '() => undefined'): Promise<string> {
  const file = join(out, `${name}.jsonl`);
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Timeout: 10,
      Code: {
        ZipFile: zip({
          'index.js': `
          const fs = require('node:fs');
          const data = (r) => Buffer.from(r.kinesis.data, 'base64').toString('utf8');
          exports.handler = async (event) => {
            const n = fs.existsSync(${JSON.stringify(file)}) ? fs.readFileSync(${JSON.stringify(file)}, 'utf8').split('\\n').filter(Boolean).length : 0;
            fs.appendFileSync(${JSON.stringify(file)}, JSON.stringify(event) + '\\n');
            const answer = (${answer})(event, n, data);
            if (answer === 'throw') throw new Error('batch failed');
            return answer;
          };`,
        }),
      },
    }),
  );
  return file;
}

function events(file: string): KinesisEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as KinesisEvent);
}

const texts = (e: KinesisEvent): string[] => e.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString('utf8'));

/** Waits (real time, bounded) for the child process, moving the fake clock a second each round for retries. */
async function eventually<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, step = 0, ms = 10000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    if (step) await clock.advance(step);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function stream(name: string, shards = 1): Promise<string> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  return `${STREAM_ARN}${name}`;
}

async function put(name: string, data: string, key = 'k'): Promise<string> {
  const r = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: key, Data: Buffer.from(data) }));
  return r.SequenceNumber ?? '';
}

async function map(input: Partial<CreateEventSourceMappingCommandInput> & { FunctionName: string; EventSourceArn: string }) {
  return h.lambda.send(new CreateEventSourceMappingCommand({ StartingPosition: 'TRIM_HORIZON', ...input }));
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string; $metadata?: { httpStatusCode?: number } },
  );
  if (!err) throw new Error('expected an error');
  return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
}

describe('control plane', () => {
  it('validates the stream settings as Lambda does', async () => {
    await recorder('ctl-fn');
    const arn = await stream('ctl-stream');
    const bad: Array<[Partial<CreateEventSourceMappingCommandInput>, string, string]> = [
      [{ StartingPosition: undefined }, 'InvalidParameterValueException', "'startingPosition'"],
      [{ BatchSize: 10001 }, 'ValidationException', 'less than or equal to 10000'],
      [{ MaximumRecordAgeInSeconds: 30 }, 'ValidationException', 'greater than or equal to 60'],
      [{ MaximumRetryAttempts: -2 }, 'ValidationException', 'greater than or equal to -1'],
      [{ ParallelizationFactor: 11 }, 'ValidationException', 'less than or equal to 10'],
      [{ TumblingWindowInSeconds: 901 }, 'ValidationException', 'less than or equal to 900'],
      [{ StartingPosition: 'AT_TIMESTAMP' }, 'InvalidParameterValueException', 'Need to specify a timestamp'],
      [{ ScalingConfig: { MaximumConcurrency: 2 } }, 'InvalidParameterValueException', 'ScalingConfig'],
      [
        { DestinationConfig: { OnFailure: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:x' } } },
        'InvalidParameterValueException',
        'destination',
      ],
    ];
    for (const [input, code, text] of bad) {
      const e = await failure(map({ FunctionName: 'ctl-fn', EventSourceArn: arn, ...input }));
      expect(e.name, JSON.stringify(input)).toBe(code);
      expect(e.message).toContain(text);
      expect(e.status).toBe(400);
    }
    const missing = await failure(map({ FunctionName: 'ctl-fn', EventSourceArn: `${STREAM_ARN}nope` }));
    expect(missing.name).toBe('InvalidParameterValueException');
  });

  it('creates, gets, lists, updates and deletes with the states AWS reports', async () => {
    await recorder('crud-fn');
    const arn = await stream('crud-stream');
    const created = await map({ FunctionName: 'crud-fn', EventSourceArn: arn, StartingPosition: 'LATEST', Enabled: false });
    expect(created).toMatchObject({
      State: 'Creating',
      StartingPosition: 'LATEST',
      BatchSize: 100,
      ParallelizationFactor: 1,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false,
      EventSourceArn: arn,
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:crud-fn',
    });
    const dup = await failure(map({ FunctionName: 'crud-fn', EventSourceArn: arn }));
    expect(dup.name).toBe('ResourceConflictException');
    const got = await h.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    expect(got.State).toBe('Disabled');
    const listed = await h.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: arn }));
    expect(listed.EventSourceMappings?.map((m) => m.UUID)).toEqual([created.UUID]);
    const updated = await h.lambda.send(
      new UpdateEventSourceMappingCommand({
        UUID: created.UUID,
        BatchSize: 500,
        MaximumRetryAttempts: 3,
        BisectBatchOnFunctionError: true,
        Enabled: true,
      }),
    );
    expect(updated).toMatchObject({ State: 'Enabling', BatchSize: 500, MaximumRetryAttempts: 3, BisectBatchOnFunctionError: true });
    const bad = await failure(h.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 0 })));
    expect(bad.name).toBe('ValidationException');
    const deleted = await h.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    expect(deleted.State).toBe('Deleting');
    const gone = await failure(h.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });
});

describe('polling', () => {
  it('delivers records in order in the format AWS sends, from TRIM_HORIZON', async () => {
    const file = await recorder('format-fn');
    const arn = await stream('format-stream');
    const seqs = [await put('format-stream', 'one', 'a'), await put('format-stream', 'two', 'b')];
    const m = await map({ FunctionName: 'format-fn', EventSourceArn: arn });
    const seen = await eventually(() => events(file), (e) => e.flatMap((x) => x.Records).length >= 2);
    const records = seen.flatMap((e) => e.Records);
    expect(records.map((r) => r.kinesis.sequenceNumber)).toEqual(seqs);
    expect(records[0]).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'a',
        sequenceNumber: seqs[0],
        data: Buffer.from('one').toString('base64'),
        approximateArrivalTimestamp: clock.now() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${seqs[0]}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: ROLE,
      awsRegion: 'us-east-1',
      eventSourceARN: arn,
    });
    // New records follow; after disable nothing more arrives.
    await put('format-stream', 'three');
    await eventually(() => events(file), (e) => e.flatMap(texts).includes('three'));
    const state = await h.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }));
    expect(state).toMatchObject({ State: 'Enabled', LastProcessingResult: 'OK' });
    await h.lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: false }));
    await put('format-stream', 'four');
    await clock.advance(5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(events(file).flatMap(texts)).toEqual(['one', 'two', 'three']);
    // Enabling again resumes from the checkpoint.
    await h.lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: true }));
    const after = await eventually(() => events(file), (e) => e.flatMap(texts).includes('four'), 1000);
    expect(after.flatMap(texts)).toEqual(['one', 'two', 'three', 'four']);
    await h.lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
  });

  it('starts at LATEST and at a timestamp', async () => {
    const latest = await recorder('latest-fn');
    const stamped = await recorder('stamp-fn');
    const arn = await stream('latest-stream');
    await put('latest-stream', 'old');
    await clock.advance(60_000);
    const from = new Date(clock.now());
    await put('latest-stream', 'middle');
    await map({ FunctionName: 'latest-fn', EventSourceArn: arn, StartingPosition: 'LATEST' });
    await map({
      FunctionName: 'stamp-fn',
      EventSourceArn: arn,
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: from,
    });
    await put('latest-stream', 'new');
    const l = await eventually(() => events(latest), (e) => e.flatMap(texts).includes('new'));
    const s = await eventually(() => events(stamped), (e) => e.flatMap(texts).includes('new'));
    expect(l.flatMap(texts)).toEqual(['new']);
    expect(s.flatMap(texts)).toEqual(['middle', 'new']);
  });

  it('retries a failing batch, blocking the shard, then sends it to the on-failure queue', async () => {
    const file = await recorder('retry-fn', "(event, n, data) => data(event.Records[0]) === 'bad' ? 'throw' : undefined");
    const arn = await stream('retry-stream');
    const q = await sqs.send(new CreateQueueCommand({ QueueName: 'retry-dlq' }));
    const bad = await put('retry-stream', 'bad');
    await map({
      FunctionName: 'retry-fn',
      EventSourceArn: arn,
      BatchSize: 1,
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:retry-dlq' } },
    });
    await put('retry-stream', 'good');
    const seen = await eventually(() => events(file), (e) => e.flatMap(texts).includes('good'), 1000);
    // Three attempts of the bad record (one plus two retries) before the shard moves on.
    expect(seen.flatMap(texts)).toEqual(['bad', 'bad', 'bad', 'good']);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.QueueUrl, WaitTimeSeconds: 0 }));
    const body = JSON.parse(got.Messages?.[0]?.Body ?? '{}') as Record<string, Record<string, unknown>>;
    expect(body.requestContext).toMatchObject({
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:retry-fn',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
    });
    expect(body.responseContext).toMatchObject({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(body.KinesisBatchInfo).toMatchObject({
      shardId: 'shardId-000000000000',
      startSequenceNumber: bad,
      endSequenceNumber: bad,
      batchSize: 1,
      streamArn: arn,
    });
  });

  it('sends a discarded batch to an on-failure topic', async () => {
    await recorder('topic-fn', "() => 'throw'");
    const arn = await stream('topic-stream');
    const q = await sqs.send(new CreateQueueCommand({ QueueName: 'topic-sink' }));
    const topic = await sns.send(new CreateTopicCommand({ Name: 'topic-failures' }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic.TopicArn,
        Protocol: 'sqs',
        Endpoint: 'arn:aws:sqs:us-east-1:000000000000:topic-sink',
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const seq = await put('topic-stream', 'doomed');
    await map({
      FunctionName: 'topic-fn',
      EventSourceArn: arn,
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: topic.TopicArn } },
    });
    const got = await eventually(
      () => sqs.send(new ReceiveMessageCommand({ QueueUrl: q.QueueUrl, WaitTimeSeconds: 0 })),
      (r) => (r.Messages?.length ?? 0) > 0,
      1000,
    );
    const body = JSON.parse(got.Messages?.[0]?.Body ?? '{}') as Record<string, Record<string, unknown>>;
    expect(body.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 });
    expect(body.KinesisBatchInfo).toMatchObject({ startSequenceNumber: seq, endSequenceNumber: seq, batchSize: 1 });
  });

  it('bisects a failing batch down to the bad record', async () => {
    const file = await recorder(
      'bisect-fn',
      "(event, n, data) => event.Records.some((r) => data(r) === 'bad') ? 'throw' : undefined",
    );
    const arn = await stream('bisect-stream');
    for (const t of ['a', 'bad', 'c', 'd']) await put('bisect-stream', t);
    await map({
      FunctionName: 'bisect-fn',
      EventSourceArn: arn,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 2,
    });
    const seen = await eventually(() => events(file), (e) => e.some((x) => texts(x).join() === 'c,d'), 1000);
    expect(seen.map((e) => texts(e).join())).toEqual(['a,bad,c,d', 'a,bad', 'a', 'bad', 'c,d']);
  });

  it('resumes from the lowest failed item of a partial batch response', async () => {
    const file = await recorder(
      'partial-fn',
      "(event, n) => n === 0 ? { batchItemFailures: [{ itemIdentifier: event.Records[2].kinesis.sequenceNumber }, { itemIdentifier: event.Records[1].kinesis.sequenceNumber }] } : { batchItemFailures: [] }",
    );
    const arn = await stream('partial-stream');
    for (const t of ['a', 'b', 'c', 'd']) await put('partial-stream', t);
    await map({ FunctionName: 'partial-fn', EventSourceArn: arn, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const seen = await eventually(() => events(file), (e) => e.length >= 2, 1000);
    expect(seen.map((e) => texts(e).join())).toEqual(['a,b,c,d', 'b,c,d']);
  });

  it('runs one batch per hash lane with ParallelizationFactor, in order per partition key', async () => {
    const file = await recorder('lanes-fn');
    const arn = await stream('lanes-stream');
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
    for (let i = 0; i < 3; i++) for (const k of keys) await put('lanes-stream', `${k}-${i}`, k);
    const m = await map({ FunctionName: 'lanes-fn', EventSourceArn: arn, ParallelizationFactor: 3, BatchSize: 100 });
    expect(m.ParallelizationFactor).toBe(3);
    const seen = await eventually(() => events(file), (e) => e.flatMap((x) => x.Records).length >= 18);
    expect(seen.length).toBeGreaterThan(1);
    for (const e of seen) {
      // A batch never splits a key, and keeps each key's order.
      const byKey = new Map<string, string[]>();
      for (const r of e.Records) byKey.set(r.kinesis.partitionKey, [...(byKey.get(r.kinesis.partitionKey) ?? []), texts({ Records: [r] })[0] ?? '']);
      for (const [k, list] of byKey) expect(list).toEqual([`${k}-0`, `${k}-1`, `${k}-2`]);
    }
  });

  it('discards records older than MaximumRecordAgeInSeconds to the on-failure queue', async () => {
    const file = await recorder('age-fn');
    const arn = await stream('age-stream');
    const q = await sqs.send(new CreateQueueCommand({ QueueName: 'age-dlq' }));
    await put('age-stream', 'stale');
    await clock.advance(120_000);
    await map({
      FunctionName: 'age-fn',
      EventSourceArn: arn,
      MaximumRecordAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:age-dlq' } },
    });
    await put('age-stream', 'fresh');
    const seen = await eventually(() => events(file), (e) => e.length >= 1);
    expect(seen.flatMap(texts)).toEqual(['fresh']);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.QueueUrl, WaitTimeSeconds: 0 }));
    const body = JSON.parse(got.Messages?.[0]?.Body ?? '{}') as Record<string, Record<string, unknown>>;
    expect(body.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 });
  });

  it('aggregates over tumbling windows, passing state and ending each window with a final invocation', async () => {
    const file = await recorder(
      'window-fn',
      '(event) => ({ state: { count: ((event.state && event.state.count) || 0) + event.Records.length } })',
    );
    const arn = await stream('window-stream');
    await map({ FunctionName: 'window-fn', EventSourceArn: arn, TumblingWindowInSeconds: 60 });
    await put('window-stream', 'a');
    await eventually(() => events(file), (e) => e.length >= 1);
    await put('window-stream', 'b');
    await eventually(() => events(file), (e) => e.length >= 2);
    const final = await eventually(() => events(file), (e) => e.length >= 3, 5000);
    const [first, second, last] = final as unknown as Array<Record<string, unknown> & KinesisEvent>;
    expect(first?.Records.length).toBe(1);
    expect(first).toMatchObject({ state: {}, shardId: 'shardId-000000000000', eventSourceARN: arn, isFinalInvokeForWindow: false, isWindowTerminatedEarly: false });
    expect(second).toMatchObject({ state: { count: 1 }, isFinalInvokeForWindow: false });
    expect(last).toMatchObject({ Records: [], state: { count: 2 }, isFinalInvokeForWindow: true });
    const window = first?.window as { start: string; end: string };
    expect(Date.parse(window.end) - Date.parse(window.start)).toBe(60_000);
    expect(window.start).toMatch(/:00Z$/);
  });

  it('filters on the decoded JSON data', async () => {
    const file = await recorder('filter-fn');
    const arn = await stream('filter-stream');
    await put('filter-stream', JSON.stringify({ kind: 'skip' }));
    await put('filter-stream', 'not json');
    await put('filter-stream', JSON.stringify({ kind: 'keep', n: 1 }));
    await map({
      FunctionName: 'filter-fn',
      EventSourceArn: arn,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { kind: ['keep'] } }) }] },
    });
    const seen = await eventually(() => events(file), (e) => e.length >= 1);
    expect(seen.flatMap(texts)).toEqual([JSON.stringify({ kind: 'keep', n: 1 })]);
  });

  it('reads a split shard before its children', async () => {
    const file = await recorder('split-fn');
    const arn = await stream('split-stream');
    await put('split-stream', 'parent');
    const shards = await kinesis.send(new ListShardsCommand({ StreamName: 'split-stream' }));
    await kinesis.send(
      new SplitShardCommand({
        StreamName: 'split-stream',
        ShardToSplit: shards.Shards?.[0]?.ShardId,
        NewStartingHashKey: (1n << 127n).toString(),
      }),
    );
    await put('split-stream', 'child', 'a');
    await map({ FunctionName: 'split-fn', EventSourceArn: arn });
    const seen = await eventually(() => events(file), (e) => e.length >= 2, 1000);
    expect(seen.flatMap(texts)).toEqual(['parent', 'child']);
    expect(seen[1]?.Records[0]?.eventID).toMatch(/^shardId-00000000000[12]:/);
  });
});
