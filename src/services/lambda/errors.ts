// Lambda's errors, with the codes and messages the Lambda API reference gives.
import { ServiceError } from '../../core/errors.js';

const user = { Type: 'User' } as const;

export const invalidParameter = (message: string): ServiceError =>
  new ServiceError('InvalidParameterValueException', message, { status: 400, fields: user, messageMember: 'message' });

export const functionNotFound = (arn: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', `Function not found: ${arn}`, { status: 404, fields: user });

export const resourceNotFound = (message: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', message, { status: 404, fields: user });

export const conflict = (message: string): ServiceError =>
  new ServiceError('ResourceConflictException', message, { status: 409, fields: user, messageMember: 'message' });

export const preconditionFailed = (message: string): ServiceError =>
  new ServiceError('PreconditionFailedException', message, { status: 412, fields: user, messageMember: 'message' });

/** AWS answers an oversized Invoke request with this code, which is not in the model's error list. */
export const requestTooLarge = (limit: number, operation = 'InvokeFunction'): ServiceError =>
  new ServiceError(
    'RequestEntityTooLargeException',
    `Request must be smaller than ${limit} bytes for the ${operation} operation`,
    { status: 413, fields: user, messageMember: 'message' },
  );

/** Constraint failures of the request (Smithy validation), as `1 validation error detected: ...`. */
export const validation = (value: unknown, member: string, constraint: string): ServiceError =>
  new ServiceError(
    'ValidationException',
    `1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${String(value)}'`} ` +
      `at '${member}' failed to satisfy constraint: ${constraint}`,
    { status: 400, messageMember: 'message' },
  );

/** Invocations beyond the function's reserved concurrency. */
export const throttled = (): ServiceError =>
  new ServiceError('TooManyRequestsException', 'Rate Exceeded.', {
    status: 429,
    fields: { Type: 'User', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
    messageMember: 'message',
  });
