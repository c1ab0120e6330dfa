// What a service implements, and what it is handed when Switchyard builds it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpRequest, HttpResponse } from '../protocols/http.js';
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
  /** The traffic this service serves besides its API (function URLs, invoke URLs), when it has any. */
  readonly dataPlane?: DataPlane;
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
  /**
   * Another service's provider, whose `internal` interface serves deliveries in process. Its code is loaded and the
   * provider built on first use, hence the promise; undefined for a service Switchyard does not implement.
   */
  provider(name: string): Promise<ServiceProvider | undefined>;
}

/** A request addressed to a data plane, found by host name or path (design.md, "Address conventions"). */
export interface DataPlaneRequest {
  /** Which data plane: API Gateway invoke URLs, Lambda function URLs, or Lambda code downloads. */
  readonly plane: 'execute-api' | 'lambda-url' | 'lambda-code';
  /** The request with `path` rewritten to the path inside the API or function URL (still percent-encoded). */
  readonly request: HttpRequest;
  /** The API id or function URL id. */
  readonly id: string;
  /** The Host header the client sent. */
  readonly host: string;
  /** The region named in the host (`ID.execute-api.REGION.localhost`), when it names one. */
  readonly region: string | undefined;
  /** Client address, for `sourceIp` in request contexts. */
  readonly sourceIp: string;
  /**
   * Which form addressed it: `ID.execute-api.localhost`, `/_aws/execute-api/ID`, `/restapis/ID/.../_user_request_`,
   * or a custom domain name the data plane owns (`id` is then empty and `host` names the domain).
   */
  readonly form: 'host' | 'path' | 'legacy' | 'domain';
}

export interface DataPlane {
  handle(req: DataPlaneRequest): Promise<HttpResponse> | HttpResponse;
  /**
   * Whether requests whose Host is this name (no port, lower case) are the data plane's: API Gateway custom domain
   * names. Asked only for hosts no other route claims, so it must be a cheap lookup.
   */
  ownsHost?(hostname: string): boolean;
  /** A WebSocket upgrade (`request.body` is empty); the data plane owns the socket from here. */
  upgrade?(req: DataPlaneRequest, raw: IncomingMessage, socket: Duplex, head: Buffer): void;
}
