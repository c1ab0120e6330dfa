// Queue URLs: `http://HOST:PORT/ACCOUNT/NAME`. Any host is accepted (clients keep URLs across restarts and
// containers); the path names the owner account, and an AWS-style host name (sqs.REGION.…) the region.
import { SqsErrors } from './errors.js';

/** Where a queue URL points: `/ACCOUNT/NAME` on any host; the region from an AWS-style host name, else the request's. */
export function locateQueue(
  url: string | undefined,
  account: string,
  region: string,
): { account: string; region: string; name: string } {
  if (url === undefined || url === '') throw SqsErrors.missingParameter('QueueUrl');
  let path = url;
  let hostRegion: string | undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw SqsErrors.invalidAddress(url);
    }
    path = parsed.pathname;
    hostRegion =
      /(?:^|\.)sqs\.([a-z]{2}(?:-[a-z]+)+-\d+)\./.exec(parsed.hostname)?.[1] ??
      /^([a-z]{2}(?:-[a-z]+)+-\d+)\.queue\./.exec(parsed.hostname)?.[1];
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 2 && /^\d{12}$/.test(parts[0] ?? '')) {
    return { account: parts[0] as string, region: hostRegion ?? region, name: decodeURIComponent(parts[1] as string) };
  }
  if (parts.length === 1 && !url.includes('/')) return { account, region, name: parts[0] as string };
  throw SqsErrors.invalidAddress(url);
}
