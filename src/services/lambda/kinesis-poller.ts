// Event source mappings from Kinesis streams: the control plane of stream mappings and one poller per shard (children
// after their parents), which reads the shard in order through KinesisInternal, invokes the function with Kinesis
// records exactly as AWS shapes them (up to ParallelizationFactor batches at once, split by partition key hash, and
// within tumbling windows when asked), checkpoints after success, and on failure retries the batch (blocking the
// shard, as AWS does), bisects it, honours partial batch responses, and sends discarded batches to the on-failure
// destination.
import { createHash, randomUUID } from 'node:crypto';
import type {
  CreateEventSourceMappingRequest,
  EventSourceMappingConfiguration,
  FilterCriteria,
  UpdateEventSourceMappingRequest,
} from '@aws-sdk/client-lambda';
import { formatArn, parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../core/context.js';
import type { ServiceHost } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import { deliver } from '../../core/targets.js';
import type { EventPattern } from '../eventbridge/pattern/index.js';
import type { KinesisInternal, ShardRecordView, StreamInfo } from '../kinesis/provider.js';
import { invalidParameter, resourceNotFound, conflict, validation } from './errors.js';
import type { MappingDeps } from './event-source-mappings.js';

/** How often an idle shard is polled (Lambda polls each shard once a second). */
const POLL_INTERVAL_MS = 1000;
/** Pause while the function is missing or the stream is unreachable. */
const ERROR_BACKOFF_MS = 5000;
/** Retries back off exponentially up to this. */
const MAX_RETRY_BACKOFF_MS = 60_000;
const MAX_BATCH_BYTES = 6 * 1024 * 1024;

type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
type MappingState = NonNullable<EventSourceMappingConfiguration['State']>;

/** Settings Lambda accepts only for other source types, or that Switchyard does not model for streams. */
const REFUSED_PARAMETERS = [
  'Topics',
  'Queues',
  'SourceAccessConfigurations',
  'SelfManagedEventSource',
  'SelfManagedKafkaEventSourceConfig',
  'AmazonManagedKafkaEventSourceConfig',
  'DocumentDBEventSourceConfig',
  'ScalingConfig',
] as const;
const UNMODELLED_PARAMETERS = ['Tags', 'KMSKeyArn', 'MetricsConfig', 'ProvisionedPollerConfig', 'LoggingConfig'] as const;

export interface StreamMappingHelpers {
  compileFilters(criteria: FilterCriteria | undefined): EventPattern[];
  checkResponseTypes(types: readonly string[] | undefined): boolean;
}

interface StreamMapping {
  readonly uuid: string;
  readonly account: string;
  readonly region: string;
  readonly stream: StreamInfo;
  readonly startingPosition: StartingPosition;
  readonly startingTimestamp: number | undefined;
  functionArn: string;
  batchSize: number;
  windowSeconds: number;
  /** Batches per shard in flight, each holding the partition keys of one hash lane. */
  parallelization: number;
  /** Tumbling window length in seconds (0: none). */
  tumbling: number;
  maxRetries: number;
  maxRecordAge: number;
  bisect: boolean;
  onFailure: string | undefined;
  reportFailures: boolean;
  filterCriteria: FilterCriteria | undefined;
  filters: readonly EventPattern[];
  enabled: boolean;
  lastModified: number;
  /** GetEventSourceMapping's LastProcessingResult. */
  lastResult: string;
  /** Next sequence counter to read, per shard; kept across disable and enable. */
  readonly checkpoints: Map<string, bigint>;
  /** The open tumbling window of each shard: its start (ms) and the state the function last returned. */
  readonly windows: Map<string, TumblingWindow>;
  /** Closed shards read to their end. */
  readonly finished: Set<string>;
  poller: StreamPoller | undefined;
}

/** A listing entry, merged with the SQS mappings by the caller. */
export interface MappingEntry {
  readonly uuid: string;
  readonly lastModified: number;
  readonly functionArn: string;
  readonly sourceArn: string;
  render(): EventSourceMappingConfiguration;
}

export function isStreamArn(arn: string): boolean {
  return parseArn(arn)?.service === 'kinesis';
}

export class KinesisMappings {
  private readonly stores = new RegionalStores<Map<string, StreamMapping>>(() => new Map());

  constructor(
    private readonly host: ServiceHost,
    private readonly deps: MappingDeps,
    private readonly helpers: StreamMappingHelpers,
  ) {}

  has(ctx: RequestContext, uuid: string | undefined): boolean {
    return uuid !== undefined && this.stores.get(ctx.account, ctx.region).has(uuid);
  }

  entries(ctx: RequestContext): MappingEntry[] {
    return [...this.stores.get(ctx.account, ctx.region).values()].map((m) => ({
      uuid: m.uuid,
      lastModified: m.lastModified,
      functionArn: m.functionArn,
      sourceArn: m.stream.arn,
      render: () => this.render(m),
    }));
  }

  async create(
    ctx: RequestContext,
    functionArn: string,
    input: CreateEventSourceMappingRequest,
  ): Promise<EventSourceMappingConfiguration> {
    const arn = input.EventSourceArn ?? '';
    const kinesis = await this.kinesis();
    const stream = kinesis?.streamByArn(arn);
    if (!stream) throw invalidParameter(`Stream not found: ${arn}`);
    checkRefused(input);
    const position = input.StartingPosition;
    if (position === undefined) throw invalidParameter('1 validation error detected: Value null at \'startingPosition\' failed to satisfy constraint: Member must not be null');
    if (position !== 'TRIM_HORIZON' && position !== 'LATEST' && position !== 'AT_TIMESTAMP') {
      throw validation(position, 'startingPosition', 'Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]');
    }
    let startingTimestamp: number | undefined;
    if (position === 'AT_TIMESTAMP') {
      startingTimestamp = input.StartingPositionTimestamp?.getTime();
      if (startingTimestamp === undefined) {
        throw invalidParameter('Need to specify a timestamp');
      }
    } else if (input.StartingPositionTimestamp !== undefined) {
      throw invalidParameter('StartingPositionTimestamp is only supported for AT_TIMESTAMP starting position.');
    }
    const store = this.stores.get(ctx.account, ctx.region);
    const existing = [...store.values()].find((m) => m.stream.arn === stream.arn && m.functionArn === functionArn);
    if (existing) {
      const name = functionArn.split(':').slice(6).join(':');
      throw conflict(
        `The event source arn (" ${stream.arn} ") and function (" ${name} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`,
      );
    }
    const settings = this.settings(input, undefined);
    const mapping: StreamMapping = {
      uuid: randomUUID(),
      account: ctx.account,
      region: ctx.region,
      stream,
      startingPosition: position,
      startingTimestamp,
      functionArn,
      ...settings,
      enabled: input.Enabled ?? true,
      lastModified: this.host.clock.now(),
      lastResult: 'No records processed',
      checkpoints: new Map(),
      windows: new Map(),
      finished: new Set(),
      poller: undefined,
    };
    // Where each existing shard starts is fixed now: LATEST means records put after the mapping was created.
    for (const shard of kinesis?.shardsOf(stream.arn) ?? []) {
      const at = kinesis?.shardPosition(stream.arn, shard.id, position, startingTimestamp);
      if (at !== undefined) mapping.checkpoints.set(shard.id, at);
    }
    store.set(mapping.uuid, mapping);
    this.restart(mapping);
    return this.render(mapping, 'Creating');
  }

  get(ctx: RequestContext, uuid: string | undefined): EventSourceMappingConfiguration {
    return this.render(this.find(ctx, uuid));
  }

  update(ctx: RequestContext, functionArn: string | undefined, input: UpdateEventSourceMappingRequest): EventSourceMappingConfiguration {
    const mapping = this.find(ctx, input.UUID);
    checkRefused(input);
    const settings = this.settings(input, mapping);
    if (settings.tumbling !== mapping.tumbling) mapping.windows.clear();
    const wasEnabled = mapping.enabled;
    if (functionArn !== undefined) mapping.functionArn = functionArn;
    Object.assign(mapping, settings);
    if (input.Enabled !== undefined) mapping.enabled = input.Enabled;
    mapping.lastModified = this.host.clock.now();
    this.restart(mapping);
    const state: MappingState = wasEnabled === mapping.enabled ? 'Updating' : mapping.enabled ? 'Enabling' : 'Disabling';
    return this.render(mapping, state);
  }

  delete(ctx: RequestContext, uuid: string | undefined): EventSourceMappingConfiguration {
    const mapping = this.find(ctx, uuid);
    mapping.poller?.stop();
    mapping.poller = undefined;
    this.stores.get(ctx.account, ctx.region).delete(mapping.uuid);
    return this.render(mapping, 'Deleting');
  }

  stop(): void {
    for (const store of this.stores.all()) {
      for (const m of store.values()) {
        m.poller?.stop();
        m.poller = undefined;
      }
    }
  }

  reset(): void {
    this.stop();
    this.stores.clear();
  }

  private async kinesis(): Promise<KinesisInternal | undefined> {
    return (await this.host.provider('kinesis'))?.internal as KinesisInternal | undefined;
  }

  private settings(
    input: CreateEventSourceMappingRequest | UpdateEventSourceMappingRequest,
    current: StreamMapping | undefined,
  ): Pick<
    StreamMapping,
    | 'batchSize'
    | 'windowSeconds'
    | 'parallelization'
    | 'tumbling'
    | 'maxRetries'
    | 'maxRecordAge'
    | 'bisect'
    | 'onFailure'
    | 'reportFailures'
    | 'filterCriteria'
    | 'filters'
  > {
    const batchSize = range(input.BatchSize, current?.batchSize ?? 100, 'batchSize', 1, 10000);
    const windowSeconds = range(input.MaximumBatchingWindowInSeconds, current?.windowSeconds ?? 0, 'maximumBatchingWindowInSeconds', 0, 300);
    const parallelization = range(input.ParallelizationFactor, current?.parallelization ?? 1, 'parallelizationFactor', 1, 10);
    const tumbling = range(input.TumblingWindowInSeconds, current?.tumbling ?? 0, 'tumblingWindowInSeconds', 0, 900);
    if (tumbling > 0 && parallelization > 1) {
      throw invalidParameter('Switchyard does not support TumblingWindowInSeconds together with a ParallelizationFactor above 1.');
    }
    const maxRetries = range(input.MaximumRetryAttempts, current?.maxRetries ?? -1, 'maximumRetryAttempts', -1, 10000);
    const maxRecordAge = range(input.MaximumRecordAgeInSeconds, current?.maxRecordAge ?? -1, 'maximumRecordAgeInSeconds', -1, 604800);
    if (maxRecordAge !== -1 && maxRecordAge < 60) {
      throw validation(maxRecordAge, 'maximumRecordAgeInSeconds', 'Member must have value greater than or equal to 60');
    }
    let onFailure = current?.onFailure;
    if (input.DestinationConfig !== undefined) {
      if (input.DestinationConfig.OnSuccess?.Destination !== undefined) {
        throw invalidParameter('Unsupported OnSuccess destination for given event source mapping type.');
      }
      onFailure = input.DestinationConfig.OnFailure?.Destination || undefined;
      if (onFailure !== undefined) {
        const service = parseArn(onFailure)?.service;
        if (service !== 'sqs' && service !== 'sns') {
          throw invalidParameter(`The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=${onFailure})) is invalid.`);
        }
      }
    }
    const reportFailures =
      input.FunctionResponseTypes !== undefined
        ? this.helpers.checkResponseTypes(input.FunctionResponseTypes)
        : (current?.reportFailures ?? false);
    const filters =
      input.FilterCriteria !== undefined ? this.helpers.compileFilters(input.FilterCriteria) : (current?.filters ?? []);
    const filterCriteria =
      input.FilterCriteria !== undefined ? (filters.length ? input.FilterCriteria : undefined) : current?.filterCriteria;
    return {
      batchSize,
      windowSeconds,
      parallelization,
      tumbling,
      maxRetries,
      maxRecordAge,
      bisect: input.BisectBatchOnFunctionError ?? current?.bisect ?? false,
      onFailure,
      reportFailures,
      filterCriteria,
      filters,
    };
  }

  private restart(mapping: StreamMapping): void {
    mapping.poller?.stop();
    mapping.poller = undefined;
    if (!mapping.enabled) return;
    const poller = new StreamPoller(this.host, this.deps, mapping);
    mapping.poller = poller;
    poller.start();
  }

  private find(ctx: RequestContext, uuid: string | undefined): StreamMapping {
    const mapping = uuid ? this.stores.get(ctx.account, ctx.region).get(uuid) : undefined;
    if (!mapping) throw resourceNotFound('The resource you requested does not exist.');
    return mapping;
  }

  private render(m: StreamMapping, state?: MappingState): EventSourceMappingConfiguration {
    return {
      UUID: m.uuid,
      StartingPosition: m.startingPosition,
      ...(m.startingTimestamp !== undefined ? { StartingPositionTimestamp: new Date(m.startingTimestamp) } : {}),
      BatchSize: m.batchSize,
      MaximumBatchingWindowInSeconds: m.windowSeconds,
      ParallelizationFactor: m.parallelization,
      EventSourceArn: m.stream.arn,
      ...(m.filterCriteria ? { FilterCriteria: m.filterCriteria } : {}),
      FunctionArn: m.functionArn,
      LastModified: new Date(m.lastModified),
      LastProcessingResult: m.lastResult,
      State: state ?? (m.enabled ? 'Enabled' : 'Disabled'),
      StateTransitionReason: 'User action',
      DestinationConfig: { OnFailure: m.onFailure !== undefined ? { Destination: m.onFailure } : {} },
      MaximumRecordAgeInSeconds: m.maxRecordAge,
      BisectBatchOnFunctionError: m.bisect,
      MaximumRetryAttempts: m.maxRetries,
      TumblingWindowInSeconds: m.tumbling,
      FunctionResponseTypes: m.reportFailures ? ['ReportBatchItemFailures'] : [],
      EventSourceMappingArn: formatArn('lambda', m.region, m.account, `event-source-mapping:${m.uuid}`),
    };
  }
}

function range(value: number | undefined, fallback: number, member: string, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw validation(v, member, `Member must have value greater than or equal to ${min}`);
  if (v > max) throw validation(v, member, `Member must have value less than or equal to ${max}`);
  return v;
}

function checkRefused(input: CreateEventSourceMappingRequest | UpdateEventSourceMappingRequest): void {
  const given = input as unknown as Record<string, unknown>;
  for (const p of REFUSED_PARAMETERS) {
    if (given[p] !== undefined) throw invalidParameter(`Unsupported ${p} parameter for given event source mapping type.`);
  }
  for (const p of UNMODELLED_PARAMETERS) {
    if (given[p] !== undefined) throw invalidParameter(`Switchyard does not support ${p} on event source mappings yet.`);
  }
}

/** One Kinesis record as Lambda delivers it. */
export interface KinesisEventRecord {
  readonly kinesis: {
    readonly kinesisSchemaVersion: '1.0';
    readonly partitionKey: string;
    readonly sequenceNumber: string;
    readonly data: string;
    readonly approximateArrivalTimestamp: number;
  };
  readonly eventSource: 'aws:kinesis';
  readonly eventVersion: '1.0';
  readonly eventID: string;
  readonly eventName: 'aws:kinesis:record';
  readonly invokeIdentityArn: string;
  readonly awsRegion: string;
  readonly eventSourceARN: string;
}

export function toKinesisRecord(r: ShardRecordView, shardId: string, stream: StreamInfo, role: string): KinesisEventRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: r.partitionKey,
      sequenceNumber: r.sequenceNumber,
      data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).toString('base64'),
      approximateArrivalTimestamp: r.arrival / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${r.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: role,
    awsRegion: stream.region,
    eventSourceARN: stream.arn,
  };
}

/**
 * What filter criteria see: Kinesis mappings filter on the `data` key only, decoded and parsed when it is JSON (left
 * as the base64 text otherwise), as Lambda documents.
 */
function filterView(record: KinesisEventRecord): Record<string, unknown> {
  const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
  try {
    return { data: JSON.parse(text) as unknown };
  } catch {
    return { data: record.kinesis.data };
  }
}

interface TumblingWindow {
  readonly start: number;
  state: unknown;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Outcome = { readonly payload: Buffer; readonly functionError?: string } | undefined;

/**
 * The sequence number processing resumes from, or undefined when the batch succeeded. An error fails the whole batch
 * (the first record); with ReportBatchItemFailures the lowest reported sequence number, and an answer that is not JSON
 * or names an unknown item fails the whole batch.
 */
export function resumeFrom(records: readonly KinesisEventRecord[], outcome: Outcome, reportFailures: boolean): string | undefined {
  const first = records[0]?.kinesis.sequenceNumber;
  if (!outcome || outcome.functionError) return first;
  if (!reportFailures) return undefined;
  const text = outcome.payload.toString('utf8').trim();
  if (text === '' || text === 'null') return undefined;
  let answer: unknown;
  try {
    answer = JSON.parse(text) as unknown;
  } catch {
    return first;
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return undefined;
  const list = (answer as Record<string, unknown>).batchItemFailures;
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) return first;
  const known = new Set(records.map((r) => r.kinesis.sequenceNumber));
  let lowest: string | undefined;
  for (const item of list as unknown[]) {
    if (item === null || typeof item !== 'object') return first;
    const id = (item as Record<string, unknown>).itemIdentifier;
    if (typeof id !== 'string' || !known.has(id)) return first;
    if (lowest === undefined || BigInt(id) < BigInt(lowest)) lowest = id;
  }
  return lowest;
}

/** Reads every shard of one mapping's stream, parents before children, until stopped. */
class StreamPoller {
  private readonly abort = new AbortController();
  private readonly running = new Set<string>();

  constructor(
    private readonly host: ServiceHost,
    private readonly deps: MappingDeps,
    private readonly mapping: StreamMapping,
  ) {}

  start(): void {
    this.loop().catch((err: unknown) => this.host.log.error(`lambda: event source mapping ${this.mapping.uuid}`, err));
  }

  stop(): void {
    this.abort.abort();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async pause(ms: number): Promise<void> {
    await this.host.clock.sleep(ms, this.abort.signal).catch(() => undefined);
  }

  /** Starts a shard reader for every shard whose parents are done, whenever the stream changes. */
  private async loop(): Promise<void> {
    const kinesis = (await this.host.provider('kinesis'))?.internal as KinesisInternal | undefined;
    if (!kinesis) return;
    const arn = this.mapping.stream.arn;
    while (!this.stopped) {
      const shards = kinesis.shardsOf(arn);
      if (!shards) {
        await this.pause(ERROR_BACKOFF_MS);
        continue;
      }
      const present = new Set(shards.map((s) => s.id));
      for (const shard of shards) {
        if (this.running.has(shard.id) || this.mapping.finished.has(shard.id)) continue;
        // Children wait for their parents (still in the stream) to be read to the end, so order per key holds.
        if (shard.parents.some((p) => present.has(p) && !this.mapping.finished.has(p))) continue;
        this.running.add(shard.id);
        this.readShard(kinesis, shard.id)
          .catch((err: unknown) => this.host.log.error(`lambda: mapping ${this.mapping.uuid} shard ${shard.id}`, err))
          .finally(() => this.running.delete(shard.id));
      }
      await kinesis.waitForRecords(arn, POLL_INTERVAL_MS, this.abort.signal);
    }
  }

  private async readShard(kinesis: KinesisInternal, shardId: string): Promise<void> {
    const m = this.mapping;
    const arn = m.stream.arn;
    while (!this.stopped) {
      let from = m.checkpoints.get(shardId);
      if (from === undefined) {
        // A shard born after the mapping (split, merge, resharding) is read from its start.
        from = kinesis.shardPosition(arn, shardId, 'TRIM_HORIZON');
        if (from === undefined) return;
        m.checkpoints.set(shardId, from);
      }
      const limit = m.batchSize * m.parallelization;
      let read = kinesis.readShard(arn, shardId, from, limit);
      if (!read) return;
      const open = m.windows.get(shardId);
      const span = m.tumbling * 1000;
      if (read.records.length === 0) {
        if (open && (read.ended || this.host.clock.now() >= open.start + span)) {
          await this.closeWindow(shardId, open);
          continue;
        }
        if (read.ended) {
          m.finished.add(shardId);
          return;
        }
        await kinesis.waitForRecords(arn, POLL_INTERVAL_MS, this.abort.signal);
        continue;
      }
      if (m.windowSeconds > 0 && read.records.length < m.batchSize && !read.ended) {
        // The batching window: gather until the batch is full or the window ends.
        const deadline = this.host.clock.now() + m.windowSeconds * 1000;
        while (!this.stopped && read.records.length < m.batchSize && !read.ended) {
          const left = deadline - this.host.clock.now();
          if (left <= 0) break;
          await kinesis.waitForRecords(arn, left, this.abort.signal);
          read = kinesis.readShard(arn, shardId, from, limit) ?? read;
        }
        if (this.stopped) return;
      }
      if (!this.deps.exists(m.functionArn)) {
        await this.pause(ERROR_BACKOFF_MS);
        continue;
      }
      let window: TumblingWindow | undefined;
      let records = read.records;
      if (m.tumbling > 0) {
        // A batch holds one window's records; a record of a later window first closes the open one.
        const first = records[0] as ShardRecordView;
        const start = Math.floor(first.arrival / span) * span;
        if (open && start > open.start) {
          await this.closeWindow(shardId, open);
          continue;
        }
        window = open ?? { start, state: {} };
        m.windows.set(shardId, window);
        const end = window.start + span;
        records = records.filter((r) => r.arrival < end);
      }
      const last = records[records.length - 1] as ShardRecordView;
      // Each lane (a partition key hash bucket) runs its batches in order; lanes run side by side.
      const lanes = new Map<number, ShardRecordView[]>();
      for (const r of records) {
        const lane = m.parallelization === 1 ? 0 : laneOf(r.partitionKey, m.parallelization);
        lanes.set(lane, [...(lanes.get(lane) ?? []), r]);
      }
      await Promise.all(
        [...lanes.values()].map(async (records) => {
          for (let i = 0; i < records.length && !this.stopped; ) {
            const batch = fit(records.slice(i, i + m.batchSize));
            await this.process(kinesis, shardId, batch, window);
            i += batch.length;
          }
        }),
      );
      if (this.stopped) return;
      m.checkpoints.set(shardId, last.seq + 1n);
    }
  }

  /** One batch to its end: success, or discard after its retries or age run out. */
  private async process(
    kinesis: KinesisInternal,
    shardId: string,
    batch: readonly ShardRecordView[],
    window?: TumblingWindow,
  ): Promise<void> {
    const m = this.mapping;
    const role = this.deps.roleOf?.(m.functionArn) ?? '';
    const all = batch.map((r) => toKinesisRecord(r, shardId, m.stream, role));
    // Records no filter matches are dropped and count as processed.
    const kept = m.filters.length ? all.filter((r) => m.filters.some((f) => f.matches(filterView(r)))) : all;
    const arrivals = new Map(batch.map((r) => [r.sequenceNumber, r.arrival]));
    /** Batches still to run, in order; bisection replaces one with its halves. */
    const pending: Array<{ records: KinesisEventRecord[]; attempts: number }> = kept.length
      ? [{ records: kept, attempts: 0 }]
      : [];
    while (pending.length > 0 && !this.stopped) {
      const work = pending[0] as { records: KinesisEventRecord[]; attempts: number };
      const head = work.records[0]?.kinesis.sequenceNumber ?? '';
      const oldest = arrivals.get(head) ?? this.host.clock.now();
      const expired =
        m.maxRecordAge === -1
          ? work.attempts > 0 && !this.stillInStream(kinesis, shardId, head)
          : this.host.clock.now() - oldest > m.maxRecordAge * 1000;
      if (expired) {
        await this.discard(shardId, work.records, arrivals, 'RecordAgeExceeded', work.attempts, undefined);
        pending.shift();
        continue;
      }
      let outcome: Outcome;
      try {
        outcome = await this.deps.invoke(m.functionArn, JSON.stringify(this.event(shardId, work.records, window, false)));
      } catch (err) {
        this.host.log.debug(`lambda: mapping ${m.uuid} could not invoke ${m.functionArn}: ${String(err)}`);
        outcome = undefined;
      }
      if (this.stopped) return;
      const resume = resumeFrom(work.records, outcome, m.reportFailures);
      m.lastResult = outcome && !outcome.functionError ? 'OK' : 'PROBLEM: Function call failed';
      if (window && outcome && !outcome.functionError) window.state = stateOf(outcome, window.state);
      if (resume === undefined) {
        pending.shift();
        continue;
      }
      const at = work.records.findIndex((r) => r.kinesis.sequenceNumber === resume);
      const rest = work.records.slice(Math.max(0, at));
      const attempts = work.attempts + 1;
      if (m.maxRetries !== -1 && attempts > m.maxRetries) {
        await this.discard(shardId, rest, arrivals, 'RetryAttemptsExhausted', attempts, outcome);
        pending.shift();
        continue;
      }
      if (m.bisect && outcome?.functionError && rest.length > 1) {
        const half = Math.ceil(rest.length / 2);
        pending.splice(0, 1, { records: rest.slice(0, half), attempts }, { records: rest.slice(half), attempts });
      } else {
        pending[0] = { records: rest, attempts };
      }
      await this.pause(Math.min(MAX_RETRY_BACKOFF_MS, 1000 * 2 ** Math.min(attempts - 1, 6)));
    }
  }

  /** The invocation event: the records, and with a tumbling window its bounds, state and shard. */
  private event(
    shardId: string,
    records: readonly KinesisEventRecord[],
    window: TumblingWindow | undefined,
    final: boolean,
  ): Record<string, unknown> {
    if (!window) return { Records: records };
    return {
      Records: records,
      window: { start: isoSeconds(window.start), end: isoSeconds(window.start + this.mapping.tumbling * 1000) },
      state: window.state,
      shardId,
      eventSourceARN: this.mapping.stream.arn,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: false,
    };
  }

  /** The final invocation of a window (no records, the last state), retried as the mapping says, then the window ends. */
  private async closeWindow(shardId: string, window: TumblingWindow): Promise<void> {
    const m = this.mapping;
    for (let attempts = 0; !this.stopped; ) {
      let outcome: Outcome;
      try {
        outcome = await this.deps.invoke(m.functionArn, JSON.stringify(this.event(shardId, [], window, true)));
      } catch {
        outcome = undefined;
      }
      if (this.stopped) return;
      if (outcome && !outcome.functionError) break;
      attempts++;
      if (m.maxRetries !== -1 && attempts > m.maxRetries) break;
      await this.pause(Math.min(MAX_RETRY_BACKOFF_MS, 1000 * 2 ** Math.min(attempts - 1, 6)));
    }
    if (m.windows.get(shardId) === window) m.windows.delete(shardId);
  }

  /** Whether retention has not yet dropped the record (without a record age limit, retries last until it does). */
  private stillInStream(kinesis: KinesisInternal, shardId: string, sequenceNumber: string): boolean {
    const seq = BigInt(sequenceNumber);
    const arn = this.mapping.stream.arn;
    const first = kinesis.readShard(arn, shardId, kinesis.shardPosition(arn, shardId, 'TRIM_HORIZON') ?? seq, 1);
    const oldest = first?.records[0];
    return oldest !== undefined && oldest.seq <= seq;
  }

  /** Sends the invocation record of a discarded batch to the on-failure destination. */
  private async discard(
    shardId: string,
    records: readonly KinesisEventRecord[],
    arrivals: ReadonlyMap<string, number>,
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded',
    attempts: number,
    outcome: Outcome,
  ): Promise<void> {
    const m = this.mapping;
    const first = records[0];
    const last = records[records.length - 1];
    if (!m.onFailure || !first || !last) return;
    const arrival = (r: KinesisEventRecord): string =>
      new Date(arrivals.get(r.kinesis.sequenceNumber) ?? 0).toISOString();
    const qualifier = m.functionArn.split(':')[7] ?? '$LATEST';
    const body = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: m.functionArn,
        condition,
        approximateInvokeCount: attempts,
      },
      responseContext: {
        statusCode: outcome ? 200 : 500,
        executedVersion: qualifier,
        ...(outcome?.functionError ? { functionError: outcome.functionError } : {}),
      },
      version: '1.0',
      timestamp: new Date(this.host.clock.now()).toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first.kinesis.sequenceNumber,
        endSequenceNumber: last.kinesis.sequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: records.length,
        streamArn: m.stream.arn,
      },
    };
    try {
      await deliver(this.host, m.onFailure, { body: JSON.stringify(body) }, {
        account: m.account,
        region: m.region,
        service: 'lambda',
        sourceArn: formatArn('lambda', m.region, m.account, `event-source-mapping:${m.uuid}`),
      });
    } catch (err) {
      this.host.log.debug(`lambda: mapping ${m.uuid} could not reach ${m.onFailure}: ${String(err)}`);
    }
  }
}

function laneOf(partitionKey: string, lanes: number): number {
  return Number(BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`) % BigInt(lanes));
}

/** The state a tumbling-window invocation returned (kept as it was when the answer holds none). */
function stateOf(outcome: NonNullable<Outcome>, previous: unknown): unknown {
  try {
    const answer = JSON.parse(outcome.payload.toString('utf8')) as unknown;
    if (answer !== null && typeof answer === 'object' && 'state' in answer) return answer.state;
  } catch {
    // Not JSON: no new state.
  }
  return previous;
}

/** The records that fit the 6 MB invocation payload (at least one). */
function fit(records: readonly ShardRecordView[]): ShardRecordView[] {
  let bytes = 0;
  const kept: ShardRecordView[] = [];
  for (const r of records) {
    bytes += Math.ceil((r.data.byteLength * 4) / 3) + r.partitionKey.length + 512;
    if (kept.length > 0 && bytes > MAX_BATCH_BYTES) break;
    kept.push(r);
  }
  return kept;
}
