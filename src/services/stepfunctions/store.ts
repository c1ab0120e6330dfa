// The state of Step Functions in one account and region: state machines, their executions and activities.
import type {
  HistoryEvent,
  LoggingConfiguration,
  StateMachineType,
  TracingConfiguration,
} from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from './asl/definition.js';
import type { Json, JsonObject } from './asl/json.js';
import type { MockedExecution } from './mock-config.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What an execution runs: the machine as it was when the execution started. */
export interface MachineSnapshot {
  readonly arn: string;
  readonly name: string;
  readonly type: StateMachineType;
  readonly definition: string;
  readonly parsed: StateMachineDefinition;
  readonly roleArn: string;
  readonly revisionId: string;
  readonly updateDate: Date;
  readonly loggingConfiguration: LoggingConfiguration;
  readonly tracingConfiguration: TracingConfiguration;
}

export interface StateMachineRecord extends MachineSnapshot {
  readonly creationDate: Date;
  readonly tags: Map<string, string>;
  /** Published versions by number; shared by the records an update replaces. */
  readonly versions: Map<number, VersionRecord>;
  readonly aliases: Map<string, AliasRecord>;
  /** The number the next published version gets (numbers are never reused). */
  readonly counter: { nextVersion: number };
}

/** An immutable published version: `stateMachine:NAME:N`. */
export interface VersionRecord extends MachineSnapshot {
  readonly versionArn: string;
  readonly version: number;
  readonly description: string | undefined;
  readonly creationDate: Date;
}

export interface RoutingEntry {
  readonly stateMachineVersionArn: string;
  readonly weight: number;
}

/** `stateMachine:NAME:ALIAS`: routes executions to one or two versions by weight. */
export interface AliasRecord {
  readonly arn: string;
  readonly name: string;
  description: string | undefined;
  routing: readonly RoutingEntry[];
  readonly creationDate: Date;
  updateDate: Date;
}

export interface ExecutionRecord {
  readonly arn: string;
  readonly name: string;
  readonly machine: MachineSnapshot;
  readonly input: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  output?: string;
  error?: string;
  cause?: string;
  stopDate?: Date;
  readonly history: HistoryEvent[];
  /** The version that ran, when started through a version or an alias. */
  readonly versionArn?: string;
  readonly aliasArn?: string;
  /** How many times the execution was redriven, and when last. */
  redriveCount: number;
  redriveDate?: Date;
  redriveToken?: string | undefined;
  /** Where a redrive starts: the top-level state that failed, its input and the variables at that point. */
  resumeFrom?: ResumePoint;
  /** Resolves when the execution closes (a redrive replaces it). */
  done: Promise<void>;
  /** The Map Run a child execution of a distributed Map belongs to. */
  readonly mapRunArn?: string;
  /** The Step Functions Local test case the execution runs (`stateMachineArn#TestCase`). */
  readonly mock?: MockedExecution;
  /** Stops the execution (StopExecution); set by the engine while it runs. */
  stop?: (error: string | undefined, cause: string | undefined) => void;
}

export interface ResumePoint {
  readonly state: string;
  readonly input: Json;
  readonly variables: JsonObject;
  /** For a Parallel or inline Map state: the branches or iterations that succeeded, by index, with their outputs. */
  readonly completed?: ReadonlyMap<number, Json>;
}

/** A scheduled activity task waiting for a worker. */
export interface ActivityTask {
  readonly token: string;
  readonly input: string;
  /** Called when a worker takes the task (ActivityStarted). */
  readonly start: (workerName: string | undefined) => void;
}

export interface ActivityWaiter {
  readonly take: (task: ActivityTask) => void;
  /** Ends the poll with no task (timeout, client gone, activity deleted, reset). */
  readonly cancel: () => void;
}

export interface ActivityRecord {
  readonly arn: string;
  readonly name: string;
  readonly creationDate: Date;
  readonly tags: Map<string, string>;
  readonly tasks: ActivityTask[];
  readonly waiters: ActivityWaiter[];
}

export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** A distributed Map state's run: its child executions and the settings UpdateMapRun changes while it runs. */
export interface MapRunRecord {
  readonly arn: string;
  readonly executionArn: string;
  readonly startDate: Date;
  stopDate?: Date;
  status: MapRunStatus;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  /** How many items the run processes (before batching). */
  readonly itemTotal: number;
  /** Items per child execution, in order of the children. */
  readonly itemsPerChild: number[];
  readonly children: ExecutionRecord[];
  /** Told when UpdateMapRun changes a setting, so the run can start more children or fail. */
  updated?: () => void;
}

export class StepFunctionsStore {
  readonly mapRuns = new Map<string, MapRunRecord>();
  readonly machines = new Map<string, StateMachineRecord>();
  readonly executions = new Map<string, ExecutionRecord>();
  readonly activities = new Map<string, ActivityRecord>();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  /** Hands a task to a waiting worker, or queues it. */
  offerActivityTask(activity: ActivityRecord, task: ActivityTask): void {
    const waiter = activity.waiters.shift();
    if (waiter) waiter.take(task);
    else activity.tasks.push(task);
  }

  /** Removes a queued task (its execution stopped or it timed out before a worker took it). */
  withdrawActivityTask(activity: ActivityRecord, token: string): void {
    const i = activity.tasks.findIndex((t) => t.token === token);
    if (i >= 0) activity.tasks.splice(i, 1);
  }
}
