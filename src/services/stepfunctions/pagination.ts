// nextToken and maxResults of the List* and GetExecutionHistory operations: at most 1000 items a page (100 by
// default, 0 meaning the default); the token is opaque to clients and carries the offset of the next page.
import { SfnErrors } from './errors.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

export function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { items: T[]; nextToken?: string } {
  const size = maxResults === undefined || maxResults === null || maxResults <= 0 ? DEFAULT_PAGE : Math.min(maxResults, MAX_PAGE);
  let start = 0;
  if (nextToken !== undefined && nextToken !== null) {
    const decoded = /^[0-9]+$/.test(Buffer.from(nextToken, 'base64url').toString()) ? Number(Buffer.from(nextToken, 'base64url').toString()) : NaN;
    if (!Number.isSafeInteger(decoded) || decoded < 0) throw SfnErrors.invalidToken();
    start = decoded;
  }
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return end < items.length ? { items: page, nextToken: Buffer.from(String(end)).toString('base64url') } : { items: page };
}
