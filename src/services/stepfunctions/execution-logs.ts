// Logging executions to CloudWatch Logs (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html): the
// loggingConfiguration of CreateStateMachine and UpdateStateMachine, checked as AWS checks it, and the writer that sends
// an execution's history events to the log group as JSON records.
import { randomBytes } from 'node:crypto';
import type { HistoryEvent, LoggingConfiguration } from '@aws-sdk/client-sfn';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost } from '../../core/provider.js';
import type { LogsInternal } from '../logs/internal.js';
import { SfnErrors } from './errors.js';

const LEVELS: readonly string[] = ['ALL', 'ERROR', 'FATAL', 'OFF'];

const invalidLogging = (reason: string): ServiceError =>
  new ServiceError('InvalidLoggingConfiguration', `Invalid Logging Configuration: ${reason}`);

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*`: the form AWS requires. */
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([.\-_/#A-Za-z0-9]{1,512}):\*$/;

/** The configuration as DescribeStateMachine shows it, or AWS's error. */
export function checkLoggingConfiguration(input: LoggingConfiguration | undefined): LoggingConfiguration {
  if (input === undefined || input === null) return { level: 'OFF', includeExecutionData: false };
  const level = input.level ?? 'OFF';
  if (!LEVELS.includes(level)) {
    throw SfnErrors.validation(
      `1 validation error detected: Value '${String(level)}' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]`,
    );
  }
  const destinations = input.destinations ?? [];
  if (destinations.length > 1) throw invalidLogging('Must specify exactly one Log Destination.');
  if (level !== 'OFF' && destinations.length === 0) throw invalidLogging('Must specify exactly one Log Destination.');
  for (const d of destinations) {
    const arn = d.cloudWatchLogsLogGroup?.logGroupArn;
    if (typeof arn !== 'string' || arn === '') throw invalidLogging('Must specify exactly one Log Destination.');
    if (!arn.endsWith(':*')) throw invalidLogging("Log Group ARN must be provided with '*' qualifier.");
    if (!LOG_GROUP_ARN.test(arn)) throw invalidLogging(`Invalid log group ARN: ${arn}`);
  }
  return {
    level,
    includeExecutionData: input.includeExecutionData === true,
    ...(destinations.length > 0
      ? { destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: destinations[0]?.cloudWatchLogsLogGroup?.logGroupArn as string } }] }
      : {}),
  };
}

/** The events each level logs (https://docs.aws.amazon.com/step-functions/latest/dg/cloudwatch-log-level.html). */
const FATAL_EVENTS = new Set(['ExecutionAborted', 'ExecutionFailed', 'ExecutionTimedOut']);
const ERROR_EVENTS = new Set([
  ...FATAL_EVENTS,
  'FailStateEntered',
  'LambdaFunctionFailed',
  'LambdaFunctionScheduleFailed',
  'LambdaFunctionStartFailed',
  'LambdaFunctionTimedOut',
  'MapStateAborted',
  'MapStateFailed',
  'MapIterationAborted',
  'MapIterationFailed',
  'MapRunAborted',
  'MapRunFailed',
  'ParallelStateAborted',
  'ParallelStateFailed',
  'TaskFailed',
  'TaskStartFailed',
  'TaskStateAborted',
  'TaskSubmitFailed',
  'TaskTimedOut',
  'WaitStateAborted',
  'ActivityFailed',
  'ActivityScheduleFailed',
  'ActivityTimedOut',
]);

function logged(level: string | undefined, type: string): boolean {
  if (level === 'ALL') return true;
  if (level === 'ERROR') return ERROR_EVENTS.has(type);
  if (level === 'FATAL') return FATAL_EVENTS.has(type);
  return false;
}

/** Members of event details that carry execution data, left out unless includeExecutionData. */
const DATA_MEMBERS = new Set(['input', 'output', 'parameters', 'assignedVariables']);

/** One execution's log stream; records are written in event order. */
export class ExecutionLogWriter {
  private readonly stream: string;
  private readonly account: string;
  private readonly region: string;
  private readonly group: string;

  constructor(
    private readonly logs: Promise<LogsInternal | undefined>,
    private readonly host: ServiceHost,
    private readonly executionArn: string,
    machineName: string,
    private readonly config: LoggingConfiguration,
  ) {
    const match = LOG_GROUP_ARN.exec(config.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn ?? '');
    this.region = match?.[1] ?? '';
    this.account = match?.[2] ?? '';
    this.group = match?.[3] ?? '';
    // Streams are named states/MACHINE/YYYY-MM-DD-HH-mm/ID, as Step Functions names them.
    const start = new Date(host.clock.now()).toISOString();
    const bucket = `${start.slice(0, 10)}-${start.slice(11, 13)}-${start.slice(14, 16)}`;
    this.stream = `states/${machineName}/${bucket}/${randomBytes(4).toString('hex')}`;
  }

  /** A writer when the configuration logs anything, else undefined. */
  static for(
    logs: () => Promise<LogsInternal | undefined>,
    host: ServiceHost,
    executionArn: string,
    machineName: string,
    config: LoggingConfiguration,
  ): ExecutionLogWriter | undefined {
    if (config.level === undefined || config.level === 'OFF' || !config.destinations?.length) return undefined;
    return new ExecutionLogWriter(logs(), host, executionArn, machineName, config);
  }

  write(event: HistoryEvent): void {
    const type = event.type ?? '';
    if (!logged(this.config.level, type)) return;
    const record = {
      id: String(event.id ?? 0),
      type,
      details: this.details(event),
      previous_event_id: String(event.previousEventId ?? 0),
      event_timestamp: String(event.timestamp?.getTime() ?? this.host.clock.now()),
      execution_arn: this.executionArn,
    };
    const message = JSON.stringify(record);
    const timestamp = event.timestamp?.getTime() ?? this.host.clock.now();
    // Promise callbacks on one promise run in the order they were added, so records keep the event order.
    void this.logs
      .then((logs) => logs?.append(this.account, this.region, this.group, this.stream, [{ timestamp, message }]))
      .catch((err: unknown) => this.host.log.warn(`stepfunctions: log record for ${this.executionArn} not written: ${String(err)}`));
  }

  private details(event: HistoryEvent): Record<string, unknown> {
    const found = Object.entries(event).find(([k]) => k.endsWith('EventDetails'))?.[1] as unknown;
    const raw = typeof found === 'object' && found !== null ? (found as Record<string, unknown>) : {};
    if (this.config.includeExecutionData === true) return { ...raw };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) if (!DATA_MEMBERS.has(k)) out[k] = v;
    return out;
  }
}
