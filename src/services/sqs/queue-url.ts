// Queue URLs: `http://HOST:PORT/ACCOUNT/NAME`. Any host is accepted (clients keep URLs across restarts and
// containers); the path names the owner account, and an AWS-style host name (sqs.REGION.…) the region.
import { SqsErrors } from './errors.js';

/** What a URL string alone says; a pure function of the string, so safe to remember. */
interface UrlParts {
  /** undefined for a bare queue name (the caller's account). */
  readonly account: string | undefined;
  readonly hostRegion: string | undefined;
  readonly name: string;
}

const PARSED_MAX = 1024;
const PARSED_MAX_URL = 512;

/**
 * Where a queue URL points: `/ACCOUNT/NAME` on any host; the region from an AWS-style host name, else the request's.
 * Hot path: every queue operation locates its queue, and `new URL` per request showed in profiles. Clients send the
 * same few URLs over and over and the parse depends on nothing but the string, so each provider remembers it
 * (bounded: short URLs only, cleared when full; one per provider, as design.md keeps no module-level state).
 */
export class QueueLocator {
  private readonly parsed = new Map<string, UrlParts>();

  locate(url: string | undefined, account: string, region: string): { account: string; region: string; name: string } {
    if (url === undefined || url === '') throw SqsErrors.missingParameter('QueueUrl');
    let parts = this.parsed.get(url);
    if (parts === undefined) {
      parts = parseQueueUrl(url);
      if (url.length <= PARSED_MAX_URL) {
        if (this.parsed.size >= PARSED_MAX) this.parsed.clear();
        this.parsed.set(url, parts);
      }
    }
    return { account: parts.account ?? account, region: parts.hostRegion ?? region, name: parts.name };
  }
}

function parseQueueUrl(url: string): UrlParts {
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
    return { account: parts[0], hostRegion, name: decodeURIComponent(parts[1] as string) };
  }
  if (parts.length === 1 && !url.includes('/')) return { account: undefined, hostRegion: undefined, name: parts[0] as string };
  throw SqsErrors.invalidAddress(url);
}
