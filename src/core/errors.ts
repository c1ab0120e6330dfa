// One error type for every AWS error a provider throws; the codecs turn it into each protocol's error shape.

export type Fault = 'client' | 'server';

export interface ServiceErrorOptions {
  /** HTTP status; 400 by default. */
  readonly status?: number;
  readonly fault?: Fault;
  /** The legacy awsQuery code (SQS `AWS.SimpleQueueService.NonExistentQueue`), for query and query-compatible clients. */
  readonly queryCode?: string;
  /** Extra members of the error structure (for example `Type` or `Reason`). */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** The name the message member has in the model (`message` or `Message`); `Message` by default. */
  readonly messageMember?: string;
}

/** An AWS error: the code is the error shape's name in the service model. */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: Fault;
  readonly queryCode: string | undefined;
  readonly fields: Readonly<Record<string, unknown>> | undefined;
  readonly messageMember: string | undefined;

  constructor(code: string, message: string, options: ServiceErrorOptions = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = options.status ?? 400;
    this.fault = options.fault ?? (this.status >= 500 ? 'server' : 'client');
    this.queryCode = options.queryCode;
    this.fields = options.fields;
    this.messageMember = options.messageMember;
  }
}

/** Errors that every service shares (the AWS common errors). */
export const CommonErrors = {
  invalidAction: (service: string, operation: string): ServiceError =>
    new ServiceError('InvalidAction', `The action ${operation} is not valid for this web service (${service}).`, {
      status: 400,
    }),
  // A 4xx, not 501: the SDKs retry every 5xx with backoff, which would only delay the answer.
  notImplemented: (service: string, operation: string): ServiceError =>
    new ServiceError('NotImplemented', `Switchyard does not implement ${service} ${operation} yet.`, {
      status: 400,
    }),
  unknownService: (hint: string): ServiceError =>
    new ServiceError('UnknownService', `Switchyard could not tell which AWS service this request is for (${hint}).`, {
      status: 400,
    }),
  serialization: (message: string): ServiceError =>
    new ServiceError('SerializationException', message, { status: 400 }),
  missingParameter: (name: string): ServiceError =>
    new ServiceError('MissingParameter', `The request must contain the parameter ${name}.`, { status: 400 }),
  internal: (): ServiceError =>
    new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error.', {
      status: 500,
      fault: 'server',
    }),
} as const;
