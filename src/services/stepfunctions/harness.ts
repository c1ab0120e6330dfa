// Test support: a Switchyard on a fake clock with Step Functions and SQS clients, and helpers to drive executions.
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { DescribeExecutionCommandOutput, HistoryEvent, StateMachineType } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { FakeClock } from '../../core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

export const ROLE = 'arn:aws:iam::000000000000:role/sfn';

export interface SfnHarness {
  readonly sy: RunningSwitchyard;
  readonly sfn: SFNClient;
  readonly sqs: SQSClient;
  readonly clock: FakeClock;
  /** Creates a state machine from a definition object and returns its ARN. */
  machine(definition: object, options?: { name?: string; type?: StateMachineType }): Promise<string>;
  /** Starts an execution and lets it run as far as it can without time passing. */
  start(machineArn: string, input?: unknown, name?: string): Promise<string>;
  /** Lets promise callbacks and I/O run, then describes the execution. */
  describe(executionArn: string): Promise<DescribeExecutionCommandOutput>;
  history(executionArn: string): Promise<HistoryEvent[]>;
  close(): Promise<void>;
}

let counter = 0;

export async function startSfnHarness(): Promise<SfnHarness> {
  const clock = new FakeClock();
  const sy = await startSwitchyard({ port: 0, logLevel: 'silent', clock });
  const config = {
    endpoint: sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  const sfn = new SFNClient({ ...config, disableHostPrefix: true });
  const sqs = new SQSClient(config);
  const h: SfnHarness = {
    sy,
    sfn,
    sqs,
    clock,
    machine: async (definition, options = {}) => {
      const out = await sfn.send(
        new CreateStateMachineCommand({
          name: options.name ?? `m${++counter}`,
          definition: JSON.stringify(definition),
          roleArn: ROLE,
          ...(options.type ? { type: options.type } : {}),
        }),
      );
      return out.stateMachineArn as string;
    },
    start: async (machineArn, input = {}, name) => {
      const out = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(input), ...(name ? { name } : {}) }),
      );
      await clock.advance(0);
      return out.executionArn as string;
    },
    describe: async (executionArn) => {
      await clock.advance(0);
      return sfn.send(new DescribeExecutionCommand({ executionArn }));
    },
    history: async (executionArn) => {
      await clock.advance(0);
      const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
      return out.events ?? [];
    },
    close: async () => {
      sfn.destroy();
      sqs.destroy();
      await sy.stop();
    },
  };
  return h;
}

/** The event types of a history, in order. */
export function types(events: readonly HistoryEvent[]): string[] {
  return events.map((e) => e.type as string);
}

/** [id, previousEventId, type] of each event, for asserting the event chain. */
export function chain(events: readonly HistoryEvent[]): [number, number, string][] {
  return events.map((e) => [e.id ?? -1, e.previousEventId ?? -1, e.type as string]);
}
