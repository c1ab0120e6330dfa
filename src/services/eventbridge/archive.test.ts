import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEventBridgeHarness, type EventBridgeHarness } from './harness.js';

let h: EventBridgeHarness;
const BUS_ARN = (name: string): string => `arn:aws:events:us-east-1:000000000000:event-bus/${name}`;

beforeAll(async () => {
  h = await startEventBridgeHarness({ fakeClock: true });
});
afterAll(async () => {
  await h.close();
});

const put = (source: string, bus: string, n = 1) =>
  h.eb.send(new PutEventsCommand({ Entries: Array.from({ length: n }, (_, i) => ({ Source: source, DetailType: 'T', Detail: JSON.stringify({ i }), EventBusName: bus })) }));

async function error(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected an error');
}

describe('archives', () => {
  test('create, describe, list, update, delete, with AWS errors', async () => {
    await h.eb.send(new CreateEventBusCommand({ Name: 'arch-crud' }));
    const created = await h.eb.send(
      new CreateArchiveCommand({ ArchiveName: 'a1', EventSourceArn: BUS_ARN('arch-crud'), Description: 'd', RetentionDays: 3, KmsKeyIdentifier: 'alias/archive' }),
    );
    expect(created.ArchiveArn).toBe('arn:aws:events:us-east-1:000000000000:archive/a1');
    expect(created.State).toBe('ENABLED');
    expect(await error(h.eb.send(new CreateArchiveCommand({ ArchiveName: 'a1', EventSourceArn: BUS_ARN('arch-crud') })))).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'Archive a1 already exists.',
    });
    expect(await error(h.eb.send(new CreateArchiveCommand({ ArchiveName: 'a2', EventSourceArn: BUS_ARN('nope') })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Event bus nope does not exist.',
    });
    const badPattern = await error(
      h.eb.send(new CreateArchiveCommand({ ArchiveName: 'a3', EventSourceArn: BUS_ARN('arch-crud'), EventPattern: '{"source":"x"}' })),
    );
    expect(badPattern.name).toBe('InvalidEventPatternException');
    expect(await error(h.eb.send(new DescribeArchiveCommand({ ArchiveName: 'zz' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Archive zz does not exist.',
    });
    const updated = await h.eb.send(new UpdateArchiveCommand({ ArchiveName: 'a1', EventPattern: JSON.stringify({ source: ['keep'] }), RetentionDays: 0 }));
    expect(updated.ArchiveArn).toBe(created.ArchiveArn);
    const d = await h.eb.send(new DescribeArchiveCommand({ ArchiveName: 'a1' }));
    expect(d).toMatchObject({ ArchiveName: 'a1', EventSourceArn: BUS_ARN('arch-crud'), Description: 'd', KmsKeyIdentifier: 'alias/archive', RetentionDays: 0, EventCount: 0, SizeBytes: 0, State: 'ENABLED' });
    expect(d.EventPattern).toBe(JSON.stringify({ source: ['keep'] }));
    const listed = await h.eb.send(new ListArchivesCommand({ EventSourceArn: BUS_ARN('arch-crud') }));
    expect(listed.Archives?.map((a) => a.ArchiveName)).toEqual(['a1']);
    const twoFilters = await error(h.eb.send(new ListArchivesCommand({ NamePrefix: 'a', State: 'ENABLED' })));
    expect(twoFilters.name).toBe('ValidationException');
    await h.eb.send(new DeleteArchiveCommand({ ArchiveName: 'a1' }));
    expect((await error(h.eb.send(new DeleteArchiveCommand({ ArchiveName: 'a1' })))).name).toBe('ResourceNotFoundException');
  });

  test('archives the events that match its pattern, and drops them after RetentionDays on the clock', async () => {
    await h.eb.send(new CreateEventBusCommand({ Name: 'arch-keep' }));
    await h.eb.send(new CreateArchiveCommand({ ArchiveName: 'kept', EventSourceArn: BUS_ARN('arch-keep'), EventPattern: JSON.stringify({ source: ['keep'] }), RetentionDays: 1 }));
    await put('keep', 'arch-keep', 3);
    await put('other', 'arch-keep', 2);
    const d = await h.eb.send(new DescribeArchiveCommand({ ArchiveName: 'kept' }));
    expect(d.EventCount).toBe(3);
    expect(d.SizeBytes).toBeGreaterThan(3 * 200);
    await h.clock?.advance(86_400_000 + 1);
    expect((await h.eb.send(new DescribeArchiveCommand({ ArchiveName: 'kept' }))).EventCount).toBe(0);
  });
});

describe('replays', () => {
  test('replays a window to the bus rules with replay-name, never into the archive again', async () => {
    await h.eb.send(new CreateEventBusCommand({ Name: 'orders' }));
    const q = await h.queue('replayed');
    const other = await h.queue('not-named');
    await h.eb.send(new PutRuleCommand({ Name: 'r', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    await h.eb.send(new PutRuleCommand({ Name: 'r2', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    const archive = await h.eb.send(new CreateArchiveCommand({ ArchiveName: 'orders-all', EventSourceArn: BUS_ARN('orders') }));
    // Event times have whole seconds, as AWS writes them.
    const start = new Date(Math.floor((h.clock?.now() ?? 0) / 1000) * 1000);
    await put('shop', 'orders', 2);
    await h.clock?.advance(60_000);
    await put('shop', 'orders', 1); // after the window
    const end = new Date(start.getTime() + 30_000);
    // Targets come after the events: only the replay reaches them.
    const rule = await h.eb.send(new PutTargetsCommand({ Rule: 'r', EventBusName: 'orders', Targets: [{ Id: 'q', Arn: q.arn }] }));
    expect(rule.FailedEntryCount).toBe(0);
    await h.eb.send(new PutTargetsCommand({ Rule: 'r2', EventBusName: 'orders', Targets: [{ Id: 'q', Arn: other.arn }] }));

    const dest = { Arn: BUS_ARN('orders'), FilterArns: ['arn:aws:events:us-east-1:000000000000:rule/orders/r'] };
    expect(await error(h.eb.send(new StartReplayCommand({ ReplayName: 'bad', EventSourceArn: archive.ArchiveArn, EventStartTime: end, EventEndTime: start, Destination: dest })))).toEqual({
      name: 'ValidationException',
      message: 'Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    });
    expect(await error(h.eb.send(new StartReplayCommand({ ReplayName: 'bad', EventSourceArn: archive.ArchiveArn, EventStartTime: start, EventEndTime: end, Destination: { Arn: BUS_ARN('default') } })))).toEqual({
      name: 'ValidationException',
      message: 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    });
    const started = await h.eb.send(
      new StartReplayCommand({ ReplayName: 'rp1', EventSourceArn: archive.ArchiveArn, EventStartTime: start, EventEndTime: end, Destination: dest }),
    );
    expect(started).toMatchObject({ ReplayArn: 'arn:aws:events:us-east-1:000000000000:replay/rp1', State: 'STARTING' });
    expect((await error(h.eb.send(new StartReplayCommand({ ReplayName: 'rp1', EventSourceArn: archive.ArchiveArn, EventStartTime: start, EventEndTime: end, Destination: dest })))).name).toBe('ResourceAlreadyExistsException');
    await h.clock?.advance(1);
    const d = await h.eb.send(new DescribeReplayCommand({ ReplayName: 'rp1' }));
    expect(d).toMatchObject({ ReplayName: 'rp1', State: 'COMPLETED', EventSourceArn: archive.ArchiveArn, Destination: dest });
    expect(d.EventLastReplayedTime?.getTime()).toBe(start.getTime());
    expect(d.ReplayEndTime).toBeInstanceOf(Date);
    const messages = await h.receive(q.url);
    expect(messages).toHaveLength(2);
    expect(JSON.parse(messages[0]?.Body ?? '')).toMatchObject({ source: 'shop', 'replay-name': 'rp1' });
    expect(await h.receive(other.url)).toHaveLength(0);
    expect((await h.eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders-all' }))).EventCount).toBe(3);
    expect((await h.eb.send(new ListReplaysCommand({ EventSourceArn: archive.ArchiveArn }))).Replays?.map((r) => [r.ReplayName, r.State])).toEqual([['rp1', 'COMPLETED']]);
    expect(await error(h.eb.send(new CancelReplayCommand({ ReplayName: 'rp1' })))).toEqual({
      name: 'IllegalStatusException',
      message: 'Replay rp1 is not in a valid state for this operation.',
    });
  });

  test('CancelReplay before it runs: CANCELLING, then CANCELLED', async () => {
    await h.eb.send(new CreateEventBusCommand({ Name: 'cancel-bus' }));
    const archive = await h.eb.send(new CreateArchiveCommand({ ArchiveName: 'cancel-archive', EventSourceArn: BUS_ARN('cancel-bus') }));
    const start = new Date(Math.floor((h.clock?.now() ?? 0) / 1000) * 1000);
    await put('x', 'cancel-bus');
    await h.clock?.advance(1000);
    await h.eb.send(new StartReplayCommand({ ReplayName: 'rp2', EventSourceArn: archive.ArchiveArn, EventStartTime: start, EventEndTime: new Date(h.clock?.now() ?? 0), Destination: { Arn: BUS_ARN('cancel-bus') } }));
    expect(await h.eb.send(new CancelReplayCommand({ ReplayName: 'rp2' }))).toMatchObject({ State: 'CANCELLING' });
    await h.clock?.advance(1);
    expect((await h.eb.send(new DescribeReplayCommand({ ReplayName: 'rp2' }))).State).toBe('CANCELLED');
    expect(await error(h.eb.send(new DescribeReplayCommand({ ReplayName: 'nope' })))).toEqual({ name: 'ResourceNotFoundException', message: 'Replay nope does not exist.' });
  });
});
