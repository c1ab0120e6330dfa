// API Gateway's errors (restJson1, message member `message`), with AWS's wording.
import { ServiceError } from '../../core/errors.js';

const opts = (status: number) => ({ status, messageMember: 'message' });

export const badRequest = (message: string): ServiceError => new ServiceError('BadRequestException', message, opts(400));
export const notFound = (message: string): ServiceError => new ServiceError('NotFoundException', message, opts(404));
export const conflict = (message: string): ServiceError => new ServiceError('ConflictException', message, opts(409));
export const limitExceeded = (message: string): ServiceError =>
  new ServiceError('LimitExceededException', message, opts(429));

export const Errors = {
  api: (account: string, id: string) => notFound(`Invalid API identifier specified ${account}:${id}`),
  resource: () => notFound('Invalid Resource identifier specified'),
  method: () => notFound('Invalid Method identifier specified'),
  integration: () => notFound('Invalid Integration identifier specified'),
  methodResponse: () => notFound('Invalid Response status code specified'),
  stage: () => notFound('Invalid Stage identifier specified'),
  deployment: () => notFound('Invalid Deployment identifier specified'),
  missing: (member: string) => badRequest(`${member} must not be null`),
} as const;
