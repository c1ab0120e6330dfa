// Access logging of HTTP API stages: after each request, the stage's AccessLogSettings.Format with its $context
// variables filled in ('-' for those without a value, as AWS writes them) goes to the CloudWatch Logs group named by
// DestinationArn.
import type { AccessLogSettings } from '@aws-sdk/client-apigatewayv2';
import type { ServiceHost } from '../../../core/provider.js';
import type { LogsInternal } from '../../logs/internal.js';
import { V2Errors } from './errors.js';
import { clfTime } from './http-request.js';

const LOG_GROUP_ARN = /^arn:aws:logs:([a-z0-9-]+):(\d{12}):log-group:([^:*]+)(?::\*)?$/;

export function validateAccessLogSettings(s: AccessLogSettings | undefined): void {
  if (!s || (s.DestinationArn === undefined && s.Format === undefined)) return;
  if (!s.DestinationArn || !LOG_GROUP_ARN.test(s.DestinationArn)) {
    throw V2Errors.badRequest(`Invalid CloudWatch Logs log group ARN: ${s.DestinationArn ?? ''}`);
  }
  if (!s.Format) throw V2Errors.badRequest('Access Log format must be specified when a destination is set.');
  if (!/\$context\.(requestId|extendedRequestId)\b/.test(s.Format)) {
    throw V2Errors.badRequest('Access Log format must contain at least one of $context.requestId or $context.extendedRequestId');
  }
}

/** What an access log line can say about one request. */
export interface AccessRecord {
  readonly apiId: string;
  readonly stage: string;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly routeKey: string;
  readonly status: number;
  readonly responseLength: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly domainName: string;
  readonly requestTimeEpoch: number;
  readonly latency: number;
  readonly errorMessage: string | undefined;
}

export async function writeAccessLog(host: ServiceHost, settings: AccessLogSettings, r: AccessRecord): Promise<void> {
  const m = LOG_GROUP_ARN.exec(settings.DestinationArn ?? '');
  if (!m || !settings.Format) return;
  const values: Record<string, string | number | undefined> = {
    apiId: r.apiId,
    stage: r.stage,
    requestId: r.requestId,
    extendedRequestId: r.requestId,
    httpMethod: r.method,
    path: r.path,
    routeKey: r.routeKey,
    status: r.status,
    protocol: 'HTTP/1.1',
    responseLength: r.responseLength,
    requestTime: clfTime(r.requestTimeEpoch),
    requestTimeEpoch: r.requestTimeEpoch,
    responseLatency: r.latency,
    'identity.sourceIp': r.sourceIp,
    'identity.userAgent': r.userAgent,
    domainName: r.domainName,
    domainPrefix: r.apiId,
    'error.message': r.errorMessage,
  };
  const line = settings.Format.replace(/\$context\.([A-Za-z0-9_.]*[A-Za-z0-9_])/g, (_, name: string) => {
    const v = values[name];
    return v === undefined || v === '' ? '-' : String(v);
  });
  const logs = (await host.provider('logs'))?.internal as LogsInternal | undefined;
  logs?.append(m[2] ?? '', m[1] ?? '', m[3] ?? '', `${r.apiId}_${r.stage}`, [{ timestamp: r.requestTimeEpoch, message: line }]);
}
