import { describe, expect, it } from 'vitest';
import { errorMatches, errorOutput, findCatcher, findRetrier, retryDelayMs } from './error-handling.js';

describe('error matching', () => {
  it('matches names exactly and through the States.ALL and States.TaskFailed wildcards', () => {
    expect(errorMatches(['Lambda.ServiceException'], 'Lambda.ServiceException')).toBe(true);
    expect(errorMatches(['Lambda.ServiceException'], 'Other')).toBe(false);
    expect(errorMatches(['States.ALL'], 'States.Timeout')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'MyError')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['States.Timeout'], 'States.Timeout')).toBe(true);
  });

  it('never matches States.Runtime or States.DataLimitExceeded', () => {
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.Runtime'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.ALL'], 'States.DataLimitExceeded')).toBe(false);
  });

  it('finds the first matching retrier and catcher', () => {
    const retriers = [{ ErrorEquals: ['A'] }, { ErrorEquals: ['States.ALL'], MaxAttempts: 1 }];
    expect(findRetrier(retriers, 'B')).toEqual({ retrier: retriers[1], index: 1 });
    expect(findRetrier(undefined, 'B')).toBeUndefined();
    const catchers = [{ ErrorEquals: ['X'], Next: 'x' }, { ErrorEquals: ['States.ALL'], Next: 'all' }];
    expect(findCatcher(catchers, 'X')?.Next).toBe('x');
    expect(findCatcher(catchers, 'Y')?.Next).toBe('all');
    expect(errorOutput('E', 'C')).toEqual({ Error: 'E', Cause: 'C' });
  });
});

describe('retry delays', () => {
  it('uses the defaults: 1 second, rate 2, 3 attempts', () => {
    const r = { ErrorEquals: ['States.ALL'] };
    expect([0, 1, 2, 3].map((a) => retryDelayMs(r, a))).toEqual([1000, 2000, 4000, undefined]);
  });

  it('applies BackoffRate, MaxDelaySeconds and FULL jitter', () => {
    const r = { ErrorEquals: ['X'], IntervalSeconds: 3, BackoffRate: 1.5, MaxAttempts: 4, MaxDelaySeconds: 5 };
    expect([0, 1, 2, 3, 4].map((a) => retryDelayMs(r, a))).toEqual([3000, 4500, 5000, 5000, undefined]);
    expect(retryDelayMs({ ...r, JitterStrategy: 'FULL' }, 1, () => 0.5)).toBe(2250);
    expect(retryDelayMs({ ErrorEquals: ['X'], MaxAttempts: 0 }, 0)).toBeUndefined();
  });
});
