// A RESPONSE_STREAM function URL's answer: sent to the HTTP client as the function writes. A handler that used
// awslambda.HttpResponseStream.from sends a JSON prelude first (statusCode, headers, cookies), ended by 8 NUL bytes,
// under its own content type; any other stream is 200 with the stream's content type (application/octet-stream
// unless set). A function that does not stream is answered as a BUFFERED URL would be.
// https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html
import type { HttpResponse } from '../../../protocols/http.js';
import type { InvocationOutcome } from '../runtime/environment.js';
import { badGateway, mapUrlResult } from './payload.js';

/** The content type under which a stream starts with HttpResponseStream.from's metadata prelude. */
const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';
const PRELUDE_END = Buffer.alloc(8);

export interface UrlStreamCallbacks {
  onChunk(chunk: Buffer): void;
  onStreamStart(contentType: string): void;
}

/** Resolves as soon as the status and headers are known; the body follows in `stream`. */
export function streamedUrlResponse(invoke: (callbacks: UrlStreamCallbacks) => Promise<InvocationOutcome>): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const queue: Buffer[] = [];
    let finished = false;
    let wake: (() => void) | undefined;
    let headed = false;
    let prelude: Buffer | undefined;
    /** A plain stream's content type: the response starts with its first byte, so that an early error is a 502. */
    let plain: string | undefined;
    const signal = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const push = (chunk: Buffer): void => {
      if (chunk.length === 0) return;
      queue.push(chunk);
      signal();
    };
    async function* body(): AsyncGenerator<Uint8Array> {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (finished) return;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    }
    const respond = (status: number, headers: Record<string, string | string[]>): void => {
      headed = true;
      resolve({ status, headers, body: '', stream: body() });
    };
    const callbacks: UrlStreamCallbacks = {
      onStreamStart: (contentType) => {
        if (contentType === HTTP_INTEGRATION) prelude = Buffer.alloc(0);
        else plain = contentType;
      },
      onChunk: (chunk) => {
        if (!headed && plain !== undefined && chunk.length > 0) respond(200, { 'content-type': plain });
        if (headed) {
          push(chunk);
          return;
        }
        if (prelude === undefined) return;
        prelude = Buffer.concat([prelude, chunk]);
        const end = prelude.indexOf(PRELUDE_END);
        if (end < 0) return;
        const meta = parsePrelude(prelude.subarray(0, end));
        const rest = prelude.subarray(end + PRELUDE_END.length);
        if (!meta) {
          headed = true;
          resolve(badGateway());
          return;
        }
        respond(meta.status, meta.headers);
        push(rest);
      },
    };
    invoke(callbacks).then(
      (outcome) => {
        if (!headed) {
          headed = true;
          if (outcome.functionError || (outcome.streamed && prelude !== undefined)) resolve(badGateway());
          else if (!outcome.streamed) resolve(mapUrlResult(outcome.payload));
          else resolve({ status: 200, headers: { 'content-type': plain ?? 'application/octet-stream' }, body: '' });
        }
        finished = true;
        signal();
      },
      (err: unknown) => {
        finished = true;
        signal();
        if (!headed) reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** HttpResponseStream.from's metadata: statusCode (200), headers and cookies; undefined when unusable. */
function parsePrelude(bytes: Buffer): { status: number; headers: Record<string, string | string[]> } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const meta = parsed as { statusCode?: unknown; headers?: unknown; cookies?: unknown };
  const status = meta.statusCode === undefined ? 200 : Number(meta.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: Record<string, string | string[]> = {};
  if (meta.headers && typeof meta.headers === 'object') {
    for (const [k, v] of Object.entries(meta.headers as Record<string, unknown>)) {
      if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    }
  }
  if (Array.isArray(meta.cookies) && meta.cookies.length) headers['set-cookie'] = meta.cookies.map((c) => String(c));
  headers['content-type'] ??= 'application/octet-stream';
  return { status, headers };
}
