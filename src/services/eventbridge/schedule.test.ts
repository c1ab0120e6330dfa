import { PutRuleCommand, PutTargetsCommand, DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, test } from 'vitest';
import { startEventBridgeHarness } from './harness.js';
import { parseSchedule, ScheduleError } from './schedule.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('schedule expressions', () => {
  test('rate() fires every period from the start', () => {
    const start = at('2026-01-01T00:00:00Z');
    const s = parseSchedule('rate(5 minutes)', start);
    expect(iso(s.next(start))).toBe('2026-01-01T00:05:00.000Z');
    expect(iso(s.next(at('2026-01-01T00:05:00Z')))).toBe('2026-01-01T00:10:00.000Z');
    expect(iso(parseSchedule('rate(1 day)', start).next(start))).toBe('2026-01-02T00:00:00.000Z');
    expect(() => parseSchedule('rate(1 hours)', start)).toThrow(ScheduleError);
    expect(() => parseSchedule('rate(2 hour)', start)).toThrow(ScheduleError);
  });

  test('cron() in UTC, the documentation examples', () => {
    const from = at('2026-01-01T00:00:00Z'); // a Thursday
    // 10:15 every day
    expect(iso(parseSchedule('cron(15 10 * * ? *)', 0).next(from))).toBe('2026-01-01T10:15:00.000Z');
    // 18:00 Monday to Friday
    expect(iso(parseSchedule('cron(0 18 ? * MON-FRI *)', 0).next(at('2026-01-02T18:00:00Z')))).toBe('2026-01-05T18:00:00.000Z');
    // 8:00 on the first day of the month
    expect(iso(parseSchedule('cron(0 8 1 * ? *)', 0).next(from))).toBe('2026-01-01T08:00:00.000Z');
    // every 10 minutes on weekdays
    expect(iso(parseSchedule('cron(0/10 * ? * MON-FRI *)', 0).next(at('2026-01-02T23:55:00Z')))).toBe('2026-01-05T00:00:00.000Z');
    // every 5 minutes between 8:00 and 17:55 on weekdays
    expect(iso(parseSchedule('cron(0/5 8-17 ? * MON-FRI *)', 0).next(at('2026-01-01T17:55:00Z')))).toBe('2026-01-02T08:00:00.000Z');
    // 9:00 on the first Monday of each month
    expect(iso(parseSchedule('cron(0 9 ? * 2#1 *)', 0).next(from))).toBe('2026-01-05T09:00:00.000Z');
    // last day of the month, and a year field
    expect(iso(parseSchedule('cron(0 0 L * ? *)', 0).next(from))).toBe('2026-01-31T00:00:00.000Z');
    expect(iso(parseSchedule('cron(0 0 1 JAN ? 2027)', 0).next(from))).toBe('2027-01-01T00:00:00.000Z');
    expect(parseSchedule('cron(0 0 1 JAN ? 2020)', 0).next(from)).toBeUndefined();
  });

  test('invalid cron expressions', () => {
    for (const bad of ['cron(0 12 * * * *)', 'cron(0 12 ? * ? *)', 'cron(61 * * * ? *)', 'cron(0 12 * *)', 'cron(0 25 * * ? *)']) {
      expect(() => parseSchedule(bad, 0), bad).toThrow(ScheduleError);
    }
  });

  test('a schedule rule fires on the clock with the Scheduled Event envelope', async () => {
    const h = await startEventBridgeHarness({ fakeClock: true });
    try {
      const clock = h.clock;
      if (!clock) throw new Error('no clock');
      const q = await h.queue('ticks');
      const rule = await h.eb.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(1 minute)' }));
      await h.eb.send(new PutTargetsCommand({ Rule: 'tick', Targets: [{ Id: 'q', Arn: q.arn }] }));
      await clock.advance(59_000);
      expect(await h.receive(q.url)).toHaveLength(0);
      await clock.advance(1_000);
      const [m] = await h.receive(q.url);
      expect(JSON.parse(m?.Body ?? '')).toMatchObject({
        version: '0',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: 'us-east-1',
        resources: [rule.RuleArn],
        detail: {},
      });
      await h.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m?.ReceiptHandle }));
      await clock.advance(120_000);
      const two = await h.receive(q.url);
      expect(two).toHaveLength(2);
      for (const x of two) await h.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: x.ReceiptHandle }));
      await h.eb.send(new DisableRuleCommand({ Name: 'tick' }));
      await clock.advance(600_000);
      expect(await h.receive(q.url)).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
