// State machine versions and aliases, over the wire with @aws-sdk/client-sfn.
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineVersionCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLE, startSfnHarness, type SfnHarness } from './harness.js';

let h: SfnHarness;
beforeAll(async () => {
  h = await startSfnHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

const returning = (value: string): string => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: value, End: true } } });

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected a rejection');
}

async function outputOf(stateMachineArn: string): Promise<{ output: string; version?: string; alias?: string }> {
  const started = await h.sfn.send(new StartExecutionCommand({ stateMachineArn }));
  await h.clock.advance(0);
  const d = await h.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
  return {
    output: JSON.parse(d.output ?? 'null') as string,
    ...(d.stateMachineVersionArn ? { version: d.stateMachineVersionArn } : {}),
    ...(d.stateMachineAliasArn ? { alias: d.stateMachineAliasArn } : {}),
  };
}

describe('versions', () => {
  it('publishes on create and update, and with PublishStateMachineVersion; versions keep their definition', async () => {
    const created = await h.sfn.send(
      new CreateStateMachineCommand({ name: 'vm', definition: returning('one'), roleArn: ROLE, publish: true, versionDescription: 'first' }),
    );
    const arn = created.stateMachineArn as string;
    expect(created.stateMachineVersionArn).toBe(`${arn}:1`);
    const updated = await h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: returning('two'), publish: true }));
    expect(updated.stateMachineVersionArn).toBe(`${arn}:2`);
    // The current revision is already version 2: publishing again returns it.
    const again = await h.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }));
    expect(again.stateMachineVersionArn).toBe(`${arn}:2`);
    await h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: returning('three') }));
    const stale = await rejection(h.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: updated.revisionId })));
    expect(stale.name).toBe('ConflictException');
    const third = await h.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, description: 'third' }));
    expect(third.stateMachineVersionArn).toBe(`${arn}:3`);

    const list = await h.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
    expect(list.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([`${arn}:3`, `${arn}:2`, `${arn}:1`]);
    const v1 = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:1` }));
    expect(v1).toMatchObject({ stateMachineArn: `${arn}:1`, description: 'first', definition: returning('one') });

    expect(await outputOf(`${arn}:1`)).toEqual({ output: 'one', version: `${arn}:1` });
    expect(await outputOf(arn)).toEqual({ output: 'three' });
    const byVersion = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${arn}:1` }));
    expect(byVersion.executions).toHaveLength(1);
    expect(byVersion.executions?.[0]?.stateMachineVersionArn).toBe(`${arn}:1`);

    await h.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:1` }));
    const missing = await rejection(h.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}:1` })));
    expect(missing).toEqual({ name: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${arn}:1'` });
    // Numbers are not reused.
    await h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: returning('four'), publish: true }));
    const after = await h.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
    expect(after.stateMachineVersions?.[0]?.stateMachineVersionArn).toBe(`${arn}:4`);
  });
});

describe('aliases', () => {
  it('routes executions by weight, describes, updates, lists and deletes aliases', async () => {
    const created = await h.sfn.send(new CreateStateMachineCommand({ name: 'am', definition: returning('one'), roleArn: ROLE, publish: true }));
    const arn = created.stateMachineArn as string;
    await h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: returning('two'), publish: true }));
    const alias = await h.sfn.send(
      new CreateStateMachineAliasCommand({ name: 'live', description: 'prod', routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 100 }] }),
    );
    expect(alias.stateMachineAliasArn).toBe(`${arn}:live`);
    expect(await outputOf(`${arn}:live`)).toEqual({ output: 'one', version: `${arn}:1`, alias: `${arn}:live` });

    const described = await h.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` }));
    expect(described).toMatchObject({ name: 'live', description: 'prod', routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 100 }] });

    await h.sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: `${arn}:live`,
        routingConfiguration: [
          { stateMachineVersionArn: `${arn}:1`, weight: 50 },
          { stateMachineVersionArn: `${arn}:2`, weight: 50 },
        ],
      }),
    );
    const outputs = new Set<string>();
    for (let i = 0; i < 30; i++) outputs.add((await outputOf(`${arn}:live`)).output);
    expect([...outputs].sort()).toEqual(['one', 'two']);

    const inUse = await rejection(h.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:2` })));
    expect(inUse).toEqual({
      name: 'ConflictException',
      message: 'Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live]',
    });
    const list = await h.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }));
    expect(list.stateMachineAliases?.map((a) => a.stateMachineAliasArn)).toEqual([`${arn}:live`]);
    await h.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` }));
    const gone = await rejection(h.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` })));
    expect(gone.name).toBe('ResourceNotFound');
  });

  it('rejects bad routing configurations', async () => {
    const created = await h.sfn.send(new CreateStateMachineCommand({ name: 'rm', definition: returning('one'), roleArn: ROLE, publish: true }));
    const arn = created.stateMachineArn as string;
    const sum = await rejection(
      h.sfn.send(new CreateStateMachineAliasCommand({ name: 'a', routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 60 }] })),
    );
    expect(sum).toEqual({ name: 'ValidationException', message: 'Sum of routing configuration weights must be equal to 100' });
    const missing = await rejection(
      h.sfn.send(new CreateStateMachineAliasCommand({ name: 'a', routingConfiguration: [{ stateMachineVersionArn: `${arn}:9`, weight: 100 }] })),
    );
    expect(missing.name).toBe('StateMachineDoesNotExist');
    const numeric = await rejection(
      h.sfn.send(new CreateStateMachineAliasCommand({ name: '12', routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 100 }] })),
    );
    expect(numeric).toEqual({ name: 'InvalidName', message: "Invalid Name: '12'" });
  });
});
