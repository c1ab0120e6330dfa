// Topic and subscription attributes: which exist, which a client may set, their checks and defaults.
import { parseTopicDeliveryPolicy } from './delivery-policy.js';
import { SnsErrors } from './errors.js';
import type { Topic } from './store.js';

const FEEDBACK = ['Application', 'HTTP', 'Firehose', 'Lambda', 'SQS'].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);

/** Attributes CreateTopic and SetTopicAttributes take (FifoTopic only at creation). */
export const TOPIC_ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'SignatureVersion',
  'TracingConfig',
  'KmsMasterKeyId',
  'FifoTopic',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  ...FEEDBACK,
]);

export const SUBSCRIPTION_ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

export const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

export const DEFAULT_SUBSCRIPTION_DELIVERY_POLICY = JSON.stringify({
  healthyRetryPolicy: {
    minDelayTarget: 20,
    maxDelayTarget: 20,
    numRetries: 3,
    numMaxDelayRetries: 0,
    numNoDelayRetries: 0,
    numMinDelayRetries: 0,
    backoffFunction: 'linear',
  },
  sicklyRetryPolicy: null,
  throttlePolicy: null,
  requestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  guaranteed: false,
});

/** The policy a new topic gets: the owner's account may do everything. */
export function defaultTopicPolicy(topicArn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  });
}

function checkJsonObject(name: string, value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw SnsErrors.invalidParameter(`${name}: failed to parse JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw SnsErrors.invalidParameter(`${name}: must be a JSON object`);
  }
}

function checkBoolean(name: string, value: string): void {
  if (value.toLowerCase() !== 'true' && value.toLowerCase() !== 'false') {
    throw SnsErrors.invalidParameter(`Attributes Reason: ${name}: Invalid value [${value}]. Must be true or false.`);
  }
}

/** Checks one topic attribute value for a topic of the given kind; the empty string clears most attributes. */
export function checkTopicAttribute(name: string, value: string, fifo: boolean): void {
  switch (name) {
    case 'DeliveryPolicy':
      if (value !== '') parseTopicDeliveryPolicy(value);
      return;
    case 'Policy':
      if (value !== '') checkJsonObject(name, value);
      return;
    case 'ArchivePolicy':
      if (!fifo) throw SnsErrors.invalidParameter('ArchivePolicy: Message archiving is only supported on FIFO topics');
      if (value !== '') archiveRetentionDays(value);
      return;
    case 'DisplayName':
      if (value.length > 100) throw SnsErrors.invalidParameter('DisplayName');
      return;
    case 'FifoTopic':
      checkBoolean(name, value);
      return;
    case 'ContentBasedDeduplication':
      checkBoolean(name, value);
      if (!fifo && value.toLowerCase() === 'true') {
        throw SnsErrors.invalidParameter(
          'ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics',
        );
      }
      return;
    case 'FifoThroughputScope':
      if (!fifo) throw SnsErrors.invalidParameter('FifoThroughputScope: only FIFO topics have a throughput scope');
      if (value !== 'Topic' && value !== 'MessageGroup') {
        throw SnsErrors.invalidParameter('FifoThroughputScope: Invalid value, must be one of Topic or MessageGroup');
      }
      return;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') {
        throw SnsErrors.invalidParameter('SignatureVersion: Invalid value, must be 1 or 2');
      }
      return;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') {
        throw SnsErrors.invalidParameter('TracingConfig: Invalid value, must be one of PassThrough or Active');
      }
      return;
    default:
      return;
  }
}

/**
 * The retention of an ArchivePolicy (`{"MessageRetentionPeriod": "30"}`, 1 to 365 days), or undefined for `{}`,
 * which stops archiving.
 */
export function archiveRetentionDays(value: string): number | undefined {
  checkJsonObject('ArchivePolicy', value);
  const p = JSON.parse(value) as Record<string, unknown>;
  for (const k of Object.keys(p)) {
    if (k !== 'MessageRetentionPeriod') throw SnsErrors.invalidParameter(`ArchivePolicy: ${k} is not a valid archive policy field`);
  }
  const raw = p.MessageRetentionPeriod;
  if (raw === undefined) return undefined;
  const days = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365) {
    throw SnsErrors.invalidParameter('ArchivePolicy: MessageRetentionPeriod must be an integer between 1 and 365');
  }
  return days;
}

/** Everything GetTopicAttributes answers: the stored attributes and the computed ones. */
export function topicAttributes(
  topic: Topic,
  counts: { confirmed: number; pending: number; deleted: number },
): Record<string, string> {
  const out: Record<string, string> = {
    Policy: defaultTopicPolicy(topic.arn, topic.account),
    Owner: topic.account,
    SubscriptionsPending: String(counts.pending),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: topic.attributes.DeliveryPolicy ?? DEFAULT_EFFECTIVE_DELIVERY_POLICY,
    SubscriptionsConfirmed: String(counts.confirmed),
    DisplayName: '',
    SubscriptionsDeleted: String(counts.deleted),
  };
  if (topic.fifo) {
    out.FifoTopic = 'true';
    out.ContentBasedDeduplication = 'false';
  }
  for (const [k, v] of Object.entries(topic.attributes)) if (k !== 'FifoTopic' || v === 'true') out[k] = v;
  if (topic.archiveSince !== undefined) out.BeginningArchiveTime = new Date(topic.archiveSince).toISOString();
  return out;
}
