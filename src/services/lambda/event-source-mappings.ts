// Event source mappings: the control plane (Create/Get/List/Update/Delete with the states AWS reports), with Kinesis
// stream mappings handed to kinesis-poller.ts, and for SQS one poller per enabled mapping, which long-polls the queue through SqsInternal, invokes the function with SQS
// records exactly as AWS shapes them, deletes what succeeded and leaves failures to the queue's visibility timeout
// (and so to its redrive policy).
import { randomUUID } from 'node:crypto';
import type {
  CreateEventSourceMappingRequest,
  DeleteEventSourceMappingRequest,
  EventSourceMappingConfiguration,
  FilterCriteria,
  GetEventSourceMappingRequest,
  ListEventSourceMappingsRequest,
  ListEventSourceMappingsResponse,
  UpdateEventSourceMappingRequest,
} from '@aws-sdk/client-lambda';
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { formatArn, parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import { compilePattern, type EventPattern } from '../eventbridge/pattern/index.js';
import type { QueueInfo, SqsInternal } from '../sqs/internal.js';
import { conflict, invalidParameter, resourceNotFound, validation } from './errors.js';
import { isStreamArn, KinesisMappings, type MappingEntry } from './kinesis-poller.js';

/** How many batches a mapping runs at once without ScalingConfig (Lambda starts SQS pollers at five). */
export const DEFAULT_MAPPING_CONCURRENCY = 5;
/** The invocation payload limit a batch must fit in. */
const MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** Long-poll wait of each receive. */
const POLL_WAIT_SECONDS = 20;
/** Pause after an error reaching the queue (deleted, SQS stopped) before trying again. */
const ERROR_BACKOFF_MS = 5000;
/** Filters per mapping (Lambda's quota). */
const MAX_FILTERS = 5;
const MAX_PATTERN_LENGTH = 4096;

const STREAM_ONLY_PARAMETERS = [
  'StartingPosition',
  'StartingPositionTimestamp',
  'ParallelizationFactor',
  'BisectBatchOnFunctionError',
  'MaximumRetryAttempts',
  'MaximumRecordAgeInSeconds',
  'TumblingWindowInSeconds',
  'DestinationConfig',
  'Topics',
  'Queues',
  'SourceAccessConfigurations',
  'SelfManagedEventSource',
  'SelfManagedKafkaEventSourceConfig',
  'AmazonManagedKafkaEventSourceConfig',
  'DocumentDBEventSourceConfig',
] as const;

/** Settings Lambda accepts for SQS that Switchyard does not model: refused rather than silently ignored. */
const UNMODELLED_PARAMETERS = ['Tags', 'KMSKeyArn', 'MetricsConfig', 'ProvisionedPollerConfig', 'LoggingConfig'] as const;

/** What a mapping needs from the rest of Lambda. */
export interface MappingDeps {
  /** The function's ARN (qualified when the name is), or throws ResourceNotFoundException. */
  resolveFunction(ctx: RequestContext, functionName: string | undefined): string;
  /** Whether the function (and qualifier) exists now: a mapping whose function is gone leaves its queue alone. */
  exists(functionArn: string): boolean;
  /** The function's Timeout in seconds. */
  timeoutOf(functionArn: string): number;
  /** Runs the function synchronously with the batch. */
  invoke(functionArn: string, payload: string): Promise<{ readonly payload: Buffer; readonly functionError?: string }>;
  /** The function's execution role (a stream record's invokeIdentityArn). */
  roleOf?(functionArn: string): string | undefined;
}

interface Mapping {
  readonly uuid: string;
  readonly account: string;
  readonly region: string;
  readonly queue: QueueInfo;
  functionArn: string;
  batchSize: number;
  windowSeconds: number;
  reportFailures: boolean;
  filterCriteria: FilterCriteria | undefined;
  filters: readonly EventPattern[];
  maxConcurrency: number | undefined;
  enabled: boolean;
  lastModified: number;
  poller: SqsPoller | undefined;
}

type MappingState = NonNullable<EventSourceMappingConfiguration['State']>;

export class EventSourceMappings {
  private readonly stores = new RegionalStores<Map<string, Mapping>>(() => new Map());
  private readonly streams: KinesisMappings;

  constructor(
    private readonly host: ServiceHost,
    private readonly deps: MappingDeps,
  ) {
    this.streams = new KinesisMappings(host, deps, { compileFilters, checkResponseTypes });
  }

  async create(ctx: RequestContext, input: CreateEventSourceMappingRequest): Promise<EventSourceMappingConfiguration> {
    const functionArn = this.mappedFunction(ctx, input.FunctionName);
    if (input.EventSourceArn !== undefined && isStreamArn(input.EventSourceArn)) {
      return this.streams.create(ctx, functionArn, input);
    }
    const queue = await this.queueOf(input.EventSourceArn);
    checkUnsupported(input);
    const timeout = this.deps.timeoutOf(functionArn);
    if (queue.visibilityTimeout < timeout) {
      throw invalidParameter(
        `Queue visibility timeout: ${queue.visibilityTimeout} seconds is less than Function timeout: ${timeout} seconds`,
      );
    }
    const batchSize = checkBatchSize(input.BatchSize, queue);
    const windowSeconds = checkWindow(input.MaximumBatchingWindowInSeconds, batchSize, queue);
    const reportFailures = checkResponseTypes(input.FunctionResponseTypes);
    const filters = compileFilters(input.FilterCriteria);
    const maxConcurrency = checkScaling(input.ScalingConfig?.MaximumConcurrency);
    const store = this.stores.get(ctx.account, ctx.region);
    const existing = [...store.values()].find((m) => m.queue.arn === queue.arn && m.functionArn === functionArn);
    if (existing) throw duplicate(queue.arn, functionArn, existing.uuid);
    const mapping: Mapping = {
      uuid: randomUUID(),
      account: ctx.account,
      region: ctx.region,
      queue,
      functionArn,
      batchSize,
      windowSeconds,
      reportFailures,
      filterCriteria: filters.length ? input.FilterCriteria : undefined,
      filters,
      maxConcurrency,
      enabled: input.Enabled ?? true,
      lastModified: this.host.clock.now(),
      poller: undefined,
    };
    store.set(mapping.uuid, mapping);
    this.restart(mapping);
    return this.render(mapping, 'Creating');
  }

  get(ctx: RequestContext, input: GetEventSourceMappingRequest): EventSourceMappingConfiguration {
    if (this.streams.has(ctx, input.UUID)) return this.streams.get(ctx, input.UUID);
    return this.render(this.find(ctx, input.UUID));
  }

  list(ctx: RequestContext, input: ListEventSourceMappingsRequest): ListEventSourceMappingsResponse {
    const max = input.MaxItems ?? 100;
    if (!Number.isInteger(max) || max < 1) {
      throw validation(max, 'maxItems', 'Member must have value greater than or equal to 1');
    }
    if (max > 10000) throw validation(max, 'maxItems', 'Member must have value less than or equal to 10000');
    const functionArn = input.FunctionName ? this.functionFilter(ctx, input.FunctionName) : undefined;
    const entries: MappingEntry[] = [...this.stores.get(ctx.account, ctx.region).values()].map((m) => ({
      uuid: m.uuid,
      lastModified: m.lastModified,
      functionArn: m.functionArn,
      sourceArn: m.queue.arn,
      render: () => this.render(m),
    }));
    const all = [...entries, ...this.streams.entries(ctx)]
      .filter((m) => functionArn === undefined || m.functionArn === functionArn)
      .filter((m) => input.EventSourceArn === undefined || m.sourceArn === input.EventSourceArn)
      .sort((a, b) => a.lastModified - b.lastModified || (a.uuid < b.uuid ? -1 : 1));
    let start = 0;
    if (input.Marker) {
      const n = Number(Buffer.from(input.Marker, 'base64').toString('utf8'));
      if (!Number.isInteger(n) || n < 0) throw invalidParameter('Invalid Marker.');
      start = n;
    }
    const page = all.slice(start, start + max).map((m) => m.render());
    const next = start + page.length;
    return {
      EventSourceMappings: page,
      ...(next < all.length ? { NextMarker: Buffer.from(String(next)).toString('base64') } : {}),
    };
  }

  update(ctx: RequestContext, input: UpdateEventSourceMappingRequest): EventSourceMappingConfiguration {
    if (this.streams.has(ctx, input.UUID)) {
      const fn = input.FunctionName !== undefined ? this.mappedFunction(ctx, input.FunctionName) : undefined;
      return this.streams.update(ctx, fn, input);
    }
    const mapping = this.find(ctx, input.UUID);
    checkUnsupported(input);
    const functionArn =
      input.FunctionName !== undefined ? this.mappedFunction(ctx, input.FunctionName) : mapping.functionArn;
    if (functionArn !== mapping.functionArn) {
      const other = [...this.stores.get(ctx.account, ctx.region).values()].find(
        (m) => m !== mapping && m.queue.arn === mapping.queue.arn && m.functionArn === functionArn,
      );
      if (other) throw duplicate(mapping.queue.arn, functionArn, other.uuid);
    }
    const batchSize = input.BatchSize !== undefined ? checkBatchSize(input.BatchSize, mapping.queue) : mapping.batchSize;
    const windowSeconds = checkWindow(
      input.MaximumBatchingWindowInSeconds ?? mapping.windowSeconds,
      batchSize,
      mapping.queue,
    );
    const reportFailures =
      input.FunctionResponseTypes !== undefined ? checkResponseTypes(input.FunctionResponseTypes) : mapping.reportFailures;
    const filters = input.FilterCriteria !== undefined ? compileFilters(input.FilterCriteria) : mapping.filters;
    const maxConcurrency =
      input.ScalingConfig !== undefined ? checkScaling(input.ScalingConfig.MaximumConcurrency) : mapping.maxConcurrency;
    const wasEnabled = mapping.enabled;
    mapping.functionArn = functionArn;
    mapping.batchSize = batchSize;
    mapping.windowSeconds = windowSeconds;
    mapping.reportFailures = reportFailures;
    if (input.FilterCriteria !== undefined) {
      mapping.filters = filters;
      mapping.filterCriteria = filters.length ? input.FilterCriteria : undefined;
    }
    mapping.maxConcurrency = maxConcurrency;
    if (input.Enabled !== undefined) mapping.enabled = input.Enabled;
    mapping.lastModified = this.host.clock.now();
    this.restart(mapping);
    const state: MappingState =
      wasEnabled === mapping.enabled ? 'Updating' : mapping.enabled ? 'Enabling' : 'Disabling';
    return this.render(mapping, state);
  }

  delete(ctx: RequestContext, input: DeleteEventSourceMappingRequest): EventSourceMappingConfiguration {
    if (this.streams.has(ctx, input.UUID)) return this.streams.delete(ctx, input.UUID);
    const mapping = this.find(ctx, input.UUID);
    mapping.poller?.stop();
    mapping.poller = undefined;
    this.stores.get(ctx.account, ctx.region).delete(mapping.uuid);
    return this.render(mapping, 'Deleting');
  }

  /** Stops every poller (messages in flight return to their queues after the visibility timeout). */
  stop(): void {
    this.streams.stop();
    for (const store of this.stores.all()) {
      for (const m of store.values()) {
        m.poller?.stop();
        m.poller = undefined;
      }
    }
  }

  reset(): void {
    this.stop();
    this.streams.reset();
    this.stores.clear();
  }

  private restart(mapping: Mapping): void {
    mapping.poller?.stop();
    mapping.poller = undefined;
    if (!mapping.enabled) return;
    const poller = new SqsPoller(this.host, this.deps, mapping);
    mapping.poller = poller;
    poller.start();
  }

  private find(ctx: RequestContext, uuid: string | undefined): Mapping {
    const mapping = uuid ? this.stores.get(ctx.account, ctx.region).get(uuid) : undefined;
    if (!mapping) throw resourceNotFound('The resource you requested does not exist.');
    return mapping;
  }

  /** The function a mapping invokes; Lambda answers a missing one with InvalidParameterValueException here. */
  private mappedFunction(ctx: RequestContext, name: string | undefined): string {
    try {
      return this.deps.resolveFunction(ctx, name);
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'ResourceNotFoundException') {
        throw invalidParameter('Function does not exist');
      }
      throw err;
    }
  }

  /** ListEventSourceMappings' FunctionName filter; a function that does not exist simply matches nothing. */
  private functionFilter(ctx: RequestContext, name: string): string {
    try {
      return this.deps.resolveFunction(ctx, name);
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'ResourceNotFoundException') return `missing:${name}`;
      throw err;
    }
  }

  private async queueOf(arn: string | undefined): Promise<QueueInfo> {
    if (!arn) throw invalidParameter('Unrecognized event source, must be kinesis, dynamodb stream or sqs.');
    const parsed = parseArn(arn);
    if (!parsed) throw invalidParameter(`Invalid EventSourceArn: ${arn}`);
    if (parsed.service !== 'sqs') {
      throw invalidParameter(
        `Switchyard supports SQS and Kinesis event sources only; ${parsed.service} event sources are not available.`,
      );
    }
    const sqs = (await this.host.provider('sqs'))?.internal as SqsInternal | undefined;
    const queue = sqs?.queueByArn(arn);
    if (!queue) {
      throw invalidParameter(
        'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist for this wsdl version.',
      );
    }
    return queue;
  }

  private render(m: Mapping, state?: MappingState): EventSourceMappingConfiguration {
    return {
      UUID: m.uuid,
      BatchSize: m.batchSize,
      MaximumBatchingWindowInSeconds: m.windowSeconds,
      EventSourceArn: m.queue.arn,
      ...(m.filterCriteria ? { FilterCriteria: m.filterCriteria } : {}),
      FunctionArn: m.functionArn,
      LastModified: new Date(m.lastModified),
      State: state ?? (m.enabled ? 'Enabled' : 'Disabled'),
      StateTransitionReason: 'USER_INITIATED',
      FunctionResponseTypes: m.reportFailures ? ['ReportBatchItemFailures'] : [],
      ...(m.maxConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: m.maxConcurrency } } : {}),
      EventSourceMappingArn: formatArn('lambda', m.region, m.account, `event-source-mapping:${m.uuid}`),
    };
  }
}

function duplicate(queueArn: string, functionArn: string, uuid: string): Error {
  const name = functionArn.split(':').slice(6).join(':');
  return conflict(
    `An event source mapping with SQS arn (" ${queueArn} ") and function (" ${name} ") already exists. Please update or delete the existing mapping with UUID ${uuid}`,
  );
}

function checkUnsupported(input: CreateEventSourceMappingRequest | UpdateEventSourceMappingRequest): void {
  const given = input as unknown as Record<string, unknown>;
  for (const p of STREAM_ONLY_PARAMETERS) {
    if (given[p] !== undefined) throw invalidParameter(`Unsupported ${p} parameter for given event source mapping type.`);
  }
  for (const p of UNMODELLED_PARAMETERS) {
    if (given[p] !== undefined) {
      throw invalidParameter(`Switchyard does not support ${p} on event source mappings yet.`);
    }
  }
}

function checkBatchSize(value: number | undefined, queue: QueueInfo): number {
  const size = value ?? 10;
  if (!Number.isInteger(size) || size < 1) {
    throw validation(size, 'batchSize', 'Member must have value greater than or equal to 1');
  }
  if (size > 10000) throw validation(size, 'batchSize', 'Member must have value less than or equal to 10000');
  if (queue.fifo && size > 10) throw invalidParameter('Batch size for FIFO queues must be between 1 and 10.');
  return size;
}

function checkWindow(value: number | undefined, batchSize: number, queue: QueueInfo): number {
  const window = value ?? 0;
  if (!Number.isInteger(window) || window < 0) {
    throw validation(window, 'maximumBatchingWindowInSeconds', 'Member must have value greater than or equal to 0');
  }
  if (window > 300) {
    throw validation(window, 'maximumBatchingWindowInSeconds', 'Member must have value less than or equal to 300');
  }
  if (queue.fifo && window > 0) {
    throw invalidParameter('Batching window is not supported for FIFO queues.');
  }
  if (batchSize > 10 && window === 0) {
    throw invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
  }
  return window;
}

function checkResponseTypes(types: readonly string[] | undefined): boolean {
  for (const t of types ?? []) {
    if (t !== 'ReportBatchItemFailures') {
      throw validation(t, 'functionResponseTypes', 'Member must satisfy enum value set: [ReportBatchItemFailures]');
    }
  }
  return (types ?? []).length > 0;
}

function checkScaling(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 2) {
    throw validation(value, 'scalingConfig.maximumConcurrency', 'Member must have value greater than or equal to 2');
  }
  if (value > 1000) {
    throw validation(value, 'scalingConfig.maximumConcurrency', 'Member must have value less than or equal to 1000');
  }
  return value;
}

function compileFilters(criteria: FilterCriteria | undefined): EventPattern[] {
  const filters = criteria?.Filters ?? [];
  if (filters.length > MAX_FILTERS) {
    throw invalidParameter(`The number of filters exceeds the limit of ${MAX_FILTERS} per event source mapping.`);
  }
  return filters.map((f) => {
    const text = f.Pattern ?? '';
    if (text.length > MAX_PATTERN_LENGTH) {
      throw validation(text, 'filterCriteria.filters.member.pattern', 'Member must have length less than or equal to 4096');
    }
    try {
      return compilePattern(text);
    } catch {
      throw invalidParameter('Invalid filter pattern definition.');
    }
  });
}

/** One SQS record as Lambda delivers it. */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly messageAttributes: Record<string, SqsRecordAttribute>;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

interface SqsRecordAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export function toRecord(m: Message, queue: QueueInfo): SqsRecord {
  const messageAttributes: Record<string, SqsRecordAttribute> = {};
  for (const [name, a] of Object.entries(m.MessageAttributes ?? {})) messageAttributes[name] = recordAttribute(a);
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: { ...(m.Attributes ?? {}) },
    messageAttributes,
    md5OfBody: m.MD5OfBody ?? '',
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: queue.region,
  };
}

function recordAttribute(a: MessageAttributeValue): SqsRecordAttribute {
  const base64 = (v: Uint8Array | string): string =>
    typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  return {
    ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
    ...(a.BinaryValue !== undefined ? { binaryValue: base64(a.BinaryValue) } : {}),
    stringListValues: [...(a.StringListValues ?? [])],
    binaryListValues: (a.BinaryListValues ?? []).map(base64),
    dataType: a.DataType ?? 'String',
  };
}

/**
 * What filter criteria see: the record with its body parsed when the body is JSON (a pattern on `body` fields then
 * matches inside it), as Lambda's event filtering does.
 */
function filterView(record: SqsRecord): Record<string, unknown> {
  let body: unknown = record.body;
  try {
    body = JSON.parse(record.body) as unknown;
  } catch {
    body = record.body;
  }
  return { ...record, body };
}

/**
 * The messages that failed, by the function's answer. Lambda's rules: an error fails the whole batch; with
 * ReportBatchItemFailures an empty or null answer or list means success, and an answer that is not JSON or an item
 * without a valid known itemIdentifier fails the whole batch.
 */
export function failedMessages(
  records: readonly SqsRecord[],
  outcome: { readonly payload: Buffer; readonly functionError?: string } | undefined,
  reportFailures: boolean,
): Set<string> {
  const all = new Set(records.map((r) => r.messageId));
  if (!outcome || outcome.functionError) return all;
  if (!reportFailures) return new Set();
  const text = outcome.payload.toString('utf8').trim();
  if (text === '' || text === 'null') return new Set();
  let answer: unknown;
  try {
    answer = JSON.parse(text) as unknown;
  } catch {
    return all;
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return new Set();
  const list = (answer as Record<string, unknown>).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return all;
  const failed = new Set<string>();
  for (const item of list as unknown[]) {
    if (item === null || typeof item !== 'object') return all;
    const id = (item as Record<string, unknown>).itemIdentifier;
    if (typeof id !== 'string' || id === '' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

/** Reads one mapping's queue and invokes its function, up to its concurrency, until stopped. */
class SqsPoller {
  private readonly abort = new AbortController();
  private inflight = 0;
  private slotFreed: (() => void) | undefined;

  constructor(
    private readonly host: ServiceHost,
    private readonly deps: MappingDeps,
    private readonly mapping: Mapping,
  ) {}

  start(): void {
    this.loop().catch((err: unknown) => this.host.log.error(`lambda: event source mapping ${this.mapping.uuid}`, err));
  }

  stop(): void {
    this.abort.abort();
    this.slotFreed?.();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    const sqs = (await this.host.provider('sqs'))?.internal as SqsInternal | undefined;
    if (!sqs) return;
    const limit = this.mapping.maxConcurrency ?? DEFAULT_MAPPING_CONCURRENCY;
    while (!this.stopped) {
      while (this.inflight >= limit && !this.stopped) {
        await new Promise<void>((resolve) => {
          this.slotFreed = resolve;
        });
      }
      if (this.stopped) return;
      if (!this.deps.exists(this.mapping.functionArn)) {
        await this.host.clock.sleep(ERROR_BACKOFF_MS, this.abort.signal).catch(() => undefined);
        continue;
      }
      let batch: Message[];
      try {
        batch = await this.collect(sqs);
      } catch (err) {
        if (this.stopped) return;
        this.host.log.debug(`lambda: mapping ${this.mapping.uuid} cannot read ${this.mapping.queue.arn}: ${String(err)}`);
        await this.host.clock.sleep(ERROR_BACKOFF_MS, this.abort.signal).catch(() => undefined);
        continue;
      }
      if (this.stopped) return;
      if (batch.length > 0 && !this.deps.exists(this.mapping.functionArn)) {
        // The function went away during the long poll: the messages go back to the queue untouched.
        for (const m of batch) this.release(sqs, m);
        continue;
      }
      if (batch.length === 0) {
        // An empty long poll came back at once only when SQS is stopping; yield so the loop never starves I/O.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      this.inflight++;
      this.process(sqs, batch)
        .catch((err: unknown) => this.host.log.error(`lambda: mapping ${this.mapping.uuid} batch failed`, err))
        .finally(() => {
          this.inflight--;
          const wake = this.slotFreed;
          this.slotFreed = undefined;
          wake?.();
        });
    }
  }

  /** One batch: up to BatchSize messages, gathered for up to the batching window, within the payload limit. */
  private async collect(sqs: SqsInternal): Promise<Message[]> {
    const { queue, batchSize, windowSeconds } = this.mapping;
    const signal = this.abort.signal;
    const batch = await sqs.receiveMessages(queue.arn, {
      maxMessages: Math.min(10, batchSize),
      waitSeconds: POLL_WAIT_SECONDS,
      signal,
    });
    if (batch.length === 0 || windowSeconds === 0) return this.fit(sqs, batch);
    const deadline = this.host.clock.now() + windowSeconds * 1000;
    while (batch.length < batchSize && !this.stopped && bytesOf(batch) < MAX_BATCH_BYTES) {
      const left = deadline - this.host.clock.now();
      if (left <= 0) break;
      const window = new AbortController();
      const onStop = (): void => window.abort();
      signal.addEventListener('abort', onStop, { once: true });
      const timer = this.host.clock.setTimer(left, () => window.abort());
      try {
        const more = await sqs.receiveMessages(queue.arn, {
          maxMessages: Math.min(10, batchSize - batch.length),
          waitSeconds: Math.min(POLL_WAIT_SECONDS, Math.ceil(left / 1000)),
          signal: window.signal,
        });
        batch.push(...more);
      } finally {
        timer.cancel();
        signal.removeEventListener('abort', onStop);
      }
    }
    return this.fit(sqs, batch);
  }

  /** Messages beyond the 6 MB payload go straight back to the queue for a later batch. */
  private fit(sqs: SqsInternal, batch: Message[]): Message[] {
    let bytes = 0;
    const kept: Message[] = [];
    for (const m of batch) {
      bytes += Buffer.byteLength(m.Body ?? '', 'utf8') + 1024;
      if (kept.length > 0 && bytes > MAX_BATCH_BYTES) {
        this.release(sqs, m);
        continue;
      }
      kept.push(m);
    }
    return kept;
  }

  private release(sqs: SqsInternal, m: Message): void {
    try {
      sqs.changeMessageVisibility(this.mapping.queue.arn, m.ReceiptHandle ?? '', 0);
    } catch {
      // The message is no longer in flight: nothing to give back.
    }
  }

  private async process(sqs: SqsInternal, batch: readonly Message[]): Promise<void> {
    const { queue, filters } = this.mapping;
    const records: SqsRecord[] = [];
    for (const m of batch) {
      const record = toRecord(m, queue);
      if (filters.length && !filters.some((f) => f.matches(filterView(record)))) {
        // Lambda drops messages that match no filter: they are deleted from the queue.
        this.remove(sqs, record);
        continue;
      }
      records.push(record);
    }
    if (records.length === 0) return;
    let outcome: { payload: Buffer; functionError?: string } | undefined;
    try {
      outcome = await this.deps.invoke(this.mapping.functionArn, JSON.stringify({ Records: records }));
    } catch (err) {
      this.host.log.debug(`lambda: mapping ${this.mapping.uuid} could not invoke ${this.mapping.functionArn}: ${String(err)}`);
      outcome = undefined;
    }
    const failed = failedMessages(records, outcome, this.mapping.reportFailures);
    if (queue.fifo) holdGroupsAfterFailure(records, failed);
    // Failed messages stay in flight: they come back after the visibility timeout, and reach the queue's
    // dead-letter queue when its redrive policy says so.
    for (const r of records) if (!failed.has(r.messageId)) this.remove(sqs, r);
  }

  private remove(sqs: SqsInternal, record: SqsRecord): void {
    try {
      sqs.deleteMessage(this.mapping.queue.arn, record.receiptHandle);
    } catch (err) {
      this.host.log.debug(`lambda: mapping ${this.mapping.uuid} could not delete ${record.messageId}: ${String(err)}`);
    }
  }
}

/** In a FIFO queue a failure stops its message group: the messages after it in the batch are not deleted either. */
function holdGroupsAfterFailure(records: readonly SqsRecord[], failed: Set<string>): void {
  const stoppedGroups = new Set<string>();
  for (const r of records) {
    const group = r.attributes.MessageGroupId ?? '';
    if (stoppedGroups.has(group)) failed.add(r.messageId);
    else if (failed.has(r.messageId)) stoppedGroups.add(group);
  }
}

function bytesOf(batch: readonly Message[]): number {
  let n = 0;
  for (const m of batch) n += Buffer.byteLength(m.Body ?? '', 'utf8');
  return n;
}
