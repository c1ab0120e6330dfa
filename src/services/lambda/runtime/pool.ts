// The execution environments of one function version: a warm one is reused, a new one starts for extra
// concurrency, idle ones stop after a while. A pool is retired when the code or configuration changes.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../core/clock.js';
import {
  errorPayload,
  ExecutionEnvironment,
  type EnvironmentSpec,
  type InvocationOutcome,
  type InvocationRequest,
} from './environment.js';

/** At most this many environments per function version run at once; further invocations wait their turn. */
export const MAX_ENVIRONMENTS = 32;

interface Waiting {
  readonly req: InvocationRequest;
  readonly resolve: (outcome: InvocationOutcome) => void;
}

export class EnvironmentPool {
  private readonly envs = new Set<ExecutionEnvironment>();
  /** Invocations waiting for an environment (all MAX_ENVIRONMENTS busy): a local machine is not a fleet. */
  private readonly waiting: Waiting[] = [];
  private retired = false;

  constructor(
    readonly spec: EnvironmentSpec,
    private readonly clock: Clock,
    private readonly output: (text: string) => void,
    private readonly maxEnvironments = MAX_ENVIRONMENTS,
  ) {}

  /** Environments alive now (warm or busy). */
  get size(): number {
    return this.envs.size;
  }

  invoke(req: InvocationRequest): Promise<InvocationOutcome> {
    if (this.spec.unavailable) {
      return Promise.resolve({ payload: errorPayload(this.spec.unavailable), functionError: 'Unhandled', log: '' });
    }
    const env = this.take();
    if (env) return this.start(env, req);
    return new Promise((resolve) => this.waiting.push({ req, resolve }));
  }

  /** Stops idle environments now and busy ones when they finish. */
  retire(): void {
    this.retired = true;
    for (const e of [...this.envs]) e.retire();
  }

  /** Stops every environment now; waiting invocations fail. */
  kill(): void {
    this.retired = true;
    for (const e of [...this.envs]) e.kill();
    this.envs.clear();
    for (const w of this.waiting.splice(0)) {
      w.resolve({
        payload: errorPayload({
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${w.req.requestId} Error: the execution environments were stopped`,
        }),
        functionError: 'Unhandled',
        log: '',
      });
    }
  }

  /** A warm environment, or a new one while under the limit. */
  private take(): ExecutionEnvironment | undefined {
    for (const e of this.envs) if (e.available) return e;
    if (this.envs.size >= this.maxEnvironments) return undefined;
    const env = new ExecutionEnvironment(this.specForNewEnvironment(), this.clock, {
      output: this.output,
      exited: (e) => {
        this.envs.delete(e);
        this.drain();
      },
      released: () => this.drain(),
    });
    if (env.alive) this.envs.add(env);
    return env;
  }

  /** Each environment writes its own log stream, as on AWS: `YYYY/MM/DD/[VERSION]` and 32 hex characters of its own. */
  private specForNewEnvironment(): EnvironmentSpec {
    const stream = this.spec.env.AWS_LAMBDA_LOG_STREAM_NAME;
    if (stream === undefined) return this.spec;
    const day = new Date(this.clock.now()).toISOString().slice(0, 10).replaceAll('-', '/');
    const version = stream.slice(stream.indexOf('['), stream.indexOf(']') + 1);
    const name = `${day}/${version}${randomUUID().replaceAll('-', '')}`;
    return { ...this.spec, env: { ...this.spec.env, AWS_LAMBDA_LOG_STREAM_NAME: name } };
  }

  private start(env: ExecutionEnvironment, req: InvocationRequest): Promise<InvocationOutcome> {
    const outcome = env.run(req);
    if (this.retired) env.retire();
    return outcome;
  }

  /** Hands waiting invocations to environments that became free. */
  private drain(): void {
    while (this.waiting.length) {
      const env = this.take();
      if (!env) return;
      const w = this.waiting.shift() as Waiting;
      this.start(env, w.req).then(w.resolve, () => undefined);
    }
  }
}
