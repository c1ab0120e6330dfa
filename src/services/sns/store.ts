// SNS state of one account and region: topics, their subscriptions, confirmation tokens, platform applications.
import type { FilterPolicy } from './filter-policy.js';
import type { ValidMessage } from './messages.js';

/** A FIFO topic's archived message, replayed to subscriptions as it was published. */
export interface ArchivedMessage {
  readonly messageId: string;
  readonly sequenceNumber: string;
  readonly timestamp: number;
  readonly message: ValidMessage;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
}

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
  /** ArchivePolicy: messages kept for replay, oldest first, and since when the topic archives. */
  archive: ArchivedMessage[];
  archiveSince: number | undefined;
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
  /** False once unsubscribed, or its topic deleted, or state reset: pending deliveries and retries then stop. */
  live: boolean;
  /** Set once a ReplayPolicy has replayed the topic's archive to this subscription. */
  replayStatus?: 'Completed';
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
  /** Deleted http/https subscriptions by the token of their UnsubscribeConfirmation, which restores them. */
  readonly unsubscribed = new Map<string, Subscription>();
  readonly applications = new Map<string, PlatformApplication>();
  readonly endpoints = new Map<string, PlatformEndpoint>();
  readonly smsAttributes: Record<string, string> = {};
  /** Phone numbers that replied STOP to this account's messages: SMS to them is not sent. */
  readonly optedOut = new Set<string>();
  /** SMS sandbox destination numbers: status Pending or Verified, and the one-time password sent. */
  readonly sandboxNumbers = new Map<string, { status: 'Pending' | 'Verified'; readonly otp: string }>();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  /** Topics of one kind (standard or FIFO): AWS's quotas count them apart. */
  countTopics(fifo: boolean): number {
    let n = 0;
    for (const t of this.topics.values()) if (t.fifo === fifo) n++;
    return n;
  }

  /** Subscriptions with a filter policy: on one topic, and on all of this account's topics in this region. */
  countFilterPolicies(topic: Topic): { topic: number; account: number } {
    let onTopic = 0;
    let inAccount = 0;
    for (const s of this.subscriptions.values()) {
      if (s.attributes.FilterPolicy === undefined) continue;
      inAccount++;
      if (s.topicArn === topic.arn) onTopic++;
    }
    return { topic: onTopic, account: inAccount };
  }

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
    sub.live = true;
    this.subscriptions.set(sub.arn, sub);
    this.tokens.set(sub.token, sub.arn);
    topic.subscriptions.add(sub.arn);
  }

  removeSubscription(sub: Subscription, topic: Topic | undefined): void {
    sub.live = false;
    this.subscriptions.delete(sub.arn);
    this.tokens.delete(sub.token);
    topic?.subscriptions.delete(sub.arn);
  }

  /** Keeps a published message for its retention period (days), dropping those past theirs. */
  archiveMessage(topic: Topic, entry: ArchivedMessage, retentionDays: number, now: number): void {
    const oldest = now - retentionDays * 86_400_000;
    topic.archive = topic.archive.filter((a) => a.timestamp >= oldest);
    topic.archive.push(entry);
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
