// Which AWS service a request is for, and in which account and region (design.md, "The path of a request").
import { parseForm } from '../protocols/aws-query.js';
import type { HttpRequest } from '../protocols/http.js';
import { header } from '../protocols/http.js';
import { accountFromAccessKey, credentialScope } from '../protocols/sigv4.js';
import { REST_PATH_PREFIXES, SERVICES, type ServiceName } from '../models/index.js';

export interface Route {
  readonly service: ServiceName | undefined;
  readonly account: string;
  readonly region: string;
  /** What told us the service, for the error when none did. */
  readonly hint: string;
}

const BY_SIGNING_NAME = new Map<string, ServiceName>();
const BY_TARGET_PREFIX = new Map<string, ServiceName>();
const BY_QUERY_VERSION = new Map<string, ServiceName>();
for (const [name, entry] of Object.entries(SERVICES) as Array<[ServiceName, (typeof SERVICES)[ServiceName]]>) {
  if (!BY_SIGNING_NAME.has(entry.signingName)) BY_SIGNING_NAME.set(entry.signingName, name);
  if (entry.targetPrefix) BY_TARGET_PREFIX.set(entry.targetPrefix, name);
  BY_QUERY_VERSION.set(entry.version, name);
}
// Older SQS and CloudWatch clients speak query with the same versions as the JSON models.
BY_QUERY_VERSION.set('2012-11-05', 'sqs');
BY_QUERY_VERSION.set('2010-08-01', 'cloudwatch');

const QUEUE_PATH = /^\/\d{12}\/[^/]+\/?$/;

export function route(req: HttpRequest, defaults: { account: string; region: string }): Route {
  const scope = credentialScope(req);
  const account = accountFromAccessKey(scope?.accessKeyId, defaults.account);
  const region = scope?.region || defaults.region;
  if (scope?.service) {
    return { service: bySigningName(scope.service, req), account, region, hint: `signing name ${scope.service}` };
  }
  const target = header(req, 'x-amz-target');
  if (target) {
    const prefix = target.slice(0, target.lastIndexOf('.'));
    return { service: BY_TARGET_PREFIX.get(prefix), account, region, hint: `X-Amz-Target ${target}` };
  }
  if (QUEUE_PATH.test(req.path)) return { service: 'sqs', account, region, hint: 'queue URL path' };
  const restService = byPathPrefix(req.path);
  if (restService) return { service: restService, account, region, hint: `path ${req.path}` };
  const form = isForm(req) ? parseForm(req.body) : new URLSearchParams(req.rawQuery);
  const version = form.get('Version');
  if (version) return { service: BY_QUERY_VERSION.get(version), account, region, hint: `Version ${version}` };
  // The links in SNS messages (SubscribeURL, UnsubscribeURL) are visited unsigned and carry no Version, as on AWS.
  const action = form.get('Action');
  if (action === 'ConfirmSubscription' || action === 'Unsubscribe') {
    return { service: 'sns', account, region, hint: `Action ${action}` };
  }
  return { service: undefined, account, region, hint: 'no credential scope, X-Amz-Target or Action/Version' };
}

function bySigningName(signingName: string, req: HttpRequest): ServiceName | undefined {
  switch (signingName) {
    case 'apigateway':
      return req.path.startsWith('/v2/') ? 'apigatewayv2' : 'apigateway';
    case 'execute-api':
      return 'apigatewaymanagementapi';
    default:
      return BY_SIGNING_NAME.get(signingName);
  }
}

function byPathPrefix(path: string): ServiceName | undefined {
  const first = path.indexOf('/', 1);
  if (first < 0) return REST_PATH_PREFIXES[path];
  const second = path.indexOf('/', first + 1);
  return REST_PATH_PREFIXES[second < 0 ? path : path.slice(0, second)] ?? REST_PATH_PREFIXES[path.slice(0, first)];
}

export function isForm(req: HttpRequest): boolean {
  return (header(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded');
}

/** A request for a data plane: which service serves it, the API or URL id, and the path inside it. */
export interface DataPlaneRoute {
  readonly service: 'apigateway' | 'lambda';
  /** Which data plane of the service: invoke URLs, function URLs, or code downloads (GetFunction's Code.Location). */
  readonly plane: 'execute-api' | 'lambda-url' | 'lambda-code';
  readonly id: string;
  readonly path: string;
  readonly region: string | undefined;
  readonly form: 'host' | 'path' | 'legacy' | 'domain';
}

// ID.execute-api[.REGION].localhost[:PORT] and ID.lambda-url[.REGION].localhost[:PORT] (any domain after it, so that
// a resolver's own wildcard name works too).
const DATA_PLANE_HOST = /^([a-z0-9]+)\.(execute-api|lambda-url)(?:\.([a-z0-9-]+))?\.[^:]*localhost[^:]*(?::\d+)?$/i;

/**
 * Invoke URLs of API Gateway and Lambda function URLs (design.md, "Address conventions"): by host name, under
 * `/_aws/execute-api/ID/...` and `/_aws/lambda-url/ID/...`, and the older `/restapis/ID/STAGE/_user_request_/...`.
 * Cheap on the AWS API path: each form is ruled out by one string test.
 */
export function dataPlaneRoute(path: string, host: string): DataPlaneRoute | undefined {
  if (host.includes('.execute-api.') || host.includes('.lambda-url.')) {
    const m = DATA_PLANE_HOST.exec(host);
    if (m) {
      const plane = m[2]?.toLowerCase() === 'execute-api' ? 'execute-api' : 'lambda-url';
      return { service: plane === 'execute-api' ? 'apigateway' : 'lambda', plane, id: m[1] ?? '', path, region: m[3], form: 'host' };
    }
  }
  if (path.startsWith('/_aws/')) {
    const m = /^\/_aws\/(execute-api|lambda-url|lambda-code)\/([^/]+)(\/.*)?$/.exec(path);
    if (m) {
      const plane = m[1] as DataPlaneRoute['plane'];
      const service = plane === 'execute-api' ? 'apigateway' : 'lambda';
      // Code downloads keep their whole path: it names the function or layer version.
      if (plane === 'lambda-code') return { service, plane, id: '', path, region: undefined, form: 'path' };
      return { service, plane, id: m[2] ?? '', path: m[3] ?? '/', region: undefined, form: 'path' };
    }
  }
  if (path.startsWith('/restapis/')) {
    const m = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/.exec(path);
    if (m) {
      return { service: 'apigateway', plane: 'execute-api', id: m[1] ?? '', path: `/${m[2] ?? ''}${m[3] ?? '/'}`, region: undefined, form: 'legacy' };
    }
  }
  return undefined;
}
