// Pagination of ListQueues and ListDeadLetterSourceQueues: opaque NextToken naming the last name returned.
import { SqsErrors } from './errors.js';

export interface Page {
  readonly items: string[];
  readonly nextToken: string | undefined;
}

/** Pages names (sorted) after the name a NextToken carries; without MaxResults, up to 1000 and no token. */
export function paginate(names: string[], maxResults: number | undefined, nextToken: string | undefined): Page {
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000)) {
    throw SqsErrors.invalidParameter('MaxResults', maxResults, 'MaxResults must be an integer between 1 and 1000.');
  }
  let start = 0;
  if (nextToken) {
    let after: unknown;
    try {
      after = (JSON.parse(Buffer.from(nextToken, 'base64').toString('utf8')) as { after?: unknown }).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== 'string') throw SqsErrors.invalidParameterValue('Invalid NextToken value.');
    start = names.findIndex((n) => n > after);
    if (start < 0) start = names.length;
  }
  if (maxResults === undefined) return { items: names.slice(start, start + 1000), nextToken: undefined };
  const items = names.slice(start, start + maxResults);
  const more = start + maxResults < names.length;
  const last = items[items.length - 1];
  return {
    items,
    nextToken: more && last !== undefined ? Buffer.from(JSON.stringify({ after: last }), 'utf8').toString('base64') : undefined,
  };
}
