// CloudWatch Logs errors, with the codes and messages the CloudWatch Logs API reference gives.
import { ServiceError } from '../../core/errors.js';

export const LogsErrors = {
  groupNotFound: (): ServiceError =>
    new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.', { status: 400 }),
  streamNotFound: (): ServiceError =>
    new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.', { status: 400 }),
  resourceNotFound: (): ServiceError =>
    new ServiceError('ResourceNotFoundException', 'The specified resource does not exist.', { status: 400 }),
  groupExists: (): ServiceError =>
    new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists', { status: 400 }),
  streamExists: (): ServiceError =>
    new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists', { status: 400 }),
  invalidParameter: (message: string): ServiceError =>
    new ServiceError('InvalidParameterException', message, { status: 400 }),
  /** Constraint failures of the request, as `1 validation error detected: ...` (an InvalidParameterException in Logs). */
  validation: (value: unknown, member: string, constraint: string): ServiceError =>
    new ServiceError(
      'InvalidParameterException',
      `1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${String(value)}'`} ` +
        `at '${member}' failed to satisfy constraint: ${constraint}`,
      { status: 400 },
    ),
  invalidToken: (): ServiceError =>
    new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.', { status: 400 }),
  tooManyTags: (name: string): ServiceError =>
    new ServiceError('TooManyTagsException', 'A resource can have no more than 50 tags.', {
      status: 400,
      fields: { resourceName: name },
    }),
} as const;
