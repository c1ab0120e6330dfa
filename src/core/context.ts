// What a provider knows of the request it serves.
import type { Clock } from './clock.js';
import type { Logger } from './logging.js';

export interface RequestContext {
  readonly requestId: string;
  readonly account: string;
  readonly region: string;
  /** Host and port the client used (`localhost:4566`), for URLs handed back to it (queue URLs). */
  readonly host: string;
  /** `http` here; kept so URLs built for the client use the scheme it used. */
  readonly scheme: string;
  /** The wire protocol the request came in (awsJson1_0, awsQuery, ...). */
  readonly protocol: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Aborts when the client goes away, so a long poll can stop waiting. */
  readonly signal: AbortSignal;
}
