// Step Functions (https://docs.aws.amazon.com/step-functions/latest/apireference/): state machines, executions on
// the engine in engine.ts, activities and task tokens. Each operation validates at the edge with AWS's messages.
import type {
  ActivityListItem,
  CreateActivityInput,
  CreateActivityOutput,
  CreateStateMachineAliasInput,
  CreateStateMachineAliasOutput,
  CreateStateMachineInput,
  CreateStateMachineOutput,
  DeleteStateMachineAliasInput,
  DeleteStateMachineVersionInput,
  DescribeStateMachineAliasInput,
  DescribeStateMachineAliasOutput,
  ListStateMachineAliasesInput,
  ListStateMachineAliasesOutput,
  ListStateMachineVersionsInput,
  ListStateMachineVersionsOutput,
  PublishStateMachineVersionInput,
  RedriveExecutionInput,
  RedriveExecutionOutput,
  PublishStateMachineVersionOutput,
  RoutingConfigurationListItem,
  TestStateInput,
  TestStateOutput,
  UpdateStateMachineAliasInput,
  UpdateStateMachineAliasOutput,
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
  ListMapRunsInput,
  ListMapRunsOutput,
  DescribeMapRunInput,
  DescribeMapRunOutput,
  MapRunExecutionCounts,
  UpdateMapRunInput,
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
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import type { DeliveryResult, DeliverySource, TargetMessage, TargetOwner } from '../../core/targets.js';
import { formatInvalidDefinition, parseDefinition, type StateMachineDefinition } from './asl/definition.js';
import { JsonataRuntime } from './asl/jsonata.js';
import { ExecutionEngine, type MapRuns } from './engine.js';
import { SfnErrors } from './errors.js';
import { paginate } from './pagination.js';
import {
  StepFunctionsStore,
  type ActivityRecord,
  type ActivityTask,
  type ActivityWaiter,
  type AliasRecord,
  type ExecutionRecord,
  type RoutingEntry,
  type VersionRecord,
  type ExecutionStatus,
  type MachineSnapshot,
  type MapRunRecord,
  type StateMachineRecord,
} from './store.js';
import { testState } from './test-state.js';
import { TaskTokens } from './tokens.js';
import type { EventBridgeInternal } from '../eventbridge/provider.js';
import type { NestedExecutions } from './integrations.js';
import type { LogsInternal } from '../logs/internal.js';
import { ExecutionLogWriter, checkLoggingConfiguration } from './execution-logs.js';
import { MockConfig, type MockedExecution } from './mock-config.js';

/** `stateMachineArn#TestCase`: the ARN and the Step Functions Local test case it names. */
function splitTestCase(arn: string | undefined): { arn: string | undefined; testCase: string | undefined } {
  const i = typeof arn === 'string' ? arn.indexOf('#') : -1;
  if (i < 0 || arn === undefined) return { arn, testCase: undefined };
  return { arn: arn.slice(0, i), testCase: arn.slice(i + 1) };
}

/** GetActivityTask waits up to 60 seconds for a task (API reference). */
const ACTIVITY_POLL_MS = 60_000;
const MAX_TAGS = 50;
/** A stopped execution can be redriven for 14 days, at most 1000 times (RedriveExecution API reference). */
const REDRIVE_WINDOW_MS = 14 * 24 * 3600 * 1000;
const MAX_REDRIVES = 1000;
/** Versions and aliases per state machine (Step Functions service quotas). */
const MAX_VERSIONS = 1000;
const MAX_ALIASES = 100;

/** What a state machine ARN names, and what an execution of it runs. */
interface Target {
  readonly machine: StateMachineRecord;
  readonly snapshot: MachineSnapshot;
  readonly version?: VersionRecord;
  readonly alias?: AliasRecord;
}
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
  const jsonata = new JsonataRuntime({ random });
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

  /**
   * What a state machine ARN names: the machine (`stateMachine:NAME`), one of its versions (`:N`) or one of its
   * aliases (`:ALIAS`, which picks a version by weight), with the snapshot an execution would run.
   */
  const targetOf = (arn: string | undefined, member = 'stateMachineArn'): Target => {
    if (arn === undefined || arn === null) throw SfnErrors.missing(member);
    const parsed = parseArn(arn);
    const parts = parsed?.resource.split(':') ?? [];
    if (parsed?.service !== 'states' || parts[0] !== 'stateMachine' || parts.length < 2 || parts.length > 3) throw SfnErrors.invalidArn(arn);
    const store = stores.get(parsed.account, parsed.region);
    const machine = store.machines.get(formatArn('states', parsed.region, parsed.account, `stateMachine:${parts[1] ?? ''}`));
    if (!machine) throw SfnErrors.stateMachineDoesNotExist(arn);
    const qualifier = parts[2];
    if (qualifier === undefined) return { machine, snapshot: machine };
    if (/^\d+$/.test(qualifier)) {
      const version = machine.versions.get(Number(qualifier));
      if (!version) throw SfnErrors.stateMachineDoesNotExist(arn);
      return { machine, snapshot: version, version };
    }
    const alias = machine.aliases.get(qualifier);
    if (!alias) throw SfnErrors.stateMachineDoesNotExist(arn);
    const version = pickVersion(machine, alias);
    return { machine, snapshot: version, version, alias };
  };

  /** An alias's version for one execution, chosen by the routing weights. */
  const pickVersion = (machine: StateMachineRecord, alias: AliasRecord): VersionRecord => {
    let roll = random() * 100;
    let chosen = alias.routing[alias.routing.length - 1] as RoutingEntry;
    for (const entry of alias.routing) {
      if (roll < entry.weight) {
        chosen = entry;
        break;
      }
      roll -= entry.weight;
    }
    const version = machine.versions.get(Number(chosen.stateMachineVersionArn.split(':').pop()));
    if (!version) throw SfnErrors.stateMachineDoesNotExist(chosen.stateMachineVersionArn);
    return version;
  };

  /** Publishes the machine's current revision as a version, or returns the version that already holds it. */
  const publishVersion = (machine: StateMachineRecord, description: string | undefined, revisionId?: string): VersionRecord => {
    if (description !== undefined && description.length > 256) {
      throw SfnErrors.validation(
        "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 256",
      );
    }
    if (revisionId !== undefined && revisionId !== null && revisionId !== machine.revisionId) {
      throw SfnErrors.conflict(
        `Failed to publish the State Machine version for revision ${revisionId}. The current State Machine revision is ${machine.revisionId}.`,
      );
    }
    const latest = [...machine.versions.values()].pop();
    if (latest && latest.revisionId === machine.revisionId) {
      if (description !== undefined && description !== latest.description) {
        throw SfnErrors.conflict(
          `Failed to publish the State Machine version for revision ${machine.revisionId}. The description is different from the one of the version ${latest.versionArn} that already exists for this revision.`,
        );
      }
      return latest;
    }
    if (machine.versions.size >= MAX_VERSIONS) {
      throw SfnErrors.serviceQuotaExceeded(`Maximum number of versions (${MAX_VERSIONS}) reached for the state machine ${machine.arn}`);
    }
    const number = machine.counter.nextVersion++;
    const version: VersionRecord = {
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
      versionArn: `${machine.arn}:${number}`,
      version: number,
      description,
      creationDate: now(),
    };
    machine.versions.set(number, version);
    return version;
  };

  const aliasOf = (arn: string | undefined): { machine: StateMachineRecord; alias: AliasRecord } => {
    if (arn === undefined || arn === null) throw SfnErrors.missing('stateMachineAliasArn');
    const parsed = parseArn(arn);
    const parts = parsed?.resource.split(':') ?? [];
    if (parsed?.service !== 'states' || parts[0] !== 'stateMachine' || parts.length !== 3 || /^\d+$/.test(parts[2] ?? '')) {
      throw SfnErrors.invalidArn(arn);
    }
    const machine = stores.get(parsed.account, parsed.region).machines.get(formatArn('states', parsed.region, parsed.account, `stateMachine:${parts[1] ?? ''}`));
    const alias = machine?.aliases.get(parts[2] as string);
    if (!machine || !alias) throw SfnErrors.resourceNotFound(arn);
    return { machine, alias };
  };

  /** A routing configuration: one or two versions of `machine`, distinct, with weights that add up to 100. */
  const checkRouting = (machine: StateMachineRecord, routing: readonly RoutingConfigurationListItem[] | undefined): RoutingEntry[] => {
    if (routing === undefined || routing === null) throw SfnErrors.missing('routingConfiguration');
    if (routing.length < 1 || routing.length > 2) {
      throw SfnErrors.validation(
        `1 validation error detected: Value at 'routingConfiguration' failed to satisfy constraint: Member must have length ${routing.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 2'}`,
      );
    }
    const entries: RoutingEntry[] = [];
    for (const item of routing) {
      const arn = item.stateMachineVersionArn;
      if (arn === undefined || arn === null) throw SfnErrors.missing('routingConfiguration.member.stateMachineVersionArn');
      const weight = item.weight;
      if (weight === undefined || weight === null) throw SfnErrors.missing('routingConfiguration.member.weight');
      if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
        throw SfnErrors.validation(
          `1 validation error detected: Value '${weight}' at 'routingConfiguration.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100`,
        );
      }
      const target = targetOf(arn, 'stateMachineVersionArn');
      if (!target.version || target.alias) throw SfnErrors.invalidArn(arn);
      if (target.machine.arn !== machine.arn) {
        throw SfnErrors.validationReason('Routing configuration must contain state machine version ARNs of the same state machine', 'INVALID_ROUTING_CONFIGURATION');
      }
      if (entries.some((e) => e.stateMachineVersionArn === arn)) {
        throw SfnErrors.validationReason('Routing configuration must contain distinct state machine version ARNs', 'INVALID_ROUTING_CONFIGURATION');
      }
      entries.push({ stateMachineVersionArn: arn, weight });
    }
    if (entries.reduce((sum, e) => sum + e.weight, 0) !== 100) {
      throw SfnErrors.validationReason('Sum of routing configuration weights must be equal to 100', 'INVALID_ROUTING_CONFIGURATION');
    }
    return entries;
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
    target: Target,
    name: string | undefined,
    input: string | undefined,
    express: boolean,
    mock?: MockedExecution,
  ): ExecutionRecord => {
    const { machine, snapshot: source } = target;
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
      definition: source.definition,
      parsed: source.parsed,
      roleArn: source.roleArn,
      revisionId: source.revisionId,
      updateDate: source.updateDate,
      loggingConfiguration: source.loggingConfiguration,
      tracingConfiguration: source.tracingConfiguration,
    };
    const exec: ExecutionRecord = {
      arn,
      name: execName,
      machine: snapshot,
      input: text,
      startDate: now(),
      status: 'RUNNING',
      history: [],
      redriveCount: 0,
      ...(target.version ? { versionArn: target.version.versionArn } : {}),
      ...(target.alias ? { aliasArn: target.alias.arn } : {}),
      ...(mock ? { mock } : {}),
      done,
    };
    store.executions.set(arn, exec);
    launch(exec, store, resolveDone);
    return exec;
  };

  // ---- distributed Map: Map Runs and their child executions ----

  const mapRuns: MapRuns = {
    start: (parent, label, settings) => {
      const parsed = parseArn(parent.arn);
      const store = stores.get(parsed?.account ?? '', parsed?.region ?? '');
      const arn = formatArn('states', store.region, store.account, `mapRun:${parent.machine.name}/${label}:${randomUUID()}`);
      const run: MapRunRecord = { arn, executionArn: parent.arn, startDate: now(), status: 'RUNNING', ...settings, itemsPerChild: [], children: [] };
      store.mapRuns.set(arn, run);
      return run;
    },
    startChild: (run, parent, label, definition, type, input, items) => {
      const parsed = parseArn(parent.arn);
      const store = stores.get(parsed?.account ?? '', parsed?.region ?? '');
      const name = randomUUID();
      const machineName = `${parent.machine.name}/${label}`;
      const resource = type === 'EXPRESS' ? `express:${machineName}:${name}:${randomUUID()}` : `execution:${machineName}:${name}`;
      let resolveDone: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        resolveDone = resolve;
      });
      const text = JSON.stringify(definition);
      const exec: ExecutionRecord = {
        arn: formatArn('states', store.region, store.account, resource),
        name,
        machine: {
          ...parent.machine,
          arn: formatArn('states', store.region, store.account, `stateMachine:${machineName}`),
          name: machineName,
          type,
          definition: text,
          parsed: definition,
        },
        input: JSON.stringify(input),
        startDate: now(),
        status: 'RUNNING',
        history: [],
        redriveCount: 0,
        mapRunArn: run.arn,
        ...(parent.mock ? { mock: parent.mock } : {}),
        done,
      };
      store.executions.set(exec.arn, exec);
      run.children.push(exec);
      run.itemsPerChild.push(items);
      launch(exec, store, resolveDone);
      return exec;
    },
  };

  const mapRunOf = (arn: string | undefined): MapRunRecord => {
    if (arn === undefined || arn === null) throw SfnErrors.missing('mapRunArn');
    const parsed = parseArn(arn);
    if (parsed?.service !== 'states' || !parsed.resource.startsWith('mapRun:')) throw SfnErrors.invalidArn(arn);
    const run = stores.get(parsed.account, parsed.region).mapRuns.get(arn);
    if (!run) throw SfnErrors.resourceNotFound(arn);
    return run;
  };

  /** DescribeMapRun's counts: of child executions, or of the items they carry. */
  const mapRunCounts = (run: MapRunRecord, weigh: (index: number) => number): MapRunExecutionCounts => {
    const counts = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 };
    run.children.forEach((child, i) => {
      const n = weigh(i);
      if (child.status === 'RUNNING') counts.running += n;
      else if (child.status === 'SUCCEEDED') counts.succeeded += n;
      else if (child.status === 'FAILED') counts.failed += n;
      else if (child.status === 'TIMED_OUT') counts.timedOut += n;
      else counts.aborted += n;
    });
    return counts;
  };

  /** The Step Functions Local test case of `stateMachineArn#TestCase`, from the file SFN_MOCK_CONFIG names (read on each start, so edits apply). */
  const mockFor = (target: Target, testCase: string | undefined): MockedExecution | undefined => {
    if (testCase === undefined) return undefined;
    const path = process.env.SFN_MOCK_CONFIG;
    if (path === undefined || path === '') {
      throw SfnErrors.validation(`Test case '${testCase}' requested, but no mock configuration file is set (SFN_MOCK_CONFIG)`);
    }
    let config: MockConfig;
    try {
      config = MockConfig.load(path);
    } catch (err) {
      throw SfnErrors.validation((err as Error).message);
    }
    return config.testCase(target.machine.name, testCase);
  };

  // CloudWatch Logs is loaded when an execution first logs, once.
  let logsInternal: Promise<LogsInternal | undefined> | undefined;
  const logs = (): Promise<LogsInternal | undefined> =>
    (logsInternal ??= host
      .provider('logs')
      .then((p) => p?.internal as LogsInternal | undefined)
      .catch(() => undefined));

  const launch = (exec: ExecutionRecord, store: StepFunctionsStore, onClose: () => void): void => {
    const writer = ExecutionLogWriter.for(logs, host, exec.arn, exec.machine.name, exec.machine.loggingConfiguration);
    new ExecutionEngine(
      exec,
      {
        clock: host.clock,
        host,
        tokens,
        store,
        log: host.log,
        random,
        jsonata,
        executions: nested,
        statusChanged,
        mapRuns,
        ...(writer ? { onEvent: (event: HistoryEvent) => writer.write(event) } : {}),
      },
      onClose,
    ).start();
  };

  /** Why an execution cannot be redriven now, or undefined when it can. */
  const notRedrivable = (exec: ExecutionRecord): string | undefined => {
    if (exec.machine.type === 'EXPRESS') return 'Execution is of type EXPRESS and cannot be redriven';
    if (exec.status === 'RUNNING' || exec.status === 'SUCCEEDED') return `Execution is ${exec.status} and cannot be redriven`;
    if (exec.stopDate && host.clock.now() - exec.stopDate.getTime() > REDRIVE_WINDOW_MS) {
      return 'Execution stopped more than 14 days ago and cannot be redriven';
    }
    if (exec.redriveCount >= MAX_REDRIVES) return `Execution has been redriven ${MAX_REDRIVES} times and cannot be redriven again`;
    if (!exec.resumeFrom) return 'Execution did not enter a state that can be redriven';
    return undefined;
  };

  const redrive = (exec: ExecutionRecord): Date => {
    const reason = notRedrivable(exec);
    if (reason !== undefined) throw SfnErrors.executionNotRedrivable(exec.arn, reason);
    const parsed = parseArn(exec.arn);
    const store = stores.get(parsed?.account ?? '', parsed?.region ?? '');
    let resolveDone: () => void = () => undefined;
    exec.done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    exec.status = 'RUNNING';
    exec.redriveCount += 1;
    exec.redriveDate = now();
    exec.stopDate = undefined;
    exec.output = undefined;
    exec.error = undefined;
    exec.cause = undefined;
    launch(exec, store, resolveDone);
    return exec.redriveDate;
  };

  /** states:startExecution from a task: the same checks as StartExecution. */
  const nested: NestedExecutions = {
    start: (stateMachineArn, name, input) => {
      const target = targetOf(stateMachineArn);
      return startExecution(target, name, input, target.machine.type === 'EXPRESS');
    },
  };

  // EventBridge is loaded on the first status change, once; executions never wait for it.
  let eventBus: Promise<EventBridgeInternal | undefined> | undefined;
  const statusChanged = (exec: ExecutionRecord): void => {
    if (exec.machine.type !== 'STANDARD' || exec.mapRunArn !== undefined) return;
    const parsed = parseArn(exec.arn);
    if (!parsed) return;
    const event = statusChangeEvent(exec, parsed.account, parsed.region, host.clock.now());
    eventBus ??= host
      .provider('eventbridge')
      .then((p) => p?.internal as EventBridgeInternal | undefined)
      .catch(() => undefined);
    void eventBus
      .then((bus) => bus?.route(parsed.account, parsed.region, 'default', event))
      .catch((err: unknown) => host.log.warn(`stepfunctions: status change event for ${exec.arn} not sent: ${String(err)}`));
  };

  const stopAll = (): void => {
    for (const store of stores.all()) {
      for (const exec of store.executions.values()) exec.stop?.('Switchyard.Reset', 'Switchyard was reset or stopped');
      for (const activity of store.activities.values()) activity.waiters.splice(0).forEach((w) => w.cancel());
    }
  };

  const redriveStatus = (exec: ExecutionRecord): Pick<DescribeExecutionOutput, 'redriveStatus' | 'redriveStatusReason'> => {
    const reason = notRedrivable(exec);
    return reason === undefined ? { redriveStatus: 'REDRIVABLE' } : { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason };
  };

  const describeExecution = (exec: ExecutionRecord): DescribeExecutionOutput => ({
    executionArn: exec.arn,
    stateMachineArn: exec.machine.arn,
    ...(exec.versionArn ? { stateMachineVersionArn: exec.versionArn } : {}),
    ...(exec.aliasArn ? { stateMachineAliasArn: exec.aliasArn } : {}),
    ...(exec.mapRunArn ? { mapRunArn: exec.mapRunArn } : {}),
    name: exec.name,
    status: exec.status,
    startDate: exec.startDate,
    ...(exec.stopDate ? { stopDate: exec.stopDate } : {}),
    input: exec.input,
    inputDetails: { included: true },
    ...(exec.output !== undefined ? { output: exec.output, outputDetails: { included: true } } : {}),
    ...(exec.error !== undefined ? { error: exec.error } : {}),
    ...(exec.cause !== undefined ? { cause: exec.cause } : {}),
    redriveCount: exec.redriveCount,
    ...(exec.redriveDate ? { redriveDate: exec.redriveDate } : {}),
    ...redriveStatus(exec),
  });

  // ---- TargetOwner: EventBridge, Scheduler, Pipes ... start executions through deliver() ----

  const internal: TargetOwner = {
    async deliver(arn: string, message: TargetMessage, _source: DeliverySource): Promise<DeliveryResult> {
      const target = targetOf(arn);
      const exec = startExecution(target, undefined, message.body, target.machine.type === 'EXPRESS');
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
        const logging = checkLoggingConfiguration(input.loggingConfiguration);
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
          const version = input.publish === true ? publishVersion(existing, input.versionDescription) : undefined;
          return { stateMachineArn: arn, creationDate: existing.creationDate, ...(version ? { stateMachineVersionArn: version.versionArn } : {}) };
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
          versions: new Map(),
          aliases: new Map(),
          counter: { nextVersion: 1 },
        };
        applyTags(machine.tags, input.tags, arn);
        if (input.versionDescription !== undefined && input.publish !== true) throw SfnErrors.versionDescriptionWithoutPublish();
        store.machines.set(arn, machine);
        const version = input.publish === true ? publishVersion(machine, input.versionDescription) : undefined;
        return { stateMachineArn: arn, creationDate: created, ...(version ? { stateMachineVersionArn: version.versionArn } : {}) };
      },

      DescribeStateMachine: (_ctx: RequestContext, input: DescribeStateMachineInput): DescribeStateMachineOutput => {
        const target = targetOf(input.stateMachineArn);
        if (target.alias) throw SfnErrors.invalidArn(input.stateMachineArn as string);
        const m = target.version ?? target.machine;
        return {
          stateMachineArn: target.version?.versionArn ?? m.arn,
          ...(target.version?.description !== undefined ? { description: target.version.description } : {}),
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
          loggingConfiguration:
            input.loggingConfiguration !== undefined ? checkLoggingConfiguration(input.loggingConfiguration) : m.loggingConfiguration,
          tracingConfiguration: input.tracingConfiguration ?? m.tracingConfiguration,
          revisionId: randomUUID(),
          updateDate: now(),
        };
        if (input.versionDescription !== undefined && input.publish !== true) throw SfnErrors.versionDescriptionWithoutPublish();
        storeOfArn(m.arn, 'stateMachine', 'stateMachineArn').machines.set(m.arn, updated);
        const version = input.publish === true ? publishVersion(updated, input.versionDescription) : undefined;
        return {
          updateDate: updated.updateDate,
          revisionId: updated.revisionId,
          ...(version ? { stateMachineVersionArn: version.versionArn } : {}),
        };
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

      // ---- versions and aliases ----

      PublishStateMachineVersion: (_ctx: RequestContext, input: PublishStateMachineVersionInput): PublishStateMachineVersionOutput => {
        const target = targetOf(input.stateMachineArn);
        if (target.version || target.alias) throw SfnErrors.invalidArn(input.stateMachineArn as string);
        const version = publishVersion(target.machine, input.description, input.revisionId);
        return { creationDate: version.creationDate, stateMachineVersionArn: version.versionArn };
      },

      ListStateMachineVersions: (_ctx: RequestContext, input: ListStateMachineVersionsInput): ListStateMachineVersionsOutput => {
        const target = targetOf(input.stateMachineArn);
        if (target.version || target.alias) throw SfnErrors.invalidArn(input.stateMachineArn as string);
        const all = [...target.machine.versions.values()].reverse();
        const page = paginate(all, input.maxResults, input.nextToken);
        return {
          stateMachineVersions: page.items.map((v) => ({ stateMachineVersionArn: v.versionArn, creationDate: v.creationDate })),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },

      DeleteStateMachineVersion: (_ctx: RequestContext, input: DeleteStateMachineVersionInput): Record<string, never> => {
        const arn = input.stateMachineVersionArn;
        if (arn === undefined || arn === null) throw SfnErrors.missing('stateMachineVersionArn');
        const parts = parseArn(arn)?.resource.split(':') ?? [];
        if (parts.length !== 3 || !/^\d+$/.test(parts[2] ?? '')) throw SfnErrors.invalidArn(arn);
        let target: Target;
        try {
          target = targetOf(arn, 'stateMachineVersionArn');
        } catch (err) {
          // Deleting a version that does not exist succeeds.
          if (err instanceof ServiceError && err.code === 'StateMachineDoesNotExist') return {};
          throw err;
        }
        const version = target.version as VersionRecord;
        const referencing = [...target.machine.aliases.values()].filter((a) => a.routing.some((r) => r.stateMachineVersionArn === version.versionArn));
        if (referencing.length > 0) {
          throw SfnErrors.conflict(
            `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${referencing.map((a) => a.name).join(', ')}]`,
          );
        }
        target.machine.versions.delete(version.version);
        return {};
      },

      CreateStateMachineAlias: (_ctx: RequestContext, input: CreateStateMachineAliasInput): CreateStateMachineAliasOutput => {
        const name = checkName(input.name);
        if (/^\d+$/.test(name)) throw SfnErrors.invalidName(name);
        if (input.description !== undefined && input.description.length > 256) {
          throw SfnErrors.validation(
            "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 256",
          );
        }
        const first = input.routingConfiguration?.[0]?.stateMachineVersionArn;
        if (input.routingConfiguration === undefined || input.routingConfiguration === null) throw SfnErrors.missing('routingConfiguration');
        const machine = targetOf(first ?? undefined, 'routingConfiguration.member.stateMachineVersionArn').machine;
        const routing = checkRouting(machine, input.routingConfiguration);
        const arn = `${machine.arn}:${name}`;
        const existing = machine.aliases.get(name);
        if (existing) {
          if (existing.description === input.description && JSON.stringify(existing.routing) === JSON.stringify(routing)) {
            return { stateMachineAliasArn: arn, creationDate: existing.creationDate };
          }
          throw SfnErrors.conflict(`Failed to create alias because an alias with the same name and a different routing configuration already exists: ${arn}`);
        }
        if (machine.aliases.size >= MAX_ALIASES) {
          throw SfnErrors.serviceQuotaExceeded(`Maximum number of aliases (${MAX_ALIASES}) reached for the state machine ${machine.arn}`);
        }
        const created = now();
        machine.aliases.set(name, { arn, name, description: input.description, routing, creationDate: created, updateDate: created });
        return { stateMachineAliasArn: arn, creationDate: created };
      },

      DescribeStateMachineAlias: (_ctx: RequestContext, input: DescribeStateMachineAliasInput): DescribeStateMachineAliasOutput => {
        const { alias } = aliasOf(input.stateMachineAliasArn);
        return {
          stateMachineAliasArn: alias.arn,
          name: alias.name,
          ...(alias.description !== undefined ? { description: alias.description } : {}),
          routingConfiguration: alias.routing.map((r) => ({ ...r })),
          creationDate: alias.creationDate,
          updateDate: alias.updateDate,
        };
      },

      UpdateStateMachineAlias: (_ctx: RequestContext, input: UpdateStateMachineAliasInput): UpdateStateMachineAliasOutput => {
        const { machine, alias } = aliasOf(input.stateMachineAliasArn);
        if (input.description === undefined && input.routingConfiguration === undefined) {
          throw SfnErrors.missingRequiredParameter('Either the description or the RoutingConfiguration must be specified');
        }
        const routing = input.routingConfiguration !== undefined ? checkRouting(machine, input.routingConfiguration) : alias.routing;
        if (input.description !== undefined) alias.description = input.description;
        alias.routing = routing;
        alias.updateDate = now();
        return { updateDate: alias.updateDate };
      },

      DeleteStateMachineAlias: (_ctx: RequestContext, input: DeleteStateMachineAliasInput): Record<string, never> => {
        const { machine, alias } = aliasOf(input.stateMachineAliasArn);
        machine.aliases.delete(alias.name);
        return {};
      },

      ListStateMachineAliases: (_ctx: RequestContext, input: ListStateMachineAliasesInput): ListStateMachineAliasesOutput => {
        const target = targetOf(input.stateMachineArn);
        if (target.alias) throw SfnErrors.invalidArn(input.stateMachineArn as string);
        const all = [...target.machine.aliases.values()].filter(
          (a) => !target.version || a.routing.some((r) => r.stateMachineVersionArn === target.version?.versionArn),
        );
        const page = paginate(all, input.maxResults, input.nextToken);
        return {
          stateMachineAliases: page.items.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: a.creationDate })),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
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
        const { arn, testCase } = splitTestCase(input.stateMachineArn);
        const target = targetOf(arn);
        const exec = startExecution(target, input.name, input.input, target.machine.type === 'EXPRESS', mockFor(target, testCase));
        return { executionArn: exec.arn, startDate: exec.startDate };
      },

      StartSyncExecution: async (_ctx: RequestContext, input: StartSyncExecutionInput): Promise<StartSyncExecutionOutput> => {
        const { arn, testCase } = splitTestCase(input.stateMachineArn);
        const target = targetOf(arn);
        const machine = target.machine;
        if (machine.type !== 'EXPRESS') throw SfnErrors.stateMachineTypeNotSupported();
        const exec = startExecution(target, input.name, input.input, true, mockFor(target, testCase));
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
        if (input.mapRunArn !== undefined && input.mapRunArn !== null) {
          if (input.stateMachineArn !== undefined && input.stateMachineArn !== null) {
            throw SfnErrors.validation('Only one of stateMachineArn and mapRunArn can be specified');
          }
          const run = mapRunOf(input.mapRunArn);
          const filter = input.statusFilter as ExecutionStatus | undefined;
          const children = run.children.filter((e) => filter === undefined || e.status === filter).reverse();
          const page = paginate(children, input.maxResults, input.nextToken);
          return {
            executions: page.items.map(
              (e): ExecutionListItem => ({
                executionArn: e.arn,
                stateMachineArn: e.machine.arn,
                name: e.name,
                status: e.status,
                startDate: e.startDate,
                ...(e.stopDate ? { stopDate: e.stopDate } : {}),
                mapRunArn: run.arn,
              }),
            ),
            ...(page.nextToken ? { nextToken: page.nextToken } : {}),
          };
        }
        const target = targetOf(input.stateMachineArn);
        const machine = target.machine;
        const store = storeOfArn(machine.arn, 'stateMachine', 'stateMachineArn');
        const filter = input.statusFilter as ExecutionStatus | undefined;
        const all = [...store.executions.values()]
          .filter(
            (e) =>
              e.machine.arn === machine.arn &&
              (filter === undefined || e.status === filter) &&
              (target.alias ? e.aliasArn === target.alias.arn : target.version ? e.versionArn === target.version.versionArn : true),
          )
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
              ...(e.versionArn ? { stateMachineVersionArn: e.versionArn } : {}),
              ...(e.aliasArn ? { stateMachineAliasArn: e.aliasArn } : {}),
            }),
          ),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },

      // ---- Map Runs ----

      ListMapRuns: (_ctx: RequestContext, input: ListMapRunsInput): ListMapRunsOutput => {
        const exec = executionOf(input.executionArn);
        const parsed = parseArn(exec.arn);
        const runs = [...stores.get(parsed?.account ?? '', parsed?.region ?? '').mapRuns.values()]
          .filter((r) => r.executionArn === exec.arn)
          .reverse();
        const page = paginate(runs, input.maxResults, input.nextToken);
        return {
          mapRuns: page.items.map((r) => ({
            executionArn: r.executionArn,
            mapRunArn: r.arn,
            stateMachineArn: formatArn('states', parsed?.region ?? '', parsed?.account ?? '', `stateMachine:${r.arn.split(':')[6] ?? ''}`),
            startDate: r.startDate,
            ...(r.stopDate ? { stopDate: r.stopDate } : {}),
          })),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },

      DescribeMapRun: (_ctx: RequestContext, input: DescribeMapRunInput): DescribeMapRunOutput => {
        const run = mapRunOf(input.mapRunArn);
        const itemCounts = mapRunCounts(run, (i) => run.itemsPerChild[i] ?? 1);
        const started = run.itemsPerChild.reduce((a, b) => a + b, 0);
        itemCounts.pending = Math.max(0, run.itemTotal - started);
        itemCounts.total = run.itemTotal;
        const executionCounts = mapRunCounts(run, () => 1);
        executionCounts.total = run.children.length;
        return {
          mapRunArn: run.arn,
          executionArn: run.executionArn,
          status: run.status,
          startDate: run.startDate,
          ...(run.stopDate ? { stopDate: run.stopDate } : {}),
          maxConcurrency: run.maxConcurrency,
          toleratedFailurePercentage: run.toleratedFailurePercentage,
          toleratedFailureCount: run.toleratedFailureCount,
          itemCounts,
          executionCounts,
          redriveCount: 0,
        };
      },

      UpdateMapRun: (_ctx: RequestContext, input: UpdateMapRunInput): Record<string, never> => {
        const run = mapRunOf(input.mapRunArn);
        if (input.maxConcurrency === undefined && input.toleratedFailurePercentage === undefined && input.toleratedFailureCount === undefined) {
          throw SfnErrors.validation('At least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be specified');
        }
        if (input.maxConcurrency !== undefined && (!Number.isInteger(input.maxConcurrency) || input.maxConcurrency < 0)) {
          throw SfnErrors.validation(
            `1 validation error detected: Value '${input.maxConcurrency}' at 'maxConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 0`,
          );
        }
        const pct = input.toleratedFailurePercentage;
        if (pct !== undefined && (pct < 0 || pct > 100)) {
          throw SfnErrors.validation(
            `1 validation error detected: Value '${pct}' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value less than or equal to 100`,
          );
        }
        if (input.toleratedFailureCount !== undefined && input.toleratedFailureCount < 0) {
          throw SfnErrors.validation(
            `1 validation error detected: Value '${input.toleratedFailureCount}' at 'toleratedFailureCount' failed to satisfy constraint: Member must have value greater than or equal to 0`,
          );
        }
        if (input.maxConcurrency !== undefined) run.maxConcurrency = input.maxConcurrency;
        if (pct !== undefined) run.toleratedFailurePercentage = pct;
        if (input.toleratedFailureCount !== undefined) run.toleratedFailureCount = input.toleratedFailureCount;
        run.updated?.();
        return {};
      },

      TestState: (ctx: RequestContext, input: TestStateInput): Promise<TestStateOutput> =>
        testState(
          ctx,
          input,
          { clock: host.clock, host, tokens, store: storeFor(ctx), log: host.log, random, jsonata, executions: nested, statusChanged },
          host.clock,
        ),

      RedriveExecution: (_ctx: RequestContext, input: RedriveExecutionInput): RedriveExecutionOutput => {
        const exec = executionOf(input.executionArn);
        // The same client token again is the same request: it answers what the first one did.
        if (input.clientToken !== undefined && input.clientToken === exec.redriveToken && exec.redriveDate) {
          return { redriveDate: exec.redriveDate };
        }
        const redriveDate = redrive(exec);
        exec.redriveToken = input.clientToken;
        return { redriveDate };
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

/**
 * The "Step Functions Execution Status Change" event AWS sends to the default bus
 * (https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html): dates in epoch milliseconds,
 * absent values as null.
 */
function statusChangeEvent(exec: ExecutionRecord, account: string, region: string, now: number): Record<string, unknown> {
  const closed = exec.status !== 'RUNNING';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account,
    time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [exec.arn],
    detail: {
      executionArn: exec.arn,
      stateMachineArn: exec.machine.arn,
      name: exec.name,
      status: exec.status,
      startDate: exec.startDate.getTime(),
      stopDate: closed && exec.stopDate ? exec.stopDate.getTime() : null,
      input: exec.input,
      output: exec.output ?? null,
      inputDetails: { included: true },
      outputDetails: exec.output !== undefined ? { included: true } : null,
      error: exec.error ?? null,
      cause: exec.cause ?? null,
    },
  };
}
