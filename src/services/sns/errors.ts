// SNS errors from the model (code = shape name; the awsQuery codec writes the legacy query code) with AWS's messages.
import { ServiceError } from '../../core/errors.js';

export const SnsErrors = {
  /** Any invalid request parameter; AWS prefixes the reason with "Invalid parameter: ". */
  invalidParameter: (reason: string): ServiceError =>
    new ServiceError('InvalidParameterException', `Invalid parameter: ${reason}`),
  /** A message attribute value that is not what its type says (ParameterValueInvalid). */
  invalidParameterValue: (message: string): ServiceError => new ServiceError('InvalidParameterValueException', message),
  topicNotFound: (): ServiceError => new ServiceError('NotFoundException', 'Topic does not exist'),
  subscriptionNotFound: (): ServiceError => new ServiceError('NotFoundException', 'Subscription does not exist'),
  endpointNotFound: (): ServiceError => new ServiceError('NotFoundException', 'Endpoint does not exist'),
  platformApplicationNotFound: (): ServiceError =>
    new ServiceError('NotFoundException', 'PlatformApplication does not exist'),
  resourceNotFound: (): ServiceError => new ServiceError('ResourceNotFoundException', 'Resource does not exist'),
  authorization: (message: string): ServiceError => new ServiceError('AuthorizationErrorException', message),
  tagLimit: (): ServiceError =>
    new ServiceError('TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded'),
  emptyBatch: (): ServiceError =>
    new ServiceError('EmptyBatchRequestException', "The batch request doesn't contain any entries."),
  tooManyEntries: (): ServiceError =>
    new ServiceError('TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.'),
  idsNotDistinct: (): ServiceError =>
    new ServiceError('BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.'),
  invalidBatchEntryId: (): ServiceError =>
    new ServiceError(
      'InvalidBatchEntryIdException',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    ),
  batchTooLong: (): ServiceError =>
    new ServiceError('BatchRequestTooLongException', 'The length of all the messages put together is more than the limit.'),
  invalidState: (message: string): ServiceError => new ServiceError('InvalidStateException', message),
  topicLimit: (): ServiceError => new ServiceError('TopicLimitExceededException', 'Topic limit exceeded'),
  filterPolicyLimit: (): ServiceError => new ServiceError('FilterPolicyLimitExceededException', 'Filter policy limit exceeded'),
  endpointDisabled: (): ServiceError => new ServiceError('EndpointDisabledException', 'Endpoint is disabled'),
} as const;
