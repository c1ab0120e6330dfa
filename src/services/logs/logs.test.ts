// CloudWatch Logs over the wire with @aws-sdk/client-cloudwatch-logs: groups, streams, retention on the fake clock,
// PutLogEvents' batch rules, GetLogEvents tokens, FilterLogEvents, tags, and the in-process interface.
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from '../../core/targets.js';
import { startLogsHarness, type LogsHarness } from './harness.js';

let h: LogsHarness;
beforeAll(async () => {
  h = await startLogsHarness();
});
afterAll(async () => {
  await h.close();
});

const ARN = 'arn:aws:logs:us-east-1:000000000000:log-group:';

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

async function groupWithStream(group: string, stream = 's1'): Promise<void> {
  await h.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await h.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

async function put(group: string, stream: string, events: { timestamp: number; message: string }[]) {
  return h.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }));
}

describe('log groups', () => {
  it('creates, describes (prefix, pattern, pages) and deletes groups with AWS errors', async () => {
    for (const n of ['/app/a', '/app/b', '/app/c', '/other/x']) await h.logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    expect(await errorOf(h.logs.send(new CreateLogGroupCommand({ logGroupName: '/app/a' })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log group already exists',
      status: 400,
    });
    expect(await errorOf(h.logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    const byPrefix = await h.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/' }));
    expect(byPrefix.logGroups?.map((g) => g.logGroupName)).toEqual(['/app/a', '/app/b', '/app/c']);
    expect(byPrefix.logGroups?.[0]).toMatchObject({
      arn: `${ARN}/app/a:*`,
      logGroupArn: `${ARN}/app/a`,
      creationTime: h.clock.now(),
      metricFilterCount: 0,
      logGroupClass: 'STANDARD',
    });
    const byPattern = await h.logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'OTHER' }));
    expect(byPattern.logGroups?.map((g) => g.logGroupName)).toEqual(['/other/x']);
    expect(
      await errorOf(h.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/a', logGroupNamePattern: 'a' }))),
    ).toMatchObject({ name: 'InvalidParameterException' });
    const names: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: h.logs, pageSize: 2 }, { logGroupNamePrefix: '/app/' })) {
      expect(page.logGroups?.length).toBeLessThanOrEqual(2);
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName ?? ''));
    }
    expect(names).toEqual(['/app/a', '/app/b', '/app/c']);
    await h.logs.send(new DeleteLogGroupCommand({ logGroupName: '/app/c' }));
    expect(await errorOf(h.logs.send(new DeleteLogGroupCommand({ logGroupName: '/app/c' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });

  it('tags groups through both APIs', async () => {
    await h.logs.send(new CreateLogGroupCommand({ logGroupName: '/tags', tags: { team: 'a' } }));
    await h.logs.send(new TagResourceCommand({ resourceArn: `${ARN}/tags`, tags: { env: 'dev' } }));
    await h.logs.send(new TagLogGroupCommand({ logGroupName: '/tags', tags: { cost: '1' } }));
    expect((await h.logs.send(new ListTagsForResourceCommand({ resourceArn: `${ARN}/tags` }))).tags).toEqual({
      team: 'a',
      env: 'dev',
      cost: '1',
    });
    await h.logs.send(new UntagResourceCommand({ resourceArn: `${ARN}/tags`, tagKeys: ['team'] }));
    await h.logs.send(new UntagLogGroupCommand({ logGroupName: '/tags', tags: ['cost'] }));
    expect((await h.logs.send(new ListTagsLogGroupCommand({ logGroupName: '/tags' }))).tags).toEqual({ env: 'dev' });
    expect(
      await errorOf(h.logs.send(new ListTagsForResourceCommand({ resourceArn: `${ARN}/nope` }))),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('log streams', () => {
  it('creates, orders, pages and deletes streams', async () => {
    await h.logs.send(new CreateLogGroupCommand({ logGroupName: '/streams' }));
    for (const s of ['b', 'a', 'c']) await h.logs.send(new CreateLogStreamCommand({ logGroupName: '/streams', logStreamName: s }));
    expect(
      await errorOf(h.logs.send(new CreateLogStreamCommand({ logGroupName: '/streams', logStreamName: 'a' }))),
    ).toMatchObject({ name: 'ResourceAlreadyExistsException', message: 'The specified log stream already exists' });
    expect(
      await errorOf(h.logs.send(new CreateLogStreamCommand({ logGroupName: '/none', logStreamName: 'a' }))),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
    const now = h.clock.now();
    await put('/streams', 'c', [{ timestamp: now - 3000, message: 'c1' }]);
    await put('/streams', 'a', [{ timestamp: now - 1000, message: 'a1' }]);
    await put('/streams', 'b', [{ timestamp: now - 2000, message: 'b1' }]);
    const byName = await h.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams' }));
    expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'b', 'c']);
    expect(byName.logStreams?.[0]).toMatchObject({
      firstEventTimestamp: now - 1000,
      lastEventTimestamp: now - 1000,
      lastIngestionTime: now,
      arn: `${ARN}/streams:log-stream:a`,
    });
    const byTime = await h.logs.send(
      new DescribeLogStreamsCommand({ logGroupIdentifier: `${ARN}/streams`, orderBy: 'LastEventTime', descending: true, limit: 2 }),
    );
    expect(byTime.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'b']);
    const rest = await h.logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: '/streams',
        orderBy: 'LastEventTime',
        descending: true,
        nextToken: byTime.nextToken,
      }),
    );
    expect(rest.logStreams?.map((s) => s.logStreamName)).toEqual(['c']);
    expect(rest.nextToken).toBeUndefined();
    expect(
      await errorOf(
        h.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams', orderBy: 'LastEventTime', logStreamNamePrefix: 'a' })),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    await h.logs.send(new DeleteLogStreamCommand({ logGroupName: '/streams', logStreamName: 'a' }));
    expect(
      await errorOf(h.logs.send(new DeleteLogStreamCommand({ logGroupName: '/streams', logStreamName: 'a' }))),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' });
  });
});

describe('PutLogEvents', () => {
  it('enforces chronological order, the 24 hour span, the batch size and rejects too old and too new events', async () => {
    await groupWithStream('/put');
    const now = h.clock.now();
    expect(
      await errorOf(put('/put', 's1', [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }])),
    ).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
    expect(
      await errorOf(put('/put', 's1', [{ timestamp: now - 25 * 3600_000, message: 'a' }, { timestamp: now, message: 'b' }])),
    ).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('24 hours') as string });
    const big = 'x'.repeat(200_000);
    expect(
      await errorOf(put('/put', 's1', Array.from({ length: 6 }, () => ({ timestamp: now, message: big })))),
    ).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('1048576') as string });
    expect(await errorOf(put('/put', 'nope', [{ timestamp: now, message: 'a' }]))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    const old = now - 15 * 86_400_000;
    const out = await put('/put', 's1', [
      { timestamp: old, message: 'too old' },
      { timestamp: old + 1, message: 'too old too' },
      { timestamp: now - 5, message: 'kept' },
      { timestamp: now + 3 * 3600_000, message: 'too new' },
    ]).catch(() => undefined);
    // The batch spans more than 24 hours: AWS rejects it as a whole.
    expect(out).toBeUndefined();
    const res = await put('/put', 's1', [
      { timestamp: now - 10, message: 'kept 1' },
      { timestamp: now - 5, message: 'kept 2' },
      { timestamp: now + 3 * 3600_000, message: 'too new' },
    ]);
    expect(res.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 2 });
    expect(res.nextSequenceToken).toMatch(/^\d{56}$/);
    const tooOld = await put('/put', 's1', [
      { timestamp: old, message: 'too old' },
      { timestamp: old + 1000, message: 'too old too' },
    ]);
    expect(tooOld.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    const got = await h.logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's1', startFromHead: true }));
    expect(got.events?.map((e) => e.message)).toEqual(['kept 1', 'kept 2']);
    expect(got.events?.[0]).toMatchObject({ timestamp: now - 10, ingestionTime: now });
  });
});

describe('GetLogEvents', () => {
  it('pages forward and backward with AWS tokens, and hands back the same token at the end', async () => {
    await groupWithStream('/get');
    const t0 = h.clock.now() - 100_000;
    await put('/get', 's1', Array.from({ length: 5 }, (_, i) => ({ timestamp: t0 + i * 1000, message: `m${i}` })));
    const send = (extra: Record<string, unknown>) =>
      h.logs.send(new GetLogEventsCommand({ logGroupName: '/get', logStreamName: 's1', limit: 2, ...extra }));

    // From the tail by default.
    const tail = await send({});
    expect(tail.events?.map((e) => e.message)).toEqual(['m3', 'm4']);
    expect(tail.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(tail.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
    const atEnd = await send({ nextToken: tail.nextForwardToken });
    expect(atEnd.events).toEqual([]);
    expect(atEnd.nextForwardToken).toBe(tail.nextForwardToken);
    const back1 = await send({ nextToken: tail.nextBackwardToken });
    expect(back1.events?.map((e) => e.message)).toEqual(['m1', 'm2']);
    const back2 = await send({ nextToken: back1.nextBackwardToken });
    expect(back2.events?.map((e) => e.message)).toEqual(['m0']);
    const back3 = await send({ nextToken: back2.nextBackwardToken });
    expect(back3.events).toEqual([]);
    expect(back3.nextBackwardToken).toBe(back2.nextBackwardToken);

    // From the head, forward to the end, then new events appear on the same token.
    const head = await send({ startFromHead: true });
    expect(head.events?.map((e) => e.message)).toEqual(['m0', 'm1']);
    const fwd = await send({ nextToken: head.nextForwardToken });
    expect(fwd.events?.map((e) => e.message)).toEqual(['m2', 'm3']);
    const fwd2 = await send({ nextToken: fwd.nextForwardToken });
    expect(fwd2.events?.map((e) => e.message)).toEqual(['m4']);
    const fwd3 = await send({ nextToken: fwd2.nextForwardToken });
    expect(fwd3.events).toEqual([]);
    expect(fwd3.nextForwardToken).toBe(fwd2.nextForwardToken);
    await put('/get', 's1', [{ timestamp: t0 + 9000, message: 'm5' }]);
    const fwd4 = await send({ nextToken: fwd3.nextForwardToken });
    expect(fwd4.events?.map((e) => e.message)).toEqual(['m5']);

    // Time window: startTime inclusive, endTime exclusive.
    const window = await send({ startTime: t0 + 1000, endTime: t0 + 3000, limit: 10, startFromHead: true });
    expect(window.events?.map((e) => e.message)).toEqual(['m1', 'm2']);
    expect(await errorOf(send({ nextToken: 'garbage' }))).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('retention', () => {
  it('stops returning and drops events older than the retention, on the clock', async () => {
    await groupWithStream('/ret');
    const now = h.clock.now();
    await put('/ret', 's1', [{ timestamp: now - 2 * 86_400_000, message: 'two days old' }]);
    await put('/ret', 's1', [{ timestamp: now - 1000, message: 'recent' }]);
    expect(
      await errorOf(h.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ret', retentionInDays: 2 }))),
    ).toMatchObject({ name: 'InvalidParameterException' });
    await h.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ret', retentionInDays: 1 }));
    const described = await h.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ret' }));
    expect(described.logGroups?.[0]?.retentionInDays).toBe(1);
    const read = async () =>
      (await h.logs.send(new GetLogEventsCommand({ logGroupName: '/ret', logStreamName: 's1', startFromHead: true }))).events?.map(
        (e) => e.message,
      );
    expect(await read()).toEqual(['recent']);
    await h.clock.advance(86_400_000);
    expect(await read()).toEqual([]);
    const expired = await put('/ret', 's1', [{ timestamp: h.clock.now() - 2 * 86_400_000, message: 'expired' }]);
    expect(expired.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1 });
    await h.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/ret' }));
    const after = await h.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ret' }));
    expect(after.logGroups?.[0]?.retentionInDays).toBeUndefined();
  });
});

describe('FilterLogEvents', () => {
  it('interleaves streams, filters by stream, time and pattern, and pages', async () => {
    await groupWithStream('/filter', 'api-1');
    await h.logs.send(new CreateLogStreamCommand({ logGroupName: '/filter', logStreamName: 'api-2' }));
    await h.logs.send(new CreateLogStreamCommand({ logGroupName: '/filter', logStreamName: 'worker' }));
    const t0 = h.clock.now() - 60_000;
    await put('/filter', 'api-1', [
      { timestamp: t0, message: 'ERROR boom' },
      { timestamp: t0 + 20, message: JSON.stringify({ level: 'warn', latency: 900 }) },
    ]);
    await put('/filter', 'api-2', [{ timestamp: t0 + 10, message: 'INFO fine' }]);
    await put('/filter', 'worker', [{ timestamp: t0 + 5, message: 'ERROR Retrying' }]);
    const filter = async (extra: Record<string, unknown>) =>
      (await h.logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', ...extra }))).events?.map(
        (e) => `${e.logStreamName}:${e.message}`,
      );
    expect(await filter({})).toEqual([
      'api-1:ERROR boom',
      'worker:ERROR Retrying',
      'api-2:INFO fine',
      `api-1:${JSON.stringify({ level: 'warn', latency: 900 })}`,
    ]);
    expect(await filter({ filterPattern: 'ERROR -Retrying' })).toEqual(['api-1:ERROR boom']);
    expect(await filter({ filterPattern: '?boom ?fine' })).toEqual(['api-1:ERROR boom', 'api-2:INFO fine']);
    expect(await filter({ filterPattern: '{ $.latency > 500 }' })).toEqual([
      `api-1:${JSON.stringify({ level: 'warn', latency: 900 })}`,
    ]);
    expect(await filter({ logStreamNamePrefix: 'api-', startTime: t0 + 1, endTime: t0 + 10 })).toEqual(['api-2:INFO fine']);
    expect(await filter({ logStreamNames: ['worker'] })).toEqual(['worker:ERROR Retrying']);
    const one = await h.logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', limit: 1 }));
    expect(one.events?.[0]).toMatchObject({ eventId: expect.stringMatching(/^\d{56}$/) as string, ingestionTime: h.clock.now() });
    expect(one.searchedLogStreams).toEqual([]);
    const all: string[] = [];
    for await (const page of paginateFilterLogEvents({ client: h.logs, pageSize: 3 }, { logGroupName: '/filter' })) {
      all.push(...(page.events ?? []).map((e) => e.message ?? ''));
    }
    expect(all).toHaveLength(4);
    expect(await errorOf(h.logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', filterPattern: '{ $.a = ' })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(await errorOf(h.logs.send(new FilterLogEventsCommand({ logGroupName: '/nope' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });
});

describe('in process', () => {
  it('append() creates the group and stream; deliver() writes an EventBridge event to a stream named by its id', async () => {
    const logs = await h.internal();
    const now = h.clock.now();
    logs.append('000000000000', 'us-east-1', '/aws/lambda/fn', '2026/01/01/[$LATEST]abc', [
      { timestamp: now, message: 'START' },
    ]);
    const got = await h.logs.send(
      new GetLogEventsCommand({ logGroupName: '/aws/lambda/fn', logStreamName: '2026/01/01/[$LATEST]abc', startFromHead: true }),
    );
    expect(got.events?.map((e) => e.message)).toEqual(['START']);

    await h.logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/all' }));
    const event = { id: 'e1d2', time: new Date(now - 1000).toISOString(), source: 'app', 'detail-type': 'x', detail: {} };
    const result = await deliver(h.sy.instance, `${ARN}/aws/events/all`, { body: JSON.stringify(event) }, {
      account: '000000000000',
      region: 'us-east-1',
      service: 'eventbridge',
    });
    expect(result.id).toBe('e1d2');
    const written = await h.logs.send(
      new GetLogEventsCommand({ logGroupName: '/aws/events/all', logStreamName: 'e1d2', startFromHead: true }),
    );
    expect(written.events).toEqual([expect.objectContaining({ timestamp: now - 1000, message: JSON.stringify(event) })]);
    await expect(
      deliver(h.sy.instance, `${ARN}/missing`, { body: '{}' }, { account: '000000000000', region: 'us-east-1', service: 'eventbridge' }),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });
});
