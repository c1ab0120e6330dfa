// CORS of HTTP APIs: API Gateway answers preflight requests itself when the API has a CORS configuration, and adds
// the CORS headers to the integration's responses, which override any the backend sent.
import type { Cors } from '@aws-sdk/client-apigatewayv2';
import type { HttpResponse } from '../../../protocols/http.js';

function allowedOrigin(cors: Cors, origin: string): string | undefined {
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return '*';
  return origins.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

export function isPreflight(method: string, headers: ReadonlyMap<string, readonly string[]>): boolean {
  return method === 'OPTIONS' && headers.has('origin') && headers.has('access-control-request-method');
}

/** The answer to a preflight request (204, with CORS headers only when the origin and method are allowed). */
export function preflight(cors: Cors, headers: ReadonlyMap<string, readonly string[]>): HttpResponse {
  const origin = headers.get('origin')?.[0] ?? '';
  const method = (headers.get('access-control-request-method')?.[0] ?? '').toUpperCase();
  const out: Record<string, string> = {};
  const allowOrigin = allowedOrigin(cors, origin);
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  const methodOk = methods.includes('*') || methods.includes(method);
  if (allowOrigin && methodOk) {
    out['access-control-allow-origin'] = allowOrigin;
    out['access-control-allow-methods'] = methods.includes('*') ? method : methods.join(',');
    const requested = headers.get('access-control-request-headers')?.[0];
    const allowHeaders = (cors.AllowHeaders ?? []).map((h) => h.toLowerCase());
    if (requested && allowHeaders.length) {
      out['access-control-allow-headers'] = allowHeaders.includes('*') ? requested.toLowerCase() : allowHeaders.join(',');
    }
    if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
    if (cors.MaxAge !== undefined && cors.MaxAge >= 0) out['access-control-max-age'] = String(cors.MaxAge);
  }
  return { status: 204, headers: out, body: '' };
}

/** Adds the CORS headers of a simple or actual request's response. */
export function decorate(cors: Cors, headers: ReadonlyMap<string, readonly string[]>, response: HttpResponse): void {
  const origin = headers.get('origin')?.[0];
  if (!origin) return;
  const allowOrigin = allowedOrigin(cors, origin);
  if (!allowOrigin) return;
  for (const k of Object.keys(response.headers)) if (k.startsWith('access-control-')) delete response.headers[k];
  response.headers['access-control-allow-origin'] = allowOrigin;
  if (cors.AllowCredentials) response.headers['access-control-allow-credentials'] = 'true';
  if (cors.ExposeHeaders?.length) response.headers['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  response.headers.vary = 'Origin';
}
