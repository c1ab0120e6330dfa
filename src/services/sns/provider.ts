// SNS (https://docs.aws.amazon.com/sns/latest/api/): topics, subscriptions of every protocol, Publish and
// PublishBatch with filter policies, FIFO topics, platform applications and SMS. Each operation validates at the edge
// with AWS's messages; fan-out never blocks Publish: SQS deliveries are enqueued before it answers, the rest run
// on their own, retrying on the clock.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type {
  AddPermissionInput,
  RemovePermissionInput,
  ConfirmSubscriptionInput,
  ConfirmSubscriptionResponse,
  CreateTopicInput,
  CreateTopicResponse,
  DeleteTopicInput,
  GetDataProtectionPolicyInput,
  GetDataProtectionPolicyResponse,
  GetSubscriptionAttributesInput,
  GetSubscriptionAttributesResponse,
  GetTopicAttributesInput,
  GetTopicAttributesResponse,
  ListSubscriptionsByTopicInput,
  ListSubscriptionsByTopicResponse,
  ListSubscriptionsInput,
  ListSubscriptionsResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTopicsInput,
  ListTopicsResponse,
  MessageAttributeValue,
  PublishBatchInput,
  PublishBatchResponse,
  PublishInput,
  PublishResponse,
  PutDataProtectionPolicyInput,
  SetSubscriptionAttributesInput,
  SetTopicAttributesInput,
  SubscribeInput,
  SubscribeResponse,
  Subscription as SubscriptionSummary,
  Tag,
  TagResourceRequest,
  UnsubscribeInput,
  UntagResourceRequest,
} from '@aws-sdk/client-sns';
import { formatArn, parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import { deliver, type DeliverySource, type TargetAttribute, type TargetMessage, type TargetOwner } from '../../core/targets.js';
import {
  archiveRetentionDays,
  checkTopicAttribute,
  defaultTopicPolicy,
  DEFAULT_SUBSCRIPTION_DELIVERY_POLICY,
  SUBSCRIPTION_ATTRIBUTES,
  TOPIC_ATTRIBUTES,
  topicAttributes,
} from './attributes.js';
import {
  effectiveHttpPolicy,
  httpRetryDelay,
  parseSubscriptionDeliveryPolicy,
  type HttpDeliveryPolicy,
} from './delivery-policy.js';
import {
  deliverToQueue,
  Outbox,
  postToEndpoint,
  RetryScheduler,
  type OutboxEntry,
  type SmsDetails,
} from './delivery.js';
import {
  confirmationJson,
  envelopeAttributes,
  signNotificationOffThread,
  lambdaEvent,
  notificationJson,
  snsTimestamp,
  subscribeUrlOf,
  type Notification,
  type PublishedAttribute,
} from './envelope.js';
import { SnsErrors } from './errors.js';
import { compileFilterPolicy, type FilterScope } from './filter-policy.js';
import { MAX_MESSAGE_BYTES, messageFor, validateMessage, type ValidMessage } from './messages.js';
import { createMobile, e164, PHONE_NUMBER, smsDetails } from './mobile.js';
import { page } from './paging.js';
import { authorize } from './topic-policy.js';
import { SnsStore, type Subscription, type Topic } from './store.js';

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const GROUP_ID = /^[\x21-\x7e]{1,128}$/;
const MAX_TAGS = 50;
const MAX_BATCH = 10;
/** AWS's quotas per account and region (https://docs.aws.amazon.com/general/latest/gr/sns.html). */
const MAX_STANDARD_TOPICS = 100_000;
const MAX_FIFO_TOPICS = 1_000;
const MAX_FILTER_POLICIES_PER_TOPIC = 200;
const MAX_FILTER_POLICIES_PER_ACCOUNT = 10_000;
const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);
/** Protocols whose endpoints confirm by token; the others are confirmed at once. */
const CONFIRMED_BY_TOKEN = new Set(['http', 'https', 'email', 'email-json']);
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);

export interface SnsInternal extends TargetOwner {
  /** Every message that would have left the machine (email, email-json, SMS, mobile push), oldest first. */
  outbox(): OutboxEntry[];
  clearOutbox(): void;
  /** Deliveries waiting on the clock for a retry. */
  pendingRetries(): number;
  /** A recipient replies STOP to an account's SMS (what AWS learns from the carrier): for tests and the console. */
  optOut(account: string, region: string, phoneNumber: string): void;
}

export interface SnsProvider extends ServiceProvider {
  readonly internal: SnsInternal;
}

interface PublishOptions {
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly baseUrl: string;
}

export function createSnsProvider(host: ServiceHost): SnsProvider {
  const stores = new RegionalStores((account, region) => new SnsStore(account, region));
  const clock = host.clock;
  const outbox = new Outbox();
  const mobile = createMobile({ stores, outbox, clock });
  const retries = new RetryScheduler(clock);
  /** HTTP/S throttle policies: when each subscription's next delivery may start (ms on the clock). */
  const throttleSlots = new Map<string, number>();
  // Deliveries that come from other services (no request) use the address clients last reached us at.
  let lastBaseUrl: string | undefined;
  const defaultBaseUrl = (): string => lastBaseUrl ?? host.endpoint;
  const baseUrlOf = (ctx: RequestContext): string => {
    lastBaseUrl = `${ctx.scheme}://${ctx.host}`;
    return lastBaseUrl;
  };

  const storeOfArn = (arn: string): SnsStore | undefined => {
    const a = parseArn(arn);
    return a && a.service === 'sns' ? stores.peek(a.account, a.region) : undefined;
  };
  const topicByArn = (arn: string | undefined): Topic | undefined => {
    if (!arn) return undefined;
    const a = parseArn(arn);
    if (!a || a.service !== 'sns') return undefined;
    const t = stores.peek(a.account, a.region)?.topics.get(a.resource);
    return t?.arn === arn ? t : undefined;
  };
  const requireTopic = (arn: string | undefined, param = 'TopicArn'): Topic => {
    if (!arn) throw SnsErrors.invalidParameter(`${param}`);
    if (!parseArn(arn)) throw SnsErrors.invalidParameter(`${param}`);
    const t = topicByArn(arn);
    if (!t) throw SnsErrors.topicNotFound();
    return t;
  };
  const subscriptionByArn = (arn: string): Subscription | undefined => storeOfArn(arn)?.subscriptions.get(arn);
  const requireSubscription = (arn: string | undefined): Subscription => {
    if (!arn) throw SnsErrors.invalidParameter('SubscriptionArn');
    const parsed = parseArn(arn);
    if (!parsed) {
      throw SnsErrors.invalidParameter(
        `SubscriptionArn Reason: An ARN must have at least 6 elements, not ${arn.split(':').length}`,
      );
    }
    const s = subscriptionByArn(arn);
    if (!s) throw SnsErrors.subscriptionNotFound();
    return s;
  };
  const topicOf = (sub: Subscription): Topic | undefined => topicByArn(sub.topicArn);

  const counts = (topic: Topic): { confirmed: number; pending: number; deleted: number } => {
    let confirmed = 0;
    let pending = 0;
    const store = storeOfArn(topic.arn);
    for (const arn of topic.subscriptions) {
      const s = store?.subscriptions.get(arn);
      if (!s) continue;
      if (s.pendingConfirmation) pending++;
      else confirmed++;
    }
    return { confirmed, pending, deleted: 0 };
  };

  const summary = (s: Subscription): SubscriptionSummary => ({
    SubscriptionArn: s.pendingConfirmation ? 'PendingConfirmation' : s.arn,
    Owner: s.owner,
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    TopicArn: s.topicArn,
  });

  // ---- fan-out ----

  const source = (topic: Topic): DeliverySource => ({
    account: topic.account,
    region: topic.region,
    service: 'sns',
    sourceArn: topic.arn,
  });

  const sqsAttributes = (attrs: Readonly<Record<string, PublishedAttribute>>): Record<string, TargetAttribute> => {
    const out: Record<string, TargetAttribute> = {};
    for (const [k, a] of Object.entries(attrs)) {
      out[k] = a.BinaryValue !== undefined
        ? { DataType: a.DataType, BinaryValue: a.BinaryValue }
        : { DataType: a.DataType, StringValue: a.StringValue ?? '' };
    }
    return out;
  };

  /** The SQS message of one delivery (used again for the dead-letter queue). */
  const queueMessage = (
    sub: Subscription,
    topic: Topic,
    n: Notification,
    text: string,
    queueArn: string,
    dedupId: string | undefined,
    groupId: string | undefined,
  ): TargetMessage => {
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const fifoQueue = queueArn.endsWith('.fifo');
    return {
      body: raw ? text : notificationJson({ ...n, message: text }),
      ...(raw && Object.keys(n.attributes).length > 0 ? { attributes: sqsAttributes(n.attributes) } : {}),
      ...(fifoQueue ? { groupId: groupId ?? 'default', deduplicationId: dedupId ?? n.messageId } : {}),
    };
  };

  const toDeadLetter = (sub: Subscription, topic: Topic, build: (queueArn: string) => TargetMessage, error: unknown): void => {
    const reason = error instanceof Error ? error.message : String(error);
    const policy = sub.attributes.RedrivePolicy;
    const dlq = policy ? redriveTarget(policy) : undefined;
    if (!dlq) {
      host.log.warn(`sns: delivery to ${sub.protocol} ${sub.endpoint} failed for ${sub.arn}: ${reason}`);
      return;
    }
    deliverToQueue(host, dlq, build(dlq), source(topic)).catch((e: unknown) => {
      host.log.warn(`sns: dead-letter delivery to ${dlq} failed for ${sub.arn}: ${e instanceof Error ? e.message : String(e)}`);
    });
  };

  /**
   * POSTs to an HTTP/S endpoint under its delivery policy: its Content-Type, and its throttle (each attempt, retries
   * included, waits for the subscription's next slot).
   */
  const postUnderPolicy = (
    key: string,
    policy: HttpDeliveryPolicy,
    url: string,
    body: string,
    headers: Readonly<Record<string, string>>,
  ): Promise<void> => {
    const post = (): Promise<void> => postToEndpoint(clock, url, body, { 'content-type': policy.contentType, ...headers });
    const rate = policy.maxReceivesPerSecond;
    if (rate === undefined) return post();
    const now = clock.now();
    const at = Math.max(now, throttleSlots.get(key) ?? 0);
    throttleSlots.set(key, at + 1000 / rate);
    if (at <= now) return post();
    return new Promise<void>((resolve) => retries.later(at - now, resolve)).then(post);
  };

  /** Retries stop once a subscription is gone (unsubscribed, or its topic deleted). */
  const live = (sub: Subscription): boolean => sub.live;

  const protocolKey = (sub: Subscription): string => {
    if (sub.protocol !== 'application') return sub.protocol;
    const a = parseArn(sub.endpoint);
    return a?.resource.split('/')[1] ?? 'default';
  };

  const toOutbox = (
    protocol: string,
    endpoint: string,
    n: Notification,
    message: string,
    type: OutboxEntry['type'] = 'Notification',
    sms?: SmsDetails,
  ): void => {
    outbox.add({
      protocol,
      endpoint,
      type,
      messageId: n.messageId,
      topicArn: n.topicArn,
      ...(n.subscriptionArn ? { subscriptionArn: n.subscriptionArn } : {}),
      ...(n.subject !== undefined ? { subject: n.subject } : {}),
      message,
      ...(Object.keys(n.attributes).length > 0 ? { messageAttributes: envelopeAttributes(n.attributes) } : {}),
      ...(sms ? { sms } : {}),
      timestamp: snsTimestamp(n.timestamp),
      account: parseArn(n.topicArn)?.account ?? '',
      region: n.region,
    });
  };

  const deliverOne = (
    sub: Subscription,
    topic: Topic,
    base: Omit<Notification, 'subscriptionArn' | 'message'>,
    m: ValidMessage,
    groupId: string | undefined,
    dedupId: string | undefined,
    parsedBodies: Map<string, unknown>,
  ): void => {
    const text = messageFor(m, protocolKey(sub));
    if (sub.filter && !sub.filter.matches(text, m.attributes, parsedBodies)) return;
    const n: Notification = { ...base, subscriptionArn: sub.arn, message: text };
    const raw = sub.attributes.RawMessageDelivery === 'true';
    switch (sub.protocol) {
      case 'sqs': {
        const build = (queueArn: string): TargetMessage => queueMessage(sub, topic, n, text, queueArn, dedupId, groupId);
        retries.run(
          () => (live(sub) ? deliverToQueue(host, sub.endpoint, build(sub.endpoint), source(topic)) : Promise.resolve()),
          (e) => toDeadLetter(sub, topic, build, e),
        );
        return;
      }
      case 'lambda': {
        const body = lambdaEvent(n);
        retries.run(
          () => (live(sub) ? deliver(host, sub.endpoint, { body }, source(topic)) : Promise.resolve()),
          (e) => toDeadLetter(sub, topic, () => ({ body: notificationJson(n) }), e),
        );
        return;
      }
      case 'firehose': {
        const body = raw ? text : notificationJson(n);
        retries.run(
          () => (live(sub) ? deliver(host, sub.endpoint, { body }, source(topic)) : Promise.resolve()),
          (e) => toDeadLetter(sub, topic, () => ({ body }), e),
        );
        return;
      }
      case 'email':
        toOutbox(sub.protocol, sub.endpoint, { ...n, subject: n.subject ?? 'AWS Notification Message' }, text);
        return;
      case 'sms': {
        const store = stores.get(topic.account, topic.region);
        if (store.optedOut.has(e164(sub.endpoint))) return;
        toOutbox(sub.protocol, sub.endpoint, n, text, 'Notification', smsDetails(store.smsAttributes, n.attributes));
        return;
      }
      case 'application':
        toOutbox(sub.protocol, sub.endpoint, n, text);
        return;
      case 'http':
      case 'https': {
        const body = raw ? text : notificationJson(n);
        const headers: Record<string, string> = {
          'x-amz-sns-message-type': 'Notification',
          'x-amz-sns-message-id': n.messageId,
          'x-amz-sns-topic-arn': topic.arn,
          'x-amz-sns-subscription-arn': sub.arn,
          ...(raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
        };
        const policy = effectiveHttpPolicy(sub.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy);
        retries.run(
          () => (live(sub) ? postUnderPolicy(sub.arn, policy, sub.endpoint, body, headers) : Promise.resolve()),
          (e) => toDeadLetter(sub, topic, () => ({ body }), e),
          httpRetryDelay(policy.retry),
        );
        return;
      }
      default:
        // email-json: the JSON document
        toOutbox(sub.protocol, sub.endpoint, n, notificationJson(n));
    }
  };

  /** Protocols whose subscribers get the signed JSON notification (unless raw). */
  const signedProtocols = new Set(['sqs', 'lambda', 'firehose', 'http', 'https', 'email-json']);
  /**
   * Per topic, the fan-out of the last publish still waiting for its signatures: the next one waits for it, so that
   * subscribers get a topic's messages in publish order.
   */
  const fanOutTails = new Map<string, Promise<void>>();

  const publishToTopic = (
    topic: Topic,
    m: ValidMessage,
    o: PublishOptions,
  ): { messageId: string; sequenceNumber?: string; delivered: Promise<void> | undefined } => {
    let messageId: string = randomUUID();
    let sequenceNumber: string | undefined;
    let dedupId: string | undefined;
    const now = clock.now();
    if (topic.fifo) {
      if (o.groupId === undefined) {
        throw SnsErrors.invalidParameter('The MessageGroupId parameter is required for FIFO topics');
      }
      dedupId = o.deduplicationId;
      if (dedupId === undefined) {
        if (topic.attributes.ContentBasedDeduplication !== 'true') {
          throw SnsErrors.invalidParameter(
            'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        dedupId = createHash('sha256').update(m.message).digest('hex');
      }
      const store = stores.get(topic.account, topic.region);
      const d = store.dedupe(topic, dedupId, messageId, now);
      messageId = d.messageId;
      sequenceNumber = d.sequenceNumber;
      if (d.duplicate) return { messageId, sequenceNumber, delivered: undefined };
      const retention = topic.archiveSince !== undefined ? archiveRetentionDays(topic.attributes.ArchivePolicy ?? '{}') : undefined;
      if (retention !== undefined) {
        store.archiveMessage(
          topic,
          { messageId, sequenceNumber, timestamp: now, message: m, groupId: o.groupId, deduplicationId: dedupId },
          retention,
          now,
        );
      }
    } else if (o.deduplicationId !== undefined) {
      throw SnsErrors.invalidParameter(
        'MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      );
    }
    const base: Omit<Notification, 'subscriptionArn' | 'message'> = {
      messageId,
      topicArn: topic.arn,
      subject: m.subject,
      timestamp: now,
      sequenceNumber,
      attributes: m.attributes,
      signatureVersion: topic.attributes.SignatureVersion ?? '1',
      baseUrl: o.baseUrl,
      region: topic.region,
      signatures: new Map(),
      layouts: new Map(),
    };
    const store = stores.get(topic.account, topic.region);
    const subs: Subscription[] = [];
    const toSign = new Set<string>();
    for (const subArn of topic.subscriptions) {
      const sub = store.subscriptions.get(subArn);
      if (!sub || sub.pendingConfirmation) continue;
      subs.push(sub);
      if (signedProtocols.has(sub.protocol) && sub.attributes.RawMessageDelivery !== 'true') toSign.add(messageFor(m, protocolKey(sub)));
    }
    const fanOut = (): void => {
      const parsedBodies = new Map<string, unknown>();
      for (const sub of subs) {
        if (!live(sub)) continue;
        try {
          deliverOne(sub, topic, base, m, o.groupId, dedupId, parsedBodies);
        } catch (e) {
          host.log.warn(`sns: delivery to ${sub.arn} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    };
    const ids = sequenceNumber !== undefined ? { messageId, sequenceNumber } : { messageId };
    const tail = fanOutTails.get(topic.arn);
    if (toSign.size === 0 && !tail) {
      fanOut();
      return { ...ids, delivered: undefined };
    }
    const signed = Promise.all(
      [...toSign].map((text) => signNotificationOffThread(base, text).then((sig) => void base.signatures?.set(text, sig))),
    );
    // A signature that fails here is made again, on the event loop, when the notification is written.
    const delivered = Promise.all([tail, signed.catch(() => undefined)]).then(fanOut);
    fanOutTails.set(topic.arn, delivered);
    void delivered.finally(() => {
      if (fanOutTails.get(topic.arn) === delivered) fanOutTails.delete(topic.arn);
    });
    return { ...ids, delivered };
  };

  const checkGroupId = (groupId: string | undefined): void => {
    if (groupId !== undefined && !GROUP_ID.test(groupId)) {
      throw SnsErrors.invalidParameter('MessageGroupId Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
    }
  };
  const checkDedupId = (id: string | undefined): void => {
    if (id !== undefined && !GROUP_ID.test(id)) {
      throw SnsErrors.invalidParameter('MessageDeduplicationId Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
    }
  };

  // ---- subscriptions ----

  const validateEndpoint = (protocol: string, endpoint: string | undefined, topic: Topic): string => {
    if (endpoint === undefined || endpoint === '') throw SnsErrors.invalidParameter('Endpoint');
    switch (protocol) {
      case 'http':
      case 'https':
        if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) {
          throw SnsErrors.invalidParameter('Endpoint must match the specified protocol');
        }
        return endpoint;
      case 'email':
      case 'email-json':
        if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw SnsErrors.invalidParameter('Email address');
        return endpoint;
      case 'sms':
        if (!PHONE_NUMBER.test(endpoint.replace(/[\s().-]/g, ''))) {
          throw SnsErrors.invalidParameter(`Invalid SMS endpoint: ${endpoint}`);
        }
        return endpoint;
      case 'sqs': {
        const a = parseArn(endpoint);
        if (!a || a.service !== 'sqs' || !a.resource) throw SnsErrors.invalidParameter('SQS endpoint ARN');
        if (!topic.fifo && a.resource.endsWith('.fifo')) {
          throw SnsErrors.invalidParameter(
            'Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
          );
        }
        return endpoint;
      }
      case 'lambda': {
        const a = parseArn(endpoint);
        if (!a || a.service !== 'lambda') throw SnsErrors.invalidParameter('Lambda endpoint ARN');
        return endpoint;
      }
      case 'firehose': {
        const a = parseArn(endpoint);
        if (!a || a.service !== 'firehose') throw SnsErrors.invalidParameter('Firehose endpoint ARN');
        return endpoint;
      }
      default: {
        const a = parseArn(endpoint);
        if (!a || a.service !== 'sns' || !a.resource.startsWith('endpoint/')) {
          throw SnsErrors.invalidParameter(`Application endpoint arn invalid:${endpoint}`);
        }
        return endpoint;
      }
    }
  };

  /** Checks one subscription attribute and returns its stored form. */
  const checkSubscriptionAttribute = (
    protocol: string,
    name: string,
    value: string,
    topic: Topic | undefined,
    owner: string,
  ): string => {
    switch (name) {
      case 'RawMessageDelivery': {
        const v = value.toLowerCase();
        if (v !== 'true' && v !== 'false') {
          throw SnsErrors.invalidParameter(`Attributes Reason: RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
        }
        if (v === 'true' && !RAW_PROTOCOLS.has(protocol)) {
          throw SnsErrors.invalidParameter(`Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`);
        }
        return v;
      }
      case 'FilterPolicyScope':
        if (value !== 'MessageAttributes' && value !== 'MessageBody') {
          throw SnsErrors.invalidParameter(
            'Attributes Reason: FilterPolicyScope: Invalid filter policy scope, please specify either MessageAttributes or MessageBody',
          );
        }
        return value;
      case 'RedrivePolicy': {
        if (value === '') return value;
        const target = redriveTarget(value);
        if (!target) {
          throw SnsErrors.invalidParameter('RedrivePolicy: deadLetterTargetArn is an invalid arn');
        }
        const t = parseArn(target);
        if (topic && (t?.account !== owner || t.region !== topic.region)) {
          throw SnsErrors.invalidParameter(
            'RedrivePolicy: The dead-letter queue must be in the same AWS account and Region as the subscription',
          );
        }
        if (topic && topic.fifo !== target.endsWith('.fifo')) {
          throw SnsErrors.invalidParameter(
            `RedrivePolicy: must use a ${topic.fifo ? 'FIFO' : 'standard'} queue as dead-letter queue for a ${topic.fifo ? 'FIFO' : 'standard'} topic`,
          );
        }
        return value;
      }
      case 'DeliveryPolicy':
        if (value !== '') parseSubscriptionDeliveryPolicy(value);
        return value;
      case 'SubscriptionRoleArn': {
        const a = parseArn(value);
        if (!a || a.service !== 'iam' || !a.resource.startsWith('role/')) {
          throw SnsErrors.invalidParameter(`Attributes Reason: SubscriptionRoleArn: Invalid role ARN [${value}]`);
        }
        return value;
      }
      case 'ReplayPolicy':
        if (value !== '') {
          if (topic && !topic.fifo) throw SnsErrors.invalidParameter('ReplayPolicy: Message replay is only supported on FIFO topics');
          replayWindow(value);
        }
        return value;
      default:
        return value;
    }
  };

  /**
   * Redelivers the topic's archived messages in the ReplayPolicy's window to one subscription, as first published
   * (same MessageId, Timestamp and sequence number), through its filter policy.
   */
  const replay = (sub: Subscription, topic: Topic, baseUrl: string): void => {
    const policy = sub.attributes.ReplayPolicy;
    if (!policy) return;
    const window = replayWindow(policy);
    const end = window.end ?? clock.now();
    sub.replayStatus = 'Completed';
    for (const a of topic.archive) {
      if (a.timestamp < window.start || a.timestamp > end) continue;
      const base: Omit<Notification, 'subscriptionArn' | 'message'> = {
        messageId: a.messageId,
        topicArn: topic.arn,
        subject: a.message.subject,
        timestamp: a.timestamp,
        sequenceNumber: a.sequenceNumber,
        attributes: a.message.attributes,
        signatureVersion: topic.attributes.SignatureVersion ?? '1',
        baseUrl,
        region: topic.region,
        signatures: new Map(),
        layouts: new Map(),
      };
      deliverOne(sub, topic, base, a.message, a.groupId, a.deduplicationId, new Map());
    }
  };

  /** Compiles the filter of a subscription from its attributes (after a change), throwing on a bad policy. */
  const compileFilter = (attrs: Record<string, string>): Subscription['filter'] => {
    const policy = attrs.FilterPolicy;
    if (policy === undefined || policy === '') return undefined;
    const scope = (attrs.FilterPolicyScope ?? 'MessageAttributes') as FilterScope;
    return compileFilterPolicy(policy, scope);
  };

  const subscriptionAttributes = (s: Subscription): Record<string, string> => {
    const out: Record<string, string> = {
      Owner: s.owner,
      RawMessageDelivery: 'false',
      TopicArn: s.topicArn,
      Endpoint: s.endpoint,
      Protocol: s.protocol,
      PendingConfirmation: String(s.pendingConfirmation),
      ConfirmationWasAuthenticated: String(s.confirmationWasAuthenticated),
      SubscriptionArn: s.arn,
      SubscriptionPrincipal: `arn:${parseArn(s.topicArn)?.partition ?? 'aws'}:iam::${s.owner}:root`,
      EffectiveDeliveryPolicy: s.attributes.DeliveryPolicy ?? DEFAULT_SUBSCRIPTION_DELIVERY_POLICY,
      ...(s.replayStatus && s.attributes.ReplayPolicy ? { ReplayStatus: s.replayStatus } : {}),
    };
    for (const [k, v] of Object.entries(s.attributes)) if (v !== '') out[k] = v;
    if (s.attributes.FilterPolicy && !s.attributes.FilterPolicyScope) out.FilterPolicyScope = 'MessageAttributes';
    return out;
  };

  const sendConfirmation = (sub: Subscription, topic: Topic, baseUrl: string): void => {
    const now = clock.now();
    const messageId = randomUUID();
    const json = confirmationJson({
      type: 'SubscriptionConfirmation',
      messageId,
      topicArn: topic.arn,
      token: sub.token,
      timestamp: now,
      baseUrl,
      signatureVersion: topic.attributes.SignatureVersion ?? '1',
    });
    const link = subscribeUrlOf(baseUrl, topic.arn, sub.token);
    if (sub.protocol === 'http' || sub.protocol === 'https') {
      const headers = {
        'x-amz-sns-message-type': 'SubscriptionConfirmation',
        'x-amz-sns-message-id': messageId,
        'x-amz-sns-topic-arn': topic.arn,
      };
      const policy = effectiveHttpPolicy(sub.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy);
      retries.run(
        () => postUnderPolicy(sub.arn, policy, sub.endpoint, json, headers),
        (e) => host.log.warn(`sns: subscription confirmation to ${sub.endpoint} failed: ${e instanceof Error ? e.message : String(e)}`),
        httpRetryDelay(policy.retry),
      );
      return;
    }
    const message =
      sub.protocol === 'email'
        ? `You have chosen to subscribe to the topic:\n${topic.arn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n${link}`
        : json;
    outbox.add({
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      type: 'SubscriptionConfirmation',
      messageId,
      topicArn: topic.arn,
      subscriptionArn: sub.arn,
      ...(sub.protocol === 'email' ? { subject: 'AWS Notification - Subscription Confirmation' } : {}),
      message,
      timestamp: snsTimestamp(now),
      account: topic.account,
      region: topic.region,
    });
  };

  /**
   * Tells an http/https endpoint its subscription is gone; the message's token (or SubscribeURL) restores it.
   */
  const sendUnsubscribeConfirmation = (sub: Subscription, topic: Topic, baseUrl: string): void => {
    const token = randomBytes(64).toString('hex');
    stores.get(topic.account, topic.region).unsubscribed.set(token, sub);
    const messageId = randomUUID();
    const json = confirmationJson({
      type: 'UnsubscribeConfirmation',
      messageId,
      topicArn: topic.arn,
      subscriptionArn: sub.arn,
      token,
      timestamp: clock.now(),
      baseUrl,
      signatureVersion: topic.attributes.SignatureVersion ?? '1',
    });
    const headers = {
      'x-amz-sns-message-type': 'UnsubscribeConfirmation',
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': topic.arn,
      'x-amz-sns-subscription-arn': sub.arn,
    };
    const policy = effectiveHttpPolicy(sub.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy);
    retries.run(
      () => postUnderPolicy(sub.arn, policy, sub.endpoint, json, headers),
      (e) => host.log.warn(`sns: unsubscribe confirmation to ${sub.endpoint} failed: ${e instanceof Error ? e.message : String(e)}`),
      httpRetryDelay(policy.retry),
    );
  };

  // ---- tags and paging ----

  const checkTags = (tags: readonly Tag[]): void => {
    for (const t of tags) {
      if (!t.Key || t.Key.length > 128) throw SnsErrors.invalidParameter('Tags Reason: Tag key must be 1 to 128 characters long');
      if ((t.Value ?? '').length > 256) throw SnsErrors.invalidParameter('Tags Reason: Tag value must be at most 256 characters long');
    }
  };

  /** A new filter policy on a topic must fit AWS's quotas: 200 per topic, 10,000 per account. */
  const checkFilterPolicyQuota = (topic: Topic): void => {
    const n = stores.get(topic.account, topic.region).countFilterPolicies(topic);
    if (n.topic >= MAX_FILTER_POLICIES_PER_TOPIC || n.account >= MAX_FILTER_POLICIES_PER_ACCOUNT) {
      throw SnsErrors.filterPolicyLimit();
    }
  };

  const setSubscriptionAttribute = (sub: Subscription, name: string, value: string): void => {
    const topic = topicOf(sub);
    const stored = checkSubscriptionAttribute(sub.protocol, name, value, topic, sub.owner);
    if (name === 'FilterPolicy' && stored !== '' && sub.attributes.FilterPolicy === undefined && topic) {
      checkFilterPolicyQuota(topic);
    }
    const next = { ...sub.attributes, [name]: stored };
    if (name === 'FilterPolicy' && stored === '') {
      delete next.FilterPolicy;
      delete next.FilterPolicyScope;
    }
    if (name === 'RedrivePolicy' && stored === '') delete next.RedrivePolicy;
    if (name === 'FilterPolicy' || name === 'FilterPolicyScope') sub.filter = compileFilter(next);
    if (name === 'ReplayPolicy' && stored === '') delete next.ReplayPolicy;
    for (const k of Object.keys(sub.attributes)) delete sub.attributes[k];
    Object.assign(sub.attributes, next);
    if (name === 'ReplayPolicy' && stored !== '' && topic && !sub.pendingConfirmation) replay(sub, topic, defaultBaseUrl());
  };

  /** Fan-outs still waiting for their signatures deliver nothing once state is reset or the server stops. */
  const endAllSubscriptions = (): void => {
    for (const store of stores.all()) for (const sub of store.subscriptions.values()) sub.live = false;
  };

  const internal: SnsInternal = {
    outbox: () => outbox.list(),
    clearOutbox: () => outbox.clear(),
    pendingRetries: () => retries.pending(),
    optOut: (account, region, phone) => mobile.optOut(account, region, phone),
    deliver: (arn: string, message: TargetMessage): Promise<{ id?: string }> => {
      const topic = requireTopic(arn);
      const attrs: Record<string, MessageAttributeValue> = {};
      for (const [k, a] of Object.entries(message.attributes ?? {})) attrs[k] = { ...a };
      const m = validateMessage({ Message: message.body, Subject: message.subject, MessageAttributes: attrs });
      const r = publishToTopic(topic, m, {
        groupId: message.groupId,
        deduplicationId: message.deduplicationId,
        baseUrl: defaultBaseUrl(),
      });
      return (r.delivered ?? Promise.resolve()).then(() => ({ id: r.messageId }));
    },
  };

  return {
    name: 'sns',
    internal,
    reset: () => {
      retries.cancelAll();
      endAllSubscriptions();
      throttleSlots.clear();
      outbox.clear();
      stores.clear();
    },
    stop: () => {
      retries.cancelAll();
      endAllSubscriptions();
    },
    operations: {
      CreateTopic: (ctx: RequestContext, input: CreateTopicInput): CreateTopicResponse => {
        const name = input.Name;
        const attributes = input.Attributes ?? {};
        for (const k of Object.keys(attributes)) {
          if (!TOPIC_ATTRIBUTES.has(k)) throw SnsErrors.invalidParameter(`Attributes Reason: Unknown attribute ${k}`);
        }
        const fifo = (attributes.FifoTopic ?? 'false').toLowerCase() === 'true';
        if (name === undefined || name === '') throw SnsErrors.invalidParameter('Topic Name');
        if (fifo && !FIFO_TOPIC_NAME.test(name)) {
          throw SnsErrors.invalidParameter(
            'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
          );
        }
        if (!fifo && !TOPIC_NAME.test(name)) throw SnsErrors.invalidParameter('Topic Name');
        for (const [k, v] of Object.entries(attributes)) checkTopicAttribute(k, v, fifo);
        const tags = input.Tags ?? [];
        checkTags(tags);
        if (tags.length > MAX_TAGS) throw SnsErrors.tagLimit();
        if (input.DataProtectionPolicy) checkTopicAttribute('Policy', input.DataProtectionPolicy, fifo);
        const store = stores.get(ctx.account, ctx.region);
        const existing = store.topics.get(name);
        if (existing) {
          for (const [k, v] of Object.entries(attributes)) {
            const current = k === 'FifoTopic' ? String(existing.fifo) : (existing.attributes[k] ?? (k === 'ContentBasedDeduplication' ? 'false' : undefined));
            if (current !== v && !(k === 'FifoTopic' && v.toLowerCase() === current)) {
              throw SnsErrors.invalidParameter('Attributes Reason: Topic already exists with different attributes');
            }
          }
          for (const t of tags) {
            if (existing.tags.has(t.Key ?? '') && existing.tags.get(t.Key ?? '') !== (t.Value ?? '')) {
              throw SnsErrors.invalidParameter('Tags Reason: Topic already exists with different tags');
            }
          }
          return { TopicArn: existing.arn };
        }
        if (store.countTopics(fifo) >= (fifo ? MAX_FIFO_TOPICS : MAX_STANDARD_TOPICS)) throw SnsErrors.topicLimit();
        baseUrlOf(ctx);
        const arn = formatArn('sns', ctx.region, ctx.account, name);
        const stored: Record<string, string> = {};
        for (const [k, v] of Object.entries(attributes)) {
          if (k === 'FifoTopic') continue;
          if (v === '' && k !== 'DisplayName') continue;
          stored[k] = k === 'ContentBasedDeduplication' ? v.toLowerCase() : v;
        }
        const topic: Topic = {
          arn,
          name,
          account: ctx.account,
          region: ctx.region,
          fifo,
          attributes: stored,
          tags: new Map(tags.map((t) => [t.Key ?? '', t.Value ?? ''])),
          subscriptions: new Set(),
          dataProtectionPolicy: input.DataProtectionPolicy || undefined,
          sequence: 10_000_000_000_000_000_000n,
          dedup: new Map(),
          archive: [],
          archiveSince: stored.ArchivePolicy && archiveRetentionDays(stored.ArchivePolicy) !== undefined ? clock.now() : undefined,
        };
        store.topics.set(name, topic);
        return { TopicArn: arn };
      },

      DeleteTopic: (_ctx: RequestContext, input: DeleteTopicInput): void => {
        if (!input.TopicArn || !parseArn(input.TopicArn)) throw SnsErrors.invalidParameter('TopicArn');
        const topic = topicByArn(input.TopicArn);
        if (!topic) return;
        stores.get(topic.account, topic.region).deleteTopic(topic, storeOfArn);
      },

      ListTopics: (ctx: RequestContext, input: ListTopicsInput): ListTopicsResponse => {
        const topics = [...(stores.peek(ctx.account, ctx.region)?.topics.values() ?? [])];
        const p = page(topics, input.NextToken);
        return { Topics: p.items.map((t) => ({ TopicArn: t.arn })), ...(p.next ? { NextToken: p.next } : {}) };
      },

      GetTopicAttributes: (_ctx: RequestContext, input: GetTopicAttributesInput): GetTopicAttributesResponse => {
        const topic = requireTopic(input.TopicArn);
        return { Attributes: topicAttributes(topic, counts(topic)) };
      },

      SetTopicAttributes: (_ctx: RequestContext, input: SetTopicAttributesInput): void => {
        const name = input.AttributeName;
        if (!name || !TOPIC_ATTRIBUTES.has(name) || name === 'FifoTopic') throw SnsErrors.invalidParameter('AttributeName');
        const topic = requireTopic(input.TopicArn);
        const value = input.AttributeValue ?? '';
        checkTopicAttribute(name, value, topic.fifo);
        if (value === '' && name !== 'DisplayName') delete topic.attributes[name];
        else topic.attributes[name] = name === 'ContentBasedDeduplication' ? value.toLowerCase() : value;
        if (name === 'ArchivePolicy') {
          const archiving = value !== '' && archiveRetentionDays(value) !== undefined;
          if (!archiving) topic.archive = [];
          topic.archiveSince = archiving ? (topic.archiveSince ?? clock.now()) : undefined;
        }
      },

      Subscribe: (ctx: RequestContext, input: SubscribeInput): SubscribeResponse => {
        const protocol = input.Protocol;
        if (!protocol) throw SnsErrors.invalidParameter('Protocol');
        const topic = requireTopic(input.TopicArn);
        authorize(() => policyOf(topic), topic.arn, topic.account, ctx.account, 'SNS:Subscribe');
        if (!PROTOCOLS.has(protocol)) {
          throw SnsErrors.invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
        }
        if (topic.fifo && protocol !== 'sqs') {
          throw SnsErrors.invalidParameter(`Invalid protocol type: ${protocol}`);
        }
        const endpoint = validateEndpoint(protocol, input.Endpoint, topic);
        const attributes: Record<string, string> = {};
        for (const [k, v] of Object.entries(input.Attributes ?? {})) {
          if (!SUBSCRIPTION_ATTRIBUTES.has(k)) throw SnsErrors.invalidParameter(`Attributes Reason: Invalid attribute name: ${k}`);
          const stored = checkSubscriptionAttribute(protocol, k, v, topic, ctx.account);
          if (stored !== '') attributes[k] = stored;
        }
        const filter = compileFilter(attributes);
        const store = stores.get(topic.account, topic.region);
        for (const arn of topic.subscriptions) {
          const s = store.subscriptions.get(arn);
          if (!s || s.protocol !== protocol || s.endpoint !== endpoint) continue;
          const same =
            Object.keys(attributes).length === Object.keys(s.attributes).length &&
            Object.entries(attributes).every(([k, v]) => s.attributes[k] === v);
          if (!same && !s.pendingConfirmation) {
            throw SnsErrors.invalidParameter('Attributes Reason: Subscription already exists with different attributes');
          }
          if (!same) {
            Object.assign(s.attributes, attributes);
            s.filter = filter;
          }
          return { SubscriptionArn: s.pendingConfirmation && !input.ReturnSubscriptionArn ? 'pending confirmation' : s.arn };
        }
        if (protocol === 'firehose' && attributes.SubscriptionRoleArn === undefined) {
          // Firehose deliveries are made with the subscription's role, which AWS requires.
          throw SnsErrors.invalidParameter('Attributes Reason: SubscriptionRoleArn is required for the firehose protocol');
        }
        if (attributes.FilterPolicy !== undefined) checkFilterPolicyQuota(topic);
        const pending = CONFIRMED_BY_TOKEN.has(protocol);
        const sub: Subscription = {
          arn: `${topic.arn}:${randomUUID()}`,
          topicArn: topic.arn,
          owner: ctx.account,
          protocol,
          endpoint,
          attributes,
          pendingConfirmation: pending,
          confirmationWasAuthenticated: !pending,
          token: randomBytes(64).toString('hex'),
          filter,
          live: true,
        };
        store.addSubscription(sub, topic);
        if (pending) sendConfirmation(sub, topic, baseUrlOf(ctx));
        else replay(sub, topic, baseUrlOf(ctx));
        return { SubscriptionArn: pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : sub.arn };
      },

      ConfirmSubscription: (_ctx: RequestContext, input: ConfirmSubscriptionInput): ConfirmSubscriptionResponse => {
        const topic = requireTopic(input.TopicArn);
        if (!input.Token) throw SnsErrors.invalidParameter('Token');
        const store = stores.get(topic.account, topic.region);
        const restored = store.unsubscribed.get(input.Token);
        if (restored && restored.topicArn === topic.arn) {
          // The token of an UnsubscribeConfirmation: the subscription comes back as it was.
          store.unsubscribed.delete(input.Token);
          if (!store.subscriptions.has(restored.arn)) store.addSubscription(restored, topic);
          return { SubscriptionArn: restored.arn };
        }
        const arn = store.tokens.get(input.Token);
        const sub = arn ? store.subscriptions.get(arn) : undefined;
        if (!sub || sub.topicArn !== topic.arn) throw SnsErrors.invalidParameter('Token');
        sub.pendingConfirmation = false;
        if (input.AuthenticateOnUnsubscribe === 'true') sub.confirmationWasAuthenticated = true;
        return { SubscriptionArn: sub.arn };
      },

      Unsubscribe: (ctx: RequestContext, input: UnsubscribeInput): void => {
        const sub = requireSubscription(input.SubscriptionArn);
        const topic = topicOf(sub);
        // A subscription that requires authentication to unsubscribe: only its owner and the topic's owner may.
        if (sub.confirmationWasAuthenticated && ctx.account !== sub.owner && ctx.account !== topic?.account) {
          throw SnsErrors.authorization(
            `User: arn:aws:iam::${ctx.account}:root is not authorized to perform: SNS:Unsubscribe on resource: ${sub.arn}`,
          );
        }
        const store = storeOfArn(sub.arn);
        store?.removeSubscription(sub, topic);
        if (topic && !sub.pendingConfirmation && (sub.protocol === 'http' || sub.protocol === 'https')) {
          sendUnsubscribeConfirmation(sub, topic, baseUrlOf(ctx));
        }
      },

      ListSubscriptions: (ctx: RequestContext, input: ListSubscriptionsInput): ListSubscriptionsResponse => {
        const subs: Subscription[] = [];
        for (const store of stores.all()) {
          if (store.region !== ctx.region) continue;
          for (const s of store.subscriptions.values()) if (s.owner === ctx.account) subs.push(s);
        }
        const p = page(subs, input.NextToken);
        return { Subscriptions: p.items.map(summary), ...(p.next ? { NextToken: p.next } : {}) };
      },

      ListSubscriptionsByTopic: (_ctx: RequestContext, input: ListSubscriptionsByTopicInput): ListSubscriptionsByTopicResponse => {
        const topic = requireTopic(input.TopicArn);
        const store = stores.get(topic.account, topic.region);
        const subs = [...topic.subscriptions].flatMap((arn) => {
          const s = store.subscriptions.get(arn);
          return s ? [s] : [];
        });
        const p = page(subs, input.NextToken);
        return { Subscriptions: p.items.map(summary), ...(p.next ? { NextToken: p.next } : {}) };
      },

      GetSubscriptionAttributes: (_ctx: RequestContext, input: GetSubscriptionAttributesInput): GetSubscriptionAttributesResponse => {
        const sub = requireSubscription(input.SubscriptionArn);
        return { Attributes: subscriptionAttributes(sub) };
      },

      SetSubscriptionAttributes: (_ctx: RequestContext, input: SetSubscriptionAttributesInput): void => {
        const name = input.AttributeName;
        if (!name || !SUBSCRIPTION_ATTRIBUTES.has(name)) throw SnsErrors.invalidParameter('AttributeName');
        const sub = requireSubscription(input.SubscriptionArn);
        setSubscriptionAttribute(sub, name, input.AttributeValue ?? '');
      },

      Publish: (ctx: RequestContext, input: PublishInput): PublishResponse | Promise<PublishResponse> => {
        const targets = [input.TopicArn, input.TargetArn, input.PhoneNumber].filter((t) => t !== undefined && t !== '');
        if (targets.length === 0) {
          throw SnsErrors.invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
        }
        if (targets.length > 1) {
          throw SnsErrors.invalidParameter('TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified');
        }
        const m = validateMessage(input);
        checkGroupId(input.MessageGroupId);
        checkDedupId(input.MessageDeduplicationId);
        if (input.PhoneNumber) return { MessageId: mobile.publishToPhone(ctx, input.PhoneNumber, m) };
        const arn = input.TopicArn || input.TargetArn || '';
        if (input.TargetArn && parseArn(arn)?.resource.startsWith('endpoint/')) {
          return { MessageId: mobile.publishToEndpoint(arn, m) };
        }
        const topic = requireTopic(arn, input.TopicArn ? 'TopicArn' : 'TargetArn');
        authorize(() => policyOf(topic), topic.arn, topic.account, ctx.account, 'SNS:Publish');
        const r = publishToTopic(topic, m, {
          groupId: input.MessageGroupId,
          deduplicationId: input.MessageDeduplicationId,
          baseUrl: baseUrlOf(ctx),
        });
        const response: PublishResponse =
          r.sequenceNumber !== undefined ? { MessageId: r.messageId, SequenceNumber: r.sequenceNumber } : { MessageId: r.messageId };
        // Answers once the message is in every SQS subscriber's queue, as AWS's Publish appears to.
        return r.delivered ? r.delivered.then(() => response) : response;
      },

      PublishBatch: (ctx: RequestContext, input: PublishBatchInput): PublishBatchResponse | Promise<PublishBatchResponse> => {
        const entries = input.PublishBatchRequestEntries ?? [];
        const topic = requireTopic(input.TopicArn);
        authorize(() => policyOf(topic), topic.arn, topic.account, ctx.account, 'SNS:Publish');
        if (entries.length === 0) throw SnsErrors.emptyBatch();
        if (entries.length > MAX_BATCH) throw SnsErrors.tooManyEntries();
        const ids = new Set<string>();
        for (const e of entries) {
          if (!e.Id || !BATCH_ENTRY_ID.test(e.Id)) throw SnsErrors.invalidBatchEntryId();
          if (ids.has(e.Id)) throw SnsErrors.idsNotDistinct();
          ids.add(e.Id);
        }
        let total = 0;
        for (const e of entries) {
          total += Buffer.byteLength(e.Message ?? '', 'utf8');
          for (const [k, a] of Object.entries(e.MessageAttributes ?? {})) {
            total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(a.DataType ?? '', 'utf8');
            total += a.BinaryValue ? a.BinaryValue.byteLength : Buffer.byteLength(a.StringValue ?? '', 'utf8');
          }
        }
        if (total > MAX_MESSAGE_BYTES) throw SnsErrors.batchTooLong();
        const response: Required<PublishBatchResponse> = { Successful: [], Failed: [] };
        let delivered: Promise<void> | undefined;
        for (const e of entries) {
          try {
            const m = validateMessage(e);
            checkGroupId(e.MessageGroupId);
            checkDedupId(e.MessageDeduplicationId);
            const r = publishToTopic(topic, m, {
              groupId: e.MessageGroupId,
              deduplicationId: e.MessageDeduplicationId,
              baseUrl: baseUrlOf(ctx),
            });
            delivered = r.delivered ?? delivered;
            response.Successful.push({
              Id: e.Id,
              MessageId: r.messageId,
              ...(r.sequenceNumber !== undefined ? { SequenceNumber: r.sequenceNumber } : {}),
            });
          } catch (err) {
            if (!(err instanceof ServiceError)) throw err;
            response.Failed.push({
              Id: e.Id,
              Code: batchCode(err.code),
              Message: err.message,
              SenderFault: err.fault === 'client',
            });
          }
        }
        // The fan-outs of one topic run in order, so the last one settling means all have.
        return delivered ? delivered.then(() => response) : response;
      },

      TagResource: (_ctx: RequestContext, input: TagResourceRequest): void => {
        const topic = topicByArn(input.ResourceArn);
        if (!topic) throw SnsErrors.resourceNotFound();
        const tags = input.Tags ?? [];
        checkTags(tags);
        const keys = new Set([...topic.tags.keys(), ...tags.map((t) => t.Key ?? '')]);
        if (keys.size > MAX_TAGS) throw SnsErrors.tagLimit();
        for (const t of tags) topic.tags.set(t.Key ?? '', t.Value ?? '');
      },

      UntagResource: (_ctx: RequestContext, input: UntagResourceRequest): void => {
        const topic = topicByArn(input.ResourceArn);
        if (!topic) throw SnsErrors.resourceNotFound();
        for (const k of input.TagKeys ?? []) topic.tags.delete(k);
      },

      ListTagsForResource: (_ctx: RequestContext, input: ListTagsForResourceRequest): ListTagsForResourceResponse => {
        const topic = topicByArn(input.ResourceArn);
        if (!topic) throw SnsErrors.resourceNotFound();
        return { Tags: [...topic.tags].map(([Key, Value]) => ({ Key, Value })) };
      },

      PutDataProtectionPolicy: (_ctx: RequestContext, input: PutDataProtectionPolicyInput): void => {
        const topic = requireTopic(input.ResourceArn, 'ResourceArn');
        const policy = input.DataProtectionPolicy ?? '';
        if (policy !== '') checkTopicAttribute('Policy', policy, topic.fifo);
        topic.dataProtectionPolicy = policy || undefined;
      },

      GetDataProtectionPolicy: (_ctx: RequestContext, input: GetDataProtectionPolicyInput): GetDataProtectionPolicyResponse => {
        const topic = requireTopic(input.ResourceArn, 'ResourceArn');
        return topic.dataProtectionPolicy !== undefined ? { DataProtectionPolicy: topic.dataProtectionPolicy } : {};
      },

      ...mobile.operations,

      // ---- topic policy statements ----

      AddPermission: (_ctx: RequestContext, input: AddPermissionInput): void => {
        const topic = requireTopic(input.TopicArn);
        const label = input.Label ?? '';
        if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) throw SnsErrors.invalidParameter('Label');
        const accounts = input.AWSAccountId ?? [];
        const actions = input.ActionName ?? [];
        if (accounts.length === 0) throw SnsErrors.invalidParameter('AWSAccountId');
        if (actions.length === 0) throw SnsErrors.invalidParameter('ActionName');
        const policy = topicPolicy(topic);
        if (policy.Statement.some((st) => st.Sid === label)) {
          throw SnsErrors.invalidParameter('Statement already exists');
        }
        policy.Statement.push({
          Sid: label,
          Effect: 'Allow',
          Principal: { AWS: accounts.map((a) => (/^\d{12}$/.test(a) ? `arn:aws:iam::${a}:root` : a)) },
          Action: actions.map((a) => `SNS:${a}`),
          Resource: topic.arn,
        });
        topic.attributes.Policy = JSON.stringify(policy);
      },

      RemovePermission: (_ctx: RequestContext, input: RemovePermissionInput): void => {
        const topic = requireTopic(input.TopicArn);
        const policy = topicPolicy(topic);
        const kept = policy.Statement.filter((st) => st.Sid !== input.Label);
        if (kept.length === policy.Statement.length) throw SnsErrors.invalidParameter('Label');
        topic.attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
      },
    },
  };
}

interface PolicyDocument {
  readonly Statement: { Sid?: string; [k: string]: unknown }[];
  readonly [k: string]: unknown;
}

/** A topic's policy text: the one set, or the default. */
function policyOf(topic: Topic): string {
  return topic.attributes.Policy ?? defaultTopicPolicy(topic.arn, topic.account);
}

/** A topic's policy as a document: the one set, or the default. */
function topicPolicy(topic: Topic): PolicyDocument {
  const text = policyOf(topic);
  try {
    const p = JSON.parse(text) as Partial<PolicyDocument>;
    return { ...p, Statement: Array.isArray(p.Statement) ? p.Statement : [] };
  } catch {
    return { Version: '2008-10-17', Statement: [] };
  }
}

/**
 * A ReplayPolicy's window (`{"PointType": "Timestamp", "StartingPoint": ISO, "EndingPoint": ISO}`, the end
 * optional), in ms; throws InvalidParameter when it is not one.
 */
function replayWindow(policy: string): { start: number; end: number | undefined } {
  let p: unknown;
  try {
    p = JSON.parse(policy);
  } catch {
    throw SnsErrors.invalidParameter('ReplayPolicy: failed to parse JSON');
  }
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw SnsErrors.invalidParameter('ReplayPolicy: must be a JSON object');
  const o = p as Record<string, unknown>;
  if (o.PointType !== 'Timestamp') throw SnsErrors.invalidParameter('ReplayPolicy: PointType must be Timestamp');
  const time = (k: string): number | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    const ms = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(ms)) throw SnsErrors.invalidParameter(`ReplayPolicy: ${k} must be a timestamp (ISO 8601)`);
    return ms;
  };
  const start = time('StartingPoint');
  if (start === undefined) throw SnsErrors.invalidParameter('ReplayPolicy: StartingPoint is required');
  const end = time('EndingPoint');
  if (end !== undefined && end < start) throw SnsErrors.invalidParameter('ReplayPolicy: EndingPoint must not be before StartingPoint');
  return { start, end };
}

/** The dead-letter queue a RedrivePolicy names, or undefined when it names none that is an SQS ARN. */
function redriveTarget(policy: string): string | undefined {
  try {
    const p: unknown = JSON.parse(policy);
    if (p === null || typeof p !== 'object') return undefined;
    const arn = (p as Record<string, unknown>).deadLetterTargetArn;
    if (typeof arn !== 'string') return undefined;
    const a = parseArn(arn);
    return a && a.service === 'sqs' && a.resource ? arn : undefined;
  } catch {
    return undefined;
  }
}

/** PublishBatch reports a failed entry by the error's legacy query code (InvalidParameter, ...). */
function batchCode(code: string): string {
  if (code === 'InvalidParameterValueException') return 'ParameterValueInvalid';
  return code.endsWith('Exception') ? code.slice(0, -'Exception'.length) : code;
}
