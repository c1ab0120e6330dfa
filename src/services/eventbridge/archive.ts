// Archives and replays ("Archiving and replaying events in EventBridge"): an archive keeps every event that reaches
// its bus and matches its pattern, for RetentionDays (0 keeps them for ever); a replay sends the archived events of a
// time window back to the bus's rules (or the ones named), with `replay-name` added, and never into archives again.
import type {
  Archive,
  ArchiveState,
  CancelReplayRequest,
  CancelReplayResponse,
  CreateArchiveRequest,
  CreateArchiveResponse,
  DeleteArchiveRequest,
  DescribeArchiveRequest,
  DescribeArchiveResponse,
  DescribeReplayRequest,
  DescribeReplayResponse,
  ListArchivesRequest,
  ListArchivesResponse,
  ListReplaysRequest,
  ListReplaysResponse,
  Replay,
  ReplayState,
  StartReplayRequest,
  StartReplayResponse,
  UpdateArchiveRequest,
  UpdateArchiveResponse,
} from '@aws-sdk/client-eventbridge';
import { formatArn, parseArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { EventPattern } from './pattern/index.js';
import type { BusRecord, EventBridgeStore } from './store.js';
import { constraint, missing, notFound, page, validation } from './validation.js';

const ARCHIVE_NAME = /^[.\-_A-Za-z0-9]+$/;
const DAY_MS = 86_400_000;
/** Events replayed per clock tick, so that a long replay can be cancelled while it runs. */
const REPLAY_CHUNK = 100;

export interface ArchivedEvent {
  /** When the archive received it (retention counts from here). */
  readonly receivedAt: number;
  /** The event's own `time` (the replay window is over this). */
  readonly time: number;
  readonly json: string;
  readonly size: number;
}

export interface ArchiveRecord {
  readonly name: string;
  readonly arn: string;
  readonly sourceArn: string;
  readonly busName: string;
  description: string | undefined;
  eventPattern: string | undefined;
  pattern: EventPattern | undefined;
  retentionDays: number;
  /** Stored and returned: Switchyard encrypts nothing. */
  kmsKeyIdentifier: string | undefined;
  readonly creationTime: Date;
  /** In the order received. */
  events: ArchivedEvent[];
  sizeBytes: number;
}

export interface ReplayRecord {
  readonly name: string;
  readonly arn: string;
  readonly description: string | undefined;
  readonly archiveArn: string;
  readonly archiveName: string;
  readonly busName: string;
  readonly startTime: Date;
  readonly endTime: Date;
  readonly filterArns: readonly string[] | undefined;
  state: ReplayState;
  stateReason: string | undefined;
  readonly replayStartTime: Date;
  replayEndTime: Date | undefined;
  lastReplayed: Date | undefined;
}

/** Routes a replayed event on a bus, to the named rules only when `rules` is given. */
export type ReplayRouter = (
  store: EventBridgeStore,
  bus: BusRecord,
  event: Record<string, unknown>,
  rules: ReadonlySet<string> | undefined,
) => Promise<void>;

export interface ArchiveDeps {
  readonly clock: Clock;
  storeOf(ctx: RequestContext): EventBridgeStore;
  parsePattern(text: string): EventPattern;
  checkPattern(text: string | undefined, member: string): string;
  route: ReplayRouter;
  log(message: string): void;
}

function checkArchiveName(value: string | undefined, member: string): string {
  if (value === undefined || value === null) throw missing(member);
  if (value.length < 1 || value.length > 48) throw constraint(value, member, 'Member must have length less than or equal to 48');
  if (!ARCHIVE_NAME.test(value)) throw constraint(value, member, 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+');
  return value;
}

function checkRetention(value: number | undefined): number {
  if (value === undefined || value === null) return 0;
  if (!Number.isInteger(value) || value < 0) throw constraint(value, 'retentionDays', 'Member must have value greater than or equal to 0');
  return value;
}

function checkDescription(value: string | undefined): string | undefined {
  if (value !== undefined && value !== null && value.length > 512) {
    throw constraint(value, 'description', 'Member must have length less than or equal to 512');
  }
  return value ?? undefined;
}

function timeOfEvent(event: Record<string, unknown>, fallback: number): number {
  const t = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
  return Number.isNaN(t) ? fallback : t;
}

/** Drops the events older than the retention period. */
function prune(archive: ArchiveRecord, now: number): void {
  if (archive.retentionDays === 0) return;
  const cutoff = now - archive.retentionDays * DAY_MS;
  let drop = 0;
  while (drop < archive.events.length && (archive.events[drop]?.receivedAt ?? 0) < cutoff) {
    archive.sizeBytes -= archive.events[drop]?.size ?? 0;
    drop++;
  }
  if (drop > 0) archive.events = archive.events.slice(drop);
}

/** Keeps an event in every archive of its bus whose pattern it matches; replayed events are never archived. */
export function archiveEvent(store: EventBridgeStore, bus: BusRecord, event: Record<string, unknown>, now: number): void {
  if (store.archives.size === 0 || Object.hasOwn(event, 'replay-name')) return;
  let json: string | undefined;
  for (const archive of store.archives.values()) {
    if (archive.busName !== bus.name || (archive.pattern && !archive.pattern.matches(event))) continue;
    json ??= JSON.stringify(event);
    const size = Buffer.byteLength(json, 'utf8');
    prune(archive, now);
    archive.events.push({ receivedAt: now, time: timeOfEvent(event, now), json, size });
    archive.sizeBytes += size;
  }
}

function getArchive(store: EventBridgeStore, name: string): ArchiveRecord {
  const archive = store.archives.get(name);
  if (!archive) throw notFound(`Archive ${name} does not exist.`);
  return archive;
}

function archiveState(): ArchiveState {
  return 'ENABLED';
}

function replayOf(r: ReplayRecord): Replay {
  return {
    ReplayName: r.name,
    EventSourceArn: r.archiveArn,
    State: r.state,
    ...(r.stateReason !== undefined ? { StateReason: r.stateReason } : {}),
    EventStartTime: r.startTime,
    EventEndTime: r.endTime,
    ...(r.lastReplayed ? { EventLastReplayedTime: r.lastReplayed } : {}),
    ReplayStartTime: r.replayStartTime,
    ...(r.replayEndTime ? { ReplayEndTime: r.replayEndTime } : {}),
  };
}

function dateOf(value: unknown, member: string): Date {
  if (value === undefined || value === null) throw missing(member);
  const d = value instanceof Date ? value : new Date(typeof value === 'number' ? value * 1000 : String(value));
  if (Number.isNaN(d.getTime())) throw validation(`Parameter ${member} is not valid.`);
  return d;
}

export function archiveOperations(deps: ArchiveDeps) {
  const { clock } = deps;

  /** Replays the window in chunks on the clock, so that CancelReplay can stop it between two chunks. */
  function run(store: EventBridgeStore, replay: ReplayRecord): void {
    const finish = (state: ReplayState, reason?: string): void => {
      replay.state = state;
      replay.stateReason = reason;
      replay.replayEndTime = new Date(clock.now());
    };
    clock.setTimer(0, () => {
      if (replay.state === 'CANCELLING') return finish('CANCELLED');
      const archive = store.archives.get(replay.archiveName);
      const bus = store.buses.get(replay.busName);
      if (!archive || !bus) return finish('FAILED', archive ? `Event bus ${replay.busName} does not exist.` : `Archive ${replay.archiveName} does not exist.`);
      prune(archive, clock.now());
      const from = replay.startTime.getTime();
      const to = replay.endTime.getTime();
      const selected = archive.events.filter((e) => e.time >= from && e.time < to).sort((a, b) => a.time - b.time);
      const rules = replay.filterArns
        ? new Set(replay.filterArns.map((arn) => parseArn(arn)?.resource.split('/').pop() ?? ''))
        : undefined;
      replay.state = 'RUNNING';
      const chunk = (start: number): void => {
        if (replay.state === 'CANCELLING') return finish('CANCELLED');
        if (start >= selected.length) return finish('COMPLETED');
        const deliveries: Promise<void>[] = [];
        for (const archived of selected.slice(start, start + REPLAY_CHUNK)) {
          const event = JSON.parse(archived.json) as Record<string, unknown>;
          event['replay-name'] = replay.name;
          deliveries.push(deps.route(store, bus, event, rules));
          replay.lastReplayed = new Date(archived.time);
        }
        Promise.all(deliveries).then(
          () => clock.setTimer(0, () => chunk(start + REPLAY_CHUNK)),
          (e: unknown) => {
            deps.log(`eventbridge replay ${replay.name} failed: ${String(e)}`);
            finish('FAILED', 'The replay failed to deliver events.');
          },
        );
      };
      chunk(0);
    });
  }

  return {
    CreateArchive: (ctx: RequestContext, input: CreateArchiveRequest): CreateArchiveResponse => {
      const store = deps.storeOf(ctx);
      const name = checkArchiveName(input.ArchiveName, 'archiveName');
      if (input.EventSourceArn === undefined || input.EventSourceArn === null) throw missing('eventSourceArn');
      const description = checkDescription(input.Description);
      const retentionDays = checkRetention(input.RetentionDays);
      const patternText = input.EventPattern !== undefined && input.EventPattern !== null ? deps.checkPattern(input.EventPattern, 'eventPattern') : undefined;
      const pattern = patternText !== undefined ? deps.parsePattern(patternText) : undefined;
      const source = parseArn(input.EventSourceArn);
      const busName = source?.service === 'events' && source.resource.startsWith('event-bus/') ? source.resource.slice('event-bus/'.length) : undefined;
      if (busName === undefined) throw validation('Parameter EventSourceArn is not valid. Reason: Provided EventSourceArn is not an event bus ARN.');
      if (source?.account !== store.account || source.region !== store.region || !store.buses.has(busName)) {
        throw notFound(`Event bus ${busName} does not exist.`);
      }
      if (store.archives.has(name)) {
        throw new ServiceError('ResourceAlreadyExistsException', `Archive ${name} already exists.`, { messageMember: 'message' });
      }
      const now = clock.now();
      const archive: ArchiveRecord = {
        name,
        arn: formatArn('events', store.region, store.account, `archive/${name}`),
        sourceArn: input.EventSourceArn,
        busName,
        description,
        eventPattern: patternText,
        pattern,
        retentionDays,
        kmsKeyIdentifier: input.KmsKeyIdentifier || undefined,
        creationTime: new Date(now),
        events: [],
        sizeBytes: 0,
      };
      store.archives.set(name, archive);
      return { ArchiveArn: archive.arn, State: archiveState(), CreationTime: archive.creationTime };
    },

    DescribeArchive: (ctx: RequestContext, input: DescribeArchiveRequest): DescribeArchiveResponse => {
      const archive = getArchive(deps.storeOf(ctx), checkArchiveName(input.ArchiveName, 'archiveName'));
      prune(archive, clock.now());
      return {
        ArchiveArn: archive.arn,
        ArchiveName: archive.name,
        EventSourceArn: archive.sourceArn,
        ...(archive.description !== undefined ? { Description: archive.description } : {}),
        ...(archive.eventPattern !== undefined ? { EventPattern: archive.eventPattern } : {}),
        State: archiveState(),
        ...(archive.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: archive.kmsKeyIdentifier } : {}),
        RetentionDays: archive.retentionDays,
        SizeBytes: archive.sizeBytes,
        EventCount: archive.events.length,
        CreationTime: archive.creationTime,
      };
    },

    ListArchives: (ctx: RequestContext, input: ListArchivesRequest): ListArchivesResponse => {
      const filters = [input.NamePrefix, input.EventSourceArn, input.State].filter((v) => v !== undefined && v !== null);
      if (filters.length > 1) throw validation('At most one filter is allowed for ListArchives. Use either : State, EventSourceArn, or NamePrefix.');
      const now = clock.now();
      const archives = [...deps.storeOf(ctx).archives.values()]
        .filter((a) => (input.NamePrefix ? a.name.startsWith(input.NamePrefix) : true))
        .filter((a) => (input.EventSourceArn ? a.sourceArn === input.EventSourceArn : true))
        .filter(() => (input.State ? input.State === archiveState() : true))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const p = page(archives, input.NextToken ?? undefined, input.Limit ?? undefined);
      return {
        Archives: p.items.map((a): Archive => {
          prune(a, now);
          return {
            ArchiveName: a.name,
            EventSourceArn: a.sourceArn,
            State: archiveState(),
            RetentionDays: a.retentionDays,
            SizeBytes: a.sizeBytes,
            EventCount: a.events.length,
            CreationTime: a.creationTime,
          };
        }),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },

    UpdateArchive: (ctx: RequestContext, input: UpdateArchiveRequest): UpdateArchiveResponse => {
      const archive = getArchive(deps.storeOf(ctx), checkArchiveName(input.ArchiveName, 'archiveName'));
      const description = checkDescription(input.Description);
      const retention = input.RetentionDays !== undefined && input.RetentionDays !== null ? checkRetention(input.RetentionDays) : undefined;
      const patternText = input.EventPattern !== undefined && input.EventPattern !== null ? deps.checkPattern(input.EventPattern, 'eventPattern') : undefined;
      const pattern = patternText !== undefined ? deps.parsePattern(patternText) : undefined;
      if (description !== undefined) archive.description = description;
      if (retention !== undefined) archive.retentionDays = retention;
      if (input.KmsKeyIdentifier !== undefined && input.KmsKeyIdentifier !== null) archive.kmsKeyIdentifier = input.KmsKeyIdentifier || undefined;
      if (patternText !== undefined) {
        archive.eventPattern = patternText;
        archive.pattern = pattern;
      }
      prune(archive, clock.now());
      return { ArchiveArn: archive.arn, State: archiveState(), CreationTime: archive.creationTime };
    },

    DeleteArchive: (ctx: RequestContext, input: DeleteArchiveRequest): void => {
      const store = deps.storeOf(ctx);
      const archive = getArchive(store, checkArchiveName(input.ArchiveName, 'archiveName'));
      store.archives.delete(archive.name);
    },

    StartReplay: (ctx: RequestContext, input: StartReplayRequest): StartReplayResponse => {
      const store = deps.storeOf(ctx);
      const name = checkArchiveName(input.ReplayName, 'replayName');
      const description = checkDescription(input.Description);
      if (input.EventSourceArn === undefined || input.EventSourceArn === null) throw missing('eventSourceArn');
      const startTime = dateOf(input.EventStartTime, 'eventStartTime');
      const endTime = dateOf(input.EventEndTime, 'eventEndTime');
      const destination = input.Destination;
      if (!destination) throw missing('destination');
      if (destination.Arn === undefined || destination.Arn === null) throw missing('destination.arn');
      const source = parseArn(input.EventSourceArn);
      if (source?.service !== 'events' || !source.resource.startsWith('archive/')) {
        throw validation('Parameter EventSourceArn is not valid. Reason: Provided EventSourceArn is not an archive ARN.');
      }
      const archive = getArchive(store, source.resource.slice('archive/'.length));
      if (startTime.getTime() >= endTime.getTime()) {
        throw validation('Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.');
      }
      if (destination.Arn !== store.busArn(archive.busName)) {
        throw validation('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
      }
      const bus = store.buses.get(archive.busName);
      if (!bus) throw notFound(`Event bus ${archive.busName} does not exist.`);
      for (const arn of destination.FilterArns ?? []) {
        if (![...bus.rules.values()].some((r) => r.arn === arn)) throw notFound(`Rule ${arn} does not exist.`);
      }
      const existing = store.replays.get(name);
      if (existing) {
        throw new ServiceError('ResourceAlreadyExistsException', `Replay ${name} already exists.`, { messageMember: 'message' });
      }
      const replay: ReplayRecord = {
        name,
        arn: formatArn('events', store.region, store.account, `replay/${name}`),
        description,
        archiveArn: archive.arn,
        archiveName: archive.name,
        busName: archive.busName,
        startTime,
        endTime,
        filterArns: destination.FilterArns ? [...destination.FilterArns] : undefined,
        state: 'STARTING',
        stateReason: undefined,
        replayStartTime: new Date(clock.now()),
        replayEndTime: undefined,
        lastReplayed: undefined,
      };
      store.replays.set(name, replay);
      run(store, replay);
      return { ReplayArn: replay.arn, State: replay.state, ReplayStartTime: replay.replayStartTime };
    },

    DescribeReplay: (ctx: RequestContext, input: DescribeReplayRequest): DescribeReplayResponse => {
      const name = checkArchiveName(input.ReplayName, 'replayName');
      const replay = deps.storeOf(ctx).replays.get(name);
      if (!replay) throw notFound(`Replay ${name} does not exist.`);
      return {
        ...replayOf(replay),
        ReplayArn: replay.arn,
        ...(replay.description !== undefined ? { Description: replay.description } : {}),
        Destination: { Arn: `${replay.arn.split(':replay/')[0] ?? ''}:event-bus/${replay.busName}`, ...(replay.filterArns ? { FilterArns: [...replay.filterArns] } : {}) },
      };
    },

    ListReplays: (ctx: RequestContext, input: ListReplaysRequest): ListReplaysResponse => {
      const filters = [input.NamePrefix, input.EventSourceArn, input.State].filter((v) => v !== undefined && v !== null);
      if (filters.length > 1) throw validation('At most one filter is allowed for ListReplays. Use either : State, EventSourceArn, or NamePrefix.');
      const replays = [...deps.storeOf(ctx).replays.values()]
        .filter((r) => (input.NamePrefix ? r.name.startsWith(input.NamePrefix) : true))
        .filter((r) => (input.EventSourceArn ? r.archiveArn === input.EventSourceArn : true))
        .filter((r) => (input.State ? r.state === input.State : true))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const p = page(replays, input.NextToken ?? undefined, input.Limit ?? undefined);
      return { Replays: p.items.map(replayOf), ...(p.next ? { NextToken: p.next } : {}) };
    },

    CancelReplay: (ctx: RequestContext, input: CancelReplayRequest): CancelReplayResponse => {
      const name = checkArchiveName(input.ReplayName, 'replayName');
      const replay = deps.storeOf(ctx).replays.get(name);
      if (!replay) throw notFound(`Replay ${name} does not exist.`);
      if (replay.state !== 'STARTING' && replay.state !== 'RUNNING') {
        throw new ServiceError('IllegalStatusException', `Replay ${name} is not in a valid state for this operation.`, { messageMember: 'message' });
      }
      replay.state = 'CANCELLING';
      return { ReplayArn: replay.arn, State: replay.state };
    },
  };
}
