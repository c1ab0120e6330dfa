// Kinesis Data Streams (https://docs.aws.amazon.com/kinesis/latest/APIReference/): streams, shards and resharding,
// records with AWS's hashing and sequence numbers, shard iterators of every type (expiring after 5 minutes), retention
// on the clock, consumers and SubscribeToShard (an event stream of records for 5 minutes), encryption settings, tags
// and resource policies. Deliveries from EventBridge and Pipes arrive through `internal.deliver`.
import { randomBytes } from 'node:crypto';
import type {
  AddTagsToStreamInput,
  CreateStreamInput,
  DecreaseStreamRetentionPeriodInput,
  DeleteResourcePolicyInput,
  DeleteStreamInput,
  DeregisterStreamConsumerInput,
  DescribeLimitsOutput,
  DescribeStreamConsumerInput,
  DescribeStreamConsumerOutput,
  DescribeStreamInput,
  DescribeStreamOutput,
  DescribeStreamSummaryInput,
  DescribeStreamSummaryOutput,
  DisableEnhancedMonitoringInput,
  EnableEnhancedMonitoringInput,
  EnhancedMonitoringOutput,
  GetRecordsInput,
  GetRecordsOutput,
  GetResourcePolicyInput,
  GetResourcePolicyOutput,
  GetShardIteratorInput,
  GetShardIteratorOutput,
  IncreaseStreamRetentionPeriodInput,
  MetricsName,
  ListShardsInput,
  ListShardsOutput,
  ListStreamConsumersInput,
  ListStreamConsumersOutput,
  ListStreamsInput,
  ListStreamsOutput,
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  ListTagsForStreamInput,
  ListTagsForStreamOutput,
  MergeShardsInput,
  PutRecordInput,
  PutRecordOutput,
  PutRecordsInput,
  PutRecordsOutput,
  PutRecordsResultEntry,
  PutResourcePolicyInput,
  RegisterStreamConsumerInput,
  RegisterStreamConsumerOutput,
  RemoveTagsFromStreamInput,
  Shard,
  SplitShardInput,
  StartStreamEncryptionInput,
  StopStreamEncryptionInput,
  SubscribeToShardEvent,
  SubscribeToShardInput,
  TagResourceInput,
  UntagResourceInput,
  UpdateShardCountInput,
  UpdateShardCountOutput,
  UpdateStreamModeInput,
} from '@aws-sdk/client-kinesis';
import { formatArn, parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import type { DeliveryResult, DeliverySource, TargetMessage, TargetOwner } from '../../core/targets.js';
import { KinesisErrors as E } from './errors.js';
import { evenRanges, hashKeyOf, MAX_HASH_KEY, sequenceCounter, sequenceNumber } from './shards.js';
import {
  appendRecord,
  closeShard,
  firstAtOrAfter,
  KinesisStore,
  openShard,
  openShards,
  trim,
  type KinesisRecord,
  type ShardRecord,
  type StreamRecord,
} from './store.js';

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
const ITERATOR_TTL_MS = 300_000;
const ON_DEMAND_SHARDS = 4;
const SHARD_LIMIT = 500;
const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
/** A subscription lasts 5 minutes; with nothing new, an empty event goes out every 5 seconds to show it is alive. */
const SUBSCRIPTION_MS = 300_000;
const HEARTBEAT_MS = 5_000;

/** What other services reach: a stream is a delivery target (EventBridge rules, Pipes, Scheduler). */
export interface KinesisInternal extends TargetOwner {
  /** Puts one record, as PutRecord does; throws the same errors. */
  putRecord(account: string, region: string, streamArn: string, partitionKey: string, data: Uint8Array): DeliveryResult;
  /** The stream with this ARN, or undefined (Lambda's event source mappings). */
  streamByArn(arn: string): StreamInfo | undefined;
  /** The stream's shards (closed ones until retention drops them), or undefined when the stream is gone. */
  shardsOf(streamArn: string): ShardInfo[] | undefined;
  /**
   * Where a reader starting at the position begins in the shard: the sequence counter of the next record to read.
   * `at` is the timestamp (ms) of AT_TIMESTAMP. Undefined when the stream or shard is gone.
   */
  shardPosition(streamArn: string, shardId: string, type: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP', at?: number): bigint | undefined;
  /**
   * Up to `limit` records from the position on, and the position after them; `ended` when the shard is closed and
   * every record was read. Undefined when the stream or shard is gone.
   */
  readShard(streamArn: string, shardId: string, from: bigint, limit: number): ShardRead | undefined;
  /** Resolves when a record arrives on the stream, after ms, or when the signal aborts. */
  waitForRecords(streamArn: string, ms: number, signal: AbortSignal): Promise<void>;
}

export interface StreamInfo {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

export interface ShardInfo {
  readonly id: string;
  readonly parents: readonly string[];
  readonly closed: boolean;
}

export interface ShardRecordView {
  readonly seq: bigint;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  /** Arrival time in ms. */
  readonly arrival: number;
}

export interface ShardRead {
  readonly records: ShardRecordView[];
  readonly next: bigint;
  readonly ended: boolean;
}

interface IteratorState {
  readonly account: string;
  readonly region: string;
  readonly stream: string;
  /** Stream creation time: an iterator of a deleted and recreated stream is not valid. */
  readonly created: number;
  readonly shard: string;
  /** The next record to read is the first with a sequence counter at or above this. */
  readonly from: bigint;
  readonly issued: number;
}

export function createKinesisProvider(host: ServiceHost): ServiceProvider {
  const stores = new RegionalStores((account, region) => new KinesisStore(account, region));
  const now = (): number => host.clock.now();
  /** Wakes SubscribeToShard streams waiting for records, by stream ARN. */
  const waiting = new Map<string, Set<() => void>>();
  /** Open subscriptions, ended on reset and stop. */
  const subscriptions = new Set<AbortController>();

  function wake(streamArn: string): void {
    const set = waiting.get(streamArn);
    if (!set) return;
    waiting.delete(streamArn);
    for (const fn of set) fn();
  }

  /** Resolves when a record arrives on the stream, after ms, or when the signal aborts. */
  function nextRecordOrTimeout(streamArn: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = waiting.get(streamArn);
      if (!set) {
        set = new Set();
        waiting.set(streamArn, set);
      }
      const done = (): void => {
        timer.cancel();
        signal.removeEventListener('abort', done);
        waiting.get(streamArn)?.delete(done);
        resolve();
      };
      const timer = host.clock.setTimer(ms, done);
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /** The events of one subscription: records as they arrive from the starting position, for 5 minutes. */
  async function* subscription(
    store: KinesisStore,
    stream: StreamRecord,
    shard: ShardRecord,
    from: bigint,
    signal: AbortSignal,
  ): AsyncGenerator<{ SubscribeToShardEvent: SubscribeToShardEvent }> {
    const started = now();
    let position = from;
    let first = true;
    let lastSent = started;
    while (!signal.aborted && now() - started < SUBSCRIPTION_MS && store.streams.get(stream.name) === stream) {
      trim(stream, now());
      const start = firstAtOrAfter(shard, position);
      const records = shard.records.slice(start, start + 10_000);
      const last = records[records.length - 1];
      if (last) position = last.seq + 1n;
      const done = shard.endingSeq !== undefined && start + records.length >= shard.records.length;
      if (first || records.length > 0 || done || now() - lastSent >= HEARTBEAT_MS) {
        first = false;
        lastSent = now();
        const event: SubscribeToShardEvent = {
          Records: records.map((r) => ({
            SequenceNumber: r.sequenceNumber,
            ApproximateArrivalTimestamp: new Date(r.arrival),
            Data: r.data,
            PartitionKey: r.partitionKey,
            ...(r.encrypted ? { EncryptionType: 'KMS' as const } : {}),
          })),
          ContinuationSequenceNumber: sequenceNumber(position > 0n ? position - 1n : 0n),
          MillisBehindLatest: 0,
          ...(done ? { ChildShards: childShards(stream, shard) } : {}),
        };
        yield { SubscribeToShardEvent: event };
        if (done) return;
      }
      await nextRecordOrTimeout(stream.arn, HEARTBEAT_MS - (now() - lastSent), signal);
    }
  }

  /** The stream named by StreamName or StreamARN (the ARN wins, and may name another account's stream). */
  function streamOf(ctx: { account: string; region: string }, input: { StreamName?: string; StreamARN?: string }): {
    store: KinesisStore;
    stream: StreamRecord;
  } {
    let store: KinesisStore;
    let name: string;
    if (input.StreamARN !== undefined) {
      const arn = parseArn(input.StreamARN);
      if (!arn || arn.service !== 'kinesis' || !arn.resource.startsWith('stream/')) {
        throw E.validation('streamARN', input.StreamARN, 'Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+');
      }
      store = stores.get(arn.account, arn.region);
      name = arn.resource.slice('stream/'.length);
    } else if (input.StreamName !== undefined) {
      validateName(input.StreamName);
      store = stores.get(ctx.account, ctx.region);
      name = input.StreamName;
    } else {
      throw E.invalidArgument('Either StreamName or StreamARN should be provided.');
    }
    const stream = store.streams.get(name);
    if (!stream) throw E.streamNotFound(name, store.account);
    trim(stream, now());
    return { store, stream };
  }

  /** The stream with this ARN (trimmed to its retention), or undefined. */
  function streamAt(arn: string): { store: KinesisStore; stream: StreamRecord } | undefined {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'kinesis' || !parsed.resource.startsWith('stream/')) return undefined;
    const store = stores.peek(parsed.account, parsed.region);
    const stream = store?.streams.get(parsed.resource.slice('stream/'.length));
    if (!store || !stream) return undefined;
    trim(stream, now());
    return { store, stream };
  }

  function shardOf(store: KinesisStore, stream: StreamRecord, shardId: string | undefined, member = 'shardId'): ShardRecord {
    if (shardId === undefined) throw E.missing(member);
    const shard = stream.shards.find((s) => s.id === shardId);
    if (!shard) throw E.shardNotFound(shardId, stream.name, store.account);
    return shard;
  }

  function encodeIterator(state: IteratorState): string {
    const text = JSON.stringify([state.account, state.region, state.stream, state.created, state.shard, state.from.toString(), state.issued]);
    // A random prefix makes each iterator distinct, as AWS's are.
    return `${randomBytes(6).toString('base64url')}${Buffer.from(text).toString('base64url')}`;
  }

  function decodeIterator(text: string): IteratorState {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(text.slice(8), 'base64url').toString('utf8'));
      if (Array.isArray(parsed) && parsed.length === 7) {
        const [account, region, stream, created, shard, from, issued] = parsed as [string, string, string, number, string, string, number];
        if ([account, region, stream, shard, from].every((v) => typeof v === 'string') && typeof issued === 'number') {
          return { account, region, stream, created, shard, from: BigInt(from), issued };
        }
      }
    } catch {
      // fall through
    }
    throw E.invalidArgument('Invalid ShardIterator.');
  }

  function shardView(shard: ShardRecord): Shard {
    return {
      ShardId: shard.id,
      ...(shard.parent ? { ParentShardId: shard.parent } : {}),
      ...(shard.adjacentParent ? { AdjacentParentShardId: shard.adjacentParent } : {}),
      HashKeyRange: { StartingHashKey: shard.start.toString(), EndingHashKey: shard.end.toString() },
      SequenceNumberRange: {
        StartingSequenceNumber: sequenceNumber(shard.startingSeq),
        ...(shard.endingSeq !== undefined ? { EndingSequenceNumber: sequenceNumber(shard.endingSeq) } : {}),
      },
    };
  }

  function put(
    stream: StreamRecord,
    partitionKey: string,
    data: Uint8Array,
    explicitHashKey: string | undefined,
  ): { shard: ShardRecord; record: KinesisRecord } {
    let hashKey: bigint;
    if (explicitHashKey !== undefined) {
      if (!/^(0|[1-9]\d{0,38})$/.test(explicitHashKey) || BigInt(explicitHashKey) > MAX_HASH_KEY) {
        throw E.invalidArgument(
          `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicitHashKey}`,
        );
      }
      hashKey = BigInt(explicitHashKey);
    } else hashKey = hashKeyOf(partitionKey);
    const appended = appendRecord(stream, hashKey, partitionKey, data, now());
    wake(stream.arn);
    return appended;
  }

  function validateRecord(partitionKey: string | undefined, data: Uint8Array | undefined, prefix = ''): void {
    if (data === undefined) throw E.missing(`${prefix}data`);
    if (partitionKey === undefined) throw E.missing(`${prefix}partitionKey`);
    if (partitionKey.length < 1 || partitionKey.length > 256) {
      throw E.validation(`${prefix}partitionKey`, partitionKey, 'Member must have length less than or equal to 256');
    }
    if (data.length + Buffer.byteLength(partitionKey) > MAX_RECORD_BYTES) {
      throw E.validation(`${prefix}data`, 'java.nio.HeapByteBuffer', `Member must have length less than or equal to ${MAX_RECORD_BYTES}`);
    }
  }

  const internal: KinesisInternal = {
    putRecord: (account, region, streamArn, partitionKey, data) => {
      const { stream } = streamOf({ account, region }, { StreamARN: streamArn });
      validateRecord(partitionKey, data);
      const { shard, record } = put(stream, partitionKey, data, undefined);
      return { id: `${shard.id}:${record.sequenceNumber}` };
    },
    deliver: (arn: string, message: TargetMessage, source: DeliverySource): Promise<DeliveryResult> => {
      const key = message.partitionKey ?? randomBytes(16).toString('hex');
      return Promise.resolve(internal.putRecord(source.account, source.region, arn, key, Buffer.from(message.body, 'utf8')));
    },
    streamByArn: (arn) => {
      const found = streamAt(arn);
      return found ? { arn: found.stream.arn, name: found.stream.name, account: found.store.account, region: found.store.region } : undefined;
    },
    shardsOf: (arn) =>
      streamAt(arn)?.stream.shards.map((s) => ({
        id: s.id,
        parents: [s.parent, s.adjacentParent].filter((p): p is string => p !== undefined),
        closed: s.endingSeq !== undefined,
      })),
    shardPosition: (arn, shardId, type, at) => {
      const stream = streamAt(arn)?.stream;
      const shard = stream?.shards.find((s) => s.id === shardId);
      if (!stream || !shard) return undefined;
      const end = shard.endingSeq !== undefined ? shard.endingSeq + 1n : stream.counter;
      if (type === 'TRIM_HORIZON') return shard.startingSeq;
      if (type === 'LATEST') return end;
      const first = shard.records.slice(shard.head).find((r) => r.arrival >= (at ?? 0));
      return first ? first.seq : end;
    },
    readShard: (arn, shardId, from, limit) => {
      const shard = streamAt(arn)?.stream.shards.find((s) => s.id === shardId);
      if (!shard) return undefined;
      const start = firstAtOrAfter(shard, from);
      const records = shard.records.slice(start, start + limit);
      const last = records[records.length - 1];
      const atEnd = start + records.length >= shard.records.length;
      return { records, next: last ? last.seq + 1n : from, ended: shard.endingSeq !== undefined && atEnd };
    },
    waitForRecords: (arn, ms, signal) => nextRecordOrTimeout(arn, ms, signal),
  };

  const operations = {
    CreateStream: (ctx: RequestContext, input: CreateStreamInput): Record<string, never> => {
      if (input.StreamName === undefined) throw E.missing('streamName');
      validateName(input.StreamName);
      const mode = input.StreamModeDetails?.StreamMode;
      let count: number;
      if (input.ShardCount !== undefined) {
        if (mode === 'ON_DEMAND') {
          throw E.invalidArgument('ShardCount cannot be specified when the stream mode is ON_DEMAND.');
        }
        if (input.ShardCount < 1) throw E.validation('shardCount', input.ShardCount, 'Member must have value greater than or equal to 1');
        count = input.ShardCount;
      } else if (mode === 'PROVISIONED') {
        throw E.invalidArgument('ShardCount is required when the stream mode is PROVISIONED.');
      } else count = ON_DEMAND_SHARDS;
      const store = stores.get(ctx.account, ctx.region);
      if (store.streams.has(input.StreamName)) throw E.streamExists(input.StreamName, ctx.account);
      const total = [...store.streams.values()].reduce((n, s) => n + openShards(s).length, 0);
      if (total + count > SHARD_LIMIT) {
        throw E.limitExceeded(
          `This request would exceed the shard limit for the account ${ctx.account} in ${ctx.region}. Current shard count for the account: ${total}. Limit: ${SHARD_LIMIT}. Number of additional shards that would have resulted from this request: ${count}. Refer to the AWS Service Limits page (https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.`,
        );
      }
      const arn = formatArn('kinesis', ctx.region, ctx.account, `stream/${input.StreamName}`);
      const stream = store.createStream(input.StreamName, arn, count, input.ShardCount !== undefined ? 'PROVISIONED' : 'ON_DEMAND', now());
      for (const [k, v] of Object.entries(input.Tags ?? {})) stream.tags.set(k, v);
      return {};
    },

    DeleteStream: (ctx: RequestContext, input: DeleteStreamInput): Record<string, never> => {
      const { store, stream } = streamOf(ctx, input);
      if (stream.consumers.size > 0 && !input.EnforceConsumerDeletion) {
        throw new ServiceError(
          'ResourceInUseException',
          `Stream ${stream.name} under account ${store.account} has registered consumers. Set EnforceConsumerDeletion to true to delete it.`,
          { status: 400, messageMember: 'message' },
        );
      }
      store.streams.delete(stream.name);
      store.policies.delete(stream.arn);
      for (const c of stream.consumers.values()) store.policies.delete(c.arn);
      return {};
    },

    DescribeStream: (ctx: RequestContext, input: DescribeStreamInput): DescribeStreamOutput => {
      const { stream } = streamOf(ctx, input);
      const limit = input.Limit ?? 100;
      if (limit < 1 || limit > 10_000) throw E.validation('limit', limit, 'Member must have value less than or equal to 10000');
      let shards = stream.shards;
      if (input.ExclusiveStartShardId !== undefined) {
        const after = input.ExclusiveStartShardId;
        shards = shards.filter((s) => s.id > after);
      }
      const page = shards.slice(0, limit);
      return {
        StreamDescription: {
          ...summaryOf(stream),
          Shards: page.map(shardView),
          HasMoreShards: shards.length > page.length,
        },
      };
    },

    DescribeStreamSummary: (ctx: RequestContext, input: DescribeStreamSummaryInput): DescribeStreamSummaryOutput => {
      const { stream } = streamOf(ctx, input);
      return {
        StreamDescriptionSummary: {
          ...summaryOf(stream),
          OpenShardCount: openShards(stream).length,
          ConsumerCount: stream.consumers.size,
        },
      };
    },

    ListStreams: (ctx: RequestContext, input: ListStreamsInput): ListStreamsOutput => {
      const limit = input.Limit ?? 100;
      if (limit < 1 || limit > 10_000) throw E.validation('limit', limit, 'Member must have value less than or equal to 10000');
      const names = [...stores.get(ctx.account, ctx.region).streams.keys()].sort();
      let after = input.ExclusiveStartStreamName;
      if (input.NextToken !== undefined) after = decodeToken(input.NextToken);
      const rest = after === undefined ? names : names.filter((n) => n > after);
      const page = rest.slice(0, limit);
      const store = stores.get(ctx.account, ctx.region);
      const more = rest.length > page.length;
      return {
        StreamNames: page,
        HasMoreStreams: more,
        ...(more ? { NextToken: encodeToken(page[page.length - 1] ?? '') } : {}),
        StreamSummaries: page.map((n) => {
          const s = store.streams.get(n) as StreamRecord;
          return {
            StreamName: s.name,
            StreamARN: s.arn,
            StreamStatus: 'ACTIVE',
            StreamModeDetails: { StreamMode: s.mode },
            StreamCreationTimestamp: new Date(s.createdAt),
          };
        }),
      };
    },

    ListShards: (ctx: RequestContext, input: ListShardsInput): ListShardsOutput => {
      let streamInput: { StreamName?: string; StreamARN?: string } = input;
      let after = input.ExclusiveStartShardId;
      if (input.NextToken !== undefined) {
        if (input.StreamName !== undefined || input.StreamARN !== undefined) {
          throw E.invalidArgument('NextToken and StreamName cannot be provided together.');
        }
        const [name, last] = decodeToken(input.NextToken).split('\n');
        streamInput = { StreamName: name ?? '' };
        after = last;
      }
      const { stream } = streamOf(ctx, streamInput);
      const max = input.MaxResults ?? 1000;
      if (max < 1 || max > 10_000) throw E.validation('maxResults', max, 'Member must have value less than or equal to 10000');
      let shards = stream.shards;
      const filter = input.ShardFilter;
      if (filter) {
        const at = filter.Timestamp?.getTime();
        switch (filter.Type) {
          case 'AFTER_SHARD_ID': {
            if (filter.ShardId === undefined) throw E.invalidArgument('ShardId must be provided for the AFTER_SHARD_ID filter.');
            const id = filter.ShardId;
            shards = shards.filter((s) => s.id > id);
            break;
          }
          case 'AT_LATEST':
            shards = openShards(stream);
            break;
          case 'AT_TRIM_HORIZON':
          case 'FROM_TRIM_HORIZON':
            break;
          case 'AT_TIMESTAMP':
          case 'FROM_TIMESTAMP': {
            if (at === undefined) throw E.invalidArgument(`Timestamp must be provided for the ${filter.Type} filter.`);
            shards = shards.filter((s) =>
              filter.Type === 'AT_TIMESTAMP'
                ? s.openedAt <= at && (s.closedAt === undefined || s.closedAt > at)
                : s.closedAt === undefined || s.closedAt > at,
            );
            break;
          }
          default:
            throw E.validation('shardFilter.type', filter.Type, 'Member must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]');
        }
      }
      if (after !== undefined) {
        const a = after;
        shards = shards.filter((s) => s.id > a);
      }
      const page = shards.slice(0, max);
      const last = page[page.length - 1];
      return {
        Shards: page.map(shardView),
        ...(shards.length > page.length && last ? { NextToken: encodeToken(`${stream.name}\n${last.id}`) } : {}),
      };
    },

    PutRecord: (ctx: RequestContext, input: PutRecordInput): PutRecordOutput => {
      const { stream } = streamOf(ctx, input);
      validateRecord(input.PartitionKey, input.Data);
      if (input.SequenceNumberForOrdering !== undefined && sequenceCounter(input.SequenceNumberForOrdering) === undefined) {
        throw E.invalidArgument(`SequenceNumberForOrdering ${input.SequenceNumberForOrdering} is not a valid sequence number.`);
      }
      const { shard, record } = put(stream, input.PartitionKey as string, input.Data as Uint8Array, input.ExplicitHashKey);
      return { ShardId: shard.id, SequenceNumber: record.sequenceNumber, EncryptionType: stream.encryption };
    },

    PutRecords: (ctx: RequestContext, input: PutRecordsInput): PutRecordsOutput => {
      const { stream } = streamOf(ctx, input);
      const records = input.Records;
      if (records === undefined) throw E.missing('records');
      if (records.length < 1) throw E.validation('records', '[]', 'Member must have length greater than or equal to 1');
      if (records.length > 500) {
        throw E.validation('records', `[${records.length} records]`, 'Member must have length less than or equal to 500');
      }
      let total = 0;
      records.forEach((r, i) => {
        validateRecord(r.PartitionKey, r.Data, `records.${i + 1}.member.`);
        total += (r.Data as Uint8Array).length + Buffer.byteLength(r.PartitionKey as string);
      });
      if (total > MAX_PUT_RECORDS_BYTES) {
        throw E.invalidArgument(`Records size exceeds ${MAX_PUT_RECORDS_BYTES / 1024 / 1024} MB limit`);
      }
      const results: PutRecordsResultEntry[] = [];
      let failed = 0;
      for (const r of records) {
        try {
          const { shard, record } = put(stream, r.PartitionKey as string, r.Data as Uint8Array, r.ExplicitHashKey);
          results.push({ SequenceNumber: record.sequenceNumber, ShardId: shard.id });
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          failed++;
          results.push({ ErrorCode: err.code, ErrorMessage: err.message });
        }
      }
      return { FailedRecordCount: failed, Records: results, EncryptionType: stream.encryption };
    },

    GetShardIterator: (ctx: RequestContext, input: GetShardIteratorInput): GetShardIteratorOutput => {
      const { store, stream } = streamOf(ctx, input);
      const shard = shardOf(store, stream, input.ShardId);
      const type = input.ShardIteratorType;
      let from: bigint;
      const seqInput = (): bigint => {
        if (input.StartingSequenceNumber === undefined) {
          throw E.invalidArgument(`StartingSequenceNumber must be provided for ShardIteratorType ${type}.`);
        }
        const n = sequenceCounter(input.StartingSequenceNumber);
        if (n === undefined || n < shard.startingSeq || (shard.endingSeq !== undefined && n > shard.endingSeq)) {
          throw E.invalidArgument(
            `StartingSequenceNumber ${input.StartingSequenceNumber} used in GetShardIterator on shard ${shard.id} in stream ${stream.name} under account ${store.account} is invalid because it did not come from this stream.`,
          );
        }
        return n;
      };
      switch (type) {
        case 'TRIM_HORIZON':
          from = shard.startingSeq;
          break;
        case 'LATEST':
          from = shard.endingSeq !== undefined ? shard.endingSeq + 1n : stream.counter;
          break;
        case 'AT_SEQUENCE_NUMBER':
          from = seqInput();
          break;
        case 'AFTER_SEQUENCE_NUMBER':
          from = seqInput() + 1n;
          break;
        case 'AT_TIMESTAMP': {
          const at = input.Timestamp?.getTime();
          if (at === undefined) throw E.invalidArgument('Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP.');
          const first = shard.records.slice(shard.head).find((r) => r.arrival >= at);
          from = first ? first.seq : shard.endingSeq !== undefined ? shard.endingSeq + 1n : stream.counter;
          break;
        }
        case undefined:
          throw E.missing('shardIteratorType');
        default:
          throw E.validation(
            'shardIteratorType',
            type,
            'Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, TRIM_HORIZON, LATEST]',
          );
      }
      return {
        ShardIterator: encodeIterator({
          account: store.account,
          region: store.region,
          stream: stream.name,
          created: stream.createdAt,
          shard: shard.id,
          from,
          issued: now(),
        }),
      };
    },

    GetRecords: (ctx: RequestContext, input: GetRecordsInput): GetRecordsOutput => {
      if (input.ShardIterator === undefined) throw E.missing('shardIterator');
      const limit = input.Limit ?? 10_000;
      if (limit < 1 || limit > 10_000) throw E.validation('limit', limit, 'Member must have value less than or equal to 10000');
      const it = decodeIterator(input.ShardIterator);
      const t = now();
      if (t - it.issued > ITERATOR_TTL_MS) throw E.expiredIterator(it.issued, t);
      const store = stores.get(it.account, it.region);
      const stream = store.streams.get(it.stream);
      if (!stream || stream.createdAt !== it.created) throw E.streamNotFound(it.stream, it.account);
      void ctx;
      trim(stream, t);
      const shard = stream.shards.find((s) => s.id === it.shard);
      if (!shard) throw E.shardNotFound(it.shard, stream.name, store.account);
      const start = firstAtOrAfter(shard, it.from);
      const out: KinesisRecord[] = [];
      let bytes = 0;
      let i = start;
      for (; i < shard.records.length && out.length < limit; i++) {
        const r = shard.records[i] as KinesisRecord;
        if (out.length > 0 && bytes + r.data.length > MAX_GET_RECORDS_BYTES) break;
        bytes += r.data.length;
        out.push(r);
      }
      const last = out[out.length - 1];
      const next = last ? last.seq + 1n : it.from;
      const atEnd = i >= shard.records.length;
      const closedAndDone = shard.endingSeq !== undefined && atEnd;
      const result: GetRecordsOutput = {
        Records: out.map((r) => ({
          SequenceNumber: r.sequenceNumber,
          ApproximateArrivalTimestamp: new Date(r.arrival),
          Data: r.data,
          PartitionKey: r.partitionKey,
          ...(r.encrypted ? { EncryptionType: 'KMS' as const } : {}),
        })),
        MillisBehindLatest: atEnd ? 0 : Math.max(0, t - (shard.records[i] as KinesisRecord).arrival),
      };
      if (closedAndDone) {
        result.ChildShards = childShards(stream, shard);
      } else {
        result.NextShardIterator = encodeIterator({ ...it, from: next, issued: t });
      }
      return result;
    },

    IncreaseStreamRetentionPeriod: (ctx: RequestContext, input: IncreaseStreamRetentionPeriodInput): Record<string, never> => {
      const { stream } = streamOf(ctx, input);
      const hours = retentionOf(input.RetentionPeriodHours);
      if (hours < stream.retentionHours) {
        throw E.invalidArgument(
          `Requested retention period (${hours} hours) for stream ${stream.name} can not be shorter than existing retention period (${stream.retentionHours} hours). Use DecreaseRetentionPeriod API.`,
        );
      }
      stream.retentionHours = hours;
      return {};
    },

    DecreaseStreamRetentionPeriod: (ctx: RequestContext, input: DecreaseStreamRetentionPeriodInput): Record<string, never> => {
      const { stream } = streamOf(ctx, input);
      const hours = retentionOf(input.RetentionPeriodHours);
      if (hours > stream.retentionHours) {
        throw E.invalidArgument(
          `Requested retention period (${hours} hours) for stream ${stream.name} can not be longer than existing retention period (${stream.retentionHours} hours). Use IncreaseRetentionPeriod API.`,
        );
      }
      stream.retentionHours = hours;
      trim(stream, now());
      return {};
    },

    SplitShard: (ctx: RequestContext, input: SplitShardInput): Record<string, never> => {
      const { store, stream } = streamOf(ctx, input);
      const shard = shardOf(store, stream, input.ShardToSplit, 'shardToSplit');
      if (shard.endingSeq !== undefined) {
        throw E.invalidArgument(`Shard ${shard.id} in stream ${stream.name} under account ${store.account} has already been merged or split, and thus is not eligible for merging or splitting.`);
      }
      if (input.NewStartingHashKey === undefined) throw E.missing('newStartingHashKey');
      const key = /^\d{1,39}$/.test(input.NewStartingHashKey) ? BigInt(input.NewStartingHashKey) : -1n;
      if (key <= shard.start || key > shard.end) {
        throw E.invalidArgument(
          `NewStartingHashKey ${input.NewStartingHashKey} used in SplitShard() on shard ${shard.id} in stream ${stream.name} under account ${store.account} is not both greater than one plus the shard's StartingHashKey ${shard.start} and less than the shard's EndingHashKey ${shard.end}.`,
        );
      }
      checkShardLimit(store, 1);
      const t = now();
      closeShard(stream, shard, t);
      openShard(stream, shard.start, key - 1n, t, shard.id);
      openShard(stream, key, shard.end, t, shard.id);
      return {};
    },

    MergeShards: (ctx: RequestContext, input: MergeShardsInput): Record<string, never> => {
      const { store, stream } = streamOf(ctx, input);
      const a = shardOf(store, stream, input.ShardToMerge, 'shardToMerge');
      const b = shardOf(store, stream, input.AdjacentShardToMerge, 'adjacentShardToMerge');
      for (const s of [a, b]) {
        if (s.endingSeq !== undefined) {
          throw E.invalidArgument(`Shard ${s.id} in stream ${stream.name} under account ${store.account} has already been merged or split, and thus is not eligible for merging or splitting.`);
        }
      }
      if (a.end + 1n !== b.start && b.end + 1n !== a.start) {
        throw E.invalidArgument(`Shards ${a.id} and ${b.id} in stream ${stream.name} under account ${store.account} are not an adjacent pair of shards eligible for merging`);
      }
      const t = now();
      closeShard(stream, a, t);
      closeShard(stream, b, t);
      openShard(stream, a.start < b.start ? a.start : b.start, a.end > b.end ? a.end : b.end, t, a.id, b.id);
      return {};
    },

    UpdateShardCount: (ctx: RequestContext, input: UpdateShardCountInput): UpdateShardCountOutput => {
      const { store, stream } = streamOf(ctx, input);
      if (input.ScalingType !== 'UNIFORM_SCALING') {
        throw E.validation('scalingType', input.ScalingType, 'Member must satisfy enum value set: [UNIFORM_SCALING]');
      }
      const target = input.TargetShardCount;
      if (target === undefined) throw E.missing('targetShardCount');
      const open = openShards(stream);
      const current = open.length;
      if (target < 1 || target > current * 2 || target * 2 < current) {
        throw E.invalidArgument(
          `UpdateShardCount failed for stream ${stream.name} under account ${store.account}: the target shard count ${target} must be between half and double the current open shard count ${current}.`,
        );
      }
      checkShardLimit(store, target - current);
      const t = now();
      for (const s of open) closeShard(stream, s, t);
      for (const range of evenRanges(target)) {
        // Each new shard's parent is the old shard its range starts in (AWS reaches the same layout by splits and merges).
        const parent = open.find((s) => range.start >= s.start && range.start <= s.end);
        openShard(stream, range.start, range.end, t, parent?.id);
      }
      return { StreamName: stream.name, StreamARN: stream.arn, CurrentShardCount: current, TargetShardCount: target };
    },

    UpdateStreamMode: (ctx: RequestContext, input: UpdateStreamModeInput): Record<string, never> => {
      if (input.StreamARN === undefined) throw E.missing('streamARN');
      const { stream } = streamOf(ctx, { StreamARN: input.StreamARN });
      const mode = input.StreamModeDetails?.StreamMode;
      if (mode !== 'PROVISIONED' && mode !== 'ON_DEMAND') {
        throw E.validation('streamModeDetails.streamMode', mode, 'Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]');
      }
      stream.mode = mode;
      return {};
    },

    StartStreamEncryption: (ctx: RequestContext, input: StartStreamEncryptionInput): Record<string, never> => {
      const { stream } = streamOf(ctx, input);
      if (input.EncryptionType !== 'KMS') {
        throw E.validation('encryptionType', input.EncryptionType, 'Member must satisfy enum value set: [KMS]');
      }
      if (input.KeyId === undefined || input.KeyId === '') throw E.missing('keyId');
      stream.encryption = 'KMS';
      stream.keyId = input.KeyId;
      return {};
    },

    StopStreamEncryption: (ctx: RequestContext, input: StopStreamEncryptionInput): Record<string, never> => {
      const { stream } = streamOf(ctx, input);
      if (input.EncryptionType !== 'KMS') {
        throw E.validation('encryptionType', input.EncryptionType, 'Member must satisfy enum value set: [KMS]');
      }
      stream.encryption = 'NONE';
      stream.keyId = undefined;
      return {};
    },

    EnableEnhancedMonitoring: (ctx: RequestContext, input: EnableEnhancedMonitoringInput): EnhancedMonitoringOutput =>
      monitoring(ctx, input, (current, asked) => [...new Set([...current, ...asked])]),

    DisableEnhancedMonitoring: (ctx: RequestContext, input: DisableEnhancedMonitoringInput): EnhancedMonitoringOutput =>
      monitoring(ctx, input, (current, asked) => current.filter((m) => !asked.includes(m))),

    DescribeLimits: (ctx: RequestContext): DescribeLimitsOutput => {
      const streams = [...stores.get(ctx.account, ctx.region).streams.values()];
      return {
        ShardLimit: SHARD_LIMIT,
        OpenShardCount: streams.reduce((n, s) => n + openShards(s).length, 0),
        OnDemandStreamCount: streams.filter((s) => s.mode === 'ON_DEMAND').length,
        OnDemandStreamCountLimit: 50,
      };
    },

    RegisterStreamConsumer: (ctx: RequestContext, input: RegisterStreamConsumerInput): RegisterStreamConsumerOutput => {
      if (input.StreamARN === undefined) throw E.missing('streamARN');
      if (input.ConsumerName === undefined) throw E.missing('consumerName');
      if (!STREAM_NAME.test(input.ConsumerName)) {
        throw E.validation('consumerName', input.ConsumerName, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
      }
      const { stream } = streamOf(ctx, { StreamARN: input.StreamARN });
      if (stream.consumers.has(input.ConsumerName)) throw E.consumerExists(input.ConsumerName, stream.arn);
      if (stream.consumers.size >= 20) {
        throw E.limitExceeded(`Stream ${stream.arn} already has 20 registered consumers, the maximum.`);
      }
      const t = now();
      const consumer = { name: input.ConsumerName, arn: `${stream.arn}/consumer/${input.ConsumerName}:${Math.floor(t / 1000)}`, createdAt: t };
      stream.consumers.set(consumer.name, consumer);
      // AWS answers CREATING and the consumer becomes ACTIVE shortly after; here it is usable at once.
      return {
        Consumer: { ConsumerName: consumer.name, ConsumerARN: consumer.arn, ConsumerStatus: 'CREATING', ConsumerCreationTimestamp: new Date(t) },
      };
    },

    DescribeStreamConsumer: (ctx: RequestContext, input: DescribeStreamConsumerInput): DescribeStreamConsumerOutput => {
      const { stream, consumer } = consumerOf(ctx, input);
      return {
        ConsumerDescription: {
          ConsumerName: consumer.name,
          ConsumerARN: consumer.arn,
          ConsumerStatus: 'ACTIVE',
          ConsumerCreationTimestamp: new Date(consumer.createdAt),
          StreamARN: stream.arn,
        },
      };
    },

    ListStreamConsumers: (ctx: RequestContext, input: ListStreamConsumersInput): ListStreamConsumersOutput => {
      if (input.StreamARN === undefined) throw E.missing('streamARN');
      const { stream } = streamOf(ctx, { StreamARN: input.StreamARN });
      const all = [...stream.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
      const max = input.MaxResults ?? 100;
      const after = input.NextToken !== undefined ? decodeToken(input.NextToken) : undefined;
      const rest = after === undefined ? all : all.filter((c) => c.name > after);
      const page = rest.slice(0, max);
      const last = page[page.length - 1];
      return {
        Consumers: page.map((c) => ({ ConsumerName: c.name, ConsumerARN: c.arn, ConsumerStatus: 'ACTIVE', ConsumerCreationTimestamp: new Date(c.createdAt) })),
        ...(rest.length > page.length && last ? { NextToken: encodeToken(last.name) } : {}),
      };
    },

    SubscribeToShard: (ctx: RequestContext, input: SubscribeToShardInput): { EventStream: AsyncIterable<unknown> } => {
      if (input.ConsumerARN === undefined) throw E.missing('consumerARN');
      if (input.StartingPosition?.Type === undefined) throw E.missing('startingPosition.type');
      const { store, stream } = consumerOf(ctx, { ConsumerARN: input.ConsumerARN });
      const shard = shardOf(store, stream, input.ShardId);
      const position = input.StartingPosition;
      let from: bigint;
      switch (position.Type) {
        case 'TRIM_HORIZON':
          from = shard.startingSeq;
          break;
        case 'LATEST':
          from = shard.endingSeq !== undefined ? shard.endingSeq + 1n : stream.counter;
          break;
        case 'AT_SEQUENCE_NUMBER':
        case 'AFTER_SEQUENCE_NUMBER': {
          const n = position.SequenceNumber !== undefined ? sequenceCounter(position.SequenceNumber) : undefined;
          if (n === undefined || n < 0n) {
            throw E.invalidArgument(`StartingPosition.SequenceNumber ${position.SequenceNumber ?? ''} is not a valid sequence number.`);
          }
          from = position.Type === 'AT_SEQUENCE_NUMBER' ? n : n + 1n;
          break;
        }
        case 'AT_TIMESTAMP': {
          const at = position.Timestamp?.getTime();
          if (at === undefined) throw E.invalidArgument('StartingPosition.Timestamp must be provided for AT_TIMESTAMP.');
          const found = shard.records.slice(shard.head).find((r) => r.arrival >= at);
          from = found ? found.seq : stream.counter;
          break;
        }
        default:
          throw E.validation('startingPosition.type', position.Type, 'Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]');
      }
      const controller = new AbortController();
      subscriptions.add(controller);
      const onClientGone = (): void => controller.abort();
      ctx.signal.addEventListener('abort', onClientGone, { once: true });
      const events = subscription(store, stream, shard, from, controller.signal);
      async function* owned(): AsyncGenerator<unknown> {
        try {
          yield* events;
        } finally {
          subscriptions.delete(controller);
          ctx.signal.removeEventListener('abort', onClientGone);
        }
      }
      return { EventStream: owned() };
    },

    DeregisterStreamConsumer: (ctx: RequestContext, input: DeregisterStreamConsumerInput): Record<string, never> => {
      const { store, stream, consumer } = consumerOf(ctx, input);
      stream.consumers.delete(consumer.name);
      store.policies.delete(consumer.arn);
      return {};
    },

    AddTagsToStream: (ctx: RequestContext, input: AddTagsToStreamInput): Record<string, never> => {
      const { stream } = streamOf(ctx, input);
      addTags(stream, input.Tags ?? {});
      return {};
    },

    RemoveTagsFromStream: (ctx: RequestContext, input: RemoveTagsFromStreamInput): Record<string, never> => {
      const { stream } = streamOf(ctx, input);
      for (const k of input.TagKeys ?? []) stream.tags.delete(k);
      return {};
    },

    ListTagsForStream: (ctx: RequestContext, input: ListTagsForStreamInput): ListTagsForStreamOutput => {
      const { stream } = streamOf(ctx, input);
      const keys = [...stream.tags.keys()].sort();
      const after = input.ExclusiveStartTagKey;
      const rest = after === undefined ? keys : keys.filter((k) => k > after);
      const limit = input.Limit ?? 50;
      const page = rest.slice(0, limit);
      return { Tags: page.map((k) => ({ Key: k, Value: stream.tags.get(k) ?? '' })), HasMoreTags: rest.length > page.length };
    },

    TagResource: (ctx: RequestContext, input: TagResourceInput): Record<string, never> => {
      addTags(streamOfResource(ctx, input.ResourceARN), input.Tags ?? {});
      return {};
    },

    UntagResource: (ctx: RequestContext, input: UntagResourceInput): Record<string, never> => {
      const stream = streamOfResource(ctx, input.ResourceARN);
      for (const k of input.TagKeys ?? []) stream.tags.delete(k);
      return {};
    },

    ListTagsForResource: (ctx: RequestContext, input: ListTagsForResourceInput): ListTagsForResourceOutput => {
      const stream = streamOfResource(ctx, input.ResourceARN);
      return { Tags: [...stream.tags.entries()].sort().map(([Key, Value]) => ({ Key, Value })) };
    },

    PutResourcePolicy: (ctx: RequestContext, input: PutResourcePolicyInput): Record<string, never> => {
      if (input.Policy === undefined) throw E.missing('policy');
      const store = resourceStore(ctx, input.ResourceARN);
      try {
        JSON.parse(input.Policy);
      } catch {
        throw E.invalidArgument('Policy is not a valid JSON document.');
      }
      store.policies.set(input.ResourceARN as string, input.Policy);
      return {};
    },

    GetResourcePolicy: (ctx: RequestContext, input: GetResourcePolicyInput): GetResourcePolicyOutput => {
      const store = resourceStore(ctx, input.ResourceARN);
      return { Policy: store.policies.get(input.ResourceARN as string) ?? '{}' };
    },

    DeleteResourcePolicy: (ctx: RequestContext, input: DeleteResourcePolicyInput): Record<string, never> => {
      const store = resourceStore(ctx, input.ResourceARN);
      const arn = input.ResourceARN as string;
      if (!store.policies.delete(arn)) throw E.policyNotFound(arn);
      return {};
    },
  };

  function monitoring(
    ctx: RequestContext,
    input: { StreamName?: string; StreamARN?: string; ShardLevelMetrics?: string[] },
    change: (current: MetricsName[], asked: MetricsName[]) => MetricsName[],
  ): EnhancedMonitoringOutput {
    const { stream } = streamOf(ctx, input);
    const all: MetricsName[] = ['IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords', 'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds'];
    const given = input.ShardLevelMetrics ?? [];
    if (given.length === 0) throw E.validation('shardLevelMetrics', '[]', 'Member must have length greater than or equal to 1');
    for (const m of given) {
      if (m !== 'ALL' && !all.includes(m as MetricsName)) {
        throw E.validation('shardLevelMetrics', given.join(', '), `Member must satisfy enum value set: [${all.join(', ')}, ALL]`);
      }
    }
    const asked = given.includes('ALL') ? all : (given as MetricsName[]);
    const before = stream.shardLevelMetrics;
    stream.shardLevelMetrics = change(before, asked);
    return { StreamName: stream.name, StreamARN: stream.arn, CurrentShardLevelMetrics: before, DesiredShardLevelMetrics: stream.shardLevelMetrics };
  }

  function consumerOf(
    ctx: RequestContext,
    input: { StreamARN?: string; ConsumerName?: string; ConsumerARN?: string },
  ): { store: KinesisStore; stream: StreamRecord; consumer: { name: string; arn: string; createdAt: number } } {
    if (input.ConsumerARN !== undefined) {
      const m = /^(arn:[^:]+:kinesis:[^:]+:\d{12}:stream\/[^/]+)\/consumer\/([^:]+):\d+$/.exec(input.ConsumerARN);
      if (!m) throw E.validation('consumerARN', input.ConsumerARN, 'Member must satisfy regular expression pattern: ^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+');
      const { store, stream } = streamOf(ctx, { StreamARN: m[1] ?? '' });
      const consumer = stream.consumers.get(m[2] ?? '');
      if (!consumer || consumer.arn !== input.ConsumerARN) throw E.consumerNotFound(input.ConsumerARN);
      return { store, stream, consumer };
    }
    if (input.StreamARN === undefined || input.ConsumerName === undefined) {
      throw E.invalidArgument('Either ConsumerARN or both StreamARN and ConsumerName must be provided.');
    }
    const { store, stream } = streamOf(ctx, { StreamARN: input.StreamARN });
    const consumer = stream.consumers.get(input.ConsumerName);
    if (!consumer) throw E.consumerNotFound(`${input.ConsumerName} under stream ${stream.arn}`);
    return { store, stream, consumer };
  }

  function streamOfResource(ctx: RequestContext, arn: string | undefined): StreamRecord {
    if (arn === undefined) throw E.missing('resourceARN');
    return streamOf(ctx, { StreamARN: arn.replace(/\/consumer\/.*$/, '') }).stream;
  }

  function resourceStore(ctx: RequestContext, arn: string | undefined): KinesisStore {
    if (arn === undefined) throw E.missing('resourceARN');
    const { store, stream } = streamOf(ctx, { StreamARN: arn.replace(/\/consumer\/.*$/, '') });
    if (arn.includes('/consumer/') && ![...stream.consumers.values()].some((c) => c.arn === arn)) throw E.consumerNotFound(arn);
    return store;
  }

  function checkShardLimit(store: KinesisStore, more: number): void {
    const total = [...store.streams.values()].reduce((n, s) => n + openShards(s).length, 0);
    if (total + more > SHARD_LIMIT) {
      throw E.limitExceeded(`This request would exceed the shard limit for the account ${store.account} in ${store.region}. Current shard count for the account: ${total}. Limit: ${SHARD_LIMIT}.`);
    }
  }

  return {
    name: 'kinesis',
    internal,
    operations,
    reset: () => {
      for (const c of subscriptions) c.abort();
      subscriptions.clear();
      for (const store of stores.all()) {
        store.streams.clear();
        store.policies.clear();
      }
      stores.clear();
    },
    stop: () => {
      for (const c of subscriptions) c.abort();
      subscriptions.clear();
    },
  };
}

function childShards(stream: StreamRecord, shard: ShardRecord): Array<{ ShardId: string; ParentShards: string[]; HashKeyRange: { StartingHashKey: string; EndingHashKey: string } }> {
  return stream.shards
    .filter((s) => s.parent === shard.id || s.adjacentParent === shard.id)
    .map((s) => ({
      ShardId: s.id,
      ParentShards: [s.parent, s.adjacentParent].filter((p): p is string => p !== undefined),
      HashKeyRange: { StartingHashKey: s.start.toString(), EndingHashKey: s.end.toString() },
    }));
}

function summaryOf(stream: StreamRecord): {
  StreamName: string;
  StreamARN: string;
  StreamStatus: 'ACTIVE';
  StreamModeDetails: { StreamMode: 'PROVISIONED' | 'ON_DEMAND' };
  RetentionPeriodHours: number;
  StreamCreationTimestamp: Date;
  EnhancedMonitoring: Array<{ ShardLevelMetrics: MetricsName[] }>;
  EncryptionType: 'NONE' | 'KMS';
  KeyId?: string;
} {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: stream.mode },
    RetentionPeriodHours: stream.retentionHours,
    StreamCreationTimestamp: new Date(stream.createdAt),
    EnhancedMonitoring: [{ ShardLevelMetrics: [...stream.shardLevelMetrics] }],
    EncryptionType: stream.encryption,
    ...(stream.keyId !== undefined ? { KeyId: stream.keyId } : {}),
  };
}

function validateName(name: string): void {
  if (!STREAM_NAME.test(name)) {
    throw E.validation('streamName', name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  }
}

function retentionOf(hours: number | undefined): number {
  if (hours === undefined) throw E.missing('retentionPeriodHours');
  if (hours < 24) {
    throw E.invalidArgument(`Minimum allowed retention period is 24 hours. Requested retention period (${hours} hours) is too short.`);
  }
  if (hours > 8760) {
    throw E.invalidArgument(`Maximum allowed retention period is 8760 hours. Requested retention period (${hours} hours) is too long.`);
  }
  return hours;
}

function addTags(stream: StreamRecord, tags: Record<string, string>): void {
  const keys = new Set([...stream.tags.keys(), ...Object.keys(tags)]);
  if (keys.size > 50) {
    throw E.limitExceeded(`Failed to add tags to stream ${stream.name} under account ${stream.arn.split(':')[4] ?? ''} because a given stream cannot have more than 50 tags.`);
  }
  for (const [k, v] of Object.entries(tags)) stream.tags.set(k, v);
}


function encodeToken(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text) throw E.invalidArgument('Invalid NextToken.');
  return text;
}
