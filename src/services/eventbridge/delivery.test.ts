import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, test } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import type { DeliverySource, TargetMessage } from '../../core/targets.js';
import { DeliveryRunner, type DeliveryJob } from './delivery.js';
import { startEventBridgeHarness } from './harness.js';

const source: DeliverySource = { account: '000000000000', region: 'us-east-1', service: 'eventbridge' };
const TARGET = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';

function job(clock: FakeClock, over: Partial<DeliveryJob> = {}): DeliveryJob {
  return {
    ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
    targetArn: TARGET,
    message: { body: '{"id":"e"}' },
    receivedAt: clock.now(),
    maxRetries: 3,
    maxAgeSeconds: 86_400,
    deadLetterArn: DLQ,
    source,
    ...over,
  };
}

/** A sender that fails the target `failures` times with a retriable error, and records every call. */
function flaky(failures: number) {
  const calls: { arn: string; message: TargetMessage }[] = [];
  let left = failures;
  const send = (arn: string, message: TargetMessage): Promise<unknown> => {
    calls.push({ arn, message });
    if (arn === TARGET && left-- > 0) return Promise.reject(new ServiceError('TooManyRequestsException', 'Rate exceeded', { status: 429 }));
    return Promise.resolve({});
  };
  return { calls, send };
}

describe('retries and dead letters', () => {
  test('retries with backoff on the clock, then succeeds', async () => {
    const clock = new FakeClock();
    const { calls, send } = flaky(2);
    const runner = new DeliveryRunner(clock, send, undefined, () => 1);
    await runner.start(job(clock));
    expect(calls).toHaveLength(1);
    await clock.advance(999);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    expect(calls).toHaveLength(2);
    await clock.advance(2000);
    expect(calls).toHaveLength(3);
    await clock.advance(600_000);
    expect(calls.every((c) => c.arn === TARGET)).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  test('MaximumRetryAttempts exhausted: the event goes to the DLQ with the error attributes', async () => {
    const clock = new FakeClock();
    const { calls, send } = flaky(100);
    const runner = new DeliveryRunner(clock, send, undefined, () => 0);
    await runner.start(job(clock, { maxRetries: 2 }));
    await clock.advance(60_000);
    expect(calls.map((c) => c.arn)).toEqual([TARGET, TARGET, TARGET, DLQ]);
    const dead = calls[3]?.message;
    expect(dead?.body).toBe('{"id":"e"}');
    expect(dead?.attributes).toEqual({
      RULE_ARN: { DataType: 'String', StringValue: 'arn:aws:events:us-east-1:000000000000:rule/r' },
      TARGET_ARN: { DataType: 'String', StringValue: TARGET },
      ERROR_CODE: { DataType: 'String', StringValue: 'TooManyRequestsException' },
      ERROR_MESSAGE: { DataType: 'String', StringValue: 'Rate exceeded' },
      EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: 'MaximumRetryAttemptsExhausted' },
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: '2' },
    });
  });

  test('MaximumEventAgeInSeconds exhausted', async () => {
    const clock = new FakeClock();
    const { calls, send } = flaky(1000);
    const runner = new DeliveryRunner(clock, send, undefined, () => 1);
    await runner.start(job(clock, { maxRetries: 185, maxAgeSeconds: 60 }));
    await clock.advance(120_000);
    // 1 + 2 + 4 + 8 + 16 = 31 s of waits fit in 60 s; the next (32 s) does not.
    expect(calls.filter((c) => c.arn === TARGET)).toHaveLength(6);
    expect(calls.at(-1)?.arn).toBe(DLQ);
    expect(calls.at(-1)?.message.attributes?.EXHAUSTED_RETRY_CONDITION?.StringValue).toBe('MaximumEventAgeExhausted');
  });

  test('without a DLQ the event is dropped; stop() cancels retries', async () => {
    const clock = new FakeClock();
    const dropped: string[] = [];
    const { calls, send } = flaky(1000);
    const runner = new DeliveryRunner(clock, send, (_j, e) => dropped.push(e.code), () => 1);
    await runner.start(job(clock, { deadLetterArn: undefined, maxRetries: 0 }));
    expect(dropped).toEqual(['TooManyRequestsException']);
    await runner.start(job(clock, { deadLetterArn: undefined }));
    runner.stop();
    await clock.advance(600_000);
    expect(calls).toHaveLength(2);
  });

  test('end to end: a target that does not exist sends the event to the DLQ at once', async () => {
    const h = await startEventBridgeHarness({ fakeClock: true });
    try {
      const dlq = await h.queue('eb-dlq');
      const missing = 'arn:aws:sqs:us-east-1:000000000000:not-there';
      await h.eb.send(new PutRuleCommand({ Name: 'r', EventPattern: JSON.stringify({ source: ['a'] }) }));
      await h.eb.send(
        new PutTargetsCommand({
          Rule: 'r',
          Targets: [{ Id: 't', Arn: missing, DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 60 } }],
        }),
      );
      const r = await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'x', Detail: '{}' }] }));
      const [m] = await h.receive(dlq.url);
      expect(JSON.parse(m?.Body ?? '')).toMatchObject({ id: r.Entries?.[0]?.EventId, source: 'a' });
      const attrs = m?.MessageAttributes ?? {};
      expect(attrs.RULE_ARN?.StringValue).toBe('arn:aws:events:us-east-1:000000000000:rule/r');
      expect(attrs.TARGET_ARN?.StringValue).toBe(missing);
      expect(attrs.ERROR_CODE?.StringValue).toBeTruthy();
      expect(attrs.ERROR_MESSAGE?.StringValue).toBeTruthy();
      expect(h.clock?.pending()).toBe(0);
    } finally {
      await h.close();
    }
  });
});
