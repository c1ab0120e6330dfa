import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  StartSyncExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLE, startSfnHarness, type SfnHarness } from './harness.js';

const PASS = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };

let h: SfnHarness;
beforeAll(async () => {
  h = await startSfnHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected a rejection');
}

describe('state machines', () => {
  it('creates, describes, updates and deletes', async () => {
    const created = await h.sfn.send(
      new CreateStateMachineCommand({ name: 'orders', definition: JSON.stringify(PASS), roleArn: ROLE, tags: [{ key: 'team', value: 'a' }] }),
    );
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:orders');
    expect(created.creationDate).toBeInstanceOf(Date);
    const described = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described).toMatchObject({ name: 'orders', status: 'ACTIVE', type: 'STANDARD', roleArn: ROLE, definition: JSON.stringify(PASS) });
    const def2 = JSON.stringify({ StartAt: 'B', States: { B: { Type: 'Succeed' } } });
    const updated = await h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: def2 }));
    expect(updated.revisionId).toBeTypeOf('string');
    expect((await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }))).definition).toBe(def2);
    await h.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    const err = await rejection(h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })));
    expect(err).toEqual({
      name: 'StateMachineDoesNotExist',
      message: `State Machine Does Not Exist: '${created.stateMachineArn}'`,
    });
  });

  it('is idempotent for the same definition and refuses a different one', async () => {
    const input = { name: 'same', definition: JSON.stringify(PASS), roleArn: ROLE };
    const a = await h.sfn.send(new CreateStateMachineCommand(input));
    const b = await h.sfn.send(new CreateStateMachineCommand({ ...input, roleArn: 'arn:aws:iam::000000000000:role/other' }));
    expect(b.stateMachineArn).toBe(a.stateMachineArn);
    expect(b.creationDate?.getTime()).toBe(a.creationDate?.getTime());
    const err = await rejection(
      h.sfn.send(new CreateStateMachineCommand({ ...input, definition: JSON.stringify({ StartAt: 'X', States: { X: { Type: 'Succeed' } } }) })),
    );
    expect(err).toEqual({ name: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${a.stateMachineArn}'` });
  });

  it('rejects invalid definitions and names with AWS errors', async () => {
    const bad = await rejection(
      h.sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: JSON.stringify({ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } }), roleArn: ROLE })),
    );
    expect(bad.name).toBe('InvalidDefinition');
    expect(bad.message).toMatch(/^Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: .*'$/);
    const json = await rejection(h.sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: '{', roleArn: ROLE })));
    expect(json.name).toBe('InvalidDefinition');
    expect(json.message).toContain('INVALID_JSON_DESCRIPTION');
    const name = await rejection(h.sfn.send(new CreateStateMachineCommand({ name: 'has space', definition: JSON.stringify(PASS), roleArn: ROLE })));
    expect(name).toEqual({ name: 'InvalidName', message: "Invalid Name: 'has space'" });
    const arn = await rejection(h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })));
    expect(arn).toEqual({ name: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: not-an-arn'" });
    const kind = await rejection(
      h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:activity:x' })),
    );
    expect(kind).toEqual({ name: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: activity'" });
  });

  it('lists state machines in pages', async () => {
    for (const n of ['c', 'a', 'b']) await h.machine(PASS, { name: n });
    const first = await h.sfn.send(new ListStateMachinesCommand({ maxResults: 2 }));
    expect(first.stateMachines?.map((m) => m.name)).toEqual(['a', 'b']);
    expect(first.nextToken).toBeTypeOf('string');
    const second = await h.sfn.send(new ListStateMachinesCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.stateMachines?.map((m) => m.name)).toEqual(['c']);
    expect(second.nextToken).toBeUndefined();
    const bad = await rejection(h.sfn.send(new ListStateMachinesCommand({ nextToken: '!!' })));
    expect(bad.name).toBe('InvalidToken');
  });

  it('validates definitions', async () => {
    const ok = await h.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(PASS) }));
    expect(ok).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
    const fail = await h.sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass' } } }) }),
    );
    expect(fail.result).toBe('FAIL');
    expect(fail.diagnostics?.[0]).toMatchObject({ severity: 'ERROR', location: '/States/A' });
  });

  it('tags and untags', async () => {
    const arn = await h.machine(PASS);
    await h.sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] }));
    await h.sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    const listed = await h.sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(listed.tags).toEqual([{ key: 'b', value: '2' }]);
    const missing = await rejection(h.sfn.send(new ListTagsForResourceCommand({ resourceArn: `${arn}x` })));
    expect(missing.name).toBe('ResourceNotFound');
  });
});

describe('express state machines', () => {
  it('run synchronously with StartSyncExecution', async () => {
    const arn = await h.machine(
      { StartAt: 'A', States: { A: { Type: 'Pass', Result: { ok: true }, ResultPath: '$.r', End: true } } },
      { type: 'EXPRESS' },
    );
    const out = await h.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"x":1}' }));
    expect(out.status).toBe('SUCCEEDED');
    expect(JSON.parse(out.output ?? '')).toEqual({ x: 1, r: { ok: true } });
    expect(out.executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:express:m\d+:[0-9a-f-]+:[0-9a-f-]+$/);
  });

  it('report failures from StartSyncExecution', async () => {
    const arn = await h.machine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'C' } } }, { type: 'EXPRESS' });
    const out = await h.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }));
    expect(out).toMatchObject({ status: 'FAILED', error: 'E', cause: 'C' });
  });

  it('StartSyncExecution refuses STANDARD machines', async () => {
    const arn = await h.machine(PASS);
    const err = await rejection(h.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn })));
    expect(err.name).toBe('StateMachineTypeNotSupported');
  });
});
