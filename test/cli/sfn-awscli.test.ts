// The AWS CLI v2 from Debian (/usr/bin/aws, awsJson1_0) against Switchyard's Step Functions, one command per process as
// a user runs it, asserting the JSON it prints and its exit codes (254 for a service error).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianAwsCli, debianAwsCliMissing, tempHome, warnSkipped } from '../support/debian-clients.js';

const missing = debianAwsCliMissing();
if (missing) warnSkipped('sfn-awscli', missing);

const ACCOUNT = '000000000000';
const SLOW = 300_000;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sfn-role`;

const DEFINITION = JSON.stringify({
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Result: { greeting: 'hello' }, ResultPath: '$.pass', Next: 'Route' },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.size', NumericGreaterThan: 10, Next: 'Big' }],
      Default: 'Small',
    },
    Big: { Type: 'Pass', Result: 'big', ResultPath: '$.kind', End: true },
    Small: { Type: 'Pass', Result: 'small', ResultPath: '$.kind', End: true },
  },
});

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  input?: string;
  output?: string;
  startDate: string;
  stopDate?: string;
}

describe.skipIf(missing !== undefined)('AWS CLI v2 from Debian against Step Functions', () => {
  let sy: RunningSwitchyard;
  let aws: DebianAwsCli;
  let home: ReturnType<typeof tempHome>;

  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
    aws = new DebianAwsCli(sy.endpoint, home.path);
  });
  afterAll(async () => {
    await sy.stop();
    home.dispose();
  });

  const describeUntilDone = async (arn: string): Promise<Execution> => {
    for (let i = 0; i < 3; i++) {
      const d = await aws.ok<Execution>(['stepfunctions', 'describe-execution', '--execution-arn', arn]);
      if (d.status !== 'RUNNING') return d;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`execution ${arn} still RUNNING`);
  };

  // 5 CLI calls (normally)
  test('create-state-machine, start-execution, describe-execution, get-execution-history, list-executions', { timeout: SLOW }, async () => {
    const created = await aws.ok<{ stateMachineArn: string; creationDate: string }>([
      'stepfunctions', 'create-state-machine', '--name', 'cli-machine', '--definition', DEFINITION, '--role-arn', ROLE,
    ]);
    expect(created.stateMachineArn).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:cli-machine`);
    // The CLI v2 prints timestamps as ISO 8601 (cli_timestamp_format defaults to iso8601).
    expect(created.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);

    const started = await aws.ok<{ executionArn: string; startDate: string }>([
      'stepfunctions', 'start-execution', '--state-machine-arn', created.stateMachineArn, '--name', 'run-1', '--input', JSON.stringify({ size: 42 }),
    ]);
    expect(started.executionArn).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:execution:cli-machine:run-1`);

    const described = await describeUntilDone(started.executionArn);
    expect(described).toMatchObject({
      executionArn: started.executionArn,
      stateMachineArn: created.stateMachineArn,
      name: 'run-1',
      status: 'SUCCEEDED',
    });
    expect(described.stopDate).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.parse(described.input ?? '{}')).toEqual({ size: 42 });
    expect(JSON.parse(described.output ?? '{}')).toEqual({ size: 42, pass: { greeting: 'hello' }, kind: 'big' });

    const history = await aws.ok<{ events: { id: number; type: string }[] }>([
      'stepfunctions', 'get-execution-history', '--execution-arn', started.executionArn,
    ]);
    expect(history.events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const listed = await aws.ok<{ executions: Execution[] }>(['stepfunctions', 'list-executions', '--state-machine-arn', created.stateMachineArn]);
    expect(listed.executions).toHaveLength(1);
    expect(listed.executions[0]).toMatchObject({ executionArn: started.executionArn, name: 'run-1', status: 'SUCCEEDED' });
  });

  // 3 CLI calls: the CLI predates JSONata, but the definition is only text to it.
  test('a JSONata state machine with variables runs through create-state-machine and start-execution', { timeout: SLOW }, async () => {
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Sum',
      States: {
        Sum: { Type: 'Pass', Assign: { total: '{% $sum($states.input.prices) %}' }, Next: 'Report' },
        Report: { Type: 'Pass', Output: { total: '{% $total %}', items: '{% $count($states.input.prices) %}' }, End: true },
      },
    });
    const created = await aws.ok<{ stateMachineArn: string }>([
      'stepfunctions', 'create-state-machine', '--name', 'cli-jsonata', '--definition', definition, '--role-arn', ROLE,
    ]);
    const started = await aws.ok<{ executionArn: string }>([
      'stepfunctions', 'start-execution', '--state-machine-arn', created.stateMachineArn, '--input', JSON.stringify({ prices: [2, 3, 5] }),
    ]);
    const described = await describeUntilDone(started.executionArn);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '{}')).toEqual({ total: 10, items: 3 });
  });

  // 3 CLI calls
  test('create-state-machine --logging-configuration: checked as AWS checks it and shown by describe-state-machine', { timeout: SLOW }, async () => {
    const group = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/vendedlogs/states/cli`;
    const noStar = await aws.run([
      'stepfunctions', 'create-state-machine', '--name', 'cli-logged', '--definition', DEFINITION, '--role-arn', ROLE,
      '--logging-configuration', JSON.stringify({ level: 'ALL', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: group } }] }),
    ]);
    expect(noStar.code, noStar.stderr).toBe(254);
    expect(noStar.stderr).toContain(
      "An error occurred (InvalidLoggingConfiguration) when calling the CreateStateMachine operation: Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.",
    );
    const logging = { level: 'ERROR', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `${group}:*` } }] };
    const created = await aws.ok<{ stateMachineArn: string }>([
      'stepfunctions', 'create-state-machine', '--name', 'cli-logged', '--definition', DEFINITION, '--role-arn', ROLE,
      '--logging-configuration', JSON.stringify(logging),
    ]);
    const described = await aws.ok<{ loggingConfiguration: unknown }>([
      'stepfunctions', 'describe-state-machine', '--state-machine-arn', created.stateMachineArn,
    ]);
    expect(described.loggingConfiguration).toEqual(logging);
  });

  // 2 CLI calls
  test('errors: describe-execution of a missing ARN, create-state-machine with an invalid definition', { timeout: SLOW }, async () => {
    const arn = `arn:aws:states:us-east-1:${ACCOUNT}:execution:nope:missing`;
    const gone = await aws.run(['stepfunctions', 'describe-execution', '--execution-arn', arn]);
    expect(gone.code, gone.stderr).toBe(254);
    expect(gone.stderr).toContain('An error occurred (ExecutionDoesNotExist) when calling the DescribeExecution operation: ');

    const bad = JSON.stringify({ StartAt: 'Missing', States: { A: { Type: 'Pass', End: true } } });
    const invalid = await aws.run(['stepfunctions', 'create-state-machine', '--name', 'bad-machine', '--definition', bad, '--role-arn', ROLE]);
    expect(invalid.code, invalid.stderr).toBe(254);
    expect(invalid.stderr).toContain('An error occurred (InvalidDefinition) when calling the CreateStateMachine operation: Invalid State Machine Definition: ');
  });
});
