// What one invocation knows of its request: parameters, the $context variables, stage variables and the body, and
// the gateway's own answers (403 Missing Authentication Token, 502, 504...) with the headers AWS puts on every response.
import { randomBytes } from 'node:crypto';
import type { HttpResponse } from '../../../protocols/http.js';
import type { RequestParams } from './mapping.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime`: `23/Nov/2026:22:59:49 +0000`. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? ''}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Headers and query string of a request, in the single- and multi-value forms AWS hands on. */
export function requestParams(headers: Record<string, string | string[] | undefined>, rawQuery: string, path: Record<string, string>): RequestParams {
  const header: Record<string, string> = {};
  const multiHeader: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    multiHeader[k] = values;
    header[k] = values[values.length - 1] ?? '';
  }
  const querystring: Record<string, string> = {};
  const multiQuerystring: Record<string, string[]> = {};
  if (rawQuery) {
    for (const [k, v] of new URLSearchParams(rawQuery)) {
      (multiQuerystring[k] ??= []).push(v);
      querystring[k] = v;
    }
  }
  return { path, querystring, header, multiQuerystring, multiHeader };
}

export function traceHeaders(requestId: string, epochMs: number): Record<string, string> {
  const random = randomBytes(24);
  return {
    'x-amzn-requestid': requestId,
    'x-amz-apigw-id': random.subarray(0, 12).toString('base64url'),
    'x-amzn-trace-id': `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${random.subarray(12).toString('hex')}`,
  };
}

/** The gateway's own error answers: status, body and x-amzn-ErrorType as AWS sends them, and the gateway response type that customizes each. */
export interface GatewayError {
  readonly status: number;
  readonly message: string;
  readonly body: string;
  readonly type: string;
  readonly responseType: string;
}

const gw = (status: number, message: string, type: string, responseType: string, spaced = false): GatewayError => ({
  status,
  message,
  body: spaced ? `{"message": ${JSON.stringify(message)}}` : `{"message":${JSON.stringify(message)}}`,
  type,
  responseType,
});

export const GatewayErrors = {
  missingToken: gw(403, 'Missing Authentication Token', 'MissingAuthenticationTokenException', 'MISSING_AUTHENTICATION_TOKEN'),
  forbidden: gw(403, 'Forbidden', 'ForbiddenException', 'INVALID_API_KEY'),
  unsupportedMediaType: gw(415, 'Unsupported Media Type', 'UnsupportedMediaTypeException', 'UNSUPPORTED_MEDIA_TYPE'),
  internal: gw(500, 'Internal server error', 'InternalServerErrorException', 'API_CONFIGURATION_ERROR', true),
  badGateway: gw(502, 'Internal server error', 'InternalServerErrorException', 'DEFAULT_5XX', true),
  timeout: gw(504, 'Endpoint request timed out', 'InternalServerErrorException', 'INTEGRATION_TIMEOUT', true),
  unauthorized: gw(401, 'Unauthorized', 'UnauthorizedException', 'UNAUTHORIZED'),
  accessDenied: {
    ...gw(403, 'User is not authorized to access this resource', 'AccessDeniedException', 'ACCESS_DENIED'),
    body: '{"Message":"User is not authorized to access this resource"}',
  },
  authorizerConfiguration: { ...gw(500, '', 'AuthorizerConfigurationException', 'AUTHORIZER_CONFIGURATION_ERROR'), body: '{"message": null}' },
  authorizerFailure: { ...gw(500, '', 'AuthorizerConfigurationException', 'AUTHORIZER_FAILURE'), body: '{"message": null}' },
  throttled: gw(429, 'Too Many Requests', 'TooManyRequestsException', 'THROTTLED'),
  quota: gw(429, 'Limit Exceeded', 'LimitExceededException', 'QUOTA_EXCEEDED'),
  badParameters: (message: string): GatewayError => gw(400, message, 'BadRequestException', 'BAD_REQUEST_PARAMETERS', true),
  badBody: (message: string): GatewayError => gw(400, message, 'BadRequestException', 'BAD_REQUEST_BODY', true),
} as const;

export function gatewayResponse(error: GatewayError, base: Record<string, string>): HttpResponse {
  return {
    status: error.status,
    headers: { ...base, 'content-type': 'application/json', 'x-amzn-errortype': error.type },
    body: error.body,
  };
}
