import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEventBridgeHarness, type EventBridgeHarness } from './harness.js';

let h: EventBridgeHarness;
beforeAll(async () => {
  h = await startEventBridgeHarness();
});
afterAll(async () => {
  await h.close();
});

const PATTERN = JSON.stringify({ source: ['my.app'] });
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:somewhere';

describe('event buses', () => {
  test('the default bus exists and cannot be deleted', async () => {
    const d = await h.eb.send(new DescribeEventBusCommand({}));
    expect(d).toMatchObject({ Name: 'default', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' });
    await expect(h.eb.send(new DeleteEventBusCommand({ Name: 'default' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Cannot delete event bus default.',
    });
  });

  test('create, describe, list, tag, delete', async () => {
    const c = await h.eb.send(new CreateEventBusCommand({ Name: 'orders', Description: 'd', Tags: [{ Key: 'team', Value: 'a' }] }));
    expect(c.EventBusArn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/orders');
    await expect(h.eb.send(new CreateEventBusCommand({ Name: 'orders' }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'Event bus orders already exists.',
    });
    const d = await h.eb.send(new DescribeEventBusCommand({ Name: c.EventBusArn }));
    expect(d).toMatchObject({ Name: 'orders', Description: 'd' });
    expect(d.CreationTime).toBeInstanceOf(Date);
    const list = await h.eb.send(new ListEventBusesCommand({ NamePrefix: 'ord' }));
    expect(list.EventBuses?.map((b) => b.Name)).toEqual(['orders']);
    const all = await h.eb.send(new ListEventBusesCommand({ Limit: 1 }));
    expect(all.EventBuses?.map((b) => b.Name)).toEqual(['default']);
    const next = await h.eb.send(new ListEventBusesCommand({ Limit: 1, NextToken: all.NextToken }));
    expect(next.EventBuses?.map((b) => b.Name)).toEqual(['orders']);
    await h.eb.send(new TagResourceCommand({ ResourceARN: c.EventBusArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await h.eb.send(new UntagResourceCommand({ ResourceARN: c.EventBusArn, TagKeys: ['team'] }));
    const tags = await h.eb.send(new ListTagsForResourceCommand({ ResourceARN: c.EventBusArn }));
    expect(tags.Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
    await h.eb.send(new DeleteEventBusCommand({ Name: 'orders' }));
    await expect(h.eb.send(new DescribeEventBusCommand({ Name: 'orders' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Event bus orders does not exist.',
    });
  });

  test('invalid names are refused', async () => {
    await expect(h.eb.send(new CreateEventBusCommand({ Name: 'bad name' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('rules', () => {
  test('put, describe, update, list with prefix and pages', async () => {
    const r = await h.eb.send(new PutRuleCommand({ Name: 'r-one', EventPattern: PATTERN, Description: 'first' }));
    expect(r.RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/r-one');
    await h.eb.send(new PutRuleCommand({ Name: 'r-two', EventPattern: PATTERN, State: 'DISABLED' }));
    await h.eb.send(new PutRuleCommand({ Name: 'other', EventPattern: PATTERN }));
    const d = await h.eb.send(new DescribeRuleCommand({ Name: 'r-one' }));
    expect(d).toMatchObject({ Name: 'r-one', Arn: r.RuleArn, EventPattern: PATTERN, State: 'ENABLED', Description: 'first', EventBusName: 'default', CreatedBy: '000000000000' });
    const p1 = await h.eb.send(new ListRulesCommand({ NamePrefix: 'r-', Limit: 1 }));
    expect(p1.Rules?.map((x) => x.Name)).toEqual(['r-one']);
    const p2 = await h.eb.send(new ListRulesCommand({ NamePrefix: 'r-', Limit: 1, NextToken: p1.NextToken }));
    expect(p2.Rules?.map((x) => [x.Name, x.State])).toEqual([['r-two', 'DISABLED']]);
    expect(p2.NextToken).toBeUndefined();
    await h.eb.send(new EnableRuleCommand({ Name: 'r-two' }));
    expect((await h.eb.send(new DescribeRuleCommand({ Name: 'r-two' }))).State).toBe('ENABLED');
    await h.eb.send(new DisableRuleCommand({ Name: 'r-two' }));
    expect((await h.eb.send(new DescribeRuleCommand({ Name: 'r-two' }))).State).toBe('DISABLED');
  });

  test('rules on a custom bus have the bus in their ARN', async () => {
    await h.eb.send(new CreateEventBusCommand({ Name: 'custom' }));
    const r = await h.eb.send(new PutRuleCommand({ Name: 'x', EventPattern: PATTERN, EventBusName: 'custom' }));
    expect(r.RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/custom/x');
    await expect(h.eb.send(new DescribeRuleCommand({ Name: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Rule x does not exist on EventBus default.',
    });
    await expect(h.eb.send(new PutRuleCommand({ Name: 'x', EventPattern: PATTERN, EventBusName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  test('patterns are validated and schedules refused', async () => {
    await expect(h.eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "x"}' }))).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
    });
    await expect(h.eb.send(new PutRuleCommand({ Name: 'bad' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    });
    for (const bad of ['rate(1 minutes)', 'rate(0 minutes)', 'rate(5 weeks)', 'cron(0 12 * * * *)', 'cron(0 12 * *)', 'every day']) {
      await expect(h.eb.send(new PutRuleCommand({ Name: 'sched', ScheduleExpression: bad }))).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'Parameter ScheduleExpression is not valid.',
      });
    }
    await expect(h.eb.send(new PutRuleCommand({ Name: 'sched', ScheduleExpression: 'rate(5 minutes)', EventBusName: 'custom' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'ScheduleExpression is supported only on the default event bus.',
    });
    await h.eb.send(new PutRuleCommand({ Name: 'sched', ScheduleExpression: 'rate(5 minutes)' }));
    expect(await h.eb.send(new DescribeRuleCommand({ Name: 'sched' }))).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    await h.eb.send(new DeleteRuleCommand({ Name: 'sched' }));
  });

  test('targets: put with per-entry failures, list, by target, remove, delete rule', async () => {
    await h.eb.send(new PutRuleCommand({ Name: 't-rule', EventPattern: PATTERN }));
    const put = await h.eb.send(
      new PutTargetsCommand({
        Rule: 't-rule',
        Targets: [
          { Id: 'q', Arn: QUEUE_ARN },
          { Id: 'both', Arn: QUEUE_ARN, Input: '{}', InputPath: '$.detail' },
          { Id: 'notjson', Arn: QUEUE_ARN, Input: 'nope' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(2);
    expect(put.FailedEntries?.map((e) => [e.TargetId, e.ErrorCode])).toEqual([
      ['both', 'ValidationException'],
      ['notjson', 'ValidationException'],
    ]);
    const list = await h.eb.send(new ListTargetsByRuleCommand({ Rule: 't-rule' }));
    expect(list.Targets).toEqual([{ Id: 'q', Arn: QUEUE_ARN }]);
    const names = await h.eb.send(new ListRuleNamesByTargetCommand({ TargetArn: QUEUE_ARN }));
    expect(names.RuleNames).toEqual(['t-rule']);
    await expect(h.eb.send(new DeleteRuleCommand({ Name: 't-rule' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
    });
    const removed = await h.eb.send(new RemoveTargetsCommand({ Rule: 't-rule', Ids: ['q'] }));
    expect(removed.FailedEntryCount).toBe(0);
    await h.eb.send(new DeleteRuleCommand({ Name: 't-rule' }));
    await expect(h.eb.send(new ListTargetsByRuleCommand({ Rule: 't-rule' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('a rule holds at most five targets', async () => {
    await h.eb.send(new PutRuleCommand({ Name: 'many', EventPattern: PATTERN }));
    const targets = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: QUEUE_ARN }));
    await expect(h.eb.send(new PutTargetsCommand({ Rule: 'many', Targets: targets }))).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
  });

  test('rule tags', async () => {
    const r = await h.eb.send(new PutRuleCommand({ Name: 'tagged', EventPattern: PATTERN, Tags: [{ Key: 'a', Value: '1' }] }));
    const tags = await h.eb.send(new ListTagsForResourceCommand({ ResourceARN: r.RuleArn }));
    expect(tags.Tags).toEqual([{ Key: 'a', Value: '1' }]);
  });
});
