// How one notification reaches one subscriber. SQS goes through deliverToQueue (the one adapter to switch to
// core/targets once SQS implements TargetOwner.deliver; it already prefers that when present), Lambda and Firehose
// through core/targets, HTTP/S by a real POST, and whatever would leave the machine (email, SMS, mobile push) lands
// in the outbox. Failures retry on the clock by AWS's policies, then go to the subscription's dead-letter queue.
import type { Clock, Timer } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost } from '../../core/provider.js';
import { deliver, type DeliveryResult, type DeliverySource, type TargetMessage } from '../../core/targets.js';
import { DEFAULT_CONTENT_TYPE } from './delivery-policy.js';

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
  /** SMS: how it would be sent (the message's AWS.SNS.SMS.* attributes, else the account's SMS attributes). */
  readonly sms?: SmsDetails;
  readonly timestamp: string;
  readonly account: string;
  readonly region: string;
}

export interface SmsDetails {
  readonly type: string;
  readonly senderId?: string;
  readonly originationNumber?: string;
  readonly maxPrice?: string;
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

  /** Runs fn after delay ms on the clock (a throttled delivery), unless cancelAll() comes first. */
  later(delay: number, fn: () => void): void {
    const timer = this.clock.setTimer(delay, () => {
      this.timers.delete(timer);
      fn();
    });
    this.timers.add(timer);
  }

  /** Deliveries waiting for a retry or a throttle slot. */
  pending(): number {
    return this.timers.size;
  }

  cancelAll(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
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
        'content-type': DEFAULT_CONTENT_TYPE,
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
