// The hash key space and sequence numbers of a stream. A record's hash key is the MD5 of its partition key read as a
// 128-bit unsigned integer (or its ExplicitHashKey); each shard owns a contiguous range of that space.
import { createHash } from 'node:crypto';

export const MAX_HASH_KEY = (1n << 128n) - 1n;

/** AWS's sequence numbers are 56-digit decimals that grow within a shard; ours grow within a stream. */
const SEQUENCE_BASE = 49_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;

export function sequenceNumber(counter: bigint): string {
  return (SEQUENCE_BASE + counter).toString();
}

/** The counter of a sequence number, or undefined when the text is not one of ours. */
export function sequenceCounter(text: string): bigint | undefined {
  if (!/^\d{1,128}$/.test(text)) return undefined;
  const n = BigInt(text);
  return n >= SEQUENCE_BASE ? n - SEQUENCE_BASE : -1n;
}

export function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

/** Even ranges for n shards over [start, end], as CreateStream and UpdateShardCount lay them out. */
export function evenRanges(n: number, start = 0n, end = MAX_HASH_KEY): Array<{ start: bigint; end: bigint }> {
  const width = (end - start + 1n) / BigInt(n);
  const out: Array<{ start: bigint; end: bigint }> = [];
  for (let i = 0; i < n; i++) {
    const s = start + width * BigInt(i);
    out.push({ start: s, end: i === n - 1 ? end : s + width - 1n });
  }
  return out;
}
