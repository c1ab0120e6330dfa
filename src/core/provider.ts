// What a service implements, and what it is handed when Switchyard builds it.
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { RequestContext } from './context.js';
import type { Logger } from './logging.js';

/**
 * One operation: (context, input) -> output. The input parameter is typed by each provider with the SDK's request
 * type; `never` here lets a handler of any input type be stored in the table.
 */
export type OperationHandler = (ctx: RequestContext, input: never) => unknown;

export interface ServiceProvider {
  /** Our service name (a key of the generated SERVICES table). */
  readonly name: string;
  readonly operations: Readonly<Record<string, OperationHandler>>;
  /** The interface other services use to reach this one in process (`SqsInternal`, `LambdaInternal`). */
  readonly internal?: unknown;
  /** Clears all state. */
  reset(): void;
  /** Stops background work. */
  stop(): void;
}

/** What every provider is built with. */
export interface ServiceHost {
  readonly clock: Clock;
  readonly config: Config;
  readonly log: Logger;
  /** `http://HOST:PORT` of this Switchyard, known once it listens (for AWS_ENDPOINT_URL in functions). */
  readonly endpoint: string;
  /** Another service's provider (built on first use), whose `internal` interface serves deliveries in process. */
  provider(name: string): ServiceProvider | undefined;
}
