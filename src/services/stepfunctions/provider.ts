// Step Functions (https://docs.aws.amazon.com/step-functions/latest/apireference/): state machines, executions on
// the engine in engine.ts, activities and task tokens. Each operation validates at the edge with AWS's messages.
import type {
  ActivityListItem,
  CreateActivityInput,
  CreateActivityOutput,
  CreateStateMachineInput,
  CreateStateMachineOutput,
  DeleteActivityInput,
  DeleteStateMachineInput,
  DescribeActivityInput,
  DescribeActivityOutput,
  DescribeExecutionInput,
  DescribeExecutionOutput,
  DescribeStateMachineForExecutionInput,
  DescribeStateMachineForExecutionOutput,
  DescribeStateMachineInput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  GetActivityTaskInput,
  GetActivityTaskOutput,
  GetExecutionHistoryInput,
  GetExecutionHistoryOutput,
  HistoryEvent,
  ListActivitiesInput,
  ListActivitiesOutput,
  ListExecutionsInput,
  ListExecutionsOutput,
  ListStateMachinesInput,
  ListStateMachinesOutput,
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  SendTaskFailureInput,
  SendTaskHeartbeatInput,
  SendTaskSuccessInput,
  StartExecutionInput,
  StartExecutionOutput,
  StartSyncExecutionInput,
  StartSyncExecutionOutput,
  StateMachineListItem,
  StateMachineType,
  StopExecutionInput,
  StopExecutionOutput,
  Tag,
  TagResourceInput,
  UntagResourceInput,
  UpdateStateMachineInput,
  UpdateStateMachineOutput,
  ValidateStateMachineDefinitionInput,
  ValidateStateMachineDefinitionOutput,
} from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { formatArn, parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../core/context.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import type { DeliveryResult, DeliverySource, TargetMessage, TargetOwner } from '../../core/targets.js';
import { formatInvalidDefinition, parseDefinition, type StateMachineDefinition } from './asl/definition.js';
import { ExecutionEngine } from './engine.js';
import { SfnErrors } from './errors.js';
import { paginate } from './pagination.js';
import {
  StepFunctionsStore,
  type ActivityRecord,
  type ActivityTask,
  type ActivityWaiter,
  type ExecutionRecord,
  type ExecutionStatus,
  type MachineSnapshot,
  type StateMachineRecord,
} from './store.js';
import { TaskTokens } from './tokens.js';

/** GetActivityTask waits up to 60 seconds for a task (API reference). */
const ACTIVITY_POLL_MS = 60_000;
const MAX_TAGS = 50;
const MAX_INPUT_BYTES = 256 * 1024;
/** An execution name is unique per state machine for 90 days (StartExecution API reference). */
const NAME_REUSE_MS = 90 * 24 * 3600 * 1000;

export interface StepFunctionsOptions {
  /** A source of randomness for FULL jitter and States.MathRandom; Math.random by default. */
  readonly random?: () => number;
}

export function createStepFunctionsProvider(host: ServiceHost, options: StepFunctionsOptions = {}): ServiceProvider {
  const stores = new RegionalStores((account, region) => new StepFunctionsStore(account, region));
  const tokens = new TaskTokens();
  const random = options.random ?? Math.random;
  const now = (): Date => new Date(host.clock.now());

  // ---- lookups ----

  const storeFor = (ctx: { account: string; region: string }): StepFunctionsStore => stores.get(ctx.account, ctx.region);

  /** The store an ARN of this service lives in, or InvalidArn. */
  const storeOfArn = (arn: string | undefined, kind: string, member: string): StepFunctionsStore => {
    if (arn === undefined || arn === null) throw SfnErrors.missing(member);
    const parsed = parseArn(arn);
    if (parsed?.service !== 'states' || !parsed.resource.startsWith(`${kind}:`)) throw SfnErrors.invalidArn(arn);
    return stores.get(parsed.account, parsed.region);
  };

  const machineOf = (arn: string | undefined): StateMachineRecord => {
    const store = storeOfArn(arn, 'stateMachine', 'stateMachineArn');
    const machine = store.machines.get(arn as string);
    if (!machine) throw SfnErrors.stateMachineDoesNotExist(arn as string);
    return machine;
  };

  const executionOf = (arn: string | undefined): ExecutionRecord => {
    if (arn === undefined || arn === null) throw SfnErrors.missing('executionArn');
    const parsed = parseArn(arn);
    if (parsed?.service !== 'states' || !/^(execution|express):/.test(parsed.resource)) throw SfnErrors.invalidArn(arn);
    const exec = stores.get(parsed.account, parsed.region).executions.get(arn);
    if (!exec) throw SfnErrors.executionDoesNotExist(arn);
    return exec;
  };

  const activityOf = (arn: string | undefined): ActivityRecord => {
    const store = storeOfArn(arn, 'activity', 'activityArn');
    const activity = store.activities.get(arn as string);
    if (!activity) throw SfnErrors.activityDoesNotExist(arn as string);
    return activity;
  };

  const checkName = (name: string | undefined, member = 'name'): string => {
    if (name === undefined || name === null) throw SfnErrors.missing(member);
    if (!isValidName(name)) throw SfnErrors.invalidName(name);
    return name;
  };

  const parseOrThrow = (definition: string | undefined): StateMachineDefinition => {
    if (definition === undefined || definition === null) throw SfnErrors.missing('definition');
    const { definition: parsed, diagnostics } = parseDefinition(definition);
    if (!parsed) throw SfnErrors.invalidDefinition(formatInvalidDefinition(diagnostics));
    return parsed;
  };

  const applyTags = (target: Map<string, string>, tags: readonly Tag[] | undefined, arn: string): void => {
    const next = new Map(target);
    for (const tag of tags ?? []) {
      if (typeof tag.key !== 'string') throw SfnErrors.missing('tags.member.key');
      next.set(tag.key, tag.value ?? '');
    }
    if (next.size > MAX_TAGS) throw SfnErrors.tooManyTags(arn);
    target.clear();
    for (const [k, v] of next) target.set(k, v);
  };

  const taggable = (arn: string | undefined): Map<string, string> => {
    if (arn === undefined || arn === null) throw SfnErrors.missing('resourceArn');
    const parsed = parseArn(arn);
    if (parsed?.service !== 'states') throw SfnErrors.invalidArn(arn);
    const store = stores.get(parsed.account, parsed.region);
    const resource = store.machines.get(arn) ?? store.activities.get(arn);
    if (!resource) throw SfnErrors.resourceNotFound(arn);
    return resource.tags;
  };

  // ---- executions ----

  const startExecution = (
    machine: StateMachineRecord,
    name: string | undefined,
    input: string | undefined,
    express: boolean,
  ): ExecutionRecord => {
    const store = stores.get(parseArn(machine.arn)?.account ?? '', parseArn(machine.arn)?.region ?? '');
    const execName = name === undefined || name === null ? randomUUID() : checkName(name);
    const text = input === undefined || input === null ? '{}' : input;
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
      throw SfnErrors.invalidExecutionInput('The input exceeds the maximum size of 262144 bytes');
    }
    try {
      JSON.parse(text);
    } catch (err) {
      throw SfnErrors.invalidExecutionInput((err as Error).message);
    }
    const resource = express
      ? `express:${machine.name}:${execName}:${randomUUID()}`
      : `execution:${machine.name}:${execName}`;
    const arn = formatArn('states', store.region, store.account, resource);
    let existing = store.executions.get(arn);
    if (existing?.stopDate && host.clock.now() - existing.stopDate.getTime() >= NAME_REUSE_MS) {
      store.executions.delete(arn);
      existing = undefined;
    }
    if (existing) {
      // Same name and input as a running execution: the call is idempotent (StartExecution API reference).
      if (existing.status === 'RUNNING' && existing.input === text) return existing;
      throw SfnErrors.executionAlreadyExists(arn);
    }
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const snapshot: MachineSnapshot = {
      arn: machine.arn,
      name: machine.name,
      type: machine.type,
      definition: machine.definition,
      parsed: machine.parsed,
      roleArn: machine.roleArn,
      revisionId: machine.revisionId,
      updateDate: machine.updateDate,
      loggingConfiguration: machine.loggingConfiguration,
      tracingConfiguration: machine.tracingConfiguration,
    };
    const exec: ExecutionRecord = {
      arn,
      name: execName,
      machine: snapshot,
      input: text,
      startDate: now(),
      status: 'RUNNING',
      history: [],
      done,
    };
    store.executions.set(arn, exec);
    new ExecutionEngine(exec, { clock: host.clock, host, tokens, store, log: host.log, random }, resolveDone).start();
    return exec;
  };

  const stopAll = (): void => {
    for (const store of stores.all()) {
      for (const exec of store.executions.values()) exec.stop?.('Switchyard.Reset', 'Switchyard was reset or stopped');
      for (const activity of store.activities.values()) activity.waiters.splice(0).forEach((w) => w.cancel());
    }
  };

  const describeExecution = (exec: ExecutionRecord): DescribeExecutionOutput => ({
    executionArn: exec.arn,
    stateMachineArn: exec.machine.arn,
    name: exec.name,
    status: exec.status,
    startDate: exec.startDate,
    ...(exec.stopDate ? { stopDate: exec.stopDate } : {}),
    input: exec.input,
    inputDetails: { included: true },
    ...(exec.output !== undefined ? { output: exec.output, outputDetails: { included: true } } : {}),
    ...(exec.error !== undefined ? { error: exec.error } : {}),
    ...(exec.cause !== undefined ? { cause: exec.cause } : {}),
    redriveCount: 0,
    redriveStatus: 'NOT_REDRIVABLE',
    redriveStatusReason:
      exec.status === 'RUNNING' || exec.status === 'SUCCEEDED'
        ? `Execution is ${exec.status} and cannot be redriven`
        : 'Switchyard does not redrive executions yet',
  });

  // ---- TargetOwner: EventBridge, Scheduler, Pipes ... start executions through deliver() ----

  const internal: TargetOwner = {
    async deliver(arn: string, message: TargetMessage, _source: DeliverySource): Promise<DeliveryResult> {
      const machine = machineOf(arn);
      const exec = startExecution(machine, undefined, message.body, machine.type === 'EXPRESS');
      return { id: exec.arn };
    },
  };

  return {
    name: 'stepfunctions',
    internal,
    reset: () => {
      stopAll();
      stores.clear();
      tokens.clear();
    },
    stop: stopAll,
    operations: {
      // ---- state machines ----

      CreateStateMachine: (ctx: RequestContext, input: CreateStateMachineInput): CreateStateMachineOutput => {
        const name = checkName(input.name);
        if (input.roleArn === undefined || input.roleArn === null) throw SfnErrors.missing('roleArn');
        const type: StateMachineType = input.type ?? 'STANDARD';
        if (type !== 'STANDARD' && type !== 'EXPRESS') {
          throw SfnErrors.validation(
            `1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
          );
        }
        const parsed = parseOrThrow(input.definition);
        const store = storeFor(ctx);
        const arn = formatArn('states', ctx.region, ctx.account, `stateMachine:${name}`);
        const logging = input.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false };
        const tracing = input.tracingConfiguration ?? { enabled: false };
        const existing = store.machines.get(arn);
        if (existing) {
          // Idempotent on name, definition, type, logging and tracing; roleArn and tags differences are ignored.
          const same =
            existing.definition === input.definition &&
            existing.type === type &&
            JSON.stringify(existing.loggingConfiguration) === JSON.stringify(logging) &&
            JSON.stringify(existing.tracingConfiguration) === JSON.stringify(tracing);
          if (!same) throw SfnErrors.stateMachineAlreadyExists(arn);
          return { stateMachineArn: arn, creationDate: existing.creationDate };
        }
        const created = now();
        const machine: StateMachineRecord = {
          arn,
          name,
          type,
          definition: input.definition as string,
          parsed,
          roleArn: input.roleArn,
          revisionId: randomUUID(),
          creationDate: created,
          updateDate: created,
          loggingConfiguration: logging,
          tracingConfiguration: tracing,
          tags: new Map(),
        };
        applyTags(machine.tags, input.tags, arn);
        store.machines.set(arn, machine);
        return { stateMachineArn: arn, creationDate: created };
      },

      DescribeStateMachine: (_ctx: RequestContext, input: DescribeStateMachineInput): DescribeStateMachineOutput => {
        const m = machineOf(input.stateMachineArn);
        return {
          stateMachineArn: m.arn,
          name: m.name,
          status: 'ACTIVE',
          definition: m.definition,
          roleArn: m.roleArn,
          type: m.type,
          creationDate: m.creationDate,
          loggingConfiguration: m.loggingConfiguration,
          tracingConfiguration: m.tracingConfiguration,
          revisionId: m.revisionId,
        };
      },

      ListStateMachines: (ctx: RequestContext, input: ListStateMachinesInput): ListStateMachinesOutput => {
        const all = [...storeFor(ctx).machines.values()].sort((a, b) => a.name.localeCompare(b.name));
        const page = paginate(all, input.maxResults, input.nextToken);
        return {
          stateMachines: page.items.map(
            (m): StateMachineListItem => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: m.creationDate }),
          ),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },

      UpdateStateMachine: (_ctx: RequestContext, input: UpdateStateMachineInput): UpdateStateMachineOutput => {
        const m = machineOf(input.stateMachineArn);
        if (
          input.definition === undefined &&
          input.roleArn === undefined &&
          input.loggingConfiguration === undefined &&
          input.tracingConfiguration === undefined
        ) {
          throw SfnErrors.missingRequiredParameter(
            'Either the definition, the roleArn, the LoggingConfiguration, or the TracingConfiguration must be specified',
          );
        }
        const parsed = input.definition !== undefined ? parseOrThrow(input.definition) : m.parsed;
        const updated: StateMachineRecord = {
          ...m,
          definition: input.definition ?? m.definition,
          parsed,
          roleArn: input.roleArn ?? m.roleArn,
          loggingConfiguration: input.loggingConfiguration ?? m.loggingConfiguration,
          tracingConfiguration: input.tracingConfiguration ?? m.tracingConfiguration,
          revisionId: randomUUID(),
          updateDate: now(),
        };
        storeOfArn(m.arn, 'stateMachine', 'stateMachineArn').machines.set(m.arn, updated);
        return { updateDate: updated.updateDate, revisionId: updated.revisionId };
      },

      DeleteStateMachine: (_ctx: RequestContext, input: DeleteStateMachineInput): Record<string, never> => {
        const store = storeOfArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
        store.machines.delete(input.stateMachineArn as string);
        return {};
      },

      ValidateStateMachineDefinition: (
        _ctx: RequestContext,
        input: ValidateStateMachineDefinitionInput,
      ): ValidateStateMachineDefinitionOutput => {
        if (input.definition === undefined || input.definition === null) throw SfnErrors.missing('definition');
        const { diagnostics } = parseDefinition(input.definition);
        const wanted = input.severity === 'WARNING' ? diagnostics : diagnostics.filter((d) => d.severity === 'ERROR');
        const max = input.maxResults && input.maxResults > 0 ? input.maxResults : 100;
        return {
          result: diagnostics.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK',
          diagnostics: wanted.slice(0, max).map((d) => ({ ...d })),
          truncated: wanted.length > max,
        };
      },

      // ---- tags ----

      TagResource: (_ctx: RequestContext, input: TagResourceInput): Record<string, never> => {
        const tags = taggable(input.resourceArn);
        applyTags(tags, input.tags, input.resourceArn as string);
        return {};
      },

      UntagResource: (_ctx: RequestContext, input: UntagResourceInput): Record<string, never> => {
        const tags = taggable(input.resourceArn);
        for (const key of input.tagKeys ?? []) tags.delete(key);
        return {};
      },

      ListTagsForResource: (_ctx: RequestContext, input: ListTagsForResourceInput): ListTagsForResourceOutput => {
        const tags = taggable(input.resourceArn);
        return { tags: [...tags].map(([key, value]) => ({ key, value })) };
      },

      // ---- executions ----

      StartExecution: (_ctx: RequestContext, input: StartExecutionInput): StartExecutionOutput => {
        const machine = machineOf(input.stateMachineArn);
        const exec = startExecution(machine, input.name, input.input, machine.type === 'EXPRESS');
        return { executionArn: exec.arn, startDate: exec.startDate };
      },

      StartSyncExecution: async (_ctx: RequestContext, input: StartSyncExecutionInput): Promise<StartSyncExecutionOutput> => {
        const machine = machineOf(input.stateMachineArn);
        if (machine.type !== 'EXPRESS') throw SfnErrors.stateMachineTypeNotSupported();
        const exec = startExecution(machine, input.name, input.input, true);
        await exec.done;
        return {
          executionArn: exec.arn,
          stateMachineArn: machine.arn,
          name: exec.name,
          startDate: exec.startDate,
          stopDate: exec.stopDate ?? now(),
          status: exec.status === 'SUCCEEDED' ? 'SUCCEEDED' : exec.status === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED',
          input: exec.input,
          inputDetails: { included: true },
          ...(exec.output !== undefined ? { output: exec.output, outputDetails: { included: true } } : {}),
          ...(exec.error !== undefined ? { error: exec.error } : {}),
          ...(exec.cause !== undefined ? { cause: exec.cause } : {}),
          billingDetails: {
            billedMemoryUsedInMB: 64,
            billedDurationInMilliseconds: Math.max(100, Math.ceil(((exec.stopDate ?? now()).getTime() - exec.startDate.getTime()) / 100) * 100),
          },
        };
      },

      DescribeExecution: (_ctx: RequestContext, input: DescribeExecutionInput): DescribeExecutionOutput =>
        describeExecution(executionOf(input.executionArn)),

      DescribeStateMachineForExecution: (
        _ctx: RequestContext,
        input: DescribeStateMachineForExecutionInput,
      ): DescribeStateMachineForExecutionOutput => {
        const m = executionOf(input.executionArn).machine;
        return {
          stateMachineArn: m.arn,
          name: m.name,
          definition: m.definition,
          roleArn: m.roleArn,
          updateDate: m.updateDate,
          loggingConfiguration: m.loggingConfiguration,
          tracingConfiguration: m.tracingConfiguration,
          revisionId: m.revisionId,
        };
      },

      ListExecutions: (_ctx: RequestContext, input: ListExecutionsInput): ListExecutionsOutput => {
        const machine = machineOf(input.stateMachineArn);
        const store = storeOfArn(machine.arn, 'stateMachine', 'stateMachineArn');
        const filter = input.statusFilter as ExecutionStatus | undefined;
        const all = [...store.executions.values()]
          .filter((e) => e.machine.arn === machine.arn && (filter === undefined || e.status === filter))
          .reverse();
        const page = paginate(all, input.maxResults, input.nextToken);
        return {
          executions: page.items.map(
            (e): ExecutionListItem => ({
              executionArn: e.arn,
              stateMachineArn: e.machine.arn,
              name: e.name,
              status: e.status,
              startDate: e.startDate,
              ...(e.stopDate ? { stopDate: e.stopDate } : {}),
            }),
          ),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },

      StopExecution: (_ctx: RequestContext, input: StopExecutionInput): StopExecutionOutput => {
        const exec = executionOf(input.executionArn);
        exec.stop?.(input.error, input.cause);
        return { stopDate: exec.stopDate ?? now() };
      },

      GetExecutionHistory: (_ctx: RequestContext, input: GetExecutionHistoryInput): GetExecutionHistoryOutput => {
        const exec = executionOf(input.executionArn);
        const events = input.reverseOrder ? [...exec.history].reverse() : exec.history;
        const page = paginate(events, input.maxResults, input.nextToken);
        const withData = input.includeExecutionData !== false;
        return {
          events: withData ? page.items : page.items.map(withoutData),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },

      // ---- activities ----

      CreateActivity: (ctx: RequestContext, input: CreateActivityInput): CreateActivityOutput => {
        const name = checkName(input.name);
        const store = storeFor(ctx);
        const arn = formatArn('states', ctx.region, ctx.account, `activity:${name}`);
        const existing = store.activities.get(arn);
        if (existing) return { activityArn: arn, creationDate: existing.creationDate };
        const activity: ActivityRecord = { arn, name, creationDate: now(), tags: new Map(), tasks: [], waiters: [] };
        applyTags(activity.tags, input.tags, arn);
        store.activities.set(arn, activity);
        return { activityArn: arn, creationDate: activity.creationDate };
      },

      DescribeActivity: (_ctx: RequestContext, input: DescribeActivityInput): DescribeActivityOutput => {
        const a = activityOf(input.activityArn);
        return { activityArn: a.arn, name: a.name, creationDate: a.creationDate };
      },

      ListActivities: (ctx: RequestContext, input: ListActivitiesInput): ListActivitiesOutput => {
        const all = [...storeFor(ctx).activities.values()].sort((a, b) => a.name.localeCompare(b.name));
        const page = paginate(all, input.maxResults, input.nextToken);
        return {
          activities: page.items.map(
            (a): ActivityListItem => ({ activityArn: a.arn, name: a.name, creationDate: a.creationDate }),
          ),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },

      DeleteActivity: (_ctx: RequestContext, input: DeleteActivityInput): Record<string, never> => {
        const store = storeOfArn(input.activityArn, 'activity', 'activityArn');
        const activity = store.activities.get(input.activityArn as string);
        if (activity) {
          activity.waiters.splice(0).forEach((w) => w.cancel());
          store.activities.delete(activity.arn);
        }
        return {};
      },

      GetActivityTask: async (ctx: RequestContext, input: GetActivityTaskInput): Promise<GetActivityTaskOutput> => {
        const activity = activityOf(input.activityArn);
        const task = activity.tasks.shift();
        if (task) {
          task.start(input.workerName);
          return { taskToken: task.token, input: task.input };
        }
        // Long poll: answer as soon as a task is scheduled, or empty after 60 seconds or when the client leaves.
        return new Promise<GetActivityTaskOutput>((resolve) => {
          const waiter: ActivityWaiter = {
            take: (t: ActivityTask): void => {
              finish();
              t.start(input.workerName);
              resolve({ taskToken: t.token, input: t.input });
            },
            cancel: (): void => {
              finish();
              resolve({});
            },
          };
          const timer = host.clock.setTimer(ACTIVITY_POLL_MS, () => waiter.cancel());
          const onAbort = (): void => waiter.cancel();
          const finish = (): void => {
            timer.cancel();
            ctx.signal.removeEventListener('abort', onAbort);
            const i = activity.waiters.indexOf(waiter);
            if (i >= 0) activity.waiters.splice(i, 1);
          };
          if (ctx.signal.aborted) {
            resolve({});
            timer.cancel();
            return;
          }
          ctx.signal.addEventListener('abort', onAbort, { once: true });
          activity.waiters.push(waiter);
        });
      },

      SendTaskSuccess: (_ctx: RequestContext, input: SendTaskSuccessInput): Record<string, never> => {
        if (input.taskToken === undefined || input.taskToken === null) throw SfnErrors.missing('taskToken');
        if (input.output === undefined || input.output === null) throw SfnErrors.missing('output');
        try {
          JSON.parse(input.output);
        } catch (err) {
          throw SfnErrors.invalidOutput((err as Error).message);
        }
        tokens.complete(input.taskToken, { ok: true, output: input.output });
        return {};
      },

      SendTaskFailure: (_ctx: RequestContext, input: SendTaskFailureInput): Record<string, never> => {
        if (input.taskToken === undefined || input.taskToken === null) throw SfnErrors.missing('taskToken');
        tokens.complete(input.taskToken, {
          ok: false,
          ...(input.error !== undefined ? { error: input.error } : {}),
          ...(input.cause !== undefined ? { cause: input.cause } : {}),
        });
        return {};
      },

      SendTaskHeartbeat: (_ctx: RequestContext, input: SendTaskHeartbeatInput): Record<string, never> => {
        if (input.taskToken === undefined || input.taskToken === null) throw SfnErrors.missing('taskToken');
        tokens.heartbeat(input.taskToken);
        return {};
      },
    },
  };
}

/**
 * State machine, execution and activity names (API reference): 1 to 80 characters, no white space, brackets,
 * wildcards, special characters or control characters.
 */
export function isValidName(name: string): boolean {
  if (name.length < 1 || name.length > 80) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u.test(name);
}

/** An event without its input and output (includeExecutionData: false). */
function withoutData(event: HistoryEvent): HistoryEvent {
  const copy: Record<string, unknown> = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      const details = { ...(value as Record<string, unknown>) };
      delete details.input;
      delete details.output;
      delete details.inputDetails;
      delete details.outputDetails;
      copy[key] = details;
    }
  }
  return copy as unknown as HistoryEvent;
}
