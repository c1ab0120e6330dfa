import { describe, expect, test } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import { effectiveHttpPolicy, httpRetryDelay } from './delivery-policy.js';
import { retryDelay, RetryScheduler } from './delivery.js';

const effectiveHttpRetry = (own: string | undefined, topic: string | undefined): ReturnType<typeof effectiveHttpPolicy>['retry'] =>
  effectiveHttpPolicy(own, topic).retry;

describe('retry policies', () => {
  test("SQS and Lambda: AWS's four phases, 100,015 attempts", () => {
    expect([0, 1, 2].map(retryDelay)).toEqual([0, 0, 0]);
    expect([3, 4].map(retryDelay)).toEqual([1000, 1000]);
    expect(retryDelay(5)).toBe(1000);
    expect(retryDelay(14)).toBe(20_000);
    expect(retryDelay(15)).toBe(20_000);
    expect(retryDelay(100_014)).toBe(20_000);
    expect(retryDelay(100_015)).toBeUndefined();
  });

  test('HTTP/S: the subscription policy over the topic policy over the default (3 retries, 20 s)', () => {
    const dflt = httpRetryDelay(effectiveHttpRetry(undefined, undefined));
    expect([0, 1, 2, 3].map(dflt)).toEqual([20_000, 20_000, 20_000, undefined]);
    const topic = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 5, minDelayTarget: 1, maxDelayTarget: 5, numNoDelayRetries: 1 } } });
    const p = httpRetryDelay(effectiveHttpRetry(undefined, topic));
    expect([0, 1, 2, 3, 4, 5].map(p)).toEqual([0, 1000, 2333, 3667, 5000, undefined]);
    const own = JSON.stringify({ healthyRetryPolicy: { numRetries: 1 } });
    expect([0, 1].map(httpRetryDelay(effectiveHttpRetry(own, topic)))).toEqual([20_000, undefined]);
  });
});

describe('RetryScheduler', () => {
  test('retries server-side failures on the clock, then reports the failure', async () => {
    const clock = new FakeClock();
    const scheduler = new RetryScheduler(clock);
    let attempts = 0;
    let failed: unknown;
    scheduler.run(
      () => {
        attempts++;
        return Promise.reject(new Error('down'));
      },
      (e) => {
        failed = e;
      },
      (retry) => (retry < 2 ? 1000 : undefined),
    );
    await clock.advance(0);
    expect(attempts).toBe(1);
    await clock.advance(1000);
    expect(attempts).toBe(2);
    await clock.advance(1000);
    expect(attempts).toBe(3);
    expect((failed as Error).message).toBe('down');
    expect(scheduler.pending()).toBe(0);
  });

  test('client-side failures are final at once; success stops; cancelAll drops waiting retries', async () => {
    const clock = new FakeClock();
    const scheduler = new RetryScheduler(clock);
    let failed: unknown;
    scheduler.run(
      () => Promise.reject(new ServiceError('QueueDoesNotExist', 'gone')),
      (e) => {
        failed = e;
      },
    );
    await clock.advance(0);
    expect((failed as ServiceError).code).toBe('QueueDoesNotExist');
    let n = 0;
    scheduler.run(
      () => (++n < 3 ? Promise.reject(new Error('x')) : Promise.resolve()),
      () => undefined,
    );
    await clock.advance(0);
    expect(n).toBe(3);
    scheduler.run(
      () => Promise.reject(new Error('x')),
      () => undefined,
      () => 5000,
    );
    await clock.advance(0);
    expect(scheduler.pending()).toBe(1);
    scheduler.cancelAll();
    expect(scheduler.pending()).toBe(0);
  });
});
