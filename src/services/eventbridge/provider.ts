// EventBridge (https://docs.aws.amazon.com/eventbridge/latest/APIReference/): event buses, rules, targets, PutEvents
// and TestEventPattern. Rules match through each bus's RuleSet (./pattern/); targets are reached through core/targets
// with their RetryPolicy and DeadLetterConfig (./delivery.ts). Schedule rules (./schedule.ts) fire on the clock.
import { randomUUID } from 'node:crypto';
import type {
  CreateEventBusRequest,
  CreateEventBusResponse,
  DeleteEventBusRequest,
  DeleteRuleRequest,
  DescribeEventBusRequest,
  DescribeEventBusResponse,
  DescribeRuleRequest,
  DescribeRuleResponse,
  DisableRuleRequest,
  EnableRuleRequest,
  EventBus,
  ListEventBusesRequest,
  ListEventBusesResponse,
  ListRuleNamesByTargetRequest,
  ListRuleNamesByTargetResponse,
  ListRulesRequest,
  ListRulesResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTargetsByRuleRequest,
  ListTargetsByRuleResponse,
  PutEventsRequest,
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
  PutRuleRequest,
  PutRuleResponse,
  PutTargetsRequest,
  PutTargetsResponse,
  PutTargetsResultEntry,
  PutPermissionRequest,
  RemovePermissionRequest,
  RemoveTargetsRequest,
  RemoveTargetsResponse,
  Rule,
  RuleState,
  Tag,
  TagResourceRequest,
  Target,
  TestEventPatternRequest,
  TestEventPatternResponse,
  UntagResourceRequest,
  UpdateEventBusRequest,
  UpdateEventBusResponse,
  DeadLetterConfig,
} from '@aws-sdk/client-eventbridge';
import { parseArn } from '../../core/arn.js';
import type { Timer } from '../../core/clock.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import { deliver, type TargetOwner } from '../../core/targets.js';
import { apiDestinationOperations, type ConnectionRequest } from './api-destinations.js';
import { archiveEvent, archiveOperations } from './archive.js';
import { accessDenied, parsePolicy, permissionStatement, policyAllows } from './bus-policy.js';
import { DEFAULT_MAX_AGE_SECONDS, DEFAULT_MAX_RETRIES, DeliveryRunner } from './delivery.js';
import { checkInputPath, checkTransformer, selectPath, transformInput } from './input-transformer.js';
import { compilePattern, PatternError, type EventPattern } from './pattern/index.js';
import { parseSchedule, ScheduleError } from './schedule.js';
import { DEFAULT_BUS, EventBridgeStore, type BusRecord, type RuleRecord } from './store.js';
import { constraint, missing, notFound, page, validation } from './validation.js';

/** The API's length limit on EventPattern. */
const MAX_PATTERN_LENGTH = 4096;

/**
 * The fields an event given to TestEventPattern must have. The API reference also lists `resources`, but AWS
 * accepts events without it, and clients rely on that.
 */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

const eventNotValid = (): ServiceError => validation('Parameter Event is not valid.');

/** InvalidEventPatternException with AWS's wording, for every operation that takes a pattern. */
export function parseEventPattern(text: string): EventPattern {
  try {
    return compilePattern(text);
  } catch (e) {
    if (e instanceof PatternError) {
      throw new ServiceError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${e.message}`, {
        messageMember: 'message',
      });
    }
    throw e;
  }
}

function checkPatternParameter(value: string | undefined, member: string): string {
  if (value === undefined || value === null) {
    throw missing(member);
  }
  if (value.length > MAX_PATTERN_LENGTH) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${MAX_PATTERN_LENGTH}`,
    );
  }
  return value;
}

function parseTestEvent(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text === null) {
    throw missing('event');
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw eventNotValid();
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw eventNotValid();
  const record = event as Record<string, unknown>;
  for (const field of REQUIRED_EVENT_FIELDS) {
    if (!Object.hasOwn(record, field)) throw eventNotValid();
  }
  return record;
}


const NAME = /^[.\-_A-Za-z0-9]+$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]+$/;
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;
const MAX_TARGETS_PER_RULE = 5;
/** How many event buses one event may pass through, bus to bus, before it is dropped. */
const MAX_BUS_HOPS = 5;
const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

function checkName(value: string | undefined, member: string, pattern: RegExp, max: number): string {
  if (value === undefined || value === null) throw missing(member);
  if (value.length < 1 || value.length > max) {
    throw constraint(value, member, `Member must have length less than or equal to ${max}`);
  }
  if (!pattern.test(value)) {
    throw constraint(value, member, `Member must satisfy regular expression pattern: ${pattern.source.slice(1, -1)}`);
  }
  return value;
}

/** An EventBusName parameter, given as a name or an ARN, as a name. */
function busNameOf(value: string | undefined): string {
  if (value === undefined || value === null || value === '') return DEFAULT_BUS;
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (arn?.resource.startsWith('event-bus/')) return arn.resource.slice('event-bus/'.length);
    throw validation(`Parameter EventBusName is not valid.`);
  }
  return value;
}

function getBus(store: EventBridgeStore, value: string | undefined): BusRecord {
  const name = busNameOf(value);
  const bus = store.buses.get(name);
  if (!bus) throw notFound(`Event bus ${name} does not exist.`);
  return bus;
}

function getRule(bus: BusRecord, name: string | undefined): RuleRecord {
  const ruleName = checkName(name, 'name', NAME, 64);
  const rule = bus.rules.get(ruleName);
  if (!rule) throw notFound(`Rule ${ruleName} does not exist on EventBus ${bus.name}.`);
  return rule;
}

function checkTags(tags: readonly Tag[] | undefined): [string, string][] {
  const out: [string, string][] = [];
  for (const t of tags ?? []) {
    if (t.Key === undefined || t.Key === null) throw missing('tags.member.key');
    if (t.Value === undefined || t.Value === null) throw missing('tags.member.value');
    if (t.Key.length < 1 || t.Key.length > 128) throw constraint(t.Key, 'tags.member.key', 'Member must have length less than or equal to 128');
    if (t.Value.length > 256) throw constraint(t.Value, 'tags.member.value', 'Member must have length less than or equal to 256');
    out.push([t.Key, t.Value]);
  }
  return out;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the envelope's time format. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** The size AWS counts for one PutEvents entry. */
function entrySize(e: PutEventsRequestEntry): number {
  let size = e.Time ? 14 : 0;
  for (const s of [e.Source, e.DetailType, e.Detail]) if (typeof s === 'string') size += Buffer.byteLength(s, 'utf8');
  for (const r of e.Resources ?? []) size += Buffer.byteLength(r, 'utf8');
  return size;
}

const entryError = (code: string, message: string): PutEventsResultEntry => ({ ErrorCode: code, ErrorMessage: message });

/** The entry's detail as an object, or the per-entry error AWS answers. */
function checkEntry(e: PutEventsRequestEntry): { error: PutEventsResultEntry } | { detail: Record<string, unknown> } {
  const invalid = (member: string): { error: PutEventsResultEntry } => ({
    error: entryError('InvalidArgument', `Parameter ${member} is not valid. Reason: ${member} is a required argument.`),
  });
  const malformed = { error: entryError('MalformedDetail', 'Detail is malformed.') };
  if (!e.Source) return invalid('Source');
  if (!e.DetailType) return invalid('DetailType');
  if (e.Detail === undefined || e.Detail === null || e.Detail === '') return invalid('Detail');
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return malformed;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return malformed;
  return { detail: detail as Record<string, unknown> };
}

/** The per-entry problem of a target, or undefined; request-wide problems throw. */
function checkTarget(t: Target): string | undefined {
  const id = checkName(t.Id, 'targets.member.id', NAME, 64);
  if (t.Arn === undefined || t.Arn === null) throw missing('targets.member.arn');
  if (t.Arn.length < 1 || t.Arn.length > 1600) throw constraint(t.Arn, 'targets.member.arn', 'Member must have length less than or equal to 1600');
  const arn = parseArn(t.Arn);
  if (!arn) return `Parameter ${t.Arn} is not valid for parameter Arn.`;
  const inputs = [t.Input, t.InputPath, t.InputTransformer].filter((v) => v !== undefined && v !== null).length;
  if (inputs > 1) return 'Only one of Input, InputPath, or InputTransformer must be provided.';
  if (t.Input !== undefined && t.Input !== null) {
    try {
      JSON.parse(t.Input);
    } catch {
      return `Input for target ${id} is not valid JSON text.`;
    }
  }
  if (t.InputPath !== undefined && t.InputPath !== null) checkInputPath(t.InputPath, id);
  if (t.InputTransformer) checkTransformer(t.InputTransformer, id);
  const retry = t.RetryPolicy;
  if (retry?.MaximumRetryAttempts !== undefined && (retry.MaximumRetryAttempts < 0 || retry.MaximumRetryAttempts > DEFAULT_MAX_RETRIES)) {
    throw constraint(retry.MaximumRetryAttempts, 'targets.member.retryPolicy.maximumRetryAttempts', `Member must have value between 0 and ${DEFAULT_MAX_RETRIES}`);
  }
  if (retry?.MaximumEventAgeInSeconds !== undefined && (retry.MaximumEventAgeInSeconds < 60 || retry.MaximumEventAgeInSeconds > DEFAULT_MAX_AGE_SECONDS)) {
    throw constraint(retry.MaximumEventAgeInSeconds, 'targets.member.retryPolicy.maximumEventAgeInSeconds', `Member must have value between 60 and ${DEFAULT_MAX_AGE_SECONDS}`);
  }
  const dlq = t.DeadLetterConfig?.Arn;
  if (dlq !== undefined && dlq !== null && parseArn(dlq)?.service !== 'sqs') {
    return `The DeadLetterConfig Arn ${dlq} is not a valid SQS queue ARN.`;
  }
  if (t.SqsParameters && arn.service !== 'sqs') return `SqsParameters can only be used with an Amazon SQS target.`;
  if (t.KinesisParameters && arn.service !== 'kinesis') return 'KinesisParameters can only be used with an Amazon Kinesis target.';
  if (t.KinesisParameters?.PartitionKeyPath !== undefined) checkInputPath(t.KinesisParameters.PartitionKeyPath, id);
  if (t.HttpParameters && !(arn.service === 'events' && arn.resource.startsWith('api-destination/'))) {
    return 'HttpParameters can only be used with an API destination target.';
  }
  if (arn.service === 'sqs' && arn.resource.endsWith('.fifo') && !t.SqsParameters?.MessageGroupId) {
    return `Target ${id} is a FIFO queue and needs SqsParameters.MessageGroupId.`;
  }
  return undefined;
}

function partitionKeyOf(event: Record<string, unknown>, path: string | undefined): string {
  const value = path ? selectPath(event, path) : undefined;
  if (value === undefined || value === null) return typeof event.id === 'string' ? event.id : '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function ruleOf(rule: RuleRecord): Rule {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventBusName: rule.busName,
    State: rule.state as RuleState,
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression !== undefined ? { ScheduleExpression: rule.scheduleExpression } : {}),
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
  };
}

function busOf(bus: BusRecord): EventBus {
  return {
    Name: bus.name,
    Arn: bus.arn,
    ...(bus.description !== undefined ? { Description: bus.description } : {}),
    ...(bus.policy ? { Policy: JSON.stringify(bus.policy) } : {}),
    CreationTime: bus.creationTime,
    LastModifiedTime: bus.lastModifiedTime,
  };
}

/** A bus's DeadLetterConfig: an SQS queue ARN. */
function checkBusDeadLetter(config: DeadLetterConfig | undefined): DeadLetterConfig | undefined {
  if (!config) return undefined;
  if (config.Arn !== undefined && config.Arn !== null && parseArn(config.Arn)?.service !== 'sqs') {
    throw validation(`Parameter DeadLetterConfig.Arn is not valid. Reason: ${config.Arn} is not a valid SQS queue ARN.`);
  }
  return config.Arn ? { Arn: config.Arn } : undefined;
}

const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** What other services reach: an event bus is a delivery target (of rules, also across accounts, and of Pipes). */
export interface EventBridgeInternal extends TargetOwner {
  /** Routes an event (the envelope, already built) on a bus; the event's own account and region stay as they are. */
  route(account: string, region: string, busName: string, event: Record<string, unknown>): Promise<void>;
  /**
   * Calls `listener` with every event that reaches a bus (before rules match it), as schema discoverers need;
   * returns the function that stops it. A listener must not throw or block.
   */
  observe(listener: BusObserver): () => void;
  /** A connection's authorization and invocation parameters, for calls made through it (the Step Functions HTTP Task). */
  connectionRequest(connectionArn: string): Promise<ConnectionRequest>;
}

export type BusObserver = (account: string, region: string, busName: string, event: Readonly<Record<string, unknown>>) => void;

export function createEventBridgeProvider(host: ServiceHost): ServiceProvider {
  const stores = new RegionalStores((account, region) => new EventBridgeStore(account, region, host.clock.now()));
  const runner = new DeliveryRunner(
    host.clock,
    (arn, message, source) => deliver(host, arn, message, source),
    (job, error) => host.log.warn(`eventbridge dropped an event for ${job.targetArn} (${job.ruleArn}): ${error.code} ${error.message}`),
  );

  const observers = new Set<BusObserver>();
  const destinations = apiDestinationOperations({
    clock: host.clock,
    storeOf: (ctx) => stores.get(ctx.account, ctx.region),
    log: (message) => host.log.warn(message),
  });

  /** Sends an event to every target of every enabled rule of the bus that matches it; resolves after first attempts. */
  async function route(store: EventBridgeStore, bus: BusRecord, event: Record<string, unknown>, only?: ReadonlySet<string>): Promise<void> {
    for (const observer of observers) {
      try {
        observer(store.account, store.region, bus.name, event);
      } catch (err) {
        host.log.error(`eventbridge bus observer failed on ${bus.name}`, err);
      }
    }
    archiveEvent(store, bus, event, host.clock.now());
    const attempts: Promise<void>[] = [];
    for (const ruleName of bus.ruleSet.matching(event)) {
      if (only && !only.has(ruleName)) continue;
      const rule = bus.rules.get(ruleName);
      if (rule) attempts.push(toTargets(store, rule, event));
    }
    await Promise.all(attempts);
  }

  /** Sends an event to every target of a rule; resolves after the first attempts. */
  async function toTargets(store: EventBridgeStore, rule: RuleRecord, event: Record<string, unknown>): Promise<void> {
    const now = host.clock.now();
    const ingestionTime = new Date(now).toISOString();
    const attempts: Promise<void>[] = [];
    for (const target of rule.targets.values()) {
      const arn = target.Arn ?? '';
      let body: string;
      if (target.Input !== undefined && target.Input !== null) body = target.Input;
      else if (target.InputPath !== undefined && target.InputPath !== null) {
        body = JSON.stringify(selectPath(event, target.InputPath) ?? null);
      } else if (target.InputTransformer) {
        body = transformInput(target.InputTransformer, event, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime });
      } else body = JSON.stringify(event);
      const parsed = arn.startsWith('arn:') ? parseArn(arn) : undefined;
      const fifo = parsed?.service === 'sqs' && arn.endsWith('.fifo');
      const groupId = target.SqsParameters?.MessageGroupId;
      // A Kinesis target's partition key is PartitionKeyPath's value in the event, or the event id.
      const partitionKey =
        parsed?.service === 'kinesis' ? partitionKeyOf(event, target.KinesisParameters?.PartitionKeyPath) : undefined;
      const http = target.HttpParameters;
      const apiDestination = parsed?.service === 'events' && parsed.resource.startsWith('api-destination/');
      const started = runner.start({
        ruleArn: rule.arn,
        targetArn: arn,
        message: {
          body,
          ...(groupId ? { groupId } : {}),
          ...(fifo && typeof event.id === 'string' ? { deduplicationId: event.id } : {}),
          ...(partitionKey !== undefined ? { partitionKey } : {}),
        },
        receivedAt: now,
        maxRetries: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRIES,
        maxAgeSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS,
        deadLetterArn: target.DeadLetterConfig?.Arn ?? undefined,
        source: { account: store.account, region: store.region, service: 'eventbridge', sourceArn: rule.arn },
        ...(apiDestination ? { attempt: () => destinations.invoke(store, arn, body, event, http) } : {}),
      });
      // An HTTP call may wait for its rate limit's next slot: PutEvents does not wait for it.
      if (apiDestination) started.catch((e: unknown) => host.log.error(`eventbridge API destination ${arn}: ${String(e)}`));
      else attempts.push(started);
    }
    await Promise.all(attempts);
  }

  /** Timers of the enabled schedule rules, by rule ARN. */
  const schedules = new Map<string, Timer>();

  function disarm(ruleArn: string): void {
    schedules.get(ruleArn)?.cancel();
    schedules.delete(ruleArn);
  }

  /** Sets (or clears) the timer of a schedule rule for its next firing. */
  function arm(store: EventBridgeStore, rule: RuleRecord): void {
    disarm(rule.arn);
    if (rule.scheduleExpression === undefined || rule.state === 'DISABLED') return;
    const schedule = parseSchedule(rule.scheduleExpression, host.clock.now());
    const next = (after: number): void => {
      const at = schedule.next(after);
      if (at === undefined) return;
      const timer = host.clock.setTimer(at - host.clock.now(), () => {
        schedules.delete(rule.arn);
        const event: Record<string, unknown> = {
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: store.account,
          time: eventTime(at),
          region: store.region,
          resources: [rule.arn],
          detail: {},
        };
        next(at);
        toTargets(store, rule, event).catch((e: unknown) => host.log.error(`eventbridge schedule ${rule.arn}: ${String(e)}`));
      });
      schedules.set(rule.arn, timer);
    };
    next(host.clock.now());
  }

  /** Event id -> how many buses it is being routed through now (bus-to-bus targets). */
  const hops = new Map<string, number>();

  const internal: EventBridgeInternal = {
    connectionRequest: (connectionArn) => {
      const parsed = parseArn(connectionArn);
      if (!parsed?.resource.startsWith('connection/')) {
        return Promise.reject(new ServiceError('ValidationException', `${connectionArn} is not a connection ARN.`));
      }
      return destinations.connectionRequest(stores.get(parsed.account, parsed.region), connectionArn);
    },
    observe: (listener) => {
      observers.add(listener);
      return () => observers.delete(listener);
    },
    route: async (account, region, busName, event) => {
      const store = stores.get(account, region);
      const bus = store.buses.get(busName);
      if (!bus) throw notFound(`Event bus ${busName} does not exist.`);
      // Buses that target each other in a cycle would pass an event around forever.
      const id = typeof event.id === 'string' ? event.id : '';
      const seen = hops.get(id) ?? 0;
      if (seen >= MAX_BUS_HOPS) {
        throw new ServiceError('InvalidParameter', `Event ${id} has been routed through ${MAX_BUS_HOPS} event buses.`);
      }
      hops.set(id, seen + 1);
      try {
        await route(store, bus, event);
      } finally {
        if (seen === 0) hops.delete(id);
        else hops.set(id, seen);
      }
    },
    deliver: async (arn, message, source) => {
      const parsed = parseArn(arn);
      if (parsed?.resource.startsWith('api-destination/')) {
        // Scheduler and Pipes targets: the message body is what is sent.
        if (source.account !== parsed.account) throw new ServiceError('AccessDeniedException', `Account ${source.account} cannot invoke ${arn}.`);
        let event: unknown;
        try {
          event = JSON.parse(message.body);
        } catch {
          event = undefined;
        }
        await destinations.invoke(stores.get(parsed.account, parsed.region), arn, message.body, event, undefined);
        return {};
      }
      if (!parsed?.resource.startsWith('event-bus/')) {
        throw new ServiceError('NotImplemented', `Switchyard cannot deliver to ${arn} yet.`);
      }
      let event: unknown;
      try {
        event = JSON.parse(message.body);
      } catch {
        throw validation('The event delivered to an event bus must be a JSON object.');
      }
      if (typeof event !== 'object' || event === null || Array.isArray(event)) {
        throw validation('The event delivered to an event bus must be a JSON object.');
      }
      const busName = parsed.resource.slice('event-bus/'.length);
      if (source.account !== parsed.account) {
        const bus = stores.peek(parsed.account, parsed.region)?.buses.get(busName);
        if (bus && !policyAllows(bus.policy, source.account, 'events:PutEvents', bus.arn)) throw accessDenied(source.account, bus.arn);
      }
      await internal.route(parsed.account, parsed.region, busName, event as Record<string, unknown>);
      return {};
    },
  };

  const storeOf = (ctx: RequestContext): EventBridgeStore => stores.get(ctx.account, ctx.region);
  const archives = archiveOperations({
    clock: host.clock,
    storeOf,
    parsePattern: parseEventPattern,
    checkPattern: checkPatternParameter,
    route,
    log: (message) => host.log.warn(message),
  });

  return {
    name: 'eventbridge',
    internal,
    reset: () => {
      runner.stop();
      for (const arn of [...schedules.keys()]) disarm(arn);
      stores.clear();
    },
    stop: () => {
      runner.stop();
      for (const arn of [...schedules.keys()]) disarm(arn);
    },
    operations: {
      ...archives,
      ...destinations.operations,

      TestEventPattern: (_ctx: RequestContext, input: TestEventPatternRequest): TestEventPatternResponse => {
        const patternText = checkPatternParameter(input.EventPattern, 'eventPattern');
        const event = parseTestEvent(input.Event);
        const pattern = parseEventPattern(patternText);
        return { Result: pattern.matches(event) };
      },

      CreateEventBus: (ctx: RequestContext, input: CreateEventBusRequest): CreateEventBusResponse => {
        const store = storeOf(ctx);
        const name = checkName(input.Name, 'name', BUS_NAME, 256);
        if (input.Description !== undefined && input.Description !== null && input.Description.length > 512) {
          throw constraint(input.Description, 'description', 'Member must have length less than or equal to 512');
        }
        const tags = checkTags(input.Tags);
        const deadLetterConfig = checkBusDeadLetter(input.DeadLetterConfig ?? undefined);
        if (input.LogConfig) throw validation('Parameter LogConfig is not valid. Reason: Switchyard does not log event buses to CloudWatch Logs yet.');
        if (store.buses.has(name)) {
          throw new ServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`, { messageMember: 'message' });
        }
        if (name.startsWith('aws.partner/') && !input.EventSourceName) {
          throw validation(`Event bus name must not start with 'aws.partner/' unless it is for a partner event source.`);
        }
        if (name.includes('/') && !name.startsWith('aws.partner/')) {
          throw constraint(name, 'name', 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+');
        }
        const bus = store.createBus(name, input.Description ?? undefined, host.clock.now());
        for (const [k, v] of tags) bus.tags.set(k, v);
        bus.kmsKeyIdentifier = input.KmsKeyIdentifier ?? undefined;
        bus.deadLetterConfig = deadLetterConfig;
        return {
          EventBusArn: bus.arn,
          ...(bus.description !== undefined ? { Description: bus.description } : {}),
          ...(bus.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: bus.kmsKeyIdentifier } : {}),
          ...(bus.deadLetterConfig ? { DeadLetterConfig: bus.deadLetterConfig } : {}),
        };
      },

      DescribeEventBus: (ctx: RequestContext, input: DescribeEventBusRequest): DescribeEventBusResponse => {
        const bus = getBus(storeOf(ctx), input.Name ?? undefined);
        return {
          ...busOf(bus),
          ...(bus.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: bus.kmsKeyIdentifier } : {}),
          ...(bus.deadLetterConfig ? { DeadLetterConfig: bus.deadLetterConfig } : {}),
        };
      },

      UpdateEventBus: (ctx: RequestContext, input: UpdateEventBusRequest): UpdateEventBusResponse => {
        const bus = getBus(storeOf(ctx), input.Name ?? undefined);
        if (input.Description !== undefined && input.Description !== null && input.Description.length > 512) {
          throw constraint(input.Description, 'description', 'Member must have length less than or equal to 512');
        }
        const deadLetterConfig = checkBusDeadLetter(input.DeadLetterConfig ?? undefined);
        if (input.LogConfig) throw validation('Parameter LogConfig is not valid. Reason: Switchyard does not log event buses to CloudWatch Logs yet.');
        if (input.Description !== undefined && input.Description !== null) bus.description = input.Description;
        if (input.KmsKeyIdentifier !== undefined && input.KmsKeyIdentifier !== null) bus.kmsKeyIdentifier = input.KmsKeyIdentifier || undefined;
        if (input.DeadLetterConfig !== undefined && input.DeadLetterConfig !== null) bus.deadLetterConfig = deadLetterConfig;
        bus.lastModifiedTime = new Date(host.clock.now());
        return {
          Arn: bus.arn,
          Name: bus.name,
          ...(bus.description !== undefined ? { Description: bus.description } : {}),
          ...(bus.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: bus.kmsKeyIdentifier } : {}),
          ...(bus.deadLetterConfig ? { DeadLetterConfig: bus.deadLetterConfig } : {}),
        };
      },

      PutPermission: (ctx: RequestContext, input: PutPermissionRequest): void => {
        const bus = getBus(storeOf(ctx), input.EventBusName ?? undefined);
        if (input.Policy !== undefined && input.Policy !== null) {
          if (input.Action || input.Principal || input.StatementId || input.Condition) {
            throw validation('Parameter Policy cannot be combined with Action, Principal, StatementId or Condition.');
          }
          bus.policy = parsePolicy(input.Policy);
        } else {
          const statement = permissionStatement(input, bus.arn);
          const others = (bus.policy?.Statement ?? []).filter((s) => s.Sid !== statement.Sid);
          bus.policy = { Version: bus.policy?.Version ?? '2012-10-17', Statement: [...others, statement] };
        }
        bus.lastModifiedTime = new Date(host.clock.now());
      },

      RemovePermission: (ctx: RequestContext, input: RemovePermissionRequest): void => {
        const bus = getBus(storeOf(ctx), input.EventBusName ?? undefined);
        if (input.RemoveAllPermissions) {
          bus.policy = undefined;
          return;
        }
        if (input.StatementId === undefined || input.StatementId === null) {
          throw validation('Parameter StatementId is required when RemoveAllPermissions is not true.');
        }
        if (!bus.policy) throw notFound(`EventBus ${bus.name} does not have a policy.`);
        const kept = bus.policy.Statement.filter((s) => s.Sid !== input.StatementId);
        if (kept.length === bus.policy.Statement.length) throw notFound('Statement with the provided id does not exist.');
        bus.policy = kept.length > 0 ? { Version: bus.policy.Version, Statement: kept } : undefined;
        bus.lastModifiedTime = new Date(host.clock.now());
      },

      ListEventBuses: (ctx: RequestContext, input: ListEventBusesRequest): ListEventBusesResponse => {
        const prefix = input.NamePrefix ?? '';
        const buses = [...storeOf(ctx).buses.values()].filter((b) => b.name.startsWith(prefix)).sort(byName);
        const p = page(buses, input.NextToken ?? undefined, input.Limit ?? undefined);
        return { EventBuses: p.items.map(busOf), ...(p.next ? { NextToken: p.next } : {}) };
      },

      DeleteEventBus: (ctx: RequestContext, input: DeleteEventBusRequest): void => {
        const name = checkName(input.Name, 'name', BUS_NAME, 256);
        if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
        storeOf(ctx).buses.delete(name);
      },

      PutRule: (ctx: RequestContext, input: PutRuleRequest): PutRuleResponse => {
        const store = storeOf(ctx);
        const name = checkName(input.Name, 'name', NAME, 64);
        const bus = getBus(store, input.EventBusName ?? undefined);
        const hasPattern = input.EventPattern !== undefined && input.EventPattern !== null;
        const hasSchedule = input.ScheduleExpression !== undefined && input.ScheduleExpression !== null;
        if (!hasPattern && !hasSchedule) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
        if (hasSchedule) {
          if (bus.name !== DEFAULT_BUS) throw validation('ScheduleExpression is supported only on the default event bus.');
          if ((input.ScheduleExpression ?? '').length > 256) {
            throw constraint(input.ScheduleExpression, 'scheduleExpression', 'Member must have length less than or equal to 256');
          }
          try {
            parseSchedule(input.ScheduleExpression ?? '', 0);
          } catch (e) {
            if (e instanceof ScheduleError) throw validation(e.message);
            throw e;
          }
        }
        const patternText = hasPattern ? checkPatternParameter(input.EventPattern ?? undefined, 'eventPattern') : undefined;
        const pattern = patternText !== undefined ? parseEventPattern(patternText) : undefined;
        const state = input.State ?? 'ENABLED';
        if (!RULE_STATES.includes(state)) {
          throw constraint(state, 'state', `Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`);
        }
        if (input.Description !== undefined && input.Description !== null && input.Description.length > 512) {
          throw constraint(input.Description, 'description', 'Member must have length less than or equal to 512');
        }
        const tags = checkTags(input.Tags);
        let rule = bus.rules.get(name);
        if (!rule) {
          rule = {
            name,
            arn: store.ruleArn(bus.name, name),
            busName: bus.name,
            eventPattern: undefined,
            pattern: undefined,
            scheduleExpression: undefined,
            state,
            description: undefined,
            roleArn: undefined,
            targets: new Map(),
            tags: new Map(),
          };
          bus.rules.set(name, rule);
        }
        rule.eventPattern = patternText;
        rule.pattern = pattern;
        rule.scheduleExpression = input.ScheduleExpression ?? undefined;
        rule.state = state;
        rule.description = input.Description ?? undefined;
        rule.roleArn = input.RoleArn ?? undefined;
        for (const [k, v] of tags) rule.tags.set(k, v);
        store.refile(bus, rule);
        arm(store, rule);
        return { RuleArn: rule.arn };
      },

      DescribeRule: (ctx: RequestContext, input: DescribeRuleRequest): DescribeRuleResponse => {
        const bus = getBus(storeOf(ctx), input.EventBusName ?? undefined);
        const rule = getRule(bus, input.Name ?? undefined);
        return { ...ruleOf(rule), CreatedBy: ctx.account };
      },

      ListRules: (ctx: RequestContext, input: ListRulesRequest): ListRulesResponse => {
        const bus = getBus(storeOf(ctx), input.EventBusName ?? undefined);
        const prefix = input.NamePrefix ?? '';
        const rules = [...bus.rules.values()].filter((r) => r.name.startsWith(prefix)).sort(byName);
        const p = page(rules, input.NextToken ?? undefined, input.Limit ?? undefined);
        return { Rules: p.items.map(ruleOf), ...(p.next ? { NextToken: p.next } : {}) };
      },

      DeleteRule: (ctx: RequestContext, input: DeleteRuleRequest): void => {
        const store = storeOf(ctx);
        const bus = getBus(store, input.EventBusName ?? undefined);
        const name = checkName(input.Name, 'name', NAME, 64);
        const rule = bus.rules.get(name);
        if (!rule) return;
        if (rule.targets.size > 0) throw validation("Rule can't be deleted since it has targets.");
        store.deleteRule(bus, name);
        disarm(rule.arn);
      },

      EnableRule: (ctx: RequestContext, input: EnableRuleRequest): void => {
        const store = storeOf(ctx);
        const bus = getBus(store, input.EventBusName ?? undefined);
        const rule = getRule(bus, input.Name ?? undefined);
        rule.state = 'ENABLED';
        store.refile(bus, rule);
        arm(store, rule);
      },

      DisableRule: (ctx: RequestContext, input: DisableRuleRequest): void => {
        const store = storeOf(ctx);
        const bus = getBus(store, input.EventBusName ?? undefined);
        const rule = getRule(bus, input.Name ?? undefined);
        rule.state = 'DISABLED';
        store.refile(bus, rule);
        arm(store, rule);
      },

      PutTargets: (ctx: RequestContext, input: PutTargetsRequest): PutTargetsResponse => {
        const bus = getBus(storeOf(ctx), input.EventBusName ?? undefined);
        const rule = getRule(bus, input.Rule ?? undefined);
        const targets = input.Targets;
        if (targets === undefined || targets === null) throw missing('targets');
        if (targets.length < 1 || targets.length > MAX_ENTRIES) {
          throw constraint('[...]', 'targets', `Member must have length less than or equal to ${MAX_ENTRIES}`);
        }
        const failed: PutTargetsResultEntry[] = [];
        const accepted: Target[] = [];
        for (const t of targets) {
          const problem = checkTarget(t);
          if (problem) failed.push({ TargetId: t.Id, ErrorCode: 'ValidationException', ErrorMessage: problem });
          else accepted.push(t);
        }
        const ids = new Set([...rule.targets.keys(), ...accepted.map((t) => t.Id ?? '')]);
        if (ids.size > MAX_TARGETS_PER_RULE) {
          throw new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.', {
            messageMember: 'message',
          });
        }
        for (const t of accepted) rule.targets.set(t.Id ?? '', t);
        return { FailedEntryCount: failed.length, FailedEntries: failed };
      },

      RemoveTargets: (ctx: RequestContext, input: RemoveTargetsRequest): RemoveTargetsResponse => {
        const bus = getBus(storeOf(ctx), input.EventBusName ?? undefined);
        const rule = getRule(bus, input.Rule ?? undefined);
        const ids = input.Ids;
        if (ids === undefined || ids === null) throw missing('ids');
        if (ids.length < 1 || ids.length > 100) throw constraint('[...]', 'ids', 'Member must have length less than or equal to 100');
        for (const id of ids) rule.targets.delete(id);
        return { FailedEntryCount: 0, FailedEntries: [] };
      },

      ListTargetsByRule: (ctx: RequestContext, input: ListTargetsByRuleRequest): ListTargetsByRuleResponse => {
        const bus = getBus(storeOf(ctx), input.EventBusName ?? undefined);
        const rule = getRule(bus, input.Rule ?? undefined);
        const p = page([...rule.targets.values()], input.NextToken ?? undefined, input.Limit ?? undefined);
        return { Targets: p.items, ...(p.next ? { NextToken: p.next } : {}) };
      },

      ListRuleNamesByTarget: (ctx: RequestContext, input: ListRuleNamesByTargetRequest): ListRuleNamesByTargetResponse => {
        if (input.TargetArn === undefined || input.TargetArn === null) throw missing('targetArn');
        const bus = getBus(storeOf(ctx), input.EventBusName ?? undefined);
        const names = [...bus.rules.values()]
          .filter((r) => [...r.targets.values()].some((t) => t.Arn === input.TargetArn))
          .sort(byName)
          .map((r) => r.name);
        const p = page(names, input.NextToken ?? undefined, input.Limit ?? undefined);
        return { RuleNames: p.items, ...(p.next ? { NextToken: p.next } : {}) };
      },

      TagResource: (_ctx: RequestContext, input: TagResourceRequest): void => {
        const tags = tagsOf(input.ResourceARN);
        if (input.Tags === undefined || input.Tags === null) throw missing('tags');
        for (const [k, v] of checkTags(input.Tags)) tags.set(k, v);
      },

      UntagResource: (_ctx: RequestContext, input: UntagResourceRequest): void => {
        const tags = tagsOf(input.ResourceARN);
        if (input.TagKeys === undefined || input.TagKeys === null) throw missing('tagKeys');
        for (const k of input.TagKeys) tags.delete(k);
      },

      ListTagsForResource: (_ctx: RequestContext, input: ListTagsForResourceRequest): ListTagsForResourceResponse => {
        const tags = tagsOf(input.ResourceARN);
        return { Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) };
      },

      PutEvents: async (ctx: RequestContext, input: PutEventsRequest): Promise<PutEventsResponse> => {
        const store = storeOf(ctx);
        const entries = input.Entries;
        if (entries === undefined || entries === null) throw missing('entries');
        if (entries.length < 1 || entries.length > MAX_ENTRIES) {
          throw constraint('[...]', 'entries', `Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`}`);
        }
        let size = 0;
        for (const e of entries) size += entrySize(e);
        if (size > MAX_REQUEST_BYTES) throw validation('Total size of the entries in the request is over the limit.');
        const results: PutEventsResultEntry[] = [];
        const routed: Promise<void>[] = [];
        let failed = 0;
        const now = host.clock.now();
        for (const e of entries) {
          const checked = checkEntry(e);
          if ('error' in checked) {
            failed++;
            results.push(checked.error);
            continue;
          }
          // A bus ARN may name a bus of another account (whose policy must let this account in) or region.
          const arn = e.EventBusName?.startsWith('arn:') ? parseArn(e.EventBusName) : undefined;
          const busStore = arn && (arn.account !== ctx.account || arn.region !== ctx.region) ? stores.get(arn.account, arn.region) : store;
          const busName = busNameOf(e.EventBusName ?? undefined);
          const bus = busStore.buses.get(busName);
          const id = randomUUID();
          if (bus && busStore.account !== ctx.account && !policyAllows(bus.policy, ctx.account, 'events:PutEvents', bus.arn)) {
            failed++;
            results.push(entryError('AccessDeniedException', accessDenied(ctx.account, bus.arn).message));
            continue;
          }
          if (!bus) {
            // AWS accepts an event for a bus that does not exist and drops it (aws/aws-sdk#186); so do we, with a warning.
            host.log.warn(`eventbridge PutEvents: event bus ${busName} does not exist; event ${id} dropped`);
            results.push({ EventId: id });
            continue;
          }
          const event: Record<string, unknown> = {
            version: '0',
            id,
            'detail-type': e.DetailType,
            source: e.Source,
            account: ctx.account,
            time: eventTime(timeOf(e.Time) ?? now),
            region: ctx.region,
            resources: e.Resources ?? [],
            detail: checked.detail,
          };
          routed.push(route(busStore, bus, event));
          results.push({ EventId: id });
        }
        await Promise.all(routed);
        return { FailedEntryCount: failed, Entries: results };
      },
    },
  };

  /** The tags of a bus or rule named by ARN. */
  function tagsOf(arnText: string | undefined): Map<string, string> {
    if (arnText === undefined || arnText === null) throw missing('resourceARN');
    const arn = parseArn(arnText);
    const tags = arn ? stores.peek(arn.account, arn.region)?.tagsOf(arnText) : undefined;
    if (!tags) throw notFound(`Resource ${arnText} does not exist.`);
    return tags;
  }
}
