// The errors of the schema registry API (https://docs.aws.amazon.com/eventbridge/latest/schema-reference/): each
// carries `Code` and `Message` members, as the service's error shapes do.
import { ServiceError } from '../../core/errors.js';

const err = (code: string, status: number, message: string): ServiceError =>
  new ServiceError(code, message, { status, fields: { Code: code } });

export const SchemasErrors = {
  badRequest: (message: string): ServiceError => err('BadRequestException', 400, message),
  notFound: (message: string): ServiceError => err('NotFoundException', 404, message),
  conflict: (message: string): ServiceError => err('ConflictException', 409, message),
  forbidden: (message: string): ServiceError => err('ForbiddenException', 403, message),
  preconditionFailed: (message: string): ServiceError => err('PreconditionFailedException', 412, message),
  /** A required member left out. */
  missing: (member: string): ServiceError => err('BadRequestException', 400, `${member} is required.`),
  registryNotFound: (name: string): ServiceError => err('NotFoundException', 404, `Registry with name ${name} does not exist.`),
  schemaNotFound: (registry: string, name: string): ServiceError =>
    err('NotFoundException', 404, `Schema with name ${name} does not exist in registry ${registry}.`),
  versionNotFound: (name: string, version: string): ServiceError =>
    err('NotFoundException', 404, `Version ${version} of schema ${name} does not exist.`),
  discovererNotFound: (id: string): ServiceError => err('NotFoundException', 404, `Discoverer with id ${id} does not exist.`),
  awsOwned: (registry: string): ServiceError =>
    err('ForbiddenException', 403, `Registry ${registry} is owned by AWS and cannot be modified.`),
} as const;
