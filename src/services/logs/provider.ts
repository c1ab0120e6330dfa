// CloudWatch Logs (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/): log groups and streams,
// retention, PutLogEvents with AWS's batch rules, GetLogEvents with its forward and backward tokens, FilterLogEvents
// with filter patterns, and tags. Lambda and EventBridge write here in process through LogsInternal.
import { randomUUID } from 'node:crypto';
import type {
  CreateLogGroupRequest,
  CreateLogStreamRequest,
  DeleteLogGroupRequest,
  DeleteLogStreamRequest,
  DeleteRetentionPolicyRequest,
  DescribeLogGroupsRequest,
  DescribeLogGroupsResponse,
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
  FilteredLogEvent,
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  GetLogEventsRequest,
  GetLogEventsResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTagsLogGroupRequest,
  ListTagsLogGroupResponse,
  LogGroup,
  LogStream,
  OutputLogEvent,
  PutLogEventsRequest,
  PutLogEventsResponse,
  PutRetentionPolicyRequest,
  RejectedLogEventsInfo,
  TagLogGroupRequest,
  TagResourceRequest,
  UntagLogGroupRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import { formatArn, parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../core/context.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import type { DeliveryResult, DeliverySource, TargetMessage } from '../../core/targets.js';
import { LogsErrors } from './errors.js';
import { compileFilterPattern } from './filter-pattern.js';
import type { LogsInternal } from './internal.js';
import {
  compareKeys,
  LogStore,
  lowerBound,
  type EventKey,
  type LogGroupRecord,
  type LogStreamRecord,
  type StoredEvent,
} from './store.js';

/** The retention periods PutRetentionPolicy accepts, in days. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_NAME = /^[^:*]*$/;
const MAX_BATCH_EVENTS = 10_000;
/** PutLogEvents and GetLogEvents: the sum of the messages in UTF-8 plus 26 bytes per event. */
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
/** One event's message (1 MB since 2025; larger messages are rejected by the batch limit anyway). */
const MAX_EVENT_BYTES = 1_048_576 - EVENT_OVERHEAD;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_TAGS = 50;
const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];

type Region = { readonly account: string; readonly region: string };

class LogsService {
  readonly stores = new RegionalStores((account, region) => new LogStore(account, region));

  constructor(private readonly host: ServiceHost) {}

  private now(): number {
    return this.host.clock.now();
  }

  // ---- groups ----

  createLogGroup(ctx: RequestContext, input: CreateLogGroupRequest): Record<string, never> {
    const name = checkGroupName(input.logGroupName);
    const cls = input.logGroupClass ?? 'STANDARD';
    if (!LOG_GROUP_CLASSES.includes(cls)) {
      throw LogsErrors.validation(cls, 'logGroupClass', `Member must satisfy enum value set: [${LOG_GROUP_CLASSES.join(', ')}]`);
    }
    if (input.deletionProtectionEnabled) {
      throw LogsErrors.invalidParameter('Switchyard does not support deletion protection of log groups yet.');
    }
    const tags = input.tags ?? {};
    if (Object.keys(tags).length > MAX_TAGS) throw LogsErrors.tooManyTags(name);
    const store = this.store(ctx);
    if (!store.addGroup(name, this.now(), tags, cls, input.kmsKeyId)) throw LogsErrors.groupExists();
    return {};
  }

  deleteLogGroup(ctx: RequestContext, input: DeleteLogGroupRequest): Record<string, never> {
    const name = checkGroupName(input.logGroupName);
    if (!this.store(ctx).groups.delete(name)) throw LogsErrors.groupNotFound();
    return {};
  }

  describeLogGroups(ctx: RequestContext, input: DescribeLogGroupsRequest): DescribeLogGroupsResponse {
    const limit = checkLimit(input.limit, 50);
    if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
      throw LogsErrors.invalidParameter(
        'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
      );
    }
    const store = this.store(ctx);
    const prefix = input.logGroupNamePrefix;
    const pattern = input.logGroupNamePattern?.toLowerCase();
    const identifiers = input.logGroupIdentifiers ? new Set(input.logGroupIdentifiers.map((i) => groupNameOf(i))) : undefined;
    const names = [...store.groups.keys()]
      .filter(
        (n) =>
          (prefix === undefined || n.startsWith(prefix)) &&
          (pattern === undefined || n.toLowerCase().includes(pattern)) &&
          (identifiers === undefined || identifiers.has(n)),
      )
      .sort();
    const { page, nextToken } = pageOf(names, input.nextToken, limit);
    const now = this.now();
    const groups: LogGroup[] = [];
    for (const n of page) {
      const g = store.group(n, now);
      if (g && (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass)) groups.push(this.renderGroup(store, g));
    }
    return { logGroups: groups, ...(nextToken ? { nextToken } : {}) };
  }

  putRetentionPolicy(ctx: RequestContext, input: PutRetentionPolicyRequest): Record<string, never> {
    const name = checkGroupName(input.logGroupName);
    const days = input.retentionInDays;
    if (days === undefined || days === null) throw LogsErrors.validation(days, 'retentionInDays', 'Member must not be null');
    if (!(RETENTION_DAYS as readonly number[]).includes(days)) {
      throw LogsErrors.validation(
        days,
        'retentionInDays',
        `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
      );
    }
    const group = this.groupOf(ctx, name);
    group.retentionInDays = days;
    return {};
  }

  deleteRetentionPolicy(ctx: RequestContext, input: DeleteRetentionPolicyRequest): Record<string, never> {
    this.groupOf(ctx, checkGroupName(input.logGroupName)).retentionInDays = undefined;
    return {};
  }

  // ---- streams ----

  createLogStream(ctx: RequestContext, input: CreateLogStreamRequest): Record<string, never> {
    const groupName = checkGroupName(input.logGroupName);
    const name = checkStreamName(input.logStreamName);
    const group = this.groupOf(ctx, groupName);
    if (!this.store(ctx).addStream(group, name, this.now())) throw LogsErrors.streamExists();
    return {};
  }

  deleteLogStream(ctx: RequestContext, input: DeleteLogStreamRequest): Record<string, never> {
    const group = this.groupOf(ctx, checkGroupName(input.logGroupName));
    if (!group.streams.delete(checkStreamName(input.logStreamName))) throw LogsErrors.streamNotFound();
    return {};
  }

  describeLogStreams(ctx: RequestContext, input: DescribeLogStreamsRequest): DescribeLogStreamsResponse {
    const limit = checkLimit(input.limit, 50);
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw LogsErrors.validation(orderBy, 'orderBy', 'Member must satisfy enum value set: [LogStreamName, LastEventTime]');
    }
    if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
      throw LogsErrors.invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const { store, group } = this.identified(ctx, input.logGroupName, input.logGroupIdentifier);
    const prefix = input.logStreamNamePrefix ?? '';
    const streams = [...group.streams.values()].filter((s) => s.name.startsWith(prefix));
    if (orderBy === 'LogStreamName') streams.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    else {
      const last = (s: LogStreamRecord): number => s.events[s.events.length - 1]?.timestamp ?? -1;
      streams.sort((a, b) => last(a) - last(b) || (a.name < b.name ? -1 : 1));
    }
    if (input.descending) streams.reverse();
    const { page, nextToken } = pageOf(streams, input.nextToken, limit);
    return {
      logStreams: page.map((s) => this.renderStream(store, group, s)),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  // ---- events ----

  putLogEvents(ctx: RequestContext, input: PutLogEventsRequest): PutLogEventsResponse {
    const groupName = checkGroupName(input.logGroupName);
    const streamName = checkStreamName(input.logStreamName);
    const events = input.logEvents;
    if (!events) throw LogsErrors.validation(events, 'logEvents', 'Member must not be null');
    if (events.length < 1) throw LogsErrors.validation('[]', 'logEvents', 'Member must have length greater than or equal to 1');
    if (events.length > MAX_BATCH_EVENTS) {
      throw LogsErrors.validation(
        `[${events.length} events]`,
        'logEvents',
        `Member must have length less than or equal to ${MAX_BATCH_EVENTS}`,
      );
    }
    let bytes = 0;
    for (const [i, e] of events.entries()) {
      if (e.timestamp === undefined || e.timestamp === null) {
        throw LogsErrors.validation(e.timestamp, `logEvents.${i + 1}.member.timestamp`, 'Member must not be null');
      }
      if (e.timestamp < 0) {
        throw LogsErrors.validation(e.timestamp, `logEvents.${i + 1}.member.timestamp`, 'Member must have value greater than or equal to 0');
      }
      if (typeof e.message !== 'string') {
        throw LogsErrors.validation(e.message, `logEvents.${i + 1}.member.message`, 'Member must not be null');
      }
      if (e.message.length < 1) {
        throw LogsErrors.validation(e.message, `logEvents.${i + 1}.member.message`, 'Member must have length greater than or equal to 1');
      }
      const size = Buffer.byteLength(e.message, 'utf8');
      if (size > MAX_EVENT_BYTES) {
        throw LogsErrors.invalidParameter(`Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`);
      }
      bytes += size + EVENT_OVERHEAD;
    }
    if (bytes > MAX_BATCH_BYTES) {
      throw LogsErrors.invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
    }
    for (let i = 1; i < events.length; i++) {
      if ((events[i]?.timestamp ?? 0) < (events[i - 1]?.timestamp ?? 0)) {
        throw LogsErrors.invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
      }
    }
    const first = events[0]?.timestamp ?? 0;
    const last = events[events.length - 1]?.timestamp ?? 0;
    if (last - first > DAY_MS) {
      throw LogsErrors.invalidParameter(
        'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      );
    }
    const store = this.store(ctx);
    const now = this.now();
    const group = store.group(groupName, now);
    if (!group) throw LogsErrors.groupNotFound();
    const stream = group.streams.get(streamName);
    if (!stream) throw LogsErrors.streamNotFound();
    const accepted = acceptable(events as ReadonlyArray<{ timestamp: number; message: string }>, now, store.cutoff(group, now));
    store.append(stream, accepted.events, now);
    return {
      nextSequenceToken: sequenceToken(stream.sequenceToken),
      ...(accepted.rejected ? { rejectedLogEventsInfo: accepted.rejected } : {}),
    };
  }

  getLogEvents(ctx: RequestContext, input: GetLogEventsRequest): GetLogEventsResponse {
    const limit = checkLimit(input.limit, 10_000, 10_000);
    const streamName = checkStreamName(input.logStreamName);
    const { group } = this.identified(ctx, input.logGroupName, input.logGroupIdentifier);
    const stream = group.streams.get(streamName);
    if (!stream) throw LogsErrors.streamNotFound();
    const events = stream.events;
    // The window [lo, hi) of events inside startTime (inclusive) and endTime (exclusive).
    const lo = input.startTime !== undefined ? lowerBound(events, { timestamp: input.startTime, seq: 0 }) : 0;
    const hi = input.endTime !== undefined ? lowerBound(events, { timestamp: input.endTime, seq: 0 }) : events.length;
    let from: number;
    let to: number;
    let token = input.nextToken ? parseStreamToken(input.nextToken) : undefined;
    if (token?.direction === 'f' || (!token && input.startFromHead)) {
      from = token ? Math.max(lo, lowerBound(events, token.key)) : lo;
      to = from;
      let bytes = 0;
      while (to < hi && to - from < limit) {
        bytes += Buffer.byteLength((events[to] as StoredEvent).message, 'utf8') + EVENT_OVERHEAD;
        if (bytes > MAX_BATCH_BYTES && to > from) break;
        to++;
      }
    } else {
      to = token ? Math.min(hi, lowerBound(events, token.key)) : hi;
      from = to;
      let bytes = 0;
      while (from > lo && to - from < limit) {
        bytes += Buffer.byteLength((events[from - 1] as StoredEvent).message, 'utf8') + EVENT_OVERHEAD;
        if (bytes > MAX_BATCH_BYTES && from < to) break;
        from--;
      }
    }
    const page = events.slice(from, Math.max(from, to));
    if (page.length === 0 && token) {
      // At either end AWS hands the same token back, which is how clients know they have read everything.
      const same = input.nextToken as string;
      const other = streamToken(token.direction === 'f' ? 'b' : 'f', token.key);
      return token.direction === 'f'
        ? { events: [], nextForwardToken: same, nextBackwardToken: other }
        : { events: [], nextForwardToken: other, nextBackwardToken: same };
    }
    token = undefined;
    const firstKey: EventKey = page[0] ?? events[from] ?? boundary(events, from);
    const lastEvent = page[page.length - 1];
    const afterKey: EventKey = lastEvent ? { timestamp: lastEvent.timestamp, seq: lastEvent.seq + 1 } : firstKey;
    return {
      events: page.map((e): OutputLogEvent => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: streamToken('f', afterKey),
      nextBackwardToken: streamToken('b', firstKey),
    };
  }

  filterLogEvents(ctx: RequestContext, input: FilterLogEventsRequest): FilterLogEventsResponse {
    const limit = checkLimit(input.limit, 10_000, 10_000);
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw LogsErrors.invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    }
    if (input.logStreamNames !== undefined && (input.logStreamNames.length < 1 || input.logStreamNames.length > 100)) {
      throw LogsErrors.validation(
        `[${input.logStreamNames.join(', ')}]`,
        'logStreamNames',
        input.logStreamNames.length < 1
          ? 'Member must have length greater than or equal to 1'
          : 'Member must have length less than or equal to 100',
      );
    }
    if (input.startFromHead === false) {
      throw LogsErrors.invalidParameter('Switchyard returns FilterLogEvents results from the head only (startFromHead true).');
    }
    const matches = compileFilterPattern(input.filterPattern);
    const { group } = this.identified(ctx, input.logGroupName, input.logGroupIdentifier);
    let streams = [...group.streams.values()];
    if (input.logStreamNames) {
      const wanted = new Set(input.logStreamNames);
      streams = streams.filter((s) => wanted.has(s.name));
    } else if (input.logStreamNamePrefix !== undefined) {
      const prefix = input.logStreamNamePrefix;
      streams = streams.filter((s) => s.name.startsWith(prefix));
    }
    const after = input.nextToken ? parseFilterToken(input.nextToken) : undefined;
    const start = Math.max(input.startTime ?? 0, 0);
    const end = input.endTime;
    const found: { stream: string; event: StoredEvent }[] = [];
    for (const s of streams) {
      let i = lowerBound(s.events, after ? { timestamp: after.timestamp, seq: after.seq + 1 } : { timestamp: start, seq: 0 });
      for (; i < s.events.length; i++) {
        const e = s.events[i] as StoredEvent;
        if (e.timestamp < start) continue;
        if (end !== undefined && e.timestamp > end) break;
        if (matches(e.message)) found.push({ stream: s.name, event: e });
      }
    }
    found.sort((a, b) => compareKeys(a.event, b.event));
    const page = found.slice(0, limit);
    const lastOfPage = page[page.length - 1];
    const events = page.map(
      ({ stream, event }): FilteredLogEvent => ({
        logStreamName: stream,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: eventId(event),
      }),
    );
    return {
      events,
      searchedLogStreams: [],
      ...(found.length > page.length && lastOfPage ? { nextToken: filterToken(lastOfPage.event) } : {}),
    };
  }

  // ---- tags ----

  tagResource(ctx: RequestContext, input: TagResourceRequest): Record<string, never> {
    const group = this.groupByArn(ctx, input.resourceArn);
    this.addTags(group, input.tags);
    return {};
  }

  untagResource(ctx: RequestContext, input: UntagResourceRequest): Record<string, never> {
    const group = this.groupByArn(ctx, input.resourceArn);
    for (const k of input.tagKeys ?? []) group.tags.delete(k);
    return {};
  }

  listTagsForResource(ctx: RequestContext, input: ListTagsForResourceRequest): ListTagsForResourceResponse {
    return { tags: Object.fromEntries(this.groupByArn(ctx, input.resourceArn).tags) };
  }

  tagLogGroup(ctx: RequestContext, input: TagLogGroupRequest): Record<string, never> {
    this.addTags(this.groupOf(ctx, checkGroupName(input.logGroupName)), input.tags);
    return {};
  }

  untagLogGroup(ctx: RequestContext, input: UntagLogGroupRequest): Record<string, never> {
    const group = this.groupOf(ctx, checkGroupName(input.logGroupName));
    for (const k of input.tags ?? []) group.tags.delete(k);
    return {};
  }

  listTagsLogGroup(ctx: RequestContext, input: ListTagsLogGroupRequest): ListTagsLogGroupResponse {
    return { tags: Object.fromEntries(this.groupOf(ctx, checkGroupName(input.logGroupName)).tags) };
  }

  // ---- in process ----

  readonly internal: LogsInternal = {
    append: (account, region, groupName, streamName, events) => {
      const store = this.stores.get(account, region);
      const now = this.now();
      if (!store.groups.has(groupName)) store.addGroup(groupName, now, {}, 'STANDARD');
      const group = store.group(groupName, now) as LogGroupRecord;
      const stream = group.streams.get(streamName) ?? store.addStream(group, streamName, now);
      if (!stream) return;
      const cutoff = store.cutoff(group, now);
      store.append(stream, cutoff === undefined ? events : events.filter((e) => e.timestamp >= cutoff), now);
    },
    deliver: async (arn: string, message: TargetMessage, source: DeliverySource): Promise<DeliveryResult> => {
      const parsed = parseArn(arn);
      const name = parsed ? groupNameOf(arn) : undefined;
      if (!parsed || !name || !parsed.resource.startsWith('log-group:')) {
        throw LogsErrors.invalidParameter(`Invalid log group ARN: ${arn}`);
      }
      const store = this.stores.get(parsed.account || source.account, parsed.region || source.region);
      if (!store.group(name, this.now())) throw LogsErrors.groupNotFound();
      // EventBridge writes each event to a stream named by the event's id, at the event's time.
      let streamName: string = randomUUID();
      let timestamp = this.now();
      try {
        const event = JSON.parse(message.body) as { id?: unknown; time?: unknown };
        if (typeof event.id === 'string' && event.id && STREAM_NAME.test(event.id)) streamName = event.id;
        const time = typeof event.time === 'string' ? Date.parse(event.time) : NaN;
        if (Number.isFinite(time)) timestamp = time;
      } catch {
        // not an event: written as it is
      }
      this.internal.append(store.account, store.region, name, streamName, [{ timestamp, message: message.body }]);
      return { id: streamName };
    },
  };

  reset(): void {
    this.stores.clear();
  }

  // ---- helpers ----

  private store(ctx: Region): LogStore {
    return this.stores.get(ctx.account, ctx.region);
  }

  private groupOf(ctx: Region, name: string): LogGroupRecord {
    const group = this.store(ctx).group(name, this.now());
    if (!group) throw LogsErrors.groupNotFound();
    return group;
  }

  /** logGroupName or logGroupIdentifier (a name or an ARN), exactly one of them. */
  private identified(
    ctx: Region,
    name: string | undefined,
    identifier: string | undefined,
  ): { store: LogStore; group: LogGroupRecord } {
    if (name !== undefined && identifier !== undefined) {
      throw LogsErrors.invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
    }
    if (name === undefined && identifier === undefined) {
      throw LogsErrors.invalidParameter('Either the logGroupName or the logGroupIdentifier must be specified.');
    }
    let where: Region = ctx;
    let groupName = name;
    if (identifier !== undefined) {
      const arn = identifier.startsWith('arn:') ? parseArn(identifier) : undefined;
      if (arn) where = { account: arn.account || ctx.account, region: arn.region || ctx.region };
      groupName = groupNameOf(identifier);
    }
    const store = this.store(where);
    const group = store.group(checkGroupName(groupName, identifier !== undefined ? 'logGroupIdentifier' : 'logGroupName'), this.now());
    if (!group) throw LogsErrors.groupNotFound();
    return { store, group };
  }

  private groupByArn(ctx: Region, resourceArn: string | undefined): LogGroupRecord {
    if (!resourceArn) throw LogsErrors.validation(resourceArn, 'resourceArn', 'Member must not be null');
    const arn = parseArn(resourceArn);
    if (!arn || arn.service !== 'logs' || !arn.resource.startsWith('log-group:')) {
      throw LogsErrors.invalidParameter(`Invalid resource ARN: ${resourceArn}`);
    }
    const name = groupNameOf(resourceArn) ?? '';
    const group = this.store({ account: arn.account || ctx.account, region: arn.region || ctx.region }).group(name, this.now());
    if (!group) throw LogsErrors.resourceNotFound();
    return group;
  }

  private addTags(group: LogGroupRecord, tags: Record<string, string> | undefined): void {
    if (!tags || Object.keys(tags).length === 0) {
      throw LogsErrors.validation(undefined, 'tags', 'Member must have length greater than or equal to 1');
    }
    const keys = new Set([...group.tags.keys(), ...Object.keys(tags)]);
    if (keys.size > MAX_TAGS) throw LogsErrors.tooManyTags(group.name);
    for (const [k, v] of Object.entries(tags)) group.tags.set(k, v);
  }

  private renderGroup(store: LogStore, g: LogGroupRecord): LogGroup {
    let bytes = 0;
    for (const s of g.streams.values()) bytes += s.storedBytes;
    const arn = formatArn('logs', store.region, store.account, `log-group:${g.name}`);
    return {
      logGroupName: g.name,
      creationTime: g.creationTime,
      ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
      metricFilterCount: 0,
      arn: `${arn}:*`,
      storedBytes: bytes,
      ...(g.kmsKeyId ? { kmsKeyId: g.kmsKeyId } : {}),
      logGroupClass: g.logGroupClass as LogGroup['logGroupClass'],
      logGroupArn: arn,
    };
  }

  private renderStream(store: LogStore, g: LogGroupRecord, s: LogStreamRecord): LogStream {
    const first = s.events[0];
    const last = s.events[s.events.length - 1];
    return {
      logStreamName: s.name,
      creationTime: s.creationTime,
      ...(first ? { firstEventTimestamp: first.timestamp } : {}),
      ...(last ? { lastEventTimestamp: last.timestamp } : {}),
      ...(s.lastIngestionTime !== undefined ? { lastIngestionTime: s.lastIngestionTime } : {}),
      uploadSequenceToken: sequenceToken(s.sequenceToken),
      arn: formatArn('logs', store.region, store.account, `log-group:${g.name}:log-stream:${s.name}`),
      storedBytes: 0,
    };
  }
}

// ---- validation ----

function checkGroupName(name: string | undefined, member = 'logGroupName'): string {
  if (name === undefined || name === null) throw LogsErrors.validation(name, member, 'Member must not be null');
  if (name.length < 1 || name.length > 512) {
    throw LogsErrors.validation(
      name,
      member,
      name.length < 1 ? 'Member must have length greater than or equal to 1' : 'Member must have length less than or equal to 512',
    );
  }
  if (!GROUP_NAME.test(name)) {
    throw LogsErrors.validation(name, member, 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
  }
  return name;
}

function checkStreamName(name: string | undefined): string {
  if (name === undefined || name === null) throw LogsErrors.validation(name, 'logStreamName', 'Member must not be null');
  if (name.length < 1 || name.length > 512) {
    throw LogsErrors.validation(
      name,
      'logStreamName',
      name.length < 1 ? 'Member must have length greater than or equal to 1' : 'Member must have length less than or equal to 512',
    );
  }
  if (!STREAM_NAME.test(name)) {
    throw LogsErrors.validation(name, 'logStreamName', 'Member must satisfy regular expression pattern: [^:*]*');
  }
  return name;
}

function checkLimit(limit: number | undefined, fallback: number, max = fallback): number {
  if (limit === undefined || limit === null) return fallback;
  if (!Number.isInteger(limit) || limit < 1) {
    throw LogsErrors.validation(limit, 'limit', 'Member must have value greater than or equal to 1');
  }
  if (limit > max) throw LogsErrors.validation(limit, 'limit', `Member must have value less than or equal to ${max}`);
  return limit;
}

/** The group name of a name or an ARN (`arn:aws:logs:R:A:log-group:NAME` or with a trailing `:*`). */
function groupNameOf(identifier: string): string {
  if (!identifier.startsWith('arn:')) return identifier;
  const resource = parseArn(identifier)?.resource ?? '';
  if (!resource.startsWith('log-group:')) return '';
  const rest = resource.slice('log-group:'.length);
  const cut = rest.indexOf(':');
  return cut < 0 ? rest : rest.slice(0, cut);
}

/** Splits a chronological batch into what is stored and what AWS rejects (too new, too old, expired). */
function acceptable(
  events: ReadonlyArray<{ timestamp: number; message: string }>,
  now: number,
  retentionCutoff: number | undefined,
): { events: ReadonlyArray<{ timestamp: number; message: string }>; rejected?: RejectedLogEventsInfo } {
  const tooOldBefore = now - 14 * DAY_MS;
  const tooNewAfter = now + 2 * HOUR_MS;
  let expiredEnd = 0;
  let tooOldEnd = 0;
  let tooNewStart = events.length;
  for (const [i, e] of events.entries()) {
    if (retentionCutoff !== undefined && e.timestamp < retentionCutoff) expiredEnd = i + 1;
    if (e.timestamp < tooOldBefore) tooOldEnd = i + 1;
    if (e.timestamp > tooNewAfter && tooNewStart === events.length) tooNewStart = i;
  }
  const start = Math.max(expiredEnd, tooOldEnd);
  if (start === 0 && tooNewStart === events.length) return { events };
  // The end indexes are exclusive and the start index inclusive, as the API reference defines them.
  const rejected: RejectedLogEventsInfo = {
    ...(tooNewStart < events.length ? { tooNewLogEventStartIndex: tooNewStart } : {}),
    ...(tooOldEnd > 0 ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
    ...(expiredEnd > 0 ? { expiredLogEventEndIndex: expiredEnd } : {}),
  };
  return { events: events.slice(start, Math.max(start, tooNewStart)), rejected };
}

// ---- tokens ----

function sequenceToken(n: bigint): string {
  return n.toString().padStart(56, '0');
}

/** GetLogEvents tokens look like AWS's: `f/` or `b/`, 56 digits (timestamp and arrival), `/s`. */
function streamToken(direction: 'f' | 'b', key: EventKey): string {
  return `${direction}/${String(key.timestamp).padStart(20, '0')}${String(key.seq).padStart(36, '0')}/s`;
}

function parseStreamToken(token: string): { direction: 'f' | 'b'; key: EventKey } {
  const m = /^([fb])\/(\d{20})(\d{36})\/s$/.exec(token);
  if (!m) throw LogsErrors.invalidToken();
  return { direction: m[1] as 'f' | 'b', key: { timestamp: Number(m[2]), seq: Number(m[3]) } };
}

/** Where an empty window sits: the key just after the event before it. */
function boundary(events: readonly StoredEvent[], index: number): EventKey {
  const before = events[index - 1];
  return before ? { timestamp: before.timestamp, seq: before.seq + 1 } : { timestamp: 0, seq: 0 };
}

function filterToken(e: StoredEvent): string {
  return Buffer.from(`${e.timestamp}:${e.seq}`).toString('base64');
}

function parseFilterToken(token: string): EventKey {
  const m = /^(\d+):(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!m) throw LogsErrors.invalidToken();
  return { timestamp: Number(m[1]), seq: Number(m[2]) };
}

function eventId(e: StoredEvent): string {
  return `${String(e.timestamp).padStart(20, '0')}${String(e.seq).padStart(36, '0')}`;
}

/** One page of a sorted list, with an opaque token (the next index, base64). */
function pageOf<T>(all: readonly T[], token: string | undefined, limit: number): { page: T[]; nextToken?: string } {
  let start = 0;
  if (token) {
    const n = Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw LogsErrors.invalidToken();
    start = n;
  }
  const page = all.slice(start, start + limit);
  const next = start + page.length;
  return next < all.length ? { page, nextToken: Buffer.from(String(next)).toString('base64') } : { page };
}

export function createLogsProvider(host: ServiceHost): ServiceProvider {
  const s = new LogsService(host);
  return {
    name: 'logs',
    internal: s.internal,
    reset: () => s.reset(),
    stop: () => undefined,
    operations: {
      CreateLogGroup: s.createLogGroup.bind(s),
      DeleteLogGroup: s.deleteLogGroup.bind(s),
      DescribeLogGroups: s.describeLogGroups.bind(s),
      PutRetentionPolicy: s.putRetentionPolicy.bind(s),
      DeleteRetentionPolicy: s.deleteRetentionPolicy.bind(s),
      CreateLogStream: s.createLogStream.bind(s),
      DeleteLogStream: s.deleteLogStream.bind(s),
      DescribeLogStreams: s.describeLogStreams.bind(s),
      PutLogEvents: s.putLogEvents.bind(s),
      GetLogEvents: s.getLogEvents.bind(s),
      FilterLogEvents: s.filterLogEvents.bind(s),
      TagResource: s.tagResource.bind(s),
      UntagResource: s.untagResource.bind(s),
      ListTagsForResource: s.listTagsForResource.bind(s),
      TagLogGroup: s.tagLogGroup.bind(s),
      UntagLogGroup: s.untagLogGroup.bind(s),
      ListTagsLogGroup: s.listTagsLogGroup.bind(s),
    },
  };
}
