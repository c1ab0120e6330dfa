// SQS state of one account and region: queues and their messages, behind domain operations. Each method that must
// be atomic (enqueue with deduplication, claiming messages with dead-letter moves, deleting by receipt) is one call.
import { randomBytes, randomUUID } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { formatArn } from '../../core/arn.js';
import { parseRedrivePolicy, redriveAllows, type QueueSettings } from './attributes.js';
import { SqsErrors } from './errors.js';
import type { MoveTask } from './move-tasks.js';

/** How long FIFO deduplication ids and receive attempt ids are remembered. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
/** The longest a message may stay invisible after one receive (12 hours). */
export const MAX_VISIBILITY_SECONDS = 43_200;

export interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly md5OfAttributes: string | undefined;
  readonly systemAttributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly md5OfSystemAttributes: string | undefined;
  readonly senderId: string;
  readonly sentAt: number;
  /** Start of the retention period (the original enqueue time, also in a standard dead-letter queue). */
  readonly enqueuedAt: number;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
  readonly deadLetterSourceArn: string | undefined;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt: number | undefined;
  lastReceiveAt: number | undefined;
  receipt: string | undefined;
}

/** A message to enqueue, validated. */
export interface NewMessage {
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly md5OfAttributes: string | undefined;
  readonly systemAttributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly md5OfSystemAttributes: string | undefined;
  readonly senderId: string;
  readonly delaySeconds: number;
  readonly groupId?: string | undefined;
  readonly deduplicationId?: string | undefined;
  /** Kept when a message moves to a dead-letter queue or back. */
  readonly id?: string;
  readonly sentAt?: number;
  readonly enqueuedAt?: number;
  readonly receiveCount?: number;
  readonly firstReceiveAt?: number | undefined;
  readonly deadLetterSourceArn?: string | undefined;
  /** Dead-letter and redrive moves are not deduplicated. */
  readonly bypassDeduplication?: boolean;
}

export interface EnqueueResult {
  readonly message: Pick<StoredMessage, 'id' | 'sequenceNumber'>;
  readonly duplicate: boolean;
}

interface DedupEntry {
  readonly expiresAt: number;
  readonly id: string;
  readonly sequenceNumber: string | undefined;
}

interface Attempt {
  readonly expiresAt: number;
  readonly claimed: ReadonlyArray<{ readonly id: string; readonly receipt: string }>;
}

export interface ClaimOptions {
  readonly max: number;
  readonly visibilityTimeout: number;
  readonly attemptId?: string | undefined;
}

export interface MessageCounts {
  readonly visible: number;
  readonly inflight: number;
  readonly delayed: number;
}

export class Queue {
  readonly arn: string;
  readonly messages = new Map<string, StoredMessage>();
  readonly tags = new Map<string, string>();
  /** Long-poll receivers waiting for a change. */
  readonly waiters = new Set<() => void>();
  lastModifiedAt: number;
  lastPurgeAt: number | undefined;
  deleted = false;
  private sequence = 0n;
  /** A lower bound of the messages' enqueue times, so that expiry scans only when something may be due. */
  private earliestEnqueue: number | undefined;
  private readonly dedup = new Map<string, DedupEntry>();
  private readonly attempts = new Map<string, Attempt>();

  constructor(
    readonly account: string,
    readonly region: string,
    readonly name: string,
    readonly fifo: boolean,
    public settings: QueueSettings,
    readonly createdAt: number,
  ) {
    this.arn = formatArn('sqs', region, account, name);
    this.lastModifiedAt = createdAt;
  }

  setting(name: string): number {
    return Number(this.settings[name] ?? 0);
  }

  /** Adds a message, unless a FIFO deduplication id was seen in the last five minutes. */
  enqueue(m: NewMessage, now: number): EnqueueResult {
    this.expire(now);
    let dedupKey: string | undefined;
    if (this.fifo && m.deduplicationId !== undefined && !m.bypassDeduplication) {
      dedupKey =
        this.settings.DeduplicationScope === 'messageGroup'
          ? `${m.groupId ?? ''}\u0000${m.deduplicationId}`
          : m.deduplicationId;
      const seen = this.dedup.get(dedupKey);
      if (seen && seen.expiresAt > now) {
        return { message: { id: seen.id, sequenceNumber: seen.sequenceNumber }, duplicate: true };
      }
    }
    const delay = this.fifo ? this.setting('DelaySeconds') : m.delaySeconds;
    const sequenceNumber = this.fifo ? this.nextSequenceNumber() : undefined;
    const stored: StoredMessage = {
      id: m.id ?? randomUUID(),
      body: m.body,
      md5OfBody: m.md5OfBody,
      attributes: m.attributes,
      md5OfAttributes: m.md5OfAttributes,
      systemAttributes: m.systemAttributes,
      md5OfSystemAttributes: m.md5OfSystemAttributes,
      senderId: m.senderId,
      sentAt: m.sentAt ?? now,
      enqueuedAt: m.enqueuedAt ?? now,
      groupId: m.groupId,
      deduplicationId: m.deduplicationId,
      sequenceNumber,
      deadLetterSourceArn: m.deadLetterSourceArn,
      visibleAt: now + delay * 1000,
      receiveCount: m.receiveCount ?? 0,
      firstReceiveAt: m.firstReceiveAt,
      lastReceiveAt: undefined,
      receipt: undefined,
    };
    // A kept id (dead-letter move, redrive) may be present and must move to the back; a fresh UUID cannot be.
    if (m.id !== undefined) this.messages.delete(stored.id);
    this.messages.set(stored.id, stored);
    if (this.earliestEnqueue === undefined || stored.enqueuedAt < this.earliestEnqueue) {
      this.earliestEnqueue = stored.enqueuedAt;
    }
    if (dedupKey !== undefined) {
      this.dedup.delete(dedupKey);
      this.dedup.set(dedupKey, { expiresAt: now + DEDUPLICATION_WINDOW_MS, id: stored.id, sequenceNumber });
    }
    this.notify(1);
    return { message: stored, duplicate: false };
  }

  /**
   * Claims up to `max` visible messages for one receive (FIFO: in order, skipping groups with a message in flight
   * or not yet visible). Messages received maxReceiveCount times go to the dead-letter queue through `toDeadLetter`
   * instead, which returns false when the dead-letter queue is gone (the message then stays).
   */
  claimVisibleMessages(
    now: number,
    options: ClaimOptions,
    deadLetter: { maxReceiveCount: number; move: (m: StoredMessage) => boolean } | undefined,
  ): StoredMessage[] {
    this.expire(now);
    if (this.fifo && options.attemptId !== undefined) {
      const attempt = this.attempts.get(options.attemptId);
      if (attempt && attempt.expiresAt > now) {
        const again: StoredMessage[] = [];
        for (const c of attempt.claimed) {
          const m = this.messages.get(c.id);
          if (m && m.receipt === c.receipt && m.visibleAt > now) again.push(m);
        }
        return again;
      }
    }
    const picked = this.fifo ? this.pickFifo(now, options.max, deadLetter) : this.pickStandard(now, options.max, deadLetter);
    for (const m of picked) {
      if (!this.fifo) {
        // Best-effort order: a received message goes to the back, so the next receive finds visible ones first.
        this.messages.delete(m.id);
        this.messages.set(m.id, m);
      }
      m.receiveCount++;
      m.firstReceiveAt ??= now;
      m.lastReceiveAt = now;
      m.visibleAt = now + options.visibilityTimeout * 1000;
      m.receipt = newReceiptHandle(this.arn, m.id);
    }
    if (this.fifo && options.attemptId !== undefined) {
      this.attempts.delete(options.attemptId);
      this.attempts.set(options.attemptId, {
        expiresAt: now + DEDUPLICATION_WINDOW_MS,
        claimed: picked.map((m) => ({ id: m.id, receipt: m.receipt ?? '' })),
      });
    }
    return picked;
  }

  /** Deletes the message the handle names if the handle is its latest; a stale handle deletes nothing. */
  deleteByReceipt(handle: ParsedReceipt, now: number): void {
    this.expire(now);
    const m = this.messages.get(handle.messageId);
    if (m && m.receipt === handle.raw) {
      this.messages.delete(m.id);
      // Deleting a FIFO message in flight unlocks its group for waiting receivers.
      if (this.fifo && m.visibleAt > now) this.notify(1);
    }
  }

  /** Changes the visibility timeout of an in-flight message, within the 12-hour limit from its receive. */
  changeVisibility(handle: ParsedReceipt, timeoutSeconds: number, now: number): void {
    this.expire(now);
    const m = this.messages.get(handle.messageId);
    if (!m || m.receipt !== handle.raw) throw SqsErrors.receiptHandleExpired(handle.raw);
    if (m.visibleAt <= now) throw SqsErrors.messageNotInflight();
    if (now + timeoutSeconds * 1000 - (m.lastReceiveAt ?? now) > MAX_VISIBILITY_SECONDS * 1000) {
      throw SqsErrors.invalidParameter(
        'VisibilityTimeout',
        timeoutSeconds,
        `Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_SECONDS} seconds]`,
      );
    }
    m.visibleAt = now + timeoutSeconds * 1000;
    if (timeoutSeconds === 0) this.notify(1);
  }

  purge(now: number): void {
    this.messages.clear();
    this.lastPurgeAt = now;
  }

  counts(now: number): MessageCounts {
    this.expire(now);
    let visible = 0;
    let inflight = 0;
    let delayed = 0;
    for (const m of this.messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.receipt !== undefined) inflight++;
      else delayed++;
    }
    return { visible, inflight, delayed };
  }

  /** The next time a hidden message becomes visible, if any. */
  nextVisibleAt(now: number): number | undefined {
    let next: number | undefined;
    for (const m of this.messages.values()) {
      if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
    }
    return next;
  }

  /** Removes messages older than the retention period, and forgotten deduplication and attempt ids. */
  expire(now: number): void {
    if (this.earliestEnqueue !== undefined && this.earliestEnqueue <= now - this.setting('MessageRetentionPeriod') * 1000) {
      const cutoff = now - this.setting('MessageRetentionPeriod') * 1000;
      let earliest: number | undefined;
      for (const m of this.messages.values()) {
        if (m.enqueuedAt <= cutoff) this.messages.delete(m.id);
        else if (earliest === undefined || m.enqueuedAt < earliest) earliest = m.enqueuedAt;
      }
      this.earliestEnqueue = earliest;
    }
    // Both maps are in expiry order (each entry lives a fixed window from its insertion). The size checks spare
    // an iterator per queue operation on the hot path when a map is empty (always, for standard queues).
    if (this.dedup.size > 0) {
      for (const [k, e] of this.dedup) {
        if (e.expiresAt > now) break;
        this.dedup.delete(k);
      }
    }
    if (this.attempts.size > 0) {
      for (const [k, e] of this.attempts) {
        if (e.expiresAt > now) break;
        this.attempts.delete(k);
      }
    }
  }

  /** Wakes long-poll receivers of this queue, the longest waiting first: as many as messages came (all by default). */
  notify(count: number = Infinity): void {
    if (this.waiters.size === 0) return; // the common case on every send: no iterator
    let woken = 0;
    for (const wake of this.waiters) {
      if (woken++ >= count) break;
      this.waiters.delete(wake);
      wake();
    }
  }

  private pickStandard(
    now: number,
    max: number,
    deadLetter: { maxReceiveCount: number; move: (m: StoredMessage) => boolean } | undefined,
  ): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (deadLetter && m.receiveCount >= deadLetter.maxReceiveCount && deadLetter.move(m)) {
        this.messages.delete(m.id);
        continue;
      }
      out.push(m);
    }
    return out;
  }

  private pickFifo(
    now: number,
    max: number,
    deadLetter: { maxReceiveCount: number; move: (m: StoredMessage) => boolean } | undefined,
  ): StoredMessage[] {
    const blocked = new Set<string>();
    const candidates = new Map<string, StoredMessage[]>();
    for (const m of this.messages.values()) {
      const group = m.groupId ?? '';
      if (blocked.has(group)) continue;
      if (m.visibleAt > now) {
        blocked.add(group);
        continue;
      }
      if (deadLetter && m.receiveCount >= deadLetter.maxReceiveCount && deadLetter.move(m)) {
        this.messages.delete(m.id);
        continue;
      }
      let list = candidates.get(group);
      if (!list) candidates.set(group, (list = []));
      if (list.length < max) list.push(m);
    }
    const out: StoredMessage[] = [];
    for (const list of candidates.values()) {
      for (const m of list) {
        if (out.length >= max) return out;
        out.push(m);
      }
    }
    return out;
  }

  private nextSequenceNumber(): string {
    this.sequence++;
    return (18_000_000_000_000_000_000n + this.sequence * 65_536n).toString();
  }
}

export interface ParsedReceipt {
  readonly raw: string;
  readonly queueArn: string;
  readonly messageId: string;
}

const RECEIPT_PREFIX = 'SY1';

function newReceiptHandle(queueArn: string, messageId: string): string {
  const text = `${RECEIPT_PREFIX} ${messageId} ${queueArn} ${randomBytes(24).toString('base64')}`;
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Reads a receipt handle of ours; undefined for anything malformed. */
export function parseReceiptHandle(raw: string): ParsedReceipt | undefined {
  if (raw.length === 0 || raw.length > 1024 || !/^[A-Za-z0-9+/]+=*$/.test(raw)) return undefined;
  const parts = Buffer.from(raw, 'base64').toString('utf8').split(' ');
  if (parts.length !== 4 || parts[0] !== RECEIPT_PREFIX) return undefined;
  const [, messageId = '', queueArn = ''] = parts;
  return { raw, queueArn, messageId };
}

/** The queues and move tasks of one account and region. */
export class SqsStore {
  readonly queues = new Map<string, Queue>();
  readonly moveTasks: MoveTask[] = [];

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  createQueue(name: string, fifo: boolean, settings: QueueSettings, tags: Readonly<Record<string, string>>, now: number): Queue {
    const queue = new Queue(this.account, this.region, name, fifo, settings, now);
    for (const [k, v] of Object.entries(tags)) queue.tags.set(k, v);
    this.queues.set(name, queue);
    return queue;
  }

  deleteQueue(name: string): void {
    const queue = this.queues.get(name);
    if (!queue) return;
    this.queues.delete(name);
    queue.deleted = true;
    queue.messages.clear();
    queue.notify();
  }

  /** Queue names in order, starting with a prefix. */
  queueNames(prefix: string | undefined): string[] {
    const names: string[] = [];
    for (const name of this.queues.keys()) if (!prefix || name.startsWith(prefix)) names.push(name);
    return names.sort();
  }

  /** The queues whose RedrivePolicy names this dead-letter queue. */
  deadLetterSources(deadLetterArn: string): Queue[] {
    const out: Queue[] = [];
    for (const q of this.queues.values()) {
      const policy = q.settings.RedrivePolicy;
      if (policy && parseRedrivePolicy(policy).deadLetterTargetArn === deadLetterArn) out.push(q);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Claims messages from a queue; messages past their queue's maxReceiveCount move to its dead-letter queue (in this
   * store, as AWS requires the same account and region) in the same step.
   */
  claimVisibleMessages(queue: Queue, now: number, options: ClaimOptions): StoredMessage[] {
    const policy = queue.settings.RedrivePolicy ? parseRedrivePolicy(queue.settings.RedrivePolicy) : undefined;
    const dlq = policy ? this.queueByArn(policy.deadLetterTargetArn) : undefined;
    const deadLetter =
      policy && dlq && dlq !== queue && redriveAllows(dlq.settings.RedriveAllowPolicy, queue.arn)
        ? { maxReceiveCount: policy.maxReceiveCount, move: (m: StoredMessage) => moveToDeadLetter(m, queue, dlq, now) }
        : undefined;
    return queue.claimVisibleMessages(now, options, deadLetter);
  }

  queueByArn(arn: string): Queue | undefined {
    const parts = arn.split(':');
    if (parts.length !== 6 || parts[3] !== this.region || parts[4] !== this.account) return undefined;
    return this.queues.get(parts[5] ?? '');
  }

  /** Wakes and forgets everything (reset). */
  clear(): void {
    for (const q of this.queues.values()) {
      q.deleted = true;
      q.notify();
    }
    this.queues.clear();
    this.moveTasks.length = 0;
  }
}

function moveToDeadLetter(m: StoredMessage, source: Queue, dlq: Queue, now: number): boolean {
  if (dlq.deleted) return false;
  dlq.enqueue(
    {
      id: m.id,
      body: m.body,
      md5OfBody: m.md5OfBody,
      attributes: m.attributes,
      md5OfAttributes: m.md5OfAttributes,
      systemAttributes: m.systemAttributes,
      md5OfSystemAttributes: m.md5OfSystemAttributes,
      senderId: m.senderId,
      delaySeconds: 0,
      groupId: m.groupId,
      deduplicationId: dlq.fifo ? (m.deduplicationId ?? m.id) : undefined,
      sentAt: m.sentAt,
      enqueuedAt: dlq.fifo ? now : m.enqueuedAt,
      receiveCount: m.receiveCount,
      firstReceiveAt: m.firstReceiveAt,
      deadLetterSourceArn: source.arn,
      bypassDeduplication: true,
    },
    now,
  );
  return true;
}
