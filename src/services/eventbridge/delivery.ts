// Delivery of one event to one target with the target's RetryPolicy ("Event retry policy and using dead-letter
// queues"): retriable failures are retried with exponential backoff and jitter on the clock until the attempts or
// the event's age run out; then, or at once for failures a retry cannot fix (a missing target), the event goes to
// the DeadLetterConfig queue with the ERROR_CODE, ERROR_MESSAGE, RULE_ARN and TARGET_ARN attributes.
import type { Clock, Timer } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import type { DeliverySource, TargetMessage } from '../../core/targets.js';

/** AWS's defaults: 185 retries over 24 hours. */
export const DEFAULT_MAX_RETRIES = 185;
export const DEFAULT_MAX_AGE_SECONDS = 86_400;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 180_000;

export interface DeliveryJob {
  readonly ruleArn: string;
  readonly targetArn: string;
  readonly message: TargetMessage;
  /** When the event was received, for MaximumEventAgeInSeconds. */
  readonly receivedAt: number;
  readonly maxRetries: number;
  readonly maxAgeSeconds: number;
  readonly deadLetterArn: string | undefined;
  /** The sender, as core/targets deliver() wants it. */
  readonly source: DeliverySource;
  /** Makes an attempt in place of the runner's sender (API destinations); dead letters still go through the sender. */
  readonly attempt?: () => Promise<unknown>;
}

/** A failed delivery that says itself whether a retry can mend it (an HTTP answer of an API destination). */
export class DeliveryFailure extends ServiceError {
  constructor(
    code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(code, message);
  }
}

/** Sends to an ARN (core/targets deliver, bound to the host). */
export type Sender = (arn: string, message: TargetMessage, source: DeliverySource) => Promise<unknown>;

/** Failures that no retry can mend: the target or its service is not there. */
function isPermanent(e: unknown): boolean {
  if (e instanceof DeliveryFailure) return !e.retryable;
  if (!(e instanceof ServiceError)) return false;
  return /NotFound|DoesNotExist|NonExistent|NotImplemented|InvalidParameter|AccessDenied/.test(e.code);
}

function describe(e: unknown): { code: string; message: string } {
  if (e instanceof ServiceError) return { code: e.code, message: e.message };
  return { code: 'InternalException', message: e instanceof Error ? e.message : String(e) };
}

/** Runs deliveries and their retries; stop() cancels every pending retry. */
export class DeliveryRunner {
  private readonly timers = new Set<Timer>();

  constructor(
    private readonly clock: Clock,
    private readonly send: Sender,
    private readonly onDrop: (job: DeliveryJob, error: { code: string; message: string }) => void = () => undefined,
    private readonly random: () => number = Math.random,
  ) {}

  /** Makes the first attempt; resolves when it is done (retries continue on the clock). */
  async start(job: DeliveryJob): Promise<void> {
    await this.attempt(job, 0);
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private async attempt(job: DeliveryJob, retries: number): Promise<void> {
    try {
      if (job.attempt) await job.attempt();
      else await this.send(job.targetArn, job.message, job.source);
      return;
    } catch (e) {
      const error = describe(e);
      if (isPermanent(e)) {
        await this.deadLetter(job, error, retries, undefined);
        return;
      }
      if (retries >= job.maxRetries) {
        await this.deadLetter(job, error, retries, 'MaximumRetryAttemptsExhausted');
        return;
      }
      const delay = this.backoff(retries);
      if (this.clock.now() + delay - job.receivedAt > job.maxAgeSeconds * 1000) {
        await this.deadLetter(job, error, retries, 'MaximumEventAgeExhausted');
        return;
      }
      const timer = this.clock.setTimer(delay, () => {
        this.timers.delete(timer);
        void this.attempt(job, retries + 1);
      });
      this.timers.add(timer);
    }
  }

  /** Exponential backoff with jitter: between half and all of min(1 s * 2^n, 3 min). */
  private backoff(retries: number): number {
    const ceiling = Math.min(FIRST_DELAY_MS * 2 ** retries, MAX_DELAY_MS);
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private async deadLetter(
    job: DeliveryJob,
    error: { code: string; message: string },
    retries: number,
    exhausted: string | undefined,
  ): Promise<void> {
    if (!job.deadLetterArn) {
      this.onDrop(job, error);
      return;
    }
    const str = (value: string): { DataType: string; StringValue: string } => ({ DataType: 'String', StringValue: value });
    const attributes: Record<string, { DataType: string; StringValue: string }> = {
      RULE_ARN: str(job.ruleArn),
      TARGET_ARN: str(job.targetArn),
      ERROR_CODE: str(error.code),
      ERROR_MESSAGE: str(error.message),
    };
    if (exhausted) {
      attributes.EXHAUSTED_RETRY_CONDITION = str(exhausted);
      attributes.RETRY_ATTEMPTS = { DataType: 'Number', StringValue: String(retries) };
    }
    try {
      await this.send(job.deadLetterArn, { body: job.message.body, attributes }, job.source);
    } catch (e) {
      this.onDrop(job, describe(e));
    }
  }
}
