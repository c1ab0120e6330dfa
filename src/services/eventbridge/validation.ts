// The validation errors every EventBridge operation shares, with AWS's wording, and list paging.
import { ServiceError } from '../../core/errors.js';

export const validation = (message: string): ServiceError => new ServiceError('ValidationException', message);

export const missing = (member: string): ServiceError =>
  validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);

export const constraint = (value: unknown, member: string, rule: string): ServiceError =>
  validation(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${rule}`);

export const notFound = (message: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', message, { messageMember: 'message' });

export const alreadyExists = (message: string): ServiceError =>
  new ServiceError('ResourceAlreadyExistsException', message, { messageMember: 'message' });

/** One page of a sorted list; the token is the offset of the next page. */
export function page<T>(items: readonly T[], token: string | undefined, limit: number | undefined): { items: T[]; next?: string } {
  let start = 0;
  if (token !== undefined && token !== null) {
    const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0 || n > items.length) throw validation('The NextToken provided is invalid.');
    start = n;
  }
  if (limit !== undefined && limit !== null && (limit < 1 || limit > 100)) {
    throw constraint(limit, 'limit', 'Member must have value between 1 and 100');
  }
  const end = Math.min(items.length, start + (limit ?? 100));
  const out: { items: T[]; next?: string } = { items: items.slice(start, end) };
  if (end < items.length) out.next = Buffer.from(String(end), 'utf8').toString('base64url');
  return out;
}
