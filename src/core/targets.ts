// Delivery to an ARN, in process: SNS subscriptions, EventBridge targets, Scheduler, Pipes, Step Functions tasks,
// Lambda destinations and event source mappings all deliver through deliver(), which finds the service owning the ARN.
// Retries and dead-letter handling belong to the caller, whose settings they are.
import { parseArn } from './arn.js';
import { ServiceError } from './errors.js';
import type { ServiceHost } from './provider.js';

export interface TargetAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
}

/** What is delivered; each owner reads what applies to it. */
export interface TargetMessage {
  /** The payload: an SQS message body, a Lambda event, a state machine input, an SNS message. */
  readonly body: string;
  /** Message attributes (SQS, SNS). */
  readonly attributes?: Readonly<Record<string, TargetAttribute>>;
  /** FIFO queues and topics. */
  readonly groupId?: string;
  readonly deduplicationId?: string;
  /** SNS Subject. */
  readonly subject?: string;
  /** Kinesis partition key (EventBridge's KinesisParameters.PartitionKeyPath result, or the event id). */
  readonly partitionKey?: string;
}

/** Who delivers: the account and region of the sender, and the sending resource. */
export interface DeliverySource {
  readonly account: string;
  readonly region: string;
  /** Our service name of the sender (sns, eventbridge, ...). */
  readonly service: string;
  readonly sourceArn?: string;
}

export interface DeliveryResult {
  /** The id the target gave the delivery (SQS MessageId, execution ARN, ...), when it has one. */
  readonly id?: string;
}

/** Implemented by the `internal` interface of every service that can be a target. */
export interface TargetOwner {
  /** Delivers to a resource of this service; throws a ServiceError when the delivery fails. */
  deliver(arn: string, message: TargetMessage, source: DeliverySource): Promise<DeliveryResult>;
}

/** The ARN service names of our services. */
const OWNERS: Readonly<Record<string, string>> = {
  sqs: 'sqs',
  sns: 'sns',
  lambda: 'lambda',
  states: 'stepfunctions',
  events: 'eventbridge',
  kinesis: 'kinesis',
  logs: 'logs',
  scheduler: 'scheduler',
};

export async function deliver(
  host: ServiceHost,
  arn: string,
  message: TargetMessage,
  source: DeliverySource,
): Promise<DeliveryResult> {
  const parsed = parseArn(arn);
  if (!parsed) throw new ServiceError('InvalidParameter', `Invalid ARN: ${arn}`, { status: 400 });
  const name = OWNERS[parsed.service];
  const owner = name ? ((await host.provider(name))?.internal as Partial<TargetOwner> | undefined) : undefined;
  if (!owner?.deliver) {
    throw new ServiceError('NotImplemented', `Switchyard cannot deliver to ${parsed.service} targets yet (${arn}).`, {
      status: 400,
    });
  }
  return owner.deliver(arn, message, source);
}
