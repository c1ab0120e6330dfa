// CORS for function URLs: with a Cors configuration, Lambda answers preflight requests itself and sets the CORS
// headers of every response from that configuration (replacing any the function set).
import type { Cors } from '@aws-sdk/client-lambda';
import type { HttpRequest, HttpResponse } from '../../../protocols/http.js';

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-allow-credentials',
  'access-control-max-age',
];

function headerOf(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The Access-Control-Allow-Origin value for this request's Origin, or undefined when it is not allowed. */
function allowedOrigin(cors: Cors, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return origins.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

export function isPreflight(req: HttpRequest): boolean {
  return (
    req.method === 'OPTIONS' &&
    headerOf(req, 'origin') !== undefined &&
    headerOf(req, 'access-control-request-method') !== undefined
  );
}

/** The answer to a preflight request, without invoking the function. */
export function preflight(cors: Cors, req: HttpRequest): HttpResponse {
  const headers: Record<string, string> = {};
  const origin = allowedOrigin(cors, headerOf(req, 'origin'));
  const method = (headerOf(req, 'access-control-request-method') ?? '').toUpperCase();
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  if (origin && (methods.includes('*') || methods.includes(method))) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-allow-methods'] = methods.join(',');
    if (cors.AllowHeaders?.length) headers['access-control-allow-headers'] = cors.AllowHeaders.join(',');
    if (cors.ExposeHeaders?.length) headers['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
    if (cors.AllowCredentials) headers['access-control-allow-credentials'] = 'true';
    if (cors.MaxAge !== undefined) headers['access-control-max-age'] = String(cors.MaxAge);
    if (origin !== '*') headers.vary = 'Origin';
  }
  return { status: 200, headers, body: '' };
}

/** Sets a response's CORS headers from the configuration. */
export function withCors(cors: Cors, req: HttpRequest, res: HttpResponse): HttpResponse {
  for (const h of CORS_HEADERS) delete res.headers[h];
  const origin = allowedOrigin(cors, headerOf(req, 'origin'));
  if (!origin) return res;
  res.headers['access-control-allow-origin'] = origin;
  if (cors.ExposeHeaders?.length) res.headers['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  if (cors.AllowCredentials) res.headers['access-control-allow-credentials'] = 'true';
  if (origin !== '*') res.headers.vary = 'Origin';
  return res;
}
