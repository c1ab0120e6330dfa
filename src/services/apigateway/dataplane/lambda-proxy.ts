// Lambda proxy integration (payload format 1.0, https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html):
// the event AWS builds for a REST API, and the mapping of the function's answer to the HTTP response.
import type { HttpResponse } from '../../../protocols/http.js';
import type { RequestParams } from './mapping.js';

export interface ProxyEventInput {
  readonly resourcePath: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly params: RequestParams;
  readonly stageVariables: Record<string, string>;
  readonly context: Record<string, unknown>;
  readonly body: Buffer;
  readonly binary: boolean;
}

const orNull = <T extends object>(o: T): T | null => (Object.keys(o).length ? o : null);

export function proxyEvent(input: ProxyEventInput): Record<string, unknown> {
  const { params } = input;
  return {
    resource: input.resourcePath,
    path: input.path,
    httpMethod: input.httpMethod,
    headers: orNull(params.header),
    multiValueHeaders: orNull(params.multiHeader),
    queryStringParameters: orNull(params.querystring),
    multiValueQueryStringParameters: orNull(params.multiQuerystring),
    pathParameters: orNull(params.path),
    stageVariables: orNull(input.stageVariables),
    requestContext: input.context,
    body: input.body.length === 0 ? null : input.binary ? input.body.toString('base64') : input.body.toString('utf8'),
    isBase64Encoded: input.binary,
  };
}

const stringish = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** The function's answer as an HTTP response, or undefined when it is malformed (AWS answers 502). */
export function proxyResponse(payload: Buffer, base: Record<string, string>): HttpResponse | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const r = parsed as Record<string, unknown>;
  const status = typeof r.statusCode === 'string' && /^\d+$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: Record<string, string | string[]> = { ...base };
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return undefined;
    for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) {
      if (!stringish(v)) return undefined;
      headers[k.toLowerCase()] = String(v);
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) return undefined;
    for (const [k, v] of Object.entries(r.multiValueHeaders as Record<string, unknown>)) {
      if (!Array.isArray(v) || !v.every(stringish)) return undefined;
      const key = k.toLowerCase();
      const values = v.map(String);
      // Set-Cookie repeats; other headers are joined as HTTP does.
      headers[key] = key === 'set-cookie' ? values : values.join(',');
    }
  }
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') return undefined;
  const text = typeof r.body === 'string' ? r.body : '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : text;
  if (headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  return { status, headers, body };
}
