// SNS state of one account and region: topics, their subscriptions, confirmation tokens, platform applications.
import type { FilterPolicy } from './filter-policy.js';

export interface Topic {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly fifo: boolean;
  /** The attributes set at creation or by SetTopicAttributes (not the computed ones). */
  readonly attributes: Record<string, string>;
  readonly tags: Map<string, string>;
  /** Subscription ARNs, in subscription order. */
  readonly subscriptions: Set<string>;
  dataProtectionPolicy: string | undefined;
  /** FIFO: the last sequence number handed out, and deduplication ids seen in the last 5 minutes. */
  sequence: bigint;
  readonly dedup: Map<string, { readonly messageId: string; readonly sequenceNumber: string; readonly expiresAt: number }>;
}

export interface Subscription {
  readonly arn: string;
  readonly topicArn: string;
  /** The account that subscribed. */
  readonly owner: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly attributes: Record<string, string>;
  pendingConfirmation: boolean;
  confirmationWasAuthenticated: boolean;
  readonly token: string;
  filter: FilterPolicy | undefined;
}

export interface PlatformApplication {
  readonly arn: string;
  readonly name: string;
  readonly platform: string;
  readonly attributes: Record<string, string>;
}

export interface PlatformEndpoint {
  readonly arn: string;
  readonly applicationArn: string;
  readonly attributes: Record<string, string>;
}

export class SnsStore {
  readonly topics = new Map<string, Topic>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly tokens = new Map<string, string>();
  readonly applications = new Map<string, PlatformApplication>();
  readonly endpoints = new Map<string, PlatformEndpoint>();
  readonly smsAttributes: Record<string, string> = {};
  /** SMS sandbox destination numbers: status Pending or Verified, and the one-time password sent. */
  readonly sandboxNumbers = new Map<string, { status: 'Pending' | 'Verified'; readonly otp: string }>();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  /** Removes a topic and every subscription to it. */
  deleteTopic(topic: Topic, subscriptionStores: (arn: string) => SnsStore | undefined): void {
    for (const subArn of topic.subscriptions) {
      const store = subscriptionStores(subArn);
      const sub = store?.subscriptions.get(subArn);
      if (store && sub) store.removeSubscription(sub, undefined);
    }
    this.topics.delete(topic.name);
  }

  addSubscription(sub: Subscription, topic: Topic): void {
    this.subscriptions.set(sub.arn, sub);
    this.tokens.set(sub.token, sub.arn);
    topic.subscriptions.add(sub.arn);
  }

  removeSubscription(sub: Subscription, topic: Topic | undefined): void {
    this.subscriptions.delete(sub.arn);
    this.tokens.delete(sub.token);
    topic?.subscriptions.delete(sub.arn);
  }

  /**
   * FIFO deduplication as one step: the earlier publish when the id was seen in the last 5 minutes, otherwise the
   * next sequence number, recorded under the id.
   */
  dedupe(topic: Topic, id: string, messageId: string, now: number): { duplicate: boolean; messageId: string; sequenceNumber: string } {
    for (const [k, v] of topic.dedup) if (v.expiresAt <= now) topic.dedup.delete(k);
    const seen = topic.dedup.get(id);
    if (seen) return { duplicate: true, messageId: seen.messageId, sequenceNumber: seen.sequenceNumber };
    topic.sequence += 1n;
    const sequenceNumber = topic.sequence.toString().padStart(20, '0');
    topic.dedup.set(id, { messageId, sequenceNumber, expiresAt: now + DEDUP_WINDOW_MS });
    return { duplicate: false, messageId, sequenceNumber };
  }
}

export const DEDUP_WINDOW_MS = 5 * 60_000;
