// One execution environment: a child process running a runtime that pulls invocations from its own Runtime API
// listener, one at a time. Its output is captured per invocation (START/END/REPORT framing, as CloudWatch shows it).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Clock, Timer } from '../../../core/clock.js';
import {
  startRuntimeApi,
  type NextInvocation,
  type RuntimeApiServer,
  type StreamedResponseSink,
} from './runtime-api.js';

/** How to start the environments of one function version. */
export interface EnvironmentSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The process environment, without AWS_LAMBDA_RUNTIME_API (set per environment). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly functionVersion: string;
  /** How long an idle environment lives before it is stopped. */
  readonly idleMs: number;
  /** Set when this runtime cannot start here (its interpreter is missing): every invocation fails with it. */
  readonly unavailable?: FunctionErrorBody;
}

export interface InvocationRequest {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly clientContext?: string;
  /**
   * Receives a streamed response's chunks as the function writes them (InvokeWithResponseStream, RESPONSE_STREAM
   * URLs); the outcome's payload is then empty. Without it, a streamed response is collected into the payload.
   */
  readonly onChunk?: (chunk: Buffer) => void;
  /** A streamed response begins, with its content type (HttpResponseStream.from's marks the metadata prelude). */
  readonly onStreamStart?: (contentType: string) => void;
}

export interface InvocationOutcome {
  readonly payload: Buffer;
  /** `Unhandled` when the function failed. */
  readonly functionError?: string;
  /** The invocation's log: START, what the function wrote, END and REPORT. */
  readonly log: string;
  /** The log stream of the environment that ran it (AWS_LAMBDA_LOG_STREAM_NAME). */
  readonly logStream?: string;
  /** True when the function streamed its response (through onChunk when one was given). */
  readonly streamed?: boolean;
}

export interface FunctionErrorBody {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: readonly string[];
}

export interface EnvironmentHooks {
  /** Every chunk the function writes, for the host's log. */
  output(text: string): void;
  /** The environment has stopped for good. */
  exited(env: ExecutionEnvironment): void;
  /** The environment finished an invocation and can take another. */
  released(env: ExecutionEnvironment): void;
}

/** The response size limit of synchronous invocations (AWS allows a little over 6 MB). */
export const MAX_RESPONSE_BYTES = 6291556;
/** The maximum size of a streamed response: 200 MB, AWS's documented default since July 2025 (20 MB before). */
export const MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;
/** The init phase's own limit. */
const INIT_TIMEOUT_MS = 10_000;

interface Current {
  readonly req: InvocationRequest;
  readonly resolve: (outcome: InvocationOutcome) => void;
  readonly log: string[];
  dispatchedAt: number | undefined;
  timer: Timer | undefined;
  done: boolean;
  streamed: boolean;
}

type State = 'starting' | 'idle' | 'busy' | 'dead';

export class ExecutionEnvironment {
  private state: State = 'starting';
  private child: ChildProcess | undefined;
  private api: RuntimeApiServer | undefined;
  private current: Current | undefined;
  private waiter: { resolve: (inv: NextInvocation) => void; reject: (e: Error) => void } | undefined;
  private initLog: string[] = [];
  private initError: Buffer | undefined;
  private initTimer: Timer | undefined;
  private idleTimer: Timer | undefined;
  private readonly startedAt: number;
  private initDurationMs: number | undefined;
  private retireWhenIdle = false;

  constructor(
    private readonly spec: EnvironmentSpec,
    private readonly clock: Clock,
    private readonly hooks: EnvironmentHooks,
  ) {
    this.startedAt = clock.now();
    this.launch().catch((err: unknown) => this.die(`could not start: ${String(err)}`));
  }

  /** Ready for an invocation now (possibly still starting, with nothing assigned). */
  get available(): boolean {
    return (this.state === 'idle' || this.state === 'starting') && !this.current && !this.retireWhenIdle;
  }

  get alive(): boolean {
    return this.state !== 'dead';
  }

  /** Runs one invocation; resolves with its outcome (function errors included), never rejects. */
  run(req: InvocationRequest): Promise<InvocationOutcome> {
    if (!this.available) throw new Error('environment is not available');
    this.idleTimer?.cancel();
    this.idleTimer = undefined;
    return new Promise((resolve) => {
      this.current = { req, resolve, log: [], dispatchedAt: undefined, timer: undefined, done: false, streamed: false };
      if (this.state === 'idle') this.state = 'busy';
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = undefined;
        waiter.resolve(this.dispatch());
      }
    });
  }

  /** Stops after the invocation in progress, or now when idle. */
  retire(): void {
    this.retireWhenIdle = true;
    if (!this.current) this.kill();
  }

  /** Stops now; an invocation in progress fails. */
  kill(): void {
    this.die('killed');
  }

  private async launch(): Promise<void> {
    this.api = await startRuntimeApi({
      next: () => this.next(),
      response: (id, body) => this.onResponse(id, body),
      error: (id, body) => this.onError(id, body),
      initError: (body) => {
        this.initError = body;
      },
      responseStream: (id, contentType) => this.onResponseStream(id, contentType),
    });
    if (this.state === 'dead') {
      this.api.close();
      return;
    }
    const child = spawn(this.spec.command, [...this.spec.args], {
      cwd: this.spec.cwd,
      env: { ...this.spec.env, AWS_LAMBDA_RUNTIME_API: this.api.address },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // Neither the process nor its pipes keep the host alive; stop() kills it, and it exits when the API goes away.
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as Partial<{ unref(): void }> | null)?.unref?.();
    child.stdout?.on('data', (chunk: Buffer) => this.onOutput(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.onOutput(chunk));
    child.once('error', (err) => this.die(`Runtime failed to start: ${err.message}`, 'Runtime.InvalidEntrypoint'));
    child.once('exit', (code, signal) =>
      this.die(`Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code ?? 0}`}`),
    );
    this.initTimer = this.clock.setTimer(INIT_TIMEOUT_MS, () => {
      if (this.state === 'starting') this.die('Runtime init timed out', 'Runtime.InitTimeout');
    });
  }

  private next(): Promise<NextInvocation> {
    if (this.state === 'dead') return Promise.reject(new Error('dead'));
    if (this.state === 'starting') {
      this.initTimer?.cancel();
      this.initDurationMs = this.clock.now() - this.startedAt;
      this.state = this.current ? 'busy' : 'idle';
    }
    if (this.current && this.current.dispatchedAt === undefined) return Promise.resolve(this.dispatch());
    return new Promise((resolve, reject) => {
      this.waiter?.reject(new Error('superseded'));
      this.waiter = { resolve, reject };
    });
  }

  private dispatch(): NextInvocation {
    const cur = this.current as Current;
    const now = this.clock.now();
    cur.dispatchedAt = now;
    this.state = 'busy';
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    cur.timer = this.clock.setTimer(timeoutMs, () => this.onTimeout(cur));
    cur.log.unshift(...this.initLog, `START RequestId: ${cur.req.requestId} Version: ${this.spec.functionVersion}\n`);
    this.initLog = [];
    return {
      requestId: cur.req.requestId,
      payload: cur.req.payload,
      // The runtime compares the deadline with its own wall clock, so it is real time even under a fake Clock.
      deadlineMs: Date.now() + timeoutMs,
      invokedFunctionArn: cur.req.invokedFunctionArn,
      traceId: traceIdFor(now),
      ...(cur.req.clientContext !== undefined ? { clientContext: cur.req.clientContext } : {}),
    };
  }

  private onResponse(id: string, body: Buffer): boolean {
    const cur = this.current;
    if (!cur || cur.done || cur.req.requestId !== id || cur.dispatchedAt === undefined) return false;
    if (body.length > MAX_RESPONSE_BYTES) {
      this.complete(
        cur,
        errorPayload({
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        }),
        'Unhandled',
      );
    } else {
      this.complete(cur, body, undefined);
    }
    return true;
  }

  private onResponseStream(id: string, contentType: string): StreamedResponseSink | undefined {
    const cur = this.current;
    if (!cur || cur.done || cur.req.requestId !== id || cur.dispatchedAt === undefined) return undefined;
    cur.streamed = true;
    cur.req.onStreamStart?.(contentType);
    const collected: Buffer[] = [];
    let size = 0;
    const limit = cur.req.onChunk ? MAX_STREAMED_RESPONSE_BYTES : MAX_RESPONSE_BYTES;
    const tooLarge = (): Buffer =>
      errorPayload({
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${limit} bytes).`,
      });
    return {
      write: (chunk) => {
        if (cur.done) return;
        size += chunk.length;
        if (size > limit) this.complete(cur, tooLarge(), 'Unhandled');
        else if (cur.req.onChunk) cur.req.onChunk(chunk);
        else collected.push(chunk);
      },
      end: (error) => {
        if (cur.done) return;
        if (error) this.complete(cur, normalizeError(error.body, error.errorType), 'Unhandled');
        else this.complete(cur, Buffer.concat(collected), undefined);
      },
    };
  }

  private onError(id: string, body: Buffer): boolean {
    const cur = this.current;
    if (!cur || cur.done || cur.req.requestId !== id || cur.dispatchedAt === undefined) return false;
    this.complete(cur, normalizeError(body), 'Unhandled');
    return true;
  }

  private onTimeout(cur: Current): void {
    if (cur.done) return;
    const seconds = this.spec.timeoutSeconds.toFixed(2);
    const line = `${new Date(this.clock.now()).toISOString()} ${cur.req.requestId} Task timed out after ${seconds} seconds\n`;
    this.complete(
      cur,
      errorPayload({
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${cur.req.requestId} Error: Task timed out after ${seconds} seconds`,
      }),
      'Unhandled',
      line,
    );
    this.kill();
  }

  private onOutput(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.hooks.output(text);
    // Output between invocations (or during init) opens the next invocation's log, as in the log stream.
    if (this.current && this.current.dispatchedAt !== undefined) this.current.log.push(text);
    else this.initLog.push(text);
  }

  private complete(cur: Current, payload: Buffer, functionError: string | undefined, trailer = ''): void {
    cur.done = true;
    cur.timer?.cancel();
    // Output the runtime wrote just before answering may still be in the pipe: let it arrive first.
    setImmediate(() => {
      const duration = this.clock.now() - (cur.dispatchedAt ?? this.clock.now());
      const init = this.initDurationMs !== undefined ? `Init Duration: ${this.initDurationMs.toFixed(2)} ms\t` : '';
      this.initDurationMs = undefined;
      cur.log.push(
        `END RequestId: ${cur.req.requestId}\n`,
        `REPORT RequestId: ${cur.req.requestId}\tDuration: ${duration.toFixed(2)} ms\t` +
          `Billed Duration: ${Math.max(1, Math.ceil(duration))} ms\tMemory Size: ${this.spec.memorySize} MB\t${init}\n`,
        trailer,
      );
      if (this.current === cur) this.current = undefined;
      if (this.state === 'busy') {
        this.state = 'idle';
        if (this.retireWhenIdle) this.kill();
        else this.idleTimer = this.clock.setTimer(this.spec.idleMs, () => this.kill());
      }
      const logStream = this.spec.env.AWS_LAMBDA_LOG_STREAM_NAME;
      cur.resolve({
        payload,
        log: cur.log.join(''),
        ...(functionError ? { functionError } : {}),
        ...(logStream ? { logStream } : {}),
        ...(cur.streamed ? { streamed: true } : {}),
      });
      if (this.available) this.hooks.released(this);
    });
  }

  private die(reason: string, errorType = 'Runtime.ExitError'): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.initTimer?.cancel();
    this.idleTimer?.cancel();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.api?.close();
    this.waiter?.reject(new Error('environment stopped'));
    this.waiter = undefined;
    const cur = this.current;
    if (cur && !cur.done) {
      if (cur.dispatchedAt === undefined) cur.log.unshift(...this.initLog);
      const body: Buffer = this.initError
        ? normalizeError(this.initError)
        : errorPayload({ errorType, errorMessage: `RequestId: ${cur.req.requestId} Error: ${reason}` });
      this.complete(cur, body, 'Unhandled');
    }
    this.hooks.exited(this);
  }
}

export function errorPayload(body: FunctionErrorBody): Buffer {
  return Buffer.from(JSON.stringify(body));
}

/** The error body the runtime posted, as AWS returns it: errorMessage, errorType, stackTrace. */
function normalizeError(body: Buffer, errorType = 'Runtime.Unknown'): Buffer {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object') return body;
  } catch {
    // not JSON: wrapped below
  }
  return errorPayload({ errorType, errorMessage: body.toString('utf8') });
}

function traceIdFor(now: number): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `Root=1-${Math.floor(now / 1000).toString(16)}-${hex(24)};Parent=${hex(16)};Sampled=0`;
}
