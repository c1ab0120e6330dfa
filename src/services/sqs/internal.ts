// What other services (SNS, EventBridge, Lambda, Pipes) use to reach SQS in process.
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';

export interface QueueInfo {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly fifo: boolean;
  /** VisibilityTimeout in seconds, when the info was taken. */
  readonly visibilityTimeout: number;
}

export interface InternalSendMessage {
  readonly body: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
  /** AWSTraceHeader, as MessageSystemAttributes. */
  readonly systemAttributes?: Record<string, MessageAttributeValue>;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly delaySeconds?: number;
  /** SenderId of the message; the account by default. */
  readonly senderId?: string;
}

export interface InternalSendResult {
  readonly messageId: string;
  readonly md5OfBody: string;
  readonly sequenceNumber: string | undefined;
}

export interface SqsInternal {
  /**
   * Sends a message as SendMessage does (same validation and errors, thrown as ServiceError). The queue is an ARN or
   * a queue URL; account and region resolve a URL's queue when it names none.
   */
  sendMessage(account: string, region: string, queueArnOrUrl: string, message: InternalSendMessage): InternalSendResult;
  /** A queue by ARN, or undefined when it does not exist. */
  queueByArn(arn: string): QueueInfo | undefined;
  /**
   * Receives as ReceiveMessage does (all system and message attributes), for pollers such as Lambda event source
   * mappings; waits up to waitSeconds for a message. Throws QueueDoesNotExist.
   */
  receiveMessages(queueArn: string, options: InternalReceiveOptions): Promise<Message[]>;
  /** Deletes by receipt handle, as DeleteMessage does. */
  deleteMessage(queueArn: string, receiptHandle: string): void;
  /** Changes visibility by receipt handle, as ChangeMessageVisibility does. */
  changeMessageVisibility(queueArn: string, receiptHandle: string, visibilityTimeout: number): void;
  /** The number of receives waiting on a queue (long polling), for tests and diagnostics. */
  waitingReceives(queueArn: string): number;
}

export interface InternalReceiveOptions {
  /** 1 to 10; 10 by default. */
  readonly maxMessages?: number;
  /** Seconds; the queue's VisibilityTimeout by default. */
  readonly visibilityTimeout?: number;
  /** Seconds to wait for a message (0 to 20); 0 by default. */
  readonly waitSeconds?: number;
  readonly signal?: AbortSignal;
}
