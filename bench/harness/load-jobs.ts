// The messages between the orchestrator and the load-generator process (bench/harness/load-generator.ts).

/** A request whose body carries one value that changes per call (a receipt handle), already JSON-escaped. */
export interface RequestTemplate {
  /** Request line and headers up to the value of Content-Length. */
  headBeforeLength: string;
  /** The rest of the headers, ending with the blank line. */
  headAfterLength: string;
  bodyBefore: string;
  bodyAfter: string;
}

export type Workload =
  /** The same request again and again; a 200 counts `messagesPerRequest` messages (batch: the Successful entries). */
  | { type: 'repeat'; request: string; messagesPerRequest: number }
  /** ReceiveMessage, then DeleteMessage with the receipt handle from the response. */
  | { type: 'receive-delete'; receive: string; delete: RequestTemplate };

export type LoadJob =
  | {
      kind: 'closed-loop';
      port: number;
      connections: number;
      warmupMs: number;
      durationMs: number;
      workload: Workload;
    }
  /** Sends `messages` messages as fast as it can, for at most `maxMs` (no latency recording): prefill and memory. */
  | {
      kind: 'fill';
      port: number;
      connections: number;
      request: string;
      messagesPerRequest: number;
      messages: number;
      maxMs: number;
    }
  /** SendMessage through the official SDK client. */
  | {
      kind: 'sdk';
      endpoint: string;
      queueUrl: string;
      body: string;
      concurrency: number;
      warmupMs: number;
      durationMs: number;
    };

export interface LoadResult {
  requests: number;
  messages: number;
  errors: number;
  /** Receives that found no message (receive-delete only). */
  emptyReceives: number;
  firstError?: string;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** The generator's own CPU time over the measured window. */
  generatorCpuUs: number;
}

export type GeneratorMessage =
  | { type: 'measuring' }
  | { type: 'stopped' }
  | { type: 'result'; result: LoadResult }
  | { type: 'failed'; error: string };
