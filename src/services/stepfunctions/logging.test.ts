// loggingConfiguration over the wire: AWS's checks, DescribeStateMachine, and the records executions write to CloudWatch Logs.
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  UpdateStateMachineCommand,
  type LoggingConfiguration,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startSfnHarness, type SfnHarness } from './harness.js';

const GROUP = '/aws/vendedlogs/states/test';
const GROUP_ARN = `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}:*`;

interface LogRecord {
  id: string;
  type: string;
  details: Record<string, unknown>;
  previous_event_id: string;
  event_timestamp: string;
  execution_arn: string;
}

let h: SfnHarness;
let logs: CloudWatchLogsClient;
let n = 0;

beforeAll(async () => {
  h = await startSfnHarness();
  logs = new CloudWatchLogsClient({
    endpoint: h.sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
});

afterAll(async () => {
  logs.destroy();
  await h.close();
});

const create = (definition: object, loggingConfiguration: LoggingConfiguration) =>
  h.sfn.send(
    new CreateStateMachineCommand({ name: `log${++n}`, definition: JSON.stringify(definition), roleArn: ROLE, loggingConfiguration }),
  );

const failure = async (p: Promise<unknown>): Promise<{ name: string; message: string }> => {
  try {
    await p;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected a failure');
};

/** The records of one execution, waiting briefly for CloudWatch Logs (loaded on first use) to receive them. */
async function records(executionArn: string, count: number): Promise<LogRecord[]> {
  let found: LogRecord[] = [];
  for (let i = 0; i < 50; i++) {
    await h.clock.advance(0);
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    found = (out.events ?? [])
      .map((e) => JSON.parse(e.message ?? '{}') as LogRecord)
      .filter((r) => r.execution_arn === executionArn);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return found;
}

const PASS_FAIL = {
  StartAt: 'P',
  States: {
    P: { Type: 'Pass', Result: { secret: 1 }, Next: 'F' },
    F: { Type: 'Fail', Error: 'Boom', Cause: 'bad' },
  },
};

describe('loggingConfiguration', () => {
  it('is validated as AWS validates it', async () => {
    const def = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    expect(await failure(create(def, { level: 'ALL' }))).toEqual({
      name: 'InvalidLoggingConfiguration',
      message: 'Invalid Logging Configuration: Must specify exactly one Log Destination.',
    });
    const noStar = `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}`;
    expect(
      await failure(create(def, { level: 'ERROR', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: noStar } }] })),
    ).toEqual({
      name: 'InvalidLoggingConfiguration',
      message: "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.",
    });
    const two = { cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } };
    expect((await failure(create(def, { level: 'ALL', destinations: [two, two] }))).name).toBe('InvalidLoggingConfiguration');
    expect((await failure(create(def, { level: 'LOUD' as 'ALL' }))).name).toBe('ValidationException');
  });

  it('is shown by DescribeStateMachine and replaced by UpdateStateMachine', async () => {
    const def = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const { stateMachineArn } = await create(def, {
      level: 'ERROR',
      includeExecutionData: true,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }],
    });
    const described = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.loggingConfiguration).toEqual({
      level: 'ERROR',
      includeExecutionData: true,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }],
    });
    await h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: { level: 'OFF' } }));
    const after = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(after.loggingConfiguration).toEqual({ level: 'OFF', includeExecutionData: false });
    expect(
      await failure(h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: { level: 'FATAL' } }))),
    ).toEqual({ name: 'InvalidLoggingConfiguration', message: 'Invalid Logging Configuration: Must specify exactly one Log Destination.' });
  });

  it('ALL with execution data writes every history event as a JSON record', async () => {
    const { stateMachineArn } = await create(PASS_FAIL, {
      level: 'ALL',
      includeExecutionData: true,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }],
    });
    const arn = await h.start(stateMachineArn as string, { a: 1 });
    const found = await records(arn, 5);
    expect(found.map((r) => [r.id, r.previous_event_id, r.type])).toEqual([
      ['1', '0', 'ExecutionStarted'],
      ['2', '0', 'PassStateEntered'],
      ['3', '2', 'PassStateExited'],
      ['4', '3', 'FailStateEntered'],
      ['5', '4', 'ExecutionFailed'],
    ]);
    expect(found[0]?.details).toMatchObject({ input: '{"a":1}', roleArn: ROLE });
    expect(found[2]?.details).toMatchObject({ name: 'P', output: '{"secret":1}' });
    expect(found[4]?.details).toEqual({ error: 'Boom', cause: 'bad' });
    expect(found[0]?.event_timestamp).toBe(String(h.clock.now()));
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    expect(streams.logStreams?.some((s) => /^states\/log\d+\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\/[0-9a-f]{8}$/.test(s.logStreamName ?? ''))).toBe(true);
  });

  it('ERROR logs error events only, without execution data unless asked', async () => {
    const { stateMachineArn } = await create(PASS_FAIL, {
      level: 'ERROR',
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }],
    });
    const arn = await h.start(stateMachineArn as string, { a: 1 });
    const found = await records(arn, 2);
    expect(found.map((r) => r.type)).toEqual(['FailStateEntered', 'ExecutionFailed']);
    expect(found[0]?.details).toEqual({ name: 'F', inputDetails: { truncated: false } });
  });

  it('FATAL logs execution failures only, and OFF nothing', async () => {
    const fatal = await create(PASS_FAIL, {
      level: 'FATAL',
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }],
    });
    const off = await create(PASS_FAIL, { level: 'OFF' });
    const arn = await h.start(fatal.stateMachineArn as string, {});
    const quiet = await h.start(off.stateMachineArn as string, {});
    expect((await records(arn, 1)).map((r) => r.type)).toEqual(['ExecutionFailed']);
    expect(await records(quiet, 1)).toEqual([]);
  });
});
