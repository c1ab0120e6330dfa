// The API errors of Step Functions (https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
// and each operation's Errors section), with the messages AWS returns.
import { ServiceError } from '../../core/errors.js';

const err = (code: string, message: string): ServiceError => new ServiceError(code, message);

export const SfnErrors = {
  /** "Invalid ARN prefix: x" for text that is no ARN, "Resource type not valid in this context: activity" otherwise. */
  invalidArn: (arn: string): ServiceError => {
    const parts = arn.split(':');
    const reason =
      parts[0] !== 'arn' || parts.length < 6
        ? `Invalid ARN prefix: ${arn}`
        : `Resource type not valid in this context: ${parts[5] ?? ''}`;
    return err('InvalidArn', `Invalid Arn: '${reason}'`);
  },
  invalidName: (name: string): ServiceError => err('InvalidName', `Invalid Name: '${name}'`),
  invalidDefinition: (message: string): ServiceError => err('InvalidDefinition', message),
  invalidExecutionInput: (reason: string): ServiceError =>
    err('InvalidExecutionInput', `Invalid State Machine Execution Input: '${reason}'`),
  invalidOutput: (reason: string): ServiceError => err('InvalidOutput', `Invalid Output: '${reason}'`),
  invalidToken: (): ServiceError => err('InvalidToken', "Invalid Token: 'Invalid token'"),
  stateMachineDoesNotExist: (arn: string): ServiceError =>
    err('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
  stateMachineAlreadyExists: (arn: string): ServiceError =>
    err('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`),
  stateMachineTypeNotSupported: (): ServiceError =>
    err('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine'),
  executionDoesNotExist: (arn: string): ServiceError =>
    err('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`),
  executionAlreadyExists: (arn: string): ServiceError =>
    err('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`),
  activityDoesNotExist: (arn: string): ServiceError => err('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`),
  taskDoesNotExist: (): ServiceError => err('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist anymore'"),
  taskTimedOut: (): ServiceError => err('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'"),
  resourceNotFound: (arn: string): ServiceError =>
    new ServiceError('ResourceNotFound', `Resource not found: '${arn}'`, { status: 400 }),
  tooManyTags: (arn: string): ServiceError =>
    new ServiceError('TooManyTags', 'Too many tags: the resource can have at most 50 tags', {
      fields: { resourceName: arn },
    }),
  executionNotRedrivable: (arn: string, reason: string): ServiceError =>
    err('ExecutionNotRedrivable', `Execution with arn ${arn} cannot be redriven: ${reason}`),
  conflict: (message: string): ServiceError => err('ConflictException', message),
  serviceQuotaExceeded: (message: string): ServiceError => err('ServiceQuotaExceededException', message),
  /** ValidationException with its `reason` member (INVALID_ROUTING_CONFIGURATION ...). */
  validationReason: (message: string, reason: string): ServiceError =>
    new ServiceError('ValidationException', message, { fields: { reason } }),
  versionDescriptionWithoutPublish: (): ServiceError =>
    err('ValidationException', 'Version description can only be set when publish is true'),
  missingRequiredParameter: (message: string): ServiceError => err('MissingRequiredParameter', message),
  validation: (message: string): ServiceError => err('ValidationException', message),
  /** The SDK-style message for a required member that is missing. */
  missing: (member: string): ServiceError =>
    err(
      'ValidationException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    ),
} as const;
