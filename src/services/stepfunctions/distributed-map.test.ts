// Distributed Map over the wire: Map Runs, child executions, ItemBatcher, tolerated failures and UpdateMapRun, on the fake clock.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  UpdateMapRunCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startSfnHarness, types, type SfnHarness } from './harness.js';

let h: SfnHarness;

beforeAll(async () => {
  h = await startSfnHarness();
});

afterAll(async () => {
  await h.close();
});

const distributed = (processorStates: object, extra: object = {}, executionType = 'STANDARD') => ({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType },
        StartAt: 'Work',
        States: processorStates,
      },
      ...extra,
      End: true,
    },
  },
});

const mapRunOf = async (executionArn: string): Promise<string> => {
  const runs = await h.sfn.send(new ListMapRunsCommand({ executionArn }));
  expect(runs.mapRuns).toHaveLength(1);
  return runs.mapRuns?.[0]?.mapRunArn as string;
};

describe('distributed Map', () => {
  it('runs each item as a child execution of a Map Run, MaxConcurrency at a time, and UpdateMapRun raises it', async () => {
    const arn = await h.machine(
      distributed(
        { Work: { Type: 'Wait', Seconds: 10, Next: 'Done' }, Done: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } },
        { ItemSelector: { 'n.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' }, MaxConcurrency: 2, Label: 'Doubler' },
      ),
      { name: 'fanout' },
    );
    const exec = await h.start(arn, { items: [1, 2, 3, 4, 5] });
    const mapRunArn = await mapRunOf(exec);
    expect(mapRunArn).toMatch(/^arn:aws:states:us-east-1:000000000000:mapRun:fanout\/Doubler:[0-9a-f-]{36}$/);
    let run = await h.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(run).toMatchObject({
      executionArn: exec,
      status: 'RUNNING',
      maxConcurrency: 2,
      itemCounts: { pending: 3, running: 2, succeeded: 0, total: 5 },
      executionCounts: { running: 2, total: 2 },
    });
    await h.sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 3 }));
    await h.clock.advance(0);
    run = await h.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(run.itemCounts).toMatchObject({ pending: 2, running: 3 });
    for (let i = 0; i < 3; i++) await h.clock.advance(10_000);
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual([1, 2, 3, 4, 5].map((n) => ({ doubled: 2 * n })));
    run = await h.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(run).toMatchObject({ status: 'SUCCEEDED', maxConcurrency: 3, itemCounts: { succeeded: 5, total: 5 }, executionCounts: { succeeded: 5 } });
    const history = await h.history(exec);
    expect(types(history)).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.find((e) => e.type === 'MapRunStarted')?.mapRunStartedEventDetails?.mapRunArn).toBe(mapRunArn);
    const children = await h.sfn.send(new ListExecutionsCommand({ mapRunArn }));
    expect(children.executions).toHaveLength(5);
    const child = children.executions?.[0];
    expect(child?.executionArn).toMatch(/:execution:fanout\/Doubler:[0-9a-f-]{36}$/);
    expect(child?.stateMachineArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:fanout/Doubler');
    const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn: child?.executionArn }));
    expect(described.mapRunArn).toBe(mapRunArn);
    expect(JSON.parse(described.input ?? '')).toHaveProperty('n');
  });

  it('ItemBatcher sends batches of items with BatchInput to each child', async () => {
    const arn = await h.machine(
      distributed(
        { Work: { Type: 'Pass', End: true } },
        { ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'tag.$': '$.tag' } } },
        'EXPRESS',
      ),
    );
    const exec = await h.start(arn, { tag: 't', items: ['a', 'b', 'c'] });
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual([
      { BatchInput: { tag: 't' }, Items: ['a', 'b'] },
      { BatchInput: { tag: 't' }, Items: ['c'] },
    ]);
    const children = await h.sfn.send(new ListExecutionsCommand({ mapRunArn: await mapRunOf(exec) }));
    expect(children.executions?.map((e) => e.executionArn?.includes(':express:'))).toEqual([true, true]);
  });

  it('runs in JSONata: Items, ItemSelector and ItemBatcher expressions', async () => {
    const arn = await h.machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          Items: '{% $states.input.values %}',
          ItemSelector: { v: '{% $states.context.Map.Item.Value * 10 %}' },
          ItemBatcher: { MaxItemsPerBatch: '{% $states.input.size %}', BatchInput: { size: '{% $states.input.size %}' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Sum',
            States: { Sum: { Type: 'Pass', Output: '{% $sum($states.input.Items.v) %}', End: true } },
          },
          End: true,
        },
      },
    });
    const exec = await h.start(arn, { values: [1, 2, 3, 4, 5], size: 2 });
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual([30, 70, 50]);
  });

  const failing = {
    Work: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 1, Next: 'Bad' }], Default: 'Good' },
    Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'too big' },
    Good: { Type: 'Pass', End: true },
  };

  it('failed items within ToleratedFailureCount leave their error output; beyond it, States.ExceedToleratedFailureThreshold', async () => {
    const tolerant = await h.machine(distributed(failing, { ToleratedFailureCount: 1 }));
    const ok = await h.start(tolerant, { items: [0, 1, 2] });
    const d = await h.describe(ok);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual([0, 1, { Error: 'Item.Bad', Cause: 'too big' }]);

    const over = await h.start(tolerant, { items: [2, 3, 0] });
    const failed = await h.describe(over);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    const history = await h.history(over);
    expect(types(history)).toContain('MapRunFailed');
    const run = await h.sfn.send(new DescribeMapRunCommand({ mapRunArn: await mapRunOf(over) }));
    expect(run.status).toBe('FAILED');

    const strict = await h.machine(distributed(failing));
    const one = await h.start(strict, { items: [0, 5] });
    expect(await h.describe(one)).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });

  it('ItemReader and ResultWriter are refused, as is ItemBatcher in INLINE mode; UpdateMapRun checks its input', async () => {
    const create = (definition: object) =>
      h.sfn.send(new CreateStateMachineCommand({ name: `bad${Math.random().toString(36).slice(2, 8)}`, definition: JSON.stringify(definition), roleArn: ROLE }));
    await expect(
      create(distributed({ Work: { Type: 'Pass', End: true } }, { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } } })),
    ).rejects.toMatchObject({ name: 'InvalidDefinition', message: expect.stringContaining("The field 'ItemReader' is not supported by Switchyard") as unknown });
    await expect(
      create(distributed({ Work: { Type: 'Pass', End: true } }, { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b' } } })),
    ).rejects.toMatchObject({ name: 'InvalidDefinition', message: expect.stringContaining("The field 'ResultWriter' is not supported") as unknown });
    await expect(
      create({
        StartAt: 'M',
        States: { M: { Type: 'Map', ItemBatcher: { MaxItemsPerBatch: 2 }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
      }),
    ).rejects.toMatchObject({ name: 'InvalidDefinition', message: expect.stringContaining("'ItemBatcher' is only supported in DISTRIBUTED mode") as unknown });
    await expect(
      h.sfn.send(new UpdateMapRunCommand({ mapRunArn: 'arn:aws:states:us-east-1:000000000000:mapRun:x/y:0000', maxConcurrency: 1 })),
    ).rejects.toMatchObject({ name: 'ResourceNotFound' });
  });
});
