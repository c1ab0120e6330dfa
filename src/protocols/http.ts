// The buffered request and response every codec works on.
import type { IncomingHttpHeaders } from 'node:http';

export interface HttpRequest {
  readonly method: string;
  /** Path without the query string, still percent-encoded. */
  readonly path: string;
  /** The query string without `?`, still percent-encoded; '' when none. */
  readonly rawQuery: string;
  /** Header names are lower case. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; an array only where a header repeats (Set-Cookie from a data plane). */
  headers: Record<string, string | string[]>;
  body: string | Buffer;
  /** A body sent as it is produced (event streams), instead of `body`; the server ends it when the client leaves. */
  stream?: AsyncIterable<Uint8Array>;
}

export function header(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
