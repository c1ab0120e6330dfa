// The Step Functions suite: state transitions per second through a 1,000-state Pass chain (a STANDARD execution
// started and polled through @aws-sdk/client-sfn), express executions per second through StartSyncExecution with
// concurrent callers, and an inline Map over 10,000 items; beside each, the same definition run in this process by the
// aws-local-stepfunctions library (local-library.ts).
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { cpuTimeUs } from '../harness/proc.js';
import { startSwitchyardCli, type ServerProcess } from '../harness/processes.js';
import { fmtInt, fmtMs, markdownTable, median } from '../harness/stats.js';
import type { SuiteReport } from '../sqs/suite.js';
import { runLocalLibrary } from './local-library.js';

export type StepFunctionsScenario = 'chain' | 'express' | 'map';
export const STEPFUNCTIONS_SCENARIOS: readonly StepFunctionsScenario[] = ['chain', 'express', 'map'];

export interface StepFunctionsOptions {
  durationMs: number;
  warmupMs: number;
  /** Concurrent StartSyncExecution callers. */
  concurrency: number;
  scenarios: readonly StepFunctionsScenario[];
  log: (line: string) => void;
}

const ROLE = 'arn:aws:iam::000000000000:role/bench';
const CHAIN_STATES = 1000;
const MAP_ITEMS = 10_000;

function client(sy: ServerProcess): SFNClient {
  return new SFNClient({
    endpoint: sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
    // StartSyncExecution puts `sync-` in front of the host name otherwise.
    disableHostPrefix: true,
  });
}

function passChain(states: number): object {
  const all: Record<string, object> = {};
  for (let i = 0; i < states; i++) {
    all[`S${i}`] = i === states - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` };
  }
  return { StartAt: 'S0', States: all };
}

async function create(sfn: SFNClient, name: string, definition: object, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE, type }));
  return out.stateMachineArn as string;
}

/** Starts a STANDARD execution and polls until it closes; the elapsed wall time in ms. */
async function runToEnd(sfn: SFNClient, stateMachineArn: string, input: unknown): Promise<number> {
  const started = performance.now();
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') {
      if (d.status !== 'SUCCEEDED') throw new Error(`execution ${d.status}: ${d.error ?? ''} ${d.cause ?? ''}`);
      return performance.now() - started;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function chain(sy: ServerProcess, sfn: SFNClient, opts: StepFunctionsOptions): Promise<string[]> {
  const arn = await create(sfn, 'chain', passChain(CHAIN_STATES));
  await runToEnd(sfn, arn, {});
  const times: number[] = [];
  const cpuBefore = cpuTimeUs(sy.pid);
  const deadline = performance.now() + opts.durationMs;
  while (performance.now() < deadline || times.length < 3) times.push(await runToEnd(sfn, arn, { n: times.length }));
  const cpuUs = cpuTimeUs(sy.pid) - cpuBefore;
  const ms = median(times);
  // Each Pass state is one transition.
  return [`${fmtInt(CHAIN_STATES)}-state Pass chain (STANDARD)`, fmtInt((CHAIN_STATES * 1000) / ms), fmtMs(ms), String(times.length), fmtInt(cpuUs / (times.length * CHAIN_STATES))];
}

const EXPRESS_DEFINITION = {
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Parameters: { 'v.$': '$.v' }, Next: 'B' },
    B: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericGreaterThan: 0, Next: 'C' }], Default: 'C' },
    C: { Type: 'Succeed' },
  },
};

const MAP_DEFINITION = {
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'double.$': 'States.MathAdd($.v, $.v)' }, End: true } } },
      End: true,
    },
  },
};

async function express(sy: ServerProcess, sfn: SFNClient, opts: StepFunctionsOptions): Promise<string[]> {
  const arn = await create(sfn, 'express', EXPRESS_DEFINITION, 'EXPRESS');
  const call = async (): Promise<void> => {
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"v":1}' }));
    if (out.status !== 'SUCCEEDED') throw new Error(`express execution ${out.status}`);
  };
  const windowOf = async (ms: number): Promise<number> => {
    let count = 0;
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (performance.now() < end) {
          await call();
          count++;
        }
      }),
    );
    return count;
  };
  await windowOf(opts.warmupMs);
  const cpuBefore = cpuTimeUs(sy.pid);
  const started = performance.now();
  const count = await windowOf(opts.durationMs);
  const elapsed = performance.now() - started;
  const cpuUs = cpuTimeUs(sy.pid) - cpuBefore;
  return [`StartSyncExecution, 3 states (${opts.concurrency} callers)`, fmtInt((count * 1000) / elapsed), fmtMs(elapsed / Math.max(count, 1)), String(count), fmtInt(cpuUs / Math.max(count, 1))];
}

async function map(sy: ServerProcess, sfn: SFNClient): Promise<string[]> {
  const arn = await create(sfn, 'map', MAP_DEFINITION);
  const items = Array.from({ length: MAP_ITEMS }, (_, v) => ({ v }));
  const cpuBefore = cpuTimeUs(sy.pid);
  const ms = await runToEnd(sfn, arn, { items });
  const cpuUs = cpuTimeUs(sy.pid) - cpuBefore;
  return [`Map over ${fmtInt(MAP_ITEMS)} items (inline, 1 Pass each)`, fmtInt((MAP_ITEMS * 1000) / ms), fmtMs(ms), '1', fmtInt(cpuUs / MAP_ITEMS)];
}

export async function runStepFunctionsSuite(opts: StepFunctionsOptions): Promise<SuiteReport> {
  const sy = await startSwitchyardCli();
  const sfn = client(sy);
  const rows: string[][] = [];
  const attempt = async (label: string, fn: () => Promise<string[]>): Promise<void> => {
    opts.log(`${label}…`);
    try {
      const row = await fn();
      opts.log(`  ${row.join(' | ')}`);
      rows.push(row);
    } catch (err) {
      rows.push([label, `error: ${(err as Error).message.slice(0, 120)}`, '', '', '']);
    }
  };
  try {
    if (opts.scenarios.includes('chain')) {
      await attempt('Pass chain', () => chain(sy, sfn, opts));
      await attempt('Pass chain, aws-local-stepfunctions', () =>
        runLocalLibrary({ label: `${fmtInt(CHAIN_STATES)}-state Pass chain`, definition: passChain(CHAIN_STATES), input: {}, units: CHAIN_STATES }, opts.durationMs),
      );
    }
    if (opts.scenarios.includes('express')) {
      await attempt('express executions', () => express(sy, sfn, opts));
      await attempt('express definition, aws-local-stepfunctions', () =>
        runLocalLibrary({ label: 'the 3-state express definition', definition: EXPRESS_DEFINITION, input: { v: 1 }, units: 1 }, opts.durationMs),
      );
    }
    if (opts.scenarios.includes('map')) {
      await attempt('Map', () => map(sy, sfn));
      await attempt('Map, aws-local-stepfunctions', () =>
        runLocalLibrary(
          { label: `Map over ${fmtInt(MAP_ITEMS)} items`, definition: MAP_DEFINITION, input: { items: Array.from({ length: MAP_ITEMS }, (_, v) => ({ v })) }, units: MAP_ITEMS },
          opts.durationMs,
        ),
      );
    }
  } finally {
    sfn.destroy();
    await sy.stop();
  }
  return {
    title: 'Step Functions',
    markdown:
      markdownTable(['Scenario', 'per second', 'ms (median per run / per call)', 'runs', 'Switchyard CPU µs per unit'], rows) +
      '\n\nPer second: state transitions for the chain, executions for StartSyncExecution, items for the Map. ' +
      'The aws-local-stepfunctions rows run the same definitions inside the benchmark process, with no API, history or ' +
      'persistence: the floor an interpreter alone reaches, not a like-for-like service.',
  };
}
