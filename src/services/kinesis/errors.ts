// Kinesis Data Streams errors, named by their model shapes, with AWS's messages (the model's member is `message`).
import { ServiceError } from '../../core/errors.js';

const opts = { status: 400, messageMember: 'message' } as const;

export const KinesisErrors = {
  streamNotFound: (name: string, account: string): ServiceError =>
    new ServiceError('ResourceNotFoundException', `Stream ${name} under account ${account} not found.`, opts),
  streamExists: (name: string, account: string): ServiceError =>
    new ServiceError('ResourceInUseException', `Stream ${name} under account ${account} already exists.`, opts),
  streamNotActive: (name: string, account: string, status: string): ServiceError =>
    new ServiceError(
      'ResourceInUseException',
      `Stream ${name} under account ${account} not ACTIVE, instead in state ${status}`,
      opts,
    ),
  shardNotFound: (shardId: string, name: string, account: string): ServiceError =>
    new ServiceError(
      'ResourceNotFoundException',
      `Shard ${shardId} in stream ${name} under account ${account} does not exist`,
      opts,
    ),
  consumerNotFound: (what: string): ServiceError =>
    new ServiceError('ResourceNotFoundException', `Consumer ${what} not found.`, opts),
  consumerExists: (name: string, streamArn: string): ServiceError =>
    new ServiceError('ResourceInUseException', `Consumer ${name} under stream ${streamArn} already exists.`, opts),
  policyNotFound: (arn: string): ServiceError =>
    new ServiceError('ResourceNotFoundException', `No resource policy found for resource ARN ${arn}.`, opts),
  invalidArgument: (message: string): ServiceError => new ServiceError('InvalidArgumentException', message, opts),
  limitExceeded: (message: string): ServiceError => new ServiceError('LimitExceededException', message, opts),
  expiredIterator: (createdAt: number, now: number): ServiceError =>
    new ServiceError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(createdAt).toUTCString()} while right now it is ` +
        `${new Date(now).toUTCString()} which is further in the future than the tolerated delay of 300000 milliseconds.`,
      opts,
    ),
  /** A constraint of the model, worded as AWS's request validation words it. */
  validation: (member: string, value: unknown, constraint: string): ServiceError =>
    new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
      opts,
    ),
  missing: (member: string): ServiceError =>
    new ServiceError(
      'ValidationException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      opts,
    ),
} as const;
