// Queue attributes: which names exist, their defaults, and the validation of values set through CreateQueue and
// SetQueueAttributes (AWS's ranges and messages). Cross-queue checks (RedrivePolicy targets) live in the provider.
import { SqsErrors } from './errors.js';

/** Settable attributes, as stored (string values, as on the wire). */
export type QueueSettings = Record<string, string>;

export const READ_ONLY_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);

const SETTABLE = new Set([
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'Policy',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  ...FIFO_ONLY,
]);

const INTEGER_RANGES: Record<string, readonly [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

export function defaultSettings(fifo: boolean): QueueSettings {
  const s: QueueSettings = {
    VisibilityTimeout: '30',
    MaximumMessageSize: '1048576',
    MessageRetentionPeriod: '345600',
    DelaySeconds: '0',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true',
  };
  if (fifo) {
    s.FifoQueue = 'true';
    s.ContentBasedDeduplication = 'false';
    s.DeduplicationScope = 'queue';
    s.FifoThroughputLimit = 'perQueue';
  }
  return s;
}

/** True when the name is an attribute GetQueueAttributes knows (All included). */
export function isKnownAttributeName(name: string): boolean {
  return name === 'All' || SETTABLE.has(name) || (READ_ONLY_ATTRIBUTES as readonly string[]).includes(name);
}

/**
 * Validates attributes to set on a queue of the given type and returns them normalised. `creating` allows FifoQueue.
 * Throws InvalidAttributeName / InvalidAttributeValue as AWS does.
 */
export function validateSettings(input: Readonly<Record<string, string>>, fifo: boolean, creating: boolean): QueueSettings {
  const out: QueueSettings = {};
  for (const [name, raw] of Object.entries(input)) {
    const value = String(raw);
    if (!SETTABLE.has(name) || (!fifo && FIFO_ONLY.has(name) && name !== 'FifoQueue')) {
      throw SqsErrors.invalidAttributeName(name);
    }
    const range = INTEGER_RANGES[name];
    if (range) {
      if (!/^-?\d+$/.test(value.trim()) || Number(value) < range[0] || Number(value) > range[1]) {
        throw SqsErrors.invalidAttributeValue(name);
      }
      out[name] = String(Number(value));
      continue;
    }
    switch (name) {
      case 'FifoQueue':
        if (value !== 'true' && value !== 'false') throw SqsErrors.invalidAttributeValue(name);
        if (!creating) {
          if ((value === 'true') !== fifo) {
            throw SqsErrors.invalidAttributeValue(name, 'Modifying queue type is not supported.');
          }
        } else if ((value === 'true') !== fifo) throw SqsErrors.invalidAttributeValue(name);
        if (fifo) out[name] = value;
        break;
      case 'ContentBasedDeduplication':
      case 'SqsManagedSseEnabled':
        if (value !== 'true' && value !== 'false') throw SqsErrors.invalidAttributeValue(name);
        out[name] = value;
        break;
      case 'DeduplicationScope':
        if (value !== 'messageGroup' && value !== 'queue') throw SqsErrors.invalidAttributeValue(name);
        out[name] = value;
        break;
      case 'FifoThroughputLimit':
        if (value !== 'perQueue' && value !== 'perMessageGroupId') throw SqsErrors.invalidAttributeValue(name);
        out[name] = value;
        break;
      case 'Policy':
        if (value !== '' && !isJsonObject(value)) throw SqsErrors.invalidAttributeValue(name);
        out[name] = value;
        break;
      case 'KmsMasterKeyId':
        out[name] = value;
        break;
      case 'RedrivePolicy':
        out[name] = value === '' ? '' : JSON.stringify(parseRedrivePolicy(value));
        break;
      case 'RedriveAllowPolicy':
        out[name] = value === '' ? '' : normaliseRedriveAllowPolicy(parseRedriveAllowPolicy(value));
        break;
    }
  }
  if (out.SqsManagedSseEnabled === 'true' && out.KmsMasterKeyId) {
    throw SqsErrors.invalidAttributeName('SqsManagedSseEnabled');
  }
  return out;
}

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

export function parseRedrivePolicy(value: string): RedrivePolicy {
  const invalid = (reason: string): Error => SqsErrors.invalidParameter('RedrivePolicy', value, reason);
  const doc = parseJsonObject(value);
  if (!doc) throw invalid('Redrive policy is not a valid JSON map.');
  for (const key of Object.keys(doc)) {
    if (key !== 'deadLetterTargetArn' && key !== 'maxReceiveCount') {
      throw invalid(`Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`);
    }
  }
  const arn = doc.deadLetterTargetArn;
  if (typeof arn !== 'string' || arn === '') throw invalid('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  const rawCount = doc.maxReceiveCount;
  if (rawCount === undefined) throw invalid('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  const count = typeof rawCount === 'number' ? rawCount : typeof rawCount === 'string' ? Number(rawCount) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw invalid(`Invalid value for maxReceiveCount: ${String(rawCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}

export interface RedriveAllowPolicy {
  readonly redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  readonly sourceQueueArns: readonly string[];
}

export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy {
  const invalid = (reason: string): Error => SqsErrors.invalidParameter('RedriveAllowPolicy', value, reason);
  const doc = parseJsonObject(value);
  if (!doc) throw invalid('Redrive allow policy is not a valid JSON map.');
  const permission = doc.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw invalid('Invalid value for redrivePermission. Valid values are allowAll, denyAll and byQueue.');
  }
  const arns = doc.sourceQueueArns;
  if (permission === 'byQueue') {
    if (!Array.isArray(arns) || arns.length === 0 || !arns.every((a) => typeof a === 'string')) {
      throw invalid('sourceQueueArns must be specified when redrivePermission is byQueue.');
    }
    if (arns.length > 10) throw invalid('Maximum number of source queue ARNs is 10.');
    return { redrivePermission: permission, sourceQueueArns: arns };
  }
  if (arns !== undefined) throw invalid('sourceQueueArns can only be specified when redrivePermission is byQueue.');
  return { redrivePermission: permission, sourceQueueArns: [] };
}

function normaliseRedriveAllowPolicy(p: RedriveAllowPolicy): string {
  return JSON.stringify(
    p.redrivePermission === 'byQueue'
      ? { redrivePermission: p.redrivePermission, sourceQueueArns: p.sourceQueueArns }
      : { redrivePermission: p.redrivePermission },
  );
}

export function redriveAllows(policy: string | undefined, sourceArn: string): boolean {
  if (!policy) return true;
  const p = parseRedriveAllowPolicy(policy);
  if (p.redrivePermission === 'allowAll') return true;
  if (p.redrivePermission === 'denyAll') return false;
  return p.sourceQueueArns.includes(sourceArn);
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isJsonObject(text: string): boolean {
  return parseJsonObject(text) !== undefined;
}
