// SQS errors, each named by its model shape (the codecs add the legacy query code from the model) with AWS's status
// and message. InvalidParameterValue and MissingParameter are AWS common errors that the model does not list.
import { ServiceError } from '../../core/errors.js';

export const SqsErrors = {
  queueDoesNotExist: (): ServiceError =>
    new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.', {
      status: 400,
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    }),
  queueNameExists: (attribute: string): ServiceError =>
    new ServiceError(
      'QueueNameExists',
      `A queue already exists with the same name and a different value for attribute ${attribute}`,
      { status: 400, queryCode: 'QueueAlreadyExists' },
    ),
  invalidAttributeName: (name: string): ServiceError =>
    new ServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`, { status: 400 }),
  invalidAttributeValue: (name: string, reason?: string): ServiceError =>
    new ServiceError(
      'InvalidAttributeValue',
      `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`,
      { status: 400 },
    ),
  invalidParameterValue: (message: string): ServiceError =>
    new ServiceError('InvalidParameterValue', message, { status: 400, queryCode: 'InvalidParameterValue' }),
  /** `Value X for parameter P is invalid. Reason: R.` */
  invalidParameter: (parameter: string, value: unknown, reason: string): ServiceError =>
    SqsErrors.invalidParameterValue(`Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`),
  missingParameter: (name: string): ServiceError =>
    new ServiceError('MissingParameter', `The request must contain the parameter ${name}.`, {
      status: 400,
      queryCode: 'MissingParameter',
    }),
  invalidAddress: (url: string): ServiceError =>
    new ServiceError('InvalidAddress', `The address ${url} is not valid for this endpoint.`, {
      status: 404,
      queryCode: 'InvalidAddress',
    }),
  receiptHandleIsInvalid: (handle: string): ServiceError =>
    new ServiceError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, {
      status: 404,
      queryCode: 'ReceiptHandleIsInvalid',
    }),
  receiptHandleExpired: (handle: string): ServiceError =>
    SqsErrors.invalidParameter('ReceiptHandle', handle, 'The receipt handle has expired.'),
  messageNotInflight: (): ServiceError =>
    new ServiceError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.', {
      status: 400,
      queryCode: 'AWS.SimpleQueueService.MessageNotInflight',
    }),
  invalidMessageContents: (message: string): ServiceError =>
    new ServiceError('InvalidMessageContents', message, { status: 400, queryCode: 'InvalidMessageContents' }),
  purgeQueueInProgress: (queueName: string): ServiceError =>
    new ServiceError(
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`,
      { status: 403, queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress' },
    ),
  emptyBatchRequest: (entryName: string): ServiceError =>
    new ServiceError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`, {
      status: 400,
      queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
    }),
  tooManyEntriesInBatchRequest: (count: number): ServiceError =>
    new ServiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${count}.`,
      { status: 400, queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest' },
    ),
  batchEntryIdsNotDistinct: (id: string): ServiceError =>
    new ServiceError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, {
      status: 400,
      queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    }),
  invalidBatchEntryId: (): ServiceError =>
    new ServiceError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      { status: 400, queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId' },
    ),
  batchRequestTooLong: (limit: number, size: number): ServiceError =>
    new ServiceError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${limit} bytes. You have sent ${size} bytes.`,
      { status: 400, queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong' },
    ),
  resourceNotFound: (message: string): ServiceError =>
    new ServiceError('ResourceNotFoundException', message, { status: 404, queryCode: 'ResourceNotFoundException' }),
  unsupportedOperation: (message: string): ServiceError =>
    new ServiceError('UnsupportedOperation', message, {
      status: 400,
      queryCode: 'AWS.SimpleQueueService.UnsupportedOperation',
    }),
  overLimit: (message: string): ServiceError =>
    new ServiceError('OverLimit', message, { status: 403, queryCode: 'OverLimit' }),
} as const;
