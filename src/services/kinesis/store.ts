// One account's streams in one region: shards with their hash ranges and records, consumers, tags, policies.
// Records live in each shard's array in sequence order; reads binary-search it, retention trims its head.
import type { MetricsName } from '@aws-sdk/client-kinesis';
import { evenRanges, sequenceNumber, shardIdOf } from './shards.js';

export interface KinesisRecord {
  readonly seq: bigint;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly arrival: number;
  readonly encrypted: boolean;
}

export interface ShardRecord {
  readonly id: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly parent: string | undefined;
  readonly adjacentParent: string | undefined;
  readonly startingSeq: bigint;
  readonly openedAt: number;
  /** Set when a split, merge or shard-count update closed the shard. */
  endingSeq: bigint | undefined;
  closedAt: number | undefined;
  /** Records in sequence order; those before `head` were trimmed by retention. */
  records: KinesisRecord[];
  head: number;
}

export interface ConsumerRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
}

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

export interface StreamRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  mode: StreamMode;
  retentionHours: number;
  shards: ShardRecord[];
  nextShardIndex: number;
  /** The next sequence counter; grows across the stream's shards. */
  counter: bigint;
  encryption: 'NONE' | 'KMS';
  keyId: string | undefined;
  shardLevelMetrics: MetricsName[];
  readonly tags: Map<string, string>;
  readonly consumers: Map<string, ConsumerRecord>;
}

export class KinesisStore {
  readonly streams = new Map<string, StreamRecord>();
  /** Resource policies by stream or consumer ARN. */
  readonly policies = new Map<string, string>();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  createStream(name: string, arn: string, shardCount: number, mode: StreamMode, now: number): StreamRecord {
    const stream: StreamRecord = {
      name,
      arn,
      createdAt: now,
      mode,
      retentionHours: 24,
      shards: [],
      nextShardIndex: 0,
      counter: 0n,
      encryption: 'NONE',
      keyId: undefined,
      shardLevelMetrics: [],
      tags: new Map(),
      consumers: new Map(),
    };
    for (const range of evenRanges(shardCount)) openShard(stream, range.start, range.end, now);
    this.streams.set(name, stream);
    return stream;
  }
}

/** Opens a new shard over [start, end]. */
export function openShard(
  stream: StreamRecord,
  start: bigint,
  end: bigint,
  now: number,
  parent?: string,
  adjacentParent?: string,
): ShardRecord {
  const shard: ShardRecord = {
    id: shardIdOf(stream.nextShardIndex++),
    start,
    end,
    parent,
    adjacentParent,
    startingSeq: stream.counter,
    openedAt: now,
    endingSeq: undefined,
    closedAt: undefined,
    records: [],
    head: 0,
  };
  stream.shards.push(shard);
  return shard;
}

/** Closes a shard: its last sequence number is the last one the stream gave out. */
export function closeShard(stream: StreamRecord, shard: ShardRecord, now: number): void {
  shard.endingSeq = stream.counter === 0n ? 0n : stream.counter - 1n;
  shard.closedAt = now;
  // A new shard's first sequence number must be above every closed one's.
  stream.counter += 1n;
}

export function openShards(stream: StreamRecord): ShardRecord[] {
  return stream.shards.filter((s) => s.endingSeq === undefined);
}

/** Appends a record to the open shard owning the hash key. */
export function appendRecord(
  stream: StreamRecord,
  hashKey: bigint,
  partitionKey: string,
  data: Uint8Array,
  now: number,
): { shard: ShardRecord; record: KinesisRecord } {
  const shard = stream.shards.find((s) => s.endingSeq === undefined && hashKey >= s.start && hashKey <= s.end);
  if (!shard) throw new Error(`no open shard owns hash key ${hashKey}`);
  const seq = stream.counter++;
  const record: KinesisRecord = {
    seq,
    sequenceNumber: sequenceNumber(seq),
    partitionKey,
    data,
    arrival: now,
    encrypted: stream.encryption === 'KMS',
  };
  shard.records.push(record);
  return { shard, record };
}

/** Drops records older than the retention period, and closed shards whose records have all expired. */
export function trim(stream: StreamRecord, now: number): void {
  const horizon = now - stream.retentionHours * 3_600_000;
  for (const shard of stream.shards) {
    const records = shard.records;
    let head = shard.head;
    while (head < records.length && (records[head] as KinesisRecord).arrival < horizon) head++;
    if (head > 1024 && head * 2 > records.length) {
      shard.records = records.slice(head);
      head = 0;
    }
    shard.head = head;
  }
  stream.shards = stream.shards.filter((s) => s.closedAt === undefined || s.closedAt >= horizon);
}

/** Index of the first record at or after the sequence counter. */
export function firstAtOrAfter(shard: ShardRecord, seq: bigint): number {
  let lo = shard.head;
  let hi = shard.records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((shard.records[mid] as KinesisRecord).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
