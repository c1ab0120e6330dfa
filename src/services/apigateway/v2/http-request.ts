// One HTTP API request as the data plane sees it, decoded once and shared by routing, authorizers, parameter mapping
// and the Lambda events (payload formats 1.0 and 2.0) that AWS sends.
import { randomBytes } from 'node:crypto';
import type { HttpResponse } from '../../../protocols/http.js';

export interface HttpApiRequest {
  readonly apiId: string;
  readonly accountId: string;
  readonly region: string;
  readonly requestId: string;
  readonly method: string;
  /** The path the client asked for, including a named stage (`/dev/pets`), percent-encoded. */
  readonly rawPath: string;
  /** The path inside the stage, percent-encoded. */
  readonly path: string;
  readonly rawQuery: string;
  /** Lower-case names, every value of each. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly cookies: readonly string[];
  readonly query: ReadonlyMap<string, readonly string[]>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly stage: string;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly domainName: string;
  readonly domainPrefix: string;
  readonly timeEpoch: number;
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
  /** What the authorizer put in requestContext.authorizer, once one ran. */
  authorizer: Record<string, unknown> | undefined;
}

/** AWS's request ids for HTTP APIs: 15 base64 characters and a pad. */
export function newRequestId(): string {
  return randomBytes(11).toString('base64');
}

export function headerValue(req: HttpApiRequest, name: string): string | undefined {
  return req.headers.get(name.toLowerCase())?.join(',');
}

export function parseQuery(raw: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeQueryPart(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : decodeQueryPart(part.slice(eq + 1));
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

function decodeQueryPart(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** `12/Mar/2020:19:03:58 +0000`, the CLF time AWS puts in request contexts. */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Text bodies travel as they are; anything else (form posts included, as on AWS) is base64-encoded. */
export function isTextContent(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const t = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return t.startsWith('text/') || t.endsWith('/json') || t.endsWith('+json') || t.endsWith('/xml') || t.endsWith('+xml') || t === 'application/javascript';
}

function encodedBody(req: HttpApiRequest): { body: string; isBase64Encoded: boolean } | undefined {
  if (req.body.length === 0) return undefined;
  return isTextContent(headerValue(req, 'content-type'))
    ? { body: req.body.toString('utf8'), isBase64Encoded: false }
    : { body: req.body.toString('base64'), isBase64Encoded: true };
}

function joinedHeaders(req: HttpApiRequest, withCookie: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of req.headers) if (withCookie || k !== 'cookie') out[k] = v.join(',');
  return out;
}

function joinedQuery(req: HttpApiRequest): Record<string, string> | undefined {
  if (req.query.size === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of req.query) out[k] = v.join(',');
  return out;
}

function stageVariablesOrUndefined(req: HttpApiRequest): Record<string, string> | undefined {
  return Object.keys(req.stageVariables).length ? { ...req.stageVariables } : undefined;
}

/** The payload format 2.0 event. */
export function eventV2(req: HttpApiRequest): Record<string, unknown> {
  const body = encodedBody(req);
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: req.routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQuery,
  };
  if (req.cookies.length) event.cookies = [...req.cookies];
  event.headers = joinedHeaders(req, false);
  const query = joinedQuery(req);
  if (query) event.queryStringParameters = query;
  event.requestContext = {
    accountId: req.accountId,
    apiId: req.apiId,
    ...(req.authorizer ? { authorizer: req.authorizer } : {}),
    domainName: req.domainName,
    domainPrefix: req.domainPrefix,
    http: {
      method: req.method,
      path: decodePath(req.rawPath),
      protocol: 'HTTP/1.1',
      sourceIp: req.sourceIp,
      userAgent: req.userAgent,
    },
    requestId: req.requestId,
    routeKey: req.routeKey,
    stage: req.stage,
    time: clfTime(req.timeEpoch),
    timeEpoch: req.timeEpoch,
  };
  if (req.pathParameters) event.pathParameters = { ...req.pathParameters };
  const vars = stageVariablesOrUndefined(req);
  if (vars) event.stageVariables = vars;
  if (body) event.body = body.body;
  event.isBase64Encoded = body?.isBase64Encoded ?? false;
  return event;
}

/** The route's path (`/pets/{id}`), or `$default`. */
function resourceOf(routeKey: string): string {
  const space = routeKey.indexOf(' ');
  return space < 0 ? routeKey : routeKey.slice(space + 1);
}

/** The payload format 1.0 event (the REST API proxy event shape). */
export function eventV1(req: HttpApiRequest): Record<string, unknown> {
  const body = encodedBody(req);
  const headers: Record<string, string> = {};
  const multiHeaders: Record<string, string[]> = {};
  for (const [k, v] of req.headers) {
    headers[k] = v[v.length - 1] ?? '';
    multiHeaders[k] = [...v];
  }
  let query: Record<string, string> | null = null;
  let multiQuery: Record<string, string[]> | null = null;
  for (const [k, v] of req.query) {
    (query ??= {})[k] = v[v.length - 1] ?? '';
    (multiQuery ??= {})[k] = [...v];
  }
  const resource = resourceOf(req.routeKey);
  const path = decodePath(req.rawPath);
  return {
    version: '1.0',
    resource,
    path,
    httpMethod: req.method,
    headers,
    multiValueHeaders: multiHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    requestContext: {
      accountId: req.accountId,
      apiId: req.apiId,
      ...(req.authorizer ? { authorizer: authorizerV1(req.authorizer) } : {}),
      domainName: req.domainName,
      domainPrefix: req.domainPrefix,
      extendedRequestId: req.requestId,
      httpMethod: req.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.sourceIp,
        user: null,
        userAgent: req.userAgent,
        userArn: null,
      },
      path,
      protocol: 'HTTP/1.1',
      requestId: req.requestId,
      requestTime: clfTime(req.timeEpoch),
      requestTimeEpoch: req.timeEpoch,
      resourceId: req.routeKey,
      resourcePath: resource,
      stage: req.stage,
    },
    pathParameters: req.pathParameters ? { ...req.pathParameters } : null,
    stageVariables: stageVariablesOrUndefined(req) ?? null,
    body: body?.body ?? null,
    isBase64Encoded: body?.isBase64Encoded ?? false,
  };
}

/** Payload 1.0 flattens what 2.0 nests: JWT claims and scopes, and a Lambda authorizer's context. */
function authorizerV1(a: Record<string, unknown>): Record<string, unknown> {
  if (a.jwt && typeof a.jwt === 'object') return { ...(a.jwt as Record<string, unknown>) };
  if (a.lambda && typeof a.lambda === 'object') {
    return { ...(a.lambda as Record<string, unknown>), ...(a.principalId ? { principalId: a.principalId } : {}), integrationLatency: 0 };
  }
  return { ...a };
}

export function decodePath(p: string): string {
  try {
    return decodeURI(p);
  } catch {
    return p;
  }
}

export function gatewayError(status: number, message: string, extra: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify({ message }) };
}

export const GatewayErrors = {
  notFound: (): HttpResponse => gatewayError(404, 'Not Found'),
  internal: (): HttpResponse => gatewayError(500, 'Internal Server Error'),
  unavailable: (): HttpResponse => gatewayError(503, 'Service Unavailable'),
  tooManyRequests: (): HttpResponse => gatewayError(429, 'Too Many Requests'),
  unauthorized: (extra: Record<string, string> = {}): HttpResponse => gatewayError(401, 'Unauthorized', extra),
  forbidden: (): HttpResponse => gatewayError(403, 'Forbidden'),
} as const;

/**
 * A Lambda's answer to payload format 2.0: `{statusCode, headers, cookies, body, isBase64Encoded}`, or, when the
 * function returned anything else, that value as a 200 JSON body (a string as it is).
 */
export function responseV2(payload: Buffer): HttpResponse | undefined {
  const text = payload.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'statusCode' in value) {
    return structuredResponse(value, true);
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof value === 'string' ? value : text,
  };
}

/** A Lambda's answer to payload format 1.0, which must carry a statusCode. */
export function responseV1(payload: Buffer): HttpResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return structuredResponse(value as Record<string, unknown>, false);
}

function structuredResponse(v: Record<string, unknown>, v2: boolean): HttpResponse | undefined {
  const status = typeof v.statusCode === 'number' ? v.statusCode : typeof v.statusCode === 'string' ? Number(v.statusCode) : NaN;
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: Record<string, string | string[]> = {};
  if (v.multiValueHeaders && typeof v.multiValueHeaders === 'object') {
    for (const [k, list] of Object.entries(v.multiValueHeaders as Record<string, unknown>)) {
      if (Array.isArray(list)) headers[k.toLowerCase()] = list.map(String).join(',');
    }
  }
  if (v.headers && typeof v.headers === 'object') {
    for (const [k, value] of Object.entries(v.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(value);
  }
  if (v2 && Array.isArray(v.cookies) && v.cookies.length) headers['set-cookie'] = v.cookies.map(String);
  let body: string | Buffer = '';
  if (v.body !== undefined && v.body !== null) {
    const text = typeof v.body === 'string' ? v.body : JSON.stringify(v.body);
    body = v.isBase64Encoded === true ? Buffer.from(text, 'base64') : text;
  }
  if (!headers['content-type'] && body.length > 0) headers['content-type'] = v2 ? 'text/plain; charset=utf-8' : 'application/json';
  return { status, headers, body };
}
