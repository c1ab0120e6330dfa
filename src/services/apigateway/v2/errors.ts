// API Gateway v2 control-plane errors (restJson1: the error name travels in x-amzn-errortype, the text in `message`).
import { ServiceError } from '../../../core/errors.js';

const opts = (status: number, fields?: Record<string, unknown>) => ({ status, messageMember: 'Message', ...(fields ? { fields } : {}) });

export const V2Errors = {
  badRequest: (message: string): ServiceError => new ServiceError('BadRequestException', message, opts(400)),
  conflict: (message: string): ServiceError => new ServiceError('ConflictException', message, opts(409)),
  notFound: (message: string, resourceType?: string): ServiceError =>
    new ServiceError('NotFoundException', message, opts(404, resourceType ? { ResourceType: resourceType } : undefined)),
  /** AWS names the API as ACCOUNT:ID in this message. */
  apiNotFound: (account: string, apiId: string): ServiceError =>
    V2Errors.notFound(`Invalid API identifier specified ${account}:${apiId}`, 'Api'),
  resourceNotFound: (kind: string, id: string): ServiceError =>
    V2Errors.notFound(`Invalid ${kind} identifier specified ${id}`, kind),
} as const;

/** The management API's errors (GoneException carries no message member in the model; the codec adds `message`). */
export const ManagementErrors = {
  gone: (connectionId: string): ServiceError =>
    new ServiceError('GoneException', `Connection ${connectionId} is gone.`, { status: 410 }),
  payloadTooLarge: (): ServiceError =>
    new ServiceError('PayloadTooLargeException', 'Message too long', { status: 413, messageMember: 'Message' }),
  forbidden: (): ServiceError => new ServiceError('ForbiddenException', 'Forbidden', { status: 403 }),
} as const;
