// Retry and Catch (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html): which retrier
// or catcher matches an error name, how long to wait before the next attempt, and the error output a catcher
// passes on. States.ALL matches every error except States.Runtime (never retried or caught) and
// States.DataLimitExceeded; States.TaskFailed matches every error except States.Timeout and those two.

import type { Catcher, Retrier } from './definition.js';
import type { Json } from './json.js';
import { StatesErrors } from './errors.js';

const UNCATCHABLE: ReadonlySet<string> = new Set([StatesErrors.Runtime, StatesErrors.DataLimitExceeded]);

export const RETRY_DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 } as const;

/** True when an ErrorEquals list covers the error name. */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (UNCATCHABLE.has(error)) return false;
  return errorEquals.some(
    (name) =>
      name === error ||
      name === StatesErrors.ALL ||
      (name === StatesErrors.TaskFailed && error !== StatesErrors.Timeout && error !== StatesErrors.HeartbeatTimeout),
  );
}

/** The first retrier that matches the error, with its index (retry counts are kept per retrier). */
export function findRetrier(retriers: readonly Retrier[] | undefined, error: string): { retrier: Retrier; index: number } | undefined {
  const index = (retriers ?? []).findIndex((r) => errorMatches(r.ErrorEquals, error));
  return index < 0 ? undefined : { retrier: (retriers as readonly Retrier[])[index] as Retrier, index };
}

export function findCatcher(catchers: readonly Catcher[] | undefined, error: string): Catcher | undefined {
  return (catchers ?? []).find((c) => errorMatches(c.ErrorEquals, error));
}

/**
 * Milliseconds to wait before retry number `attempt` (0 for the first retry), or undefined when the retrier's
 * MaxAttempts are used up. `random` is injected so that FULL jitter is deterministic in tests.
 */
export function retryDelayMs(retrier: Retrier, attempt: number, random: () => number = Math.random): number | undefined {
  const maxAttempts = retrier.MaxAttempts ?? RETRY_DEFAULTS.MaxAttempts;
  if (attempt >= maxAttempts) return undefined;
  const interval = retrier.IntervalSeconds ?? RETRY_DEFAULTS.IntervalSeconds;
  const rate = retrier.BackoffRate ?? RETRY_DEFAULTS.BackoffRate;
  let seconds = interval * Math.pow(rate, attempt);
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

/** The object a catcher places at its ResultPath: `{ "Error": ..., "Cause": ... }`. */
export function errorOutput(error: string, cause: string): Json {
  return { Error: error, Cause: cause };
}
