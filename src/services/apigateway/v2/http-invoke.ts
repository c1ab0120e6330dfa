// The HTTP API data plane: finds the stage (a named stage is the first path segment; otherwise `$default`), serves
// the definition that stage has deployed, answers CORS preflights, picks the route, throttles, authorizes and calls
// the integration, mapping the result and failures as AWS does.
import { randomBytes } from 'node:crypto';
import type { Integration, Stage } from '@aws-sdk/client-apigatewayv2';
import type { DataPlaneRequest, ServiceHost } from '../../../core/provider.js';
import { header, type HttpResponse } from '../../../protocols/http.js';
import { domainPathOf } from '../domains.js';
import { writeAccessLog } from './access-logs.js';
import type { Authorizers } from './authorizers.js';
import { decorate, isPreflight, preflight } from './cors.js';
import { functionArnOf } from './integration-settings.js';
import { eventV1, eventV2, gatewayError, GatewayErrors, newRequestId, parseQuery, responseV1, responseV2, type HttpApiRequest } from './http-request.js';
import { proxyHttp } from './http-proxy.js';
import { invokeLambda } from './lambda-invoke.js';
import { matchRoute } from './route-keys.js';
import { invokeService } from './service-integrations.js';
import type { ApiDefinition, ApiRecord } from './store.js';
import type { Throttle } from './throttling.js';

/** What the access log needs to know of how a request was served. */
interface Trace {
  stage: Stage | undefined;
  routeKey: string;
}

/** HTTP APIs take request payloads up to 10 MB. */
const MAX_PAYLOAD = 10 * 1024 * 1024;

export interface ServedStage {
  readonly stage: Stage;
  /** The path inside the stage. */
  readonly path: string;
  readonly definition: ApiDefinition;
}

/** The stage a request path addresses and the deployed definition it serves, if any. */
export function servedStage(record: ApiRecord, path: string): ServedStage | undefined {
  const slash = path.indexOf('/', 1);
  const first = slash < 0 ? path.slice(1) : path.slice(1, slash);
  let stage: Stage | undefined;
  let inner = path;
  const named = first && first !== '$default' ? record.stages.get(safeDecode(first)) : undefined;
  if (named) {
    stage = named;
    inner = slash < 0 ? '/' : path.slice(slash);
  } else stage = record.stages.get('$default');
  if (!stage?.DeploymentId) return undefined;
  const deployed = record.deployments.get(stage.DeploymentId);
  return deployed ? { stage, path: inner, definition: deployed.definition } : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class HttpApiInvoker {
  constructor(
    private readonly host: ServiceHost,
    private readonly throttle: Throttle,
    private readonly authorizers: Authorizers,
  ) {}

  async handle(record: ApiRecord, dp: DataPlaneRequest): Promise<HttpResponse> {
    const requestId = newRequestId();
    const started = this.host.clock.now();
    const trace: Trace = { stage: undefined, routeKey: '-' };
    const response = await this.serve(record, dp, requestId, trace);
    response.headers['apigw-requestid'] = requestId;
    const settings = trace.stage?.AccessLogSettings;
    if (settings?.DestinationArn) {
      const body = response.body;
      const message = response.status >= 400 && typeof body === 'string' && body.startsWith('{"message"') ? (JSON.parse(body) as { message?: string }).message : undefined;
      writeAccessLog(this.host, settings, {
        apiId: record.api.ApiId ?? dp.id,
        stage: trace.stage?.StageName ?? '$default',
        requestId,
        method: dp.request.method,
        path: dp.request.path,
        routeKey: trace.routeKey,
        status: response.status,
        responseLength: typeof body === 'string' ? Buffer.byteLength(body) : body.length,
        sourceIp: dp.sourceIp,
        userAgent: header(dp.request, 'user-agent') ?? '',
        domainName: dp.form === 'host' ? dp.host.replace(/:\d+$/, '') : `${dp.id}.execute-api.localhost`,
        requestTimeEpoch: started,
        latency: this.host.clock.now() - started,
        errorMessage: message,
      }).catch((err: unknown) => this.host.log.warn(`apigatewayv2 access log failed: ${err instanceof Error ? err.message : String(err)}`));
    }
    return response;
  }

  private async serve(record: ApiRecord, dp: DataPlaneRequest, requestId: string, trace: Trace): Promise<HttpResponse> {
    if (record.api.DisableExecuteApiEndpoint) return GatewayErrors.forbidden();
    if (dp.request.body.length > MAX_PAYLOAD) return gatewayError(413, 'Request Entity Too Large');
    const served = servedStage(record, dp.request.path);
    if (!served) return GatewayErrors.notFound();
    const { stage, definition } = served;
    trace.stage = stage;
    const headers = new Map<string, string[]>();
    for (const [k, v] of Object.entries(dp.request.headers)) {
      if (v === undefined) continue;
      headers.set(k, Array.isArray(v) ? v : [v]);
    }
    const cors = definition.cors;
    if (cors && isPreflight(dp.request.method, headers)) return preflight(cors, headers);
    // The headers API Gateway adds on the way in.
    const now = this.host.clock.now();
    headers.set('x-amzn-trace-id', [`Root=1-${Math.floor(now / 1000).toString(16).padStart(8, '0')}-${randomBytes(12).toString('hex')}`]);
    headers.set('x-forwarded-for', [[...(headers.get('x-forwarded-for') ?? []), dp.sourceIp].join(', ')]);
    headers.set('x-forwarded-port', [/:(\d+)$/.exec(dp.host)?.[1] ?? '80']);
    headers.set('x-forwarded-proto', ['http']);
    const hostName = dp.host.replace(/:\d+$/, '');
    // Through a custom domain, AWS shows the path the client sent (base path included) rather than the API's own.
    const domainPath = domainPathOf(dp);
    const req: HttpApiRequest = {
      apiId: record.api.ApiId ?? dp.id,
      accountId: record.account,
      region: record.region,
      requestId,
      method: dp.request.method,
      rawPath: domainPath ?? dp.request.path,
      path: served.path,
      rawQuery: dp.request.rawQuery,
      headers,
      cookies: (headers.get('cookie') ?? []).flatMap((c) => c.split(/;\s*/)).filter(Boolean),
      query: parseQuery(dp.request.rawQuery),
      body: dp.request.body,
      sourceIp: dp.sourceIp,
      userAgent: headers.get('user-agent')?.[0] ?? '',
      stage: stage.StageName ?? '$default',
      stageVariables: stage.StageVariables ?? {},
      domainName: dp.form === 'host' ? hostName : `${dp.id}.execute-api.localhost`,
      domainPrefix: domainPath === undefined ? dp.id : (hostName.split('.')[0] ?? ''),
      timeEpoch: now,
      routeKey: '$default',
      pathParameters: undefined,
      authorizer: undefined,
    };
    const routes = [...definition.routes.values()].map((route) => ({ key: route.RouteKey ?? '', route }));
    const match = matchRoute(routes, req.method, served.path);
    if (!match) return withCors(GatewayErrors.notFound());
    const route = match.route;
    req.routeKey = route.RouteKey ?? '$default';
    trace.routeKey = req.routeKey;
    req.pathParameters = match.pathParameters;
    if (!this.throttle.admit(req.apiId, stage, req.routeKey)) return withCors(GatewayErrors.tooManyRequests());
    const refused = await this.authorizers.authorize(route, definition.authorizers, req);
    if (refused) return withCors(refused);
    const integrationId = /^integrations\/(.+)$/.exec(route.Target ?? '')?.[1];
    const integration = integrationId ? definition.integrations.get(integrationId) : undefined;
    if (!integration) return withCors(GatewayErrors.notFound());
    return withCors(await this.integrate(integration, req));

    function withCors(r: HttpResponse): HttpResponse {
      if (cors) decorate(cors, headers, r);
      return r;
    }
  }

  private async integrate(integration: Integration, req: HttpApiRequest): Promise<HttpResponse> {
    if (integration.IntegrationType === 'HTTP_PROXY') return proxyHttp(this.host, integration, req);
    if (integration.IntegrationSubtype) return this.bounded(integration, invokeService(this.host, integration, req));
    const arn = functionArnOf(integration.IntegrationUri ?? '');
    if (!arn) return GatewayErrors.internal();
    const v2 = integration.PayloadFormatVersion === '2.0';
    const outcome = await invokeLambda(this.host, arn, v2 ? eventV2(req) : eventV1(req), integration.TimeoutInMillis ?? 30000);
    if (outcome.kind === 'timeout') {
      this.host.log.warn(`apigatewayv2 ${req.apiId} ${req.routeKey}: the integration timed out after ${integration.TimeoutInMillis ?? 30000} ms`);
      return GatewayErrors.unavailable();
    }
    if (outcome.kind === 'error') {
      this.host.log.warn(`apigatewayv2 ${req.apiId} ${req.routeKey}: ${outcome.reason}`);
      return GatewayErrors.internal();
    }
    const mapped = v2 ? responseV2(outcome.payload) : responseV1(outcome.payload);
    if (!mapped) {
      this.host.log.warn(`apigatewayv2 ${req.apiId} ${req.routeKey}: malformed Lambda proxy response`);
      return GatewayErrors.internal();
    }
    return mapped;
  }

  private async bounded(integration: Integration, work: Promise<HttpResponse>): Promise<HttpResponse> {
    const abort = new AbortController();
    const timeout = this.host.clock.sleep(integration.TimeoutInMillis ?? 30000, abort.signal).then(
      () => GatewayErrors.unavailable(),
      () => GatewayErrors.unavailable(),
    );
    try {
      return await Promise.race([work, timeout]);
    } finally {
      abort.abort(new Error('settled'));
    }
  }
}
