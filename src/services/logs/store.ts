// CloudWatch Logs state for one account and region: log groups, their streams and events. Events of a stream are
// kept in (timestamp, sequence) order; retention is applied on the injected clock whenever a group is read or written.

export interface StoredEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  /** Order of arrival in this store: ties on timestamp keep arrival order, and tokens name a position by it. */
  readonly seq: number;
}

export interface LogStreamRecord {
  readonly name: string;
  readonly creationTime: number;
  readonly events: StoredEvent[];
  lastIngestionTime: number | undefined;
  storedBytes: number;
  /** Returned as nextSequenceToken/uploadSequenceToken; no longer required by PutLogEvents. */
  sequenceToken: bigint;
}

export interface LogGroupRecord {
  readonly name: string;
  readonly creationTime: number;
  retentionInDays: number | undefined;
  readonly tags: Map<string, string>;
  readonly streams: Map<string, LogStreamRecord>;
  readonly logGroupClass: string;
  readonly kmsKeyId: string | undefined;
}

const DAY_MS = 86_400_000;

/** The key an event sorts by. */
export interface EventKey {
  readonly timestamp: number;
  readonly seq: number;
}

export function compareKeys(a: EventKey, b: EventKey): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}

/** Index of the first event whose key is >= key. */
export function lowerBound(events: readonly StoredEvent[], key: EventKey): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(events[mid] as StoredEvent, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class LogStore {
  readonly groups = new Map<string, LogGroupRecord>();
  private seq = 0;

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  addGroup(name: string, now: number, tags: Record<string, string>, logGroupClass: string, kmsKeyId?: string): boolean {
    if (this.groups.has(name)) return false;
    this.groups.set(name, {
      name,
      creationTime: now,
      retentionInDays: undefined,
      tags: new Map(Object.entries(tags)),
      streams: new Map(),
      logGroupClass,
      kmsKeyId,
    });
    return true;
  }

  /** A group with its expired events dropped. */
  group(name: string, now: number): LogGroupRecord | undefined {
    const group = this.groups.get(name);
    if (group) this.expire(group, now);
    return group;
  }

  addStream(group: LogGroupRecord, name: string, now: number): LogStreamRecord | undefined {
    if (group.streams.has(name)) return undefined;
    const stream: LogStreamRecord = {
      name,
      creationTime: now,
      events: [],
      lastIngestionTime: undefined,
      storedBytes: 0,
      sequenceToken: 1n,
    };
    group.streams.set(name, stream);
    return stream;
  }

  /** Appends events (already validated) to a stream, keeping (timestamp, arrival) order. */
  append(stream: LogStreamRecord, events: ReadonlyArray<{ timestamp: number; message: string }>, now: number): void {
    for (const e of events) {
      const stored: StoredEvent = { timestamp: e.timestamp, message: e.message, ingestionTime: now, seq: ++this.seq };
      const last = stream.events[stream.events.length - 1];
      if (!last || compareKeys(last, stored) <= 0) stream.events.push(stored);
      else stream.events.splice(lowerBound(stream.events, stored), 0, stored);
      stream.storedBytes += Buffer.byteLength(e.message, 'utf8');
    }
    if (events.length) stream.lastIngestionTime = now;
    stream.sequenceToken += 1n;
  }

  /** The oldest timestamp a group keeps, by its retention; undefined when it keeps everything. */
  cutoff(group: LogGroupRecord, now: number): number | undefined {
    return group.retentionInDays === undefined ? undefined : now - group.retentionInDays * DAY_MS;
  }

  private expire(group: LogGroupRecord, now: number): void {
    const cutoff = this.cutoff(group, now);
    if (cutoff === undefined) return;
    for (const stream of group.streams.values()) {
      let n = 0;
      while (n < stream.events.length && (stream.events[n] as StoredEvent).timestamp < cutoff) n++;
      if (n === 0) continue;
      for (const e of stream.events.splice(0, n)) stream.storedBytes -= Buffer.byteLength(e.message, 'utf8');
    }
  }
}
