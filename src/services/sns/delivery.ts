// How one notification reaches one subscriber. SQS goes through deliverToQueue (the one adapter to switch to
// core/targets once SQS implements TargetOwner.deliver; it already prefers that when present), Lambda and Firehose
// through core/targets, HTTP/S by a real POST, and whatever would leave the machine (email, SMS, mobile push) lands
// in the outbox. Failures retry on the clock by AWS's policies, then go to the subscription's dead-letter queue.
import type { Clock, Timer } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost } from '../../core/provider.js';
import { deliver, type DeliveryResult, type DeliverySource, type TargetMessage } from '../../core/targets.js';

/** One message that would have left the machine. */
export interface OutboxEntry {
  readonly protocol: string;
  readonly endpoint: string;
  readonly type: 'Notification' | 'SubscriptionConfirmation';
  readonly messageId: string;
  readonly topicArn?: string;
  readonly subscriptionArn?: string;
  readonly subject?: string;
  /** What the endpoint receives: the text (email, sms, push) or the JSON document (email-json, http/s). */
  readonly message: string;
  readonly messageAttributes?: Readonly<Record<string, unknown>>;
  readonly timestamp: string;
  readonly account: string;
  readonly region: string;
}

export class Outbox {
  private entries: OutboxEntry[] = [];

  add(entry: OutboxEntry): void {
    this.entries.push(entry);
  }

  list(): OutboxEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}

/** Delivery to an SQS queue; the only place SNS reaches SQS. */
export async function deliverToQueue(
  host: ServiceHost,
  queueArn: string,
  message: TargetMessage,
  source: DeliverySource,
): Promise<DeliveryResult> {
  return deliver(host, queueArn, message, source);
}

/** AWS's retry policy for SQS and Lambda endpoints: the delay before each retry, in ms (100,015 attempts over 23 days). */
export function retryDelay(retry: number): number | undefined {
  if (retry < 3) return 0; // immediate retries
  if (retry < 5) return 1_000; // pre-backoff
  if (retry < 15) return Math.round(1_000 * 20 ** ((retry - 5) / 9)); // exponential backoff 1 s to 20 s
  if (retry < 100_015) return 20_000; // post-backoff
  return undefined;
}

/** Server-side failures are retried; client-side ones (the queue is gone, access denied) are not. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ServiceError) || error.fault === 'server';
}

/** Runs deliveries that retry on the clock; stop() cancels what is still waiting. */
export class RetryScheduler {
  private readonly timers = new Set<Timer>();

  constructor(private readonly clock: Clock) {}

  /**
   * Attempts now (synchronously up to the attempt's first await), retrying retryable failures by the policy; when
   * retries run out or the failure is final, calls onFailure. Never throws and never blocks the caller.
   */
  run(
    attempt: () => Promise<unknown>,
    onFailure: (error: unknown) => void,
    policy: (retry: number) => number | undefined = retryDelay,
    retry = 0,
  ): void {
    let promise: Promise<unknown>;
    try {
      promise = attempt();
    } catch (e) {
      promise = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    promise.then(
      () => undefined,
      (error: unknown) => {
        const delay = isRetryable(error) ? policy(retry) : undefined;
        if (delay === undefined) {
          onFailure(error);
          return;
        }
        const timer = this.clock.setTimer(delay, () => {
          this.timers.delete(timer);
          this.run(attempt, onFailure, policy, retry + 1);
        });
        this.timers.add(timer);
      },
    );
  }

  /** Deliveries waiting for a retry. */
  pending(): number {
    return this.timers.size;
  }

  cancelAll(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}

/** An HTTP/S delivery policy's healthyRetryPolicy (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html). */
export interface HttpRetryPolicy {
  readonly minDelayTarget: number;
  readonly maxDelayTarget: number;
  readonly numRetries: number;
  readonly numNoDelayRetries: number;
  readonly numMinDelayRetries: number;
  readonly numMaxDelayRetries: number;
  readonly backoffFunction: string;
}

export const DEFAULT_HTTP_RETRY: HttpRetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  numMaxDelayRetries: 0,
  backoffFunction: 'linear',
};

/** The delay before each retry under an HTTP/S policy: no-delay, min-delay, backoff, then max-delay phases. */
export function httpRetryDelay(p: HttpRetryPolicy): (retry: number) => number | undefined {
  return (retry) => {
    if (retry >= p.numRetries) return undefined;
    if (retry < p.numNoDelayRetries) return 0;
    if (retry < p.numNoDelayRetries + p.numMinDelayRetries) return p.minDelayTarget * 1000;
    const backoffRetries = p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries;
    const i = retry - p.numNoDelayRetries - p.numMinDelayRetries;
    if (i >= backoffRetries || backoffRetries <= 1) return p.maxDelayTarget * 1000;
    const f = i / (backoffRetries - 1);
    const span = p.maxDelayTarget - p.minDelayTarget;
    const weight =
      p.backoffFunction === 'arithmetic' ? f * f : p.backoffFunction === 'geometric' ? Math.sqrt(f) : p.backoffFunction === 'exponential' ? (2 ** (f * 4) - 1) / 15 : f;
    return Math.round((p.minDelayTarget + span * weight) * 1000);
  };
}

/** The healthyRetryPolicy in force for a subscription: its own DeliveryPolicy, else the topic's `http` default. */
export function effectiveHttpRetry(subscriptionPolicy: string | undefined, topicPolicy: string | undefined): HttpRetryPolicy {
  const read = (text: string | undefined, path: readonly string[]): Partial<HttpRetryPolicy> | undefined => {
    if (!text) return undefined;
    try {
      let node: unknown = JSON.parse(text);
      for (const k of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
      return node !== null && typeof node === 'object' ? node : undefined;
    } catch {
      return undefined;
    }
  };
  const own = read(subscriptionPolicy, ['healthyRetryPolicy']);
  const fromTopic = read(topicPolicy, ['http', 'defaultHealthyRetryPolicy']);
  return { ...DEFAULT_HTTP_RETRY, ...(own ?? fromTopic) };
}

export const HTTP_TIMEOUT_MS = 15_000;

/**
 * POSTs one message to an HTTP/S endpoint as SNS does. 2xx is success; 429, 5xx, timeouts and connection failures
 * are retryable; any other status is a final (client-side) failure.
 */
export async function postToEndpoint(
  clock: Clock,
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
): Promise<void> {
  const controller = new AbortController();
  const timer = clock.setTimer(HTTP_TIMEOUT_MS, () => controller.abort(new Error('timed out')));
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'user-agent': 'Amazon Simple Notification Service Agent',
        ...headers,
      },
      body,
      signal: controller.signal,
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return;
    if (res.status === 429 || res.status >= 500) throw new Error(`HTTP ${res.status}`);
    throw new ServiceError('EndpointRejected', `HTTP ${res.status} from ${url}`);
  } finally {
    timer.cancel();
  }
}
