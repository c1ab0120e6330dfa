// Function URL traffic in AWS's payload format 2.0 (the API Gateway HTTP API format): an HTTP request becomes the
// event, and the function's result becomes the HTTP response, as "Invoking Lambda function URLs" describes them.
// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
import type { HttpRequest, HttpResponse } from '../../../protocols/http.js';

export interface UrlEventContext {
  readonly accountId: string;
  readonly urlId: string;
  readonly domainName: string;
  readonly requestId: string;
  readonly sourceIp: string;
  readonly now: number;
  /** requestContext.authorizer.iam for AWS_IAM URLs. */
  readonly iam?: { readonly accessKey: string; readonly accountId: string };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Content types whose bodies reach the function as text; anything else (form posts too) is base64. */
export function isTextContent(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/yaml'
  );
}

/** `12/Mar/2020:19:03:58 +0000`, the requestContext.time format. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? ''}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}

export function buildUrlEvent(req: HttpRequest, c: UrlEventContext): Record<string, unknown> {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    if (name === 'cookie') {
      cookies = text
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean);
      continue;
    }
    headers[name] = text;
  }
  const query: Record<string, string> = {};
  let hasQuery = false;
  if (req.rawQuery) {
    for (const part of req.rawQuery.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const key = decodeQuery(eq < 0 ? part : part.slice(0, eq));
      const value = eq < 0 ? '' : decodeQuery(part.slice(eq + 1));
      query[key] = key in query ? `${query[key] ?? ''},${value}` : value;
      hasQuery = true;
    }
  }
  const path = req.path || '/';
  const text = isTextContent(headers['content-type']);
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: req.rawQuery,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(hasQuery ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: c.accountId,
      apiId: c.urlId,
      ...(c.iam
        ? {
            authorizer: {
              iam: {
                accessKey: c.iam.accessKey,
                accountId: c.iam.accountId,
                callerId: c.iam.accessKey,
                cognitoIdentity: null,
                principalOrgId: null,
                userArn: `arn:aws:iam::${c.iam.accountId}:root`,
                userId: c.iam.accountId,
              },
            },
          }
        : {}),
      domainName: c.domainName,
      domainPrefix: c.urlId,
      http: {
        method: req.method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: c.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: c.requestId,
      routeKey: '$default',
      stage: '$default',
      time: requestTime(c.now),
      timeEpoch: c.now,
    },
    ...(req.body.length ? { body: text ? req.body.toString('utf8') : req.body.toString('base64') } : {}),
    isBase64Encoded: req.body.length > 0 && !text,
  };
  return event;
}

function decodeQuery(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * The HTTP response for a function's result: an object with statusCode is a response (headers, cookies, body,
 * isBase64Encoded); any other JSON value is returned as it is, 200 application/json.
 */
export function mapUrlResult(payload: Buffer): HttpResponse {
  let parsed: unknown;
  try {
    parsed = payload.length ? JSON.parse(payload.toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'statusCode' in parsed) {
    const r = parsed as {
      statusCode?: unknown;
      headers?: unknown;
      multiValueHeaders?: unknown;
      cookies?: unknown;
      body?: unknown;
      isBase64Encoded?: unknown;
    };
    const status = Number(r.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) return badGateway();
    const headers: Record<string, string | string[]> = {};
    if (r.headers && typeof r.headers === 'object') {
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) {
        if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
      }
    }
    if (Array.isArray(r.cookies) && r.cookies.length) {
      headers['set-cookie'] = r.cookies.map((c) => String(c));
    }
    headers['content-type'] ??= 'application/json';
    let body: string | Buffer = '';
    if (typeof r.body === 'string') body = r.isBase64Encoded === true ? Buffer.from(r.body, 'base64') : r.body;
    else if (r.body !== undefined && r.body !== null) body = JSON.stringify(r.body);
    return { status, headers, body };
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: payload };
}

export function badGateway(): HttpResponse {
  return { status: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: 'Internal Server Error' }) };
}

export function forbidden(): HttpResponse {
  return { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: 'Forbidden' }) };
}

export function messageResponse(status: number, message: string | null): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: message }) };
}
