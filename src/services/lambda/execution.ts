// Running functions: the warm environment pool of each version, reserved concurrency, Event invocations in the
// background with Lambda's retries, hot reload of local code folders, and the environment a function sees.
import { randomUUID } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { parseArn } from '../../core/arn.js';
import type { Timer } from '../../core/clock.js';
import type { ServiceHost } from '../../core/provider.js';
import { deliver, type TargetAttribute } from '../../core/targets.js';
import type { CodeStorage } from './code.js';
import { throttled } from './errors.js';
import type { FunctionRecord, FunctionStore, VersionRecord } from './functions.js';
import type { EnvironmentSpec, InvocationOutcome } from './runtime/environment.js';
import { EnvironmentPool } from './runtime/pool.js';
import { familyOf, RuntimeLocator } from './runtimes.js';

/** How long an idle execution environment is kept warm. */
export const IDLE_ENVIRONMENT_MS = 10 * 60_000;
/** A throttled Event invocation waits this long before it tries again (it does not count as a retry). */
const THROTTLE_RETRY_MS = 1000;
/** Event invocations that fail are retried after one and then two minutes (Lambda's schedule). */
const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000] as const;

/** What happens to an Event invocation: retries, its maximum age, destinations and dead-letter queue. */
export interface AsyncPolicy {
  /** 0 to 2; 2 by default. */
  readonly maxRetries: number;
  /** 6 hours by default. */
  readonly maxAgeMs: number;
  readonly onSuccess?: string;
  readonly onFailure?: string;
  readonly deadLetter?: string;
}

export const DEFAULT_ASYNC_POLICY: AsyncPolicy = { maxRetries: 2, maxAgeMs: 6 * 3600_000 };

export interface ExecutionRequest {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly clientContext?: string;
  /** Receives a streamed response's chunks as the function writes them. */
  readonly onChunk?: (chunk: Buffer) => void;
  /** A streamed response begins, with its content type. */
  readonly onStreamStart?: (contentType: string) => void;
}

export class Execution {
  private readonly runtimes: RuntimeLocator;
  private readonly timers = new Set<Timer>();
  private readonly watchers = new Map<VersionRecord, FSWatcher>();
  /** Invocations running now, per function (all versions), for reserved concurrency. */
  private readonly inflight = new Map<FunctionRecord, number>();
  /** The folder that plays /opt's role for a function's layers (set by the provider, which owns the layers). */
  layerDir: (arns: readonly string[]) => string | undefined = () => undefined;

  constructor(
    private readonly host: ServiceHost,
    code: CodeStorage,
    /** Switchyard's endpoint, for AWS_ENDPOINT_URL (known once the server listens). */
    private readonly endpoint: () => string,
  ) {
    this.runtimes = new RuntimeLocator(() => code.runtimeDir());
  }

  /** Runs one invocation; throws TooManyRequestsException beyond the function's reserved concurrency. */
  async execute(
    store: FunctionStore,
    fn: FunctionRecord,
    record: VersionRecord,
    req: ExecutionRequest,
  ): Promise<InvocationOutcome> {
    if (this.isThrottled(fn)) throw throttled();
    this.inflight.set(fn, (this.inflight.get(fn) ?? 0) + 1);
    try {
      return await this.run(store, fn, record, req);
    } finally {
      const n = (this.inflight.get(fn) ?? 1) - 1;
      if (n > 0) this.inflight.set(fn, n);
      else this.inflight.delete(fn);
    }
  }

  /**
   * Throws TooManyRequestsException now when the function is at its reserved concurrency: a streamed response has
   * answered 200 by the time execute() would.
   */
  checkCapacity(fn: FunctionRecord): void {
    if (this.isThrottled(fn)) throw throttled();
  }

  /**
   * Runs an Event invocation in the background, retrying a failure as the policy says, then sends the invocation
   * record to the success or failure destination (and the event to the dead-letter queue). `target` names the
   * version to run at each attempt (an alias may have moved); undefined when the function is gone.
   */
  invokeAsync(
    store: FunctionStore,
    fn: FunctionRecord,
    target: () => VersionRecord | undefined,
    req: ExecutionRequest,
    policy: AsyncPolicy = DEFAULT_ASYNC_POLICY,
  ): void {
    const enqueuedAt = this.host.clock.now();
    const later = (ms: number, fn: () => void): void => {
      const timer = this.host.clock.setTimer(ms, () => {
        this.timers.delete(timer);
        fn();
      });
      this.timers.add(timer);
    };
    const attempt = (n: number): void => {
      const record = target();
      if (!record) return;
      if (this.host.clock.now() - enqueuedAt > policy.maxAgeMs) {
        this.finish(store, fn, record, req, policy, 'EventAgeExceeded', n, undefined);
        return;
      }
      if (this.isThrottled(fn)) {
        later(THROTTLE_RETRY_MS, () => attempt(n));
        return;
      }
      this.execute(store, fn, record, req)
        .then((outcome) => {
          if (!outcome.functionError) {
            this.finish(store, fn, record, req, policy, 'Success', n + 1, outcome);
            return;
          }
          this.host.log.debug(`lambda: async invocation ${req.requestId} of ${fn.name} failed (attempt ${n + 1})`);
          const delay = ASYNC_RETRY_DELAYS_MS[n];
          if (n < policy.maxRetries && delay !== undefined) later(delay, () => attempt(n + 1));
          else this.finish(store, fn, record, req, policy, 'RetriesExhausted', n + 1, outcome);
        })
        .catch((err: unknown) => this.host.log.error(`lambda: async invocation ${req.requestId} failed`, err));
    };
    later(0, () => attempt(0));
  }

  /** Retires a version's environments (code or configuration changed); `now` stops busy ones too. */
  dropPool(record: VersionRecord, now = false): void {
    const pool = record.pool;
    record.pool = undefined;
    if (now) pool?.kill();
    else pool?.retire();
    this.watchers.get(record)?.close();
    this.watchers.delete(record);
  }

  /** Stops every environment of these versions and all background work. */
  stop(records: Iterable<VersionRecord>): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    for (const r of records) this.dropPool(r, true);
    this.inflight.clear();
    this.runtimes.forget();
  }

  /** The end of an Event invocation: its record to the destination, its event to the dead-letter queue. */
  private finish(
    store: FunctionStore,
    fn: FunctionRecord,
    record: VersionRecord,
    req: ExecutionRequest,
    policy: AsyncPolicy,
    condition: 'Success' | 'RetriesExhausted' | 'EventAgeExceeded',
    invokeCount: number,
    outcome: InvocationOutcome | undefined,
  ): void {
    const success = condition === 'Success';
    const destination = success ? policy.onSuccess : policy.onFailure;
    const source = { account: store.account, region: store.region, service: 'lambda', sourceArn: fn.arn };
    const send = (arn: string, body: string, attributes?: Record<string, TargetAttribute>): void => {
      deliver(this.host, arn, { body, ...(attributes ? { attributes } : {}) }, source).catch((err: unknown) =>
        this.host.log.warn(`lambda: could not deliver the result of ${req.requestId} to ${arn}: ${String(err)}`),
      );
    };
    const version = record.config.Version ?? '$LATEST';
    const responseText = outcome?.payload.toString('utf8');
    if (destination) {
      const invocationRecord = {
        version: '1.0',
        timestamp: new Date(this.host.clock.now()).toISOString(),
        requestContext: {
          requestId: req.requestId,
          functionArn: `${fn.arn}:${version}`,
          condition,
          approximateInvokeCount: invokeCount,
        },
        requestPayload: parseOr(req.payload.toString('utf8')),
        responseContext: {
          statusCode: 200,
          executedVersion: version,
          ...(outcome?.functionError ? { functionError: outcome.functionError } : {}),
        },
        ...(responseText !== undefined ? { responsePayload: parseOr(responseText) } : {}),
      };
      // An event bus receives the record as the detail of an event from `lambda`, as AWS sends it.
      const body =
        parseArn(destination)?.service === 'events'
          ? JSON.stringify({
              version: '0',
              id: randomUUID(),
              'detail-type': `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`,
              source: 'lambda',
              account: store.account,
              time: new Date(this.host.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
              region: store.region,
              resources: [`${fn.arn}:${version}`],
              detail: invocationRecord,
            })
          : JSON.stringify(invocationRecord);
      send(destination, body);
    }
    if (!success && policy.deadLetter) {
      const message = parseOr(responseText ?? '') as { errorMessage?: unknown } | undefined;
      const errorMessage = typeof message?.errorMessage === 'string' ? message.errorMessage : condition;
      send(policy.deadLetter, req.payload.toString('utf8'), {
        RequestID: { DataType: 'String', StringValue: req.requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: errorMessage.slice(0, 1024) },
      });
    }
  }

  private isThrottled(fn: FunctionRecord): boolean {
    return fn.reservedConcurrency !== undefined && (this.inflight.get(fn) ?? 0) >= fn.reservedConcurrency;
  }

  private run(
    store: FunctionStore,
    fn: FunctionRecord,
    record: VersionRecord,
    req: ExecutionRequest,
  ): Promise<InvocationOutcome> {
    let pool = record.pool;
    if (!pool) {
      pool = new EnvironmentPool(this.specFor(store, fn, record), this.host.clock, (text) => {
        if (this.host.log.enabled('debug')) this.host.log.debug(`lambda ${fn.name}: ${text.trimEnd()}`);
      });
      record.pool = pool;
      if (record.code.local) this.watchLocal(record);
    }
    return pool.invoke({ ...req, payload: req.payload.length ? req.payload : Buffer.from('{}') });
  }

  /** Hot reload: a change in a local code folder retires its warm environments. */
  private watchLocal(record: VersionRecord): void {
    if (this.watchers.has(record)) return;
    try {
      const w = watch(record.code.dir, { recursive: true, persistent: false }, () => this.dropPool(record));
      w.on('error', () => this.dropPool(record));
      this.watchers.set(record, w);
    } catch {
      // Watching is best effort: without it, code changes apply to new environments only.
    }
  }

  /** The process environment AWS documents ("Defined runtime environment variables"), plus AWS_ENDPOINT_URL. */
  private specFor(store: FunctionStore, fn: FunctionRecord, record: VersionRecord): EnvironmentSpec {
    const cfg = record.config;
    const memory = cfg.MemorySize ?? 128;
    const runtime = cfg.Runtime ?? '';
    const dir = record.code.dir;
    const version = cfg.Version ?? '$LATEST';
    const opt = this.layerDir((cfg.Layers ?? []).map((l) => l.Arn ?? ''));
    const command = this.runtimes.command(runtime, dir, memory, opt);
    const day = new Date(this.host.clock.now()).toISOString().slice(0, 10).replaceAll('-', '/');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      LAMBDA_TASK_ROOT: dir,
      LAMBDA_RUNTIME_DIR: this.runtimes.dir(),
      _HANDLER: cfg.Handler ?? '',
      AWS_REGION: store.region,
      AWS_DEFAULT_REGION: store.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: cfg.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[${version}]${randomUUID().replaceAll('-', '')}`,
      // A 12-digit access key id selects the function's own account when its code calls Switchyard back.
      AWS_ACCESS_KEY_ID: store.account,
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SESSION_TOKEN: 'test',
      AWS_ENDPOINT_URL: this.endpoint(),
    };
    if (cfg.LoggingConfig?.LogFormat === 'JSON') {
      env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
      env.AWS_LAMBDA_LOG_LEVEL = cfg.LoggingConfig.ApplicationLogLevel ?? 'INFO';
    }
    if (familyOf(runtime) === 'nodejs') env.NODE_PATH = dir;
    if (familyOf(runtime) === 'python') env.PYTHONPATH = dir;
    if (opt !== undefined) Object.assign(env, layerPaths(runtime, dir, opt, env));
    Object.assign(env, cfg.Environment?.Variables ?? {});
    return {
      command: command.command,
      args: command.args,
      cwd: dir,
      env,
      timeoutSeconds: cfg.Timeout ?? 3,
      memorySize: memory,
      functionVersion: version,
      idleMs: IDLE_ENVIRONMENT_MS,
      ...(command.unavailable ? { unavailable: command.unavailable } : {}),
    };
  }
}

/** JSON when the text is JSON, else the text itself. */
function parseOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Where runtimes look into /opt, as on Lambda: node modules, Python packages, bin on PATH and lib for libraries. */
function layerPaths(runtime: string, dir: string, opt: string, env: Record<string, string>): Record<string, string> {
  const paths: Record<string, string> = {
    PATH: `${env.PATH ?? ''}:${join(opt, 'bin')}`,
    LD_LIBRARY_PATH: [dir, join(dir, 'lib'), join(opt, 'lib'), process.env.LD_LIBRARY_PATH]
      .filter(Boolean)
      .join(':'),
  };
  const family = familyOf(runtime);
  if (family === 'nodejs') {
    const major = /^nodejs(\d+)/.exec(runtime)?.[1] ?? '';
    paths.NODE_PATH = [join(opt, 'nodejs', `node${major}`, 'node_modules'), join(opt, 'nodejs', 'node_modules'), dir].join(
      ':',
    );
  }
  if (family === 'python') {
    const version = runtime.replace(/^python/, '');
    paths.PYTHONPATH = [dir, join(opt, 'python', 'lib', `python${version}`, 'site-packages'), join(opt, 'python')].join(':');
  }
  return paths;
}
