// List operations answer 100 items a page; NextToken is the opaque offset of the next page.
import { SnsErrors } from './errors.js';

export const PAGE_SIZE = 100;

export function page<T>(items: readonly T[], token: string | undefined): { items: T[]; next: string | undefined } {
  let start = 0;
  if (token !== undefined && token !== '') {
    const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0 || n > items.length) throw SnsErrors.invalidParameter('NextToken');
    start = n;
  }
  const end = start + PAGE_SIZE;
  return {
    items: items.slice(start, end),
    next: end < items.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined,
  };
}
