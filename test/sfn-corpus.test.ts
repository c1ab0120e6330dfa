// Runs the Step Functions conformance corpus (test/sfn-corpus/) through @aws-sdk/client-sfn against one Switchyard on
// a fake clock: each case is a state machine, an execution, and the output or error AWS gives.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FakeClock } from '../src/core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../src/index.js';
import { CORPUS, type CorpusCase } from './sfn-corpus/corpus.js';

const ROLE = 'arn:aws:iam::000000000000:role/corpus';
let sy: RunningSwitchyard;
let sfn: SFNClient;
const clock = new FakeClock(Date.UTC(2026, 2, 1));

beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent', clock });
  sfn = new SFNClient({
    endpoint: sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    disableHostPrefix: true,
  });
});
afterAll(async () => {
  sfn.destroy();
  await sy.stop();
});

let counter = 0;

/** Runs an execution to its end, moving the clock a second at a time (at most ten minutes). */
async function run(c: CorpusCase, machineArn: string): Promise<{ out: DescribeExecutionCommandOutput; elapsed: number }> {
  const started = clock.now();
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(c.input), ...(c.executionName ? { name: c.executionName } : {}) }),
  );
  for (let i = 0; i < 600; i++) {
    await clock.advance(i === 0 ? 0 : 1000);
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING') return { out, elapsed: clock.now() - started };
  }
  throw new Error(`${c.name}: still running after ten minutes of clock time`);
}

describe('Step Functions conformance corpus', () => {
  test('has at least 150 cases with unique names', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  test.each(CORPUS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const name = `corpus-${++counter}`;
    const create = sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(c.definition), roleArn: ROLE }));
    if (c.invalid !== undefined) {
      await expect(create).rejects.toMatchObject({ name: 'InvalidDefinition', message: expect.stringContaining(c.invalid) });
      return;
    }
    const { stateMachineArn } = await create;
    const { out, elapsed } = await run(c, stateMachineArn ?? '');
    if (c.error?.oneOf) {
      expect(out.status).toBe('FAILED');
      expect(c.error.oneOf).toContain(out.error);
    } else if (c.error) {
      expect({ status: out.status, error: out.error, ...(c.error.cause !== undefined ? { cause: out.cause } : {}) }).toEqual({
        status: 'FAILED',
        ...c.error,
      });
    } else {
      expect({ status: out.status, error: out.error, cause: out.cause }).toMatchObject({ status: 'SUCCEEDED' });
      const output: unknown = JSON.parse(out.output ?? 'null');
      if (c.outputMatches) {
        for (const [k, re] of Object.entries(c.outputMatches)) expect(String((output as Record<string, unknown>)[k])).toMatch(re);
      } else {
        expect(output).toEqual(JSON.parse(JSON.stringify(c.output ?? null).replaceAll('"@machine"', JSON.stringify(name))));
      }
    }
    if (c.minElapsedMs !== undefined) expect(elapsed).toBeGreaterThanOrEqual(c.minElapsedMs);
    if (c.maxElapsedMs !== undefined) expect(elapsed).toBeLessThanOrEqual(c.maxElapsedMs + 1000);
  });
});
