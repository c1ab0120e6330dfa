// The invoke URL of REST APIs: finds the stage and its deployment's snapshot, matches the route, then runs the
// integration (MOCK, AWS_PROXY and AWS to Lambda, HTTP and HTTP_PROXY, AWS services) with the mapping templates and
// integration responses, as AWS does. Ids that are not REST APIs go to HTTP/WebSocket APIs (apigatewayv2).
import { randomUUID } from 'node:crypto';
import type { Integration, IntegrationResponse, Method, Stage } from '@aws-sdk/client-api-gateway';
import { ServiceError } from '../../../core/errors.js';
import type { DataPlane, DataPlaneRequest, ServiceHost } from '../../../core/provider.js';
import type { HttpResponse } from '../../../protocols/http.js';
import type { InvokeResult, LambdaInternal } from '../../lambda/provider.js';
import { AWS_INTEGRATION_SERVICES, AWS_INTEGRATION_URI, LAMBDA_INTEGRATION_URI } from '../definitions.js';
import { allows, AuthorizerCache, identitySources, methodArn, parseAuthorizerResult } from '../authorizers.js';
import { customizationFor } from '../gateway-responses.js';
import { cachingFor, StageCache } from '../stage-cache.js';
import { validateRequest, type SchemaCompiler } from '../models.js';
import { domainPathOf, type DomainRegistry, type DomainRequest } from '../domains.js';
import type { ApiRecord, ApiSnapshot } from '../store.js';
import type { UsageStore } from '../usage-plans.js';
import { callService } from './aws-service.js';
import { mapExpression, TemplateCache, TemplateError, type RequestParams, type TemplateScope } from './mapping.js';
import { proxyEvent, proxyResponse } from './lambda-proxy.js';
import { gatewayResponse, GatewayErrors, requestParams, requestTime, safeDecode, traceHeaders, type GatewayError } from './request.js';
import { RouteTable, type RouteMatch } from './routing.js';

export type Locate = (id: string) => { record: ApiRecord; account: string; region: string; usage: UsageStore } | undefined;

const TIMED_OUT = Symbol('timed out');

/** Hop-by-hop and framing headers that are not handed on between client, gateway and backend. */
const HOP_HEADERS = new Set([
  'host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer',
  'proxy-authorization', 'proxy-connection',
]);

/** What a non-proxy integration answered, before the integration response maps it. */
interface BackendAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** What selection patterns are matched against: the status code, or a Lambda error's errorMessage. */
  readonly selector: string;
  /** A Lambda AWS integration whose function failed without a matching pattern answers 502... */
  readonly lambdaError?: boolean;
}

/** What a gateway response needs of the request. */
interface FailureScope {
  readonly snapshot: ApiSnapshot;
  readonly base: Record<string, string>;
  readonly params: RequestParams;
  readonly context: Record<string, unknown>;
  readonly stageVariables: Record<string, string>;
}

/** One request in flight. */
interface Invocation {
  readonly req: DataPlaneRequest;
  readonly account: string;
  readonly region: string;
  readonly apiId: string;
  readonly snapshot: ApiSnapshot;
  readonly route: RouteMatch;
  readonly integration: Integration;
  readonly params: RequestParams;
  readonly context: Record<string, unknown>;
  readonly stageVariables: Record<string, string>;
  readonly base: Record<string, string>;
  readonly path: string;
}

function matchesMediaType(types: readonly string[], contentType: string): boolean {
  if (!contentType) return false;
  for (const t of types) {
    if (t === '*/*' || t === contentType) return true;
    if (t.endsWith('/*') && contentType.startsWith(t.slice(0, -1))) return true;
  }
  return false;
}

function substituteStageVariables(text: string, vars: Record<string, string>): string {
  return text.includes('${stageVariables.') ? text.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, n: string) => vars[n] ?? '') : text;
}

export class InvokeDataPlane implements DataPlane {
  private readonly templates = new TemplateCache();
  private readonly authorizerCache = new AuthorizerCache();
  private readonly stageCache = new StageCache();
  private readonly routes = new WeakMap<ApiSnapshot, RouteTable>();
  private lambda: Promise<LambdaInternal | undefined> | undefined;

  constructor(
    private readonly host: ServiceHost,
    private readonly locate: Locate,
    private readonly schemas: SchemaCompiler,
    private readonly domains: DomainRegistry,
  ) {}

  ownsHost(hostname: string): boolean {
    return this.domains.serving(hostname) !== undefined;
  }

  /** A custom domain: the mapping picks the API and stage, and the rest of the path is served as on the invoke URL. */
  private async serveDomain(req: DataPlaneRequest): Promise<HttpResponse> {
    const colon = req.host.lastIndexOf(':');
    const hostname = (colon > 0 && !req.host.endsWith(']') ? req.host.slice(0, colon) : req.host).toLowerCase();
    const target = this.domains.resolve(hostname, req.request.path);
    // AWS answers a path no mapping covers, or a mapping whose API is gone, with a bare 403.
    const forbidden: HttpResponse = { status: 403, headers: { 'content-type': 'application/json' }, body: '{"message":"Forbidden"}' };
    if (!target) return forbidden;
    const path = target.stage === undefined || target.stage === '$default' ? target.path : `/${encodeURIComponent(target.stage)}${target.path}`;
    const inner: DomainRequest = { ...req, id: target.apiId, form: 'host', request: { ...req.request, path }, domainPath: req.request.path };
    if (this.locate(target.apiId)) return this.handle(inner);
    const v2 = await this.host.provider('apigatewayv2');
    return v2?.dataPlane ? v2.dataPlane.handle(inner) : forbidden;
  }

  reset(): void {
    this.templates.clear();
    this.authorizerCache.clear();
    this.stageCache.clear();
  }

  /** FlushStageCache, or a stage whose cache was turned off: forgets the stage's cached responses. */
  flushCache(apiId: string, stage: string): void {
    this.stageCache.flush(`${apiId}/${stage}/`);
  }

  /** FlushStageAuthorizersCache: forgets the stage's cached authorizer results. */
  flushAuthorizers(apiId: string, stage: string): void {
    this.authorizerCache.forget(`${apiId}/${stage}/`);
  }

  async handle(req: DataPlaneRequest): Promise<HttpResponse> {
    if (req.form === 'domain') return this.serveDomain(req);
    const found = this.locate(req.id);
    if (!found) {
      const v2 = await this.host.provider('apigatewayv2');
      if (v2?.dataPlane) return v2.dataPlane.handle(req);
      // AWS answers an invoke host of no API this way.
      return { status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' };
    }
    const now = this.host.clock.now();
    const requestId = randomUUID();
    const base = traceHeaders(requestId, now);
    const { record } = found;
    const path = req.request.path;
    const slash = path.indexOf('/', 1);
    const stageName = safeDecode(slash < 0 ? path.slice(1) : path.slice(1, slash));
    const inner = slash < 0 ? '/' : path.slice(slash);
    const stage = record.stages.get(stageName);
    // A canary takes its share of the stage's traffic, with its own deployment and stage variable overrides.
    const canary = stage?.canarySettings;
    const toCanary = canary?.deploymentId !== undefined && Math.random() * 100 < (canary.percentTraffic ?? 0);
    const deploymentId = toCanary ? canary?.deploymentId : stage?.deploymentId;
    const deployment = stage ? record.deployments.get(deploymentId ?? '') : undefined;
    // A disabled default endpoint answers Forbidden; a stage that does not exist is a route that does not.
    if (record.api.disableExecuteApiEndpoint) return gatewayResponse(GatewayErrors.forbidden, base);
    if (!stage || !deployment) return gatewayResponse(GatewayErrors.missingToken, base);
    const snapshot = deployment.snapshot;
    let table = this.routes.get(snapshot);
    if (!table) {
      table = new RouteTable(snapshot);
      this.routes.set(snapshot, table);
    }
    const segments = inner.split('/').filter((s) => s !== '').map(safeDecode);
    const route = table.match(segments, req.request.method.toUpperCase());
    const stageVariables = toCanary ? { ...stage.variables, ...canary?.stageVariableOverrides } : { ...stage.variables };
    return this.run({ req, found, snapshot, route, stageName, inner, stageVariables, deploymentId, now, requestId, base, authorize: true, stage });
  }

  /**
   * TestInvokeMethod: runs one method of the API's live definition as the console's test does (no authorization,
   * API keys or throttling), with the stage variables given.
   */
  testInvoke(
    found: { record: ApiRecord; account: string; region: string; usage: UsageStore },
    snapshot: ApiSnapshot,
    route: RouteMatch,
    req: DataPlaneRequest,
    stageVariables: Record<string, string>,
  ): Promise<HttpResponse> {
    const now = this.host.clock.now();
    const requestId = randomUUID();
    const inner = req.request.path;
    return this.run({ req, found, snapshot, route, stageName: 'test-invoke-stage', inner, stageVariables, deploymentId: undefined, now, requestId, base: traceHeaders(requestId, now), authorize: false });
  }

  private async run(r: {
    req: DataPlaneRequest;
    found: { record: ApiRecord; account: string; region: string; usage: UsageStore };
    snapshot: ApiSnapshot;
    route: RouteMatch | undefined;
    stageName: string;
    inner: string;
    stageVariables: Record<string, string>;
    deploymentId: string | undefined;
    now: number;
    requestId: string;
    base: Record<string, string>;
    authorize: boolean;
    /** The stage, for its cache; none for TestInvokeMethod. */
    stage?: Stage;
  }): Promise<HttpResponse> {
    const { req, found, snapshot, route, stageName, inner, stageVariables, now, requestId, base } = r;
    const pathParameters: Record<string, string> = route ? route.pathParameters : {};
    const params = requestParams(req.request.headers, req.request.rawQuery, pathParameters);
    const domainName = req.host;
    const publicPath = domainPathOf(req);
    const context: Record<string, unknown> = {
      resourceId: route?.resource.id,
      resourcePath: route?.resource.path,
      httpMethod: req.request.method.toUpperCase(),
      extendedRequestId: base['x-amz-apigw-id'],
      requestTime: requestTime(now),
      path: publicPath ?? `/${stageName}${inner}`,
      accountId: found.account,
      protocol: 'HTTP/1.1',
      stage: stageName,
      domainPrefix: domainName.split('.')[0]?.split(':')[0] ?? '',
      requestTimeEpoch: now,
      requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: req.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: params.header['user-agent'] ?? null,
        user: null,
      },
      domainName,
      deploymentId: r.deploymentId,
      apiId: req.id,
    };
    const scope: FailureScope = { snapshot, base, params, context, stageVariables };
    if (!route) return this.reply(GatewayErrors.missingToken, scope);
    const denied = r.authorize ? (this.authorize(route.method, req) ?? (await this.customAuthorize(route.method, scope, req, found, stageName, inner))) : undefined;
    if (denied) return this.reply(denied, scope);
    if (r.authorize && route.method.apiKeyRequired) {
      const verdict = found.usage.admit(params.header['x-api-key'], req.id, stageName, now);
      if (!verdict.ok) {
        const error = verdict.reason === 'forbidden' ? GatewayErrors.forbidden : verdict.reason === 'throttled' ? GatewayErrors.throttled : GatewayErrors.quota;
        return this.reply(error, scope);
      }
      const identity = context.identity as Record<string, unknown>;
      identity.apiKey = verdict.key.value;
      identity.apiKeyId = verdict.key.id;
    }
    const integration = route.method.methodIntegration;
    if (!integration) return this.reply(GatewayErrors.internal, scope);
    const invalid = this.validate(route.method, scope, req);
    if (invalid) return this.reply(invalid, scope);
    const inv: Invocation = {
      req,
      account: found.account,
      region: found.region,
      apiId: req.id,
      snapshot,
      route,
      integration,
      params,
      context,
      stageVariables,
      base,
      path: publicPath ?? inner,
    };
    try {
      const cache = r.stage?.cacheClusterEnabled ? cachingFor(r.stage, route.resource.path, route.method.httpMethod ?? '') : undefined;
      if (!cache?.enabled || cache.ttl === 0) return await this.integrate(inv);
      let key = `${req.id}/${stageName}/${r.deploymentId ?? ''}/${route.resource.id}/${req.request.method.toUpperCase()}`;
      for (const p of integration.cacheKeyParameters ?? []) {
        key += `\u0000${mapExpression(p, { params, context, stageVariables }) ?? ''}`;
      }
      const hit = this.stageCache.get(key, now);
      if (hit) return { ...hit, headers: { ...hit.headers, ...base } };
      const response = await this.integrate(inv);
      if (response.status >= 200 && response.status < 300) this.stageCache.set(key, response, now + cache.ttl * 1000);
      return response;
    } catch (err) {
      if (err instanceof TemplateError) {
        this.host.log.warn(`API Gateway ${req.id} ${req.request.method} ${inner}: ${err.message}`);
      } else {
        this.host.log.error(`API Gateway ${req.id} ${req.request.method} ${inner} failed`, err);
      }
      return this.reply(GatewayErrors.internal, scope);
    }
  }

  /**
   * A Lambda authorizer (TOKEN or REQUEST): identity sources, the cached or fresh policy, then its verdict on the
   * method ARN; on success the principal and context land in $context.authorizer.
   */
  private async customAuthorize(
    method: Method,
    scope: FailureScope,
    req: DataPlaneRequest,
    found: { account: string; region: string },
    stage: string,
    inner: string,
  ): Promise<GatewayError | undefined> {
    if (method.authorizationType !== 'CUSTOM') return undefined;
    const authorizer = scope.snapshot.authorizers.get(method.authorizerId ?? '');
    if (!authorizer) return GatewayErrors.authorizerConfiguration;
    const httpMethod = req.request.method.toUpperCase();
    const arn = methodArn(found.region, found.account, req.id, stage, httpMethod, inner);
    const sources = identitySources(authorizer);
    const values: string[] = [];
    for (const source of sources) {
      const v = mapExpression(source, { params: scope.params, context: scope.context, stageVariables: scope.stageVariables });
      if (v === undefined || v === '') return GatewayErrors.unauthorized;
      values.push(v);
    }
    const token = values[0] ?? '';
    if (authorizer.type === 'TOKEN' && authorizer.identityValidationExpression && !new RegExp(`^(?:${authorizer.identityValidationExpression})$`).test(token)) {
      return GatewayErrors.unauthorized;
    }
    const ttl = authorizer.authorizerResultTtlInSeconds ?? 300;
    const cacheKey = `${req.id}/${stage}/${authorizer.id ?? ''}/${values.join('\u0000')}`;
    const now = this.host.clock.now();
    let result = ttl > 0 ? this.authorizerCache.get(cacheKey, now) : undefined;
    if (!result) {
      const event =
        authorizer.type === 'TOKEN'
          ? { type: 'TOKEN', authorizationToken: token, methodArn: arn }
          : {
              type: 'REQUEST',
              methodArn: arn,
              ...proxyEvent({
                resourcePath: String(scope.context.resourcePath ?? ''),
                path: inner,
                httpMethod,
                params: scope.params,
                stageVariables: scope.stageVariables,
                context: scope.context,
                body: Buffer.alloc(0),
                binary: false,
              }),
            };
      delete (event as Record<string, unknown>).body;
      delete (event as Record<string, unknown>).isBase64Encoded;
      const m = LAMBDA_INTEGRATION_URI.exec(substituteStageVariables(authorizer.authorizerUri ?? '', scope.stageVariables));
      const lambda = await this.lambdaInternal();
      if (!m?.[1] || !lambda) return GatewayErrors.authorizerConfiguration;
      let invoked: InvokeResult | typeof TIMED_OUT;
      try {
        invoked = await this.race(29000, lambda.invoke(m[1], JSON.stringify(event)));
      } catch (err) {
        this.host.log.warn(`API Gateway ${req.id}: authorizer invoke failed: ${err instanceof Error ? err.message : String(err)}`);
        return GatewayErrors.authorizerConfiguration;
      }
      if (invoked === TIMED_OUT) return GatewayErrors.authorizerFailure;
      if (invoked.functionError) {
        // A function that fails with "Unauthorized" is how authorizers answer 401.
        const text = invoked.payload.toString('utf8');
        return /"errorMessage"\s*:\s*"Unauthorized"/.test(text) ? GatewayErrors.unauthorized : GatewayErrors.authorizerConfiguration;
      }
      result = parseAuthorizerResult(invoked.payload);
      if (!result) return GatewayErrors.authorizerConfiguration;
      if (ttl > 0) this.authorizerCache.set(cacheKey, result, now + ttl * 1000);
    }
    if (!allows(result, arn)) return GatewayErrors.accessDenied;
    scope.context.authorizer = { ...result.context, principalId: result.principalId ?? null };
    return undefined;
  }

  /** The request validator's verdict (required parameters, body against the model), when the method has one. */
  private validate(method: Method, scope: FailureScope, req: DataPlaneRequest): GatewayError | undefined {
    if (!method.requestValidatorId) return undefined;
    const validator = scope.snapshot.validators.get(method.requestValidatorId);
    if (!validator) return undefined;
    const ct = scope.params.header['content-type'];
    const verdict = validateRequest(
      {
        method,
        validator,
        models: scope.snapshot.models,
        contentType: ct ? (ct.split(';')[0] ?? '').trim().toLowerCase() : 'application/json',
        path: scope.params.path,
        querystring: scope.params.querystring,
        header: scope.params.header,
        body: req.request.body.toString('utf8'),
      },
      this.schemas,
    );
    if (!verdict) return undefined;
    return verdict.type === 'BAD_REQUEST_BODY' ? GatewayErrors.badBody(verdict.message) : GatewayErrors.badParameters(verdict.message);
  }

  /** A gateway error as the API's gateway responses customize it (its type, else DEFAULT_4XX/5XX), else AWS's default. */
  private reply(error: GatewayError, scope: FailureScope): HttpResponse {
    const custom = customizationFor(scope.snapshot.gatewayResponses, error.responseType, error.status);
    if (!custom) return gatewayResponse(error, scope.base);
    const headers: Record<string, string> = { ...scope.base, 'content-type': 'application/json', 'x-amzn-errortype': error.type };
    const context = { ...scope.context, error: { message: error.message, messageString: JSON.stringify(error.message), responseType: error.responseType } };
    for (const [target, source] of Object.entries(custom.responseParameters ?? {})) {
      const value = mapExpression(source, { params: scope.params, context, stageVariables: scope.stageVariables });
      if (value !== undefined) headers[target.slice('gatewayresponse.header.'.length).toLowerCase()] = value;
    }
    const templates = custom.responseTemplates ?? {};
    const type = templates['application/json'] !== undefined ? 'application/json' : Object.keys(templates)[0];
    let body = error.body;
    if (type !== undefined) {
      try {
        body = this.templates.render(templates[type] ?? '', { body: '', params: scope.params, context, stageVariables: scope.stageVariables });
        headers['content-type'] = type;
      } catch (err) {
        this.host.log.warn(`API Gateway gateway response ${error.responseType}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { status: Number(custom.statusCode ?? error.status), headers, body };
  }

  /** AWS_IAM needs a SigV4-signed request (Switchyard does not verify signatures, as elsewhere). */
  private authorize(method: Method, req: DataPlaneRequest): GatewayError | undefined {
    if (method.authorizationType === 'AWS_IAM') {
      const auth = req.request.headers.authorization;
      const signed = typeof auth === 'string' && auth.startsWith('AWS4-HMAC-SHA256 ');
      if (!signed && !/X-Amz-Signature=/i.test(req.request.rawQuery)) return GatewayErrors.missingToken;
    }
    return undefined;
  }

  private async integrate(inv: Invocation): Promise<HttpResponse> {
    const { integration } = inv;
    switch (integration.type) {
      case 'AWS_PROXY':
        return this.lambdaProxy(inv);
      case 'HTTP_PROXY':
        return this.httpProxy(inv);
      default: {
        const requestBody = this.integrationRequestBody(inv);
        if (typeof requestBody !== 'string') return this.reply(requestBody, inv);
        const answer = await this.backend(inv, requestBody);
        if ('type' in answer) return this.reply(answer, inv);
        return this.integrationResponse(inv, answer);
      }
    }
  }

  private scope(inv: Invocation, body: string): TemplateScope {
    return { body, params: inv.params, context: inv.context, stageVariables: inv.stageVariables };
  }

  private contentType(inv: Invocation): string {
    const ct = inv.params.header['content-type'];
    return ct ? (ct.split(';')[0] ?? '').trim().toLowerCase() : 'application/json';
  }

  /** The request template for the content type, or the passthrough behaviour's answer. */
  private integrationRequestBody(inv: Invocation): string | GatewayError {
    const { integration } = inv;
    const templates = integration.requestTemplates ?? {};
    const contentType = this.contentType(inv);
    const template = templates[contentType];
    let raw = inv.req.request.body;
    if (integration.contentHandling === 'CONVERT_TO_TEXT') raw = Buffer.from(raw.toString('base64'), 'utf8');
    else if (integration.contentHandling === 'CONVERT_TO_BINARY') raw = Buffer.from(raw.toString('utf8'), 'base64');
    const body = raw.toString('utf8');
    if (template !== undefined) return this.templates.render(template, this.scope(inv, body));
    const behaviour = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
    const anyTemplates = Object.keys(templates).length > 0;
    if (behaviour === 'NEVER' || (behaviour === 'WHEN_NO_TEMPLATES' && anyTemplates)) return GatewayErrors.unsupportedMediaType;
    return body;
  }

  /** The integration request's parameters from requestParameters (path, query string, headers). */
  private mappedParameters(inv: Invocation): { path: Record<string, string>; query: Record<string, string>; header: Record<string, string> } {
    const out = { path: {} as Record<string, string>, query: {} as Record<string, string>, header: {} as Record<string, string> };
    for (const [target, source] of Object.entries(inv.integration.requestParameters ?? {})) {
      const value = mapExpression(source, {
        params: inv.params,
        context: inv.context,
        stageVariables: inv.stageVariables,
        requestBody: inv.req.request.body.toString('utf8'),
      });
      if (value === undefined) continue;
      const m = /^integration\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(target);
      if (!m?.[2]) continue;
      const kind = m[1] ?? '';
      if (kind === 'path') out.path[m[2]] = value;
      else if (kind.endsWith('querystring')) out.query[m[2]] = value;
      else out.header[m[2]] = value;
    }
    return out;
  }

  private uri(inv: Invocation, pathParams: Record<string, string>): string {
    const uri = substituteStageVariables(inv.integration.uri ?? '', inv.stageVariables);
    return uri.replace(/\{([A-Za-z0-9._-]+)\+?\}/g, (_, name: string) => {
      const v = pathParams[name] ?? inv.params.path[name] ?? '';
      // A greedy value keeps its slashes.
      return v.split('/').map(encodeURIComponent).join('/');
    });
  }

  private timeout(inv: Invocation): number {
    return inv.integration.timeoutInMillis ?? 29000;
  }

  private race<T>(ms: number, work: Promise<T>, onTimeout?: () => void): Promise<T | typeof TIMED_OUT> {
    return new Promise((resolve, reject) => {
      const timer = this.host.clock.setTimer(ms, () => {
        onTimeout?.();
        resolve(TIMED_OUT);
      });
      work.then(
        (v) => {
          timer.cancel();
          resolve(v);
        },
        (e: unknown) => {
          timer.cancel();
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  private lambdaInternal(): Promise<LambdaInternal | undefined> {
    this.lambda ??= this.host.provider('lambda').then((p) => p?.internal as LambdaInternal | undefined);
    return this.lambda;
  }

  /** Invokes the function the URI names; undefined when Lambda or the function is missing (AWS answers 500). */
  private async invokeLambda(inv: Invocation, payload: string): Promise<InvokeResult | typeof TIMED_OUT | undefined> {
    const m = LAMBDA_INTEGRATION_URI.exec(substituteStageVariables(inv.integration.uri ?? '', inv.stageVariables));
    const lambda = await this.lambdaInternal();
    if (!m?.[1] || !lambda) return undefined;
    try {
      return await this.race(this.timeout(inv), lambda.invoke(m[1], payload));
    } catch (err) {
      if (err instanceof ServiceError) {
        this.host.log.warn(`API Gateway ${inv.apiId}: Lambda invoke failed: ${err.code}: ${err.message}`);
        return undefined;
      }
      throw err;
    }
  }

  private async lambdaProxy(inv: Invocation): Promise<HttpResponse> {
    const body = inv.req.request.body;
    const binary = matchesMediaType(inv.snapshot.binaryMediaTypes, this.contentType(inv)) && inv.params.header['content-type'] !== undefined;
    const event = proxyEvent({
      resourcePath: inv.route.resource.path,
      path: inv.path,
      httpMethod: inv.req.request.method.toUpperCase(),
      params: inv.params,
      stageVariables: inv.stageVariables,
      context: inv.context,
      body,
      binary,
    });
    const result = await this.invokeLambda(inv, JSON.stringify(event));
    if (result === TIMED_OUT) return this.reply(GatewayErrors.timeout, inv);
    if (!result) return this.reply(GatewayErrors.internal, inv);
    if (result.functionError) return this.reply(GatewayErrors.badGateway, inv);
    const response = proxyResponse(result.payload, inv.base);
    if (!response) {
      this.host.log.warn(`API Gateway ${inv.apiId}: malformed Lambda proxy response`);
      return this.reply(GatewayErrors.badGateway, inv);
    }
    return response;
  }

  private async fetchBackend(
    inv: Invocation,
    url: string,
    init: { method: string; headers: Record<string, string>; body: Buffer | string | undefined },
  ): Promise<{ status: number; headers: Headers; body: Buffer } | GatewayError> {
    const abort = new AbortController();
    const work = (async () => {
      const res = await fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.method === 'GET' || init.method === 'HEAD' ? undefined : init.body,
        signal: abort.signal,
        redirect: 'manual',
      });
      return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
    })();
    try {
      const r = await this.race(this.timeout(inv), work, () => abort.abort());
      if (r === TIMED_OUT) {
        work.catch(() => undefined);
        return GatewayErrors.timeout;
      }
      return r;
    } catch (err) {
      this.host.log.warn(`API Gateway ${inv.apiId}: HTTP backend ${url} failed: ${err instanceof Error ? err.message : String(err)}`);
      return GatewayErrors.internal;
    }
  }

  private async httpProxy(inv: Invocation): Promise<HttpResponse> {
    const mapped = this.mappedParameters(inv);
    const url = new URL(this.uri(inv, mapped.path));
    for (const [k, values] of Object.entries(inv.params.multiQuerystring)) for (const v of values) url.searchParams.append(k, v);
    for (const [k, v] of Object.entries(mapped.query)) url.searchParams.set(k, v);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(inv.params.header)) if (!HOP_HEADERS.has(k)) headers[k] = v;
    for (const [k, v] of Object.entries(mapped.header)) headers[k.toLowerCase()] = v;
    headers['x-forwarded-for'] = inv.req.sourceIp;
    const method = inv.integration.httpMethod === 'ANY' ? inv.req.request.method.toUpperCase() : (inv.integration.httpMethod ?? 'GET');
    const r = await this.fetchBackend(inv, url.toString(), { method, headers, body: inv.req.request.body });
    if ('type' in r) return this.reply(r, inv);
    const out: Record<string, string | string[]> = { ...inv.base };
    r.headers.forEach((v, k) => {
      if (!HOP_HEADERS.has(k) && k !== 'content-encoding' && k !== 'set-cookie') out[k] = v;
    });
    const cookies = r.headers.getSetCookie();
    if (cookies.length) out['set-cookie'] = cookies;
    return { status: r.status, headers: out, body: r.body };
  }

  /** Runs a non-proxy integration (MOCK, AWS, HTTP) with the mapped request body. */
  private async backend(inv: Invocation, body: string): Promise<BackendAnswer | GatewayError> {
    const { integration } = inv;
    if (integration.type === 'MOCK') {
      let status = 200;
      try {
        const parsed = JSON.parse(body) as unknown;
        const code = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>).statusCode : undefined;
        if (typeof code === 'number' || (typeof code === 'string' && /^\d+$/.test(code))) status = Number(code);
      } catch {
        // A MOCK request body that is not JSON selects the default response.
      }
      return { status, headers: {}, body: '', selector: String(status) };
    }
    const mapped = this.mappedParameters(inv);
    if (integration.type === 'HTTP') {
      const url = new URL(this.uri(inv, mapped.path));
      for (const [k, v] of Object.entries(mapped.query)) url.searchParams.set(k, v);
      const headers: Record<string, string> = { 'content-type': this.contentType(inv), ...lower(mapped.header) };
      const r = await this.fetchBackend(inv, url.toString(), { method: integration.httpMethod ?? 'GET', headers, body });
      if ('type' in r) return r;
      const h: Record<string, string> = {};
      r.headers.forEach((v, k) => (h[k] = v));
      return { status: r.status, headers: h, body: r.body.toString('utf8'), selector: String(r.status) };
    }
    // AWS: Lambda (custom integration) or another service.
    const uri = substituteStageVariables(integration.uri ?? '', inv.stageVariables);
    const m = AWS_INTEGRATION_URI.exec(uri);
    if (m?.[2] === 'lambda') {
      const result = await this.invokeLambda(inv, body);
      if (result === TIMED_OUT) return GatewayErrors.timeout;
      if (!result) return GatewayErrors.internal;
      const payload = result.payload.toString('utf8');
      if (result.functionError) {
        let message = '';
        try {
          const parsed = JSON.parse(payload) as { errorMessage?: unknown };
          message = typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '';
        } catch {
          message = payload;
        }
        return { status: 200, headers: {}, body: payload, selector: message, lambdaError: true };
      }
      return { status: 200, headers: {}, body: payload, selector: '' };
    }
    const service = AWS_INTEGRATION_SERVICES.get(m?.[2] ?? '');
    if (!m || !service) return GatewayErrors.internal;
    const abort = new AbortController();
    const answer = await this.race(
      this.timeout(inv),
      callService(this.host, {
        service,
        region: m[1] ?? inv.region,
        account: inv.account,
        form: m[3] === 'action' ? 'action' : 'path',
        target: m[4] ?? '',
        httpMethod: integration.httpMethod ?? 'POST',
        headers: mapped.header,
        query: mapped.query,
        body,
        host: inv.req.host,
        signal: abort.signal,
      }),
      () => abort.abort(),
    );
    if (answer === TIMED_OUT) return GatewayErrors.timeout;
    return { ...answer, selector: String(answer.status) };
  }

  /** Selects the integration response (selection patterns, then the default) and maps status, headers and body. */
  private integrationResponse(inv: Invocation, answer: BackendAnswer): HttpResponse {
    const responses = Object.values(inv.integration.integrationResponses ?? {});
    let chosen: IntegrationResponse | undefined;
    for (const r of responses) {
      if (!r.selectionPattern) continue;
      if (answer.selector === '') break;
      if (new RegExp(`^(?:${r.selectionPattern})$`).test(answer.selector)) {
        chosen = r;
        break;
      }
    }
    if (!chosen && answer.lambdaError) {
      // A function error no pattern selects is an integration failure on AWS.
      return this.reply(GatewayErrors.badGateway, inv);
    }
    chosen ??= responses.find((r) => !r.selectionPattern);
    if (!chosen) {
      this.host.log.warn(`API Gateway ${inv.apiId}: no match for output mapping and no default output mapping configured`);
      return this.reply(GatewayErrors.internal, inv);
    }
    const headers: Record<string, string> = { ...inv.base };
    for (const [target, source] of Object.entries(chosen.responseParameters ?? {})) {
      const value = mapExpression(source, {
        responseHeaders: answer.headers,
        responseBody: answer.body,
        context: inv.context,
        stageVariables: inv.stageVariables,
      });
      if (value !== undefined) headers[target.slice('method.response.header.'.length).toLowerCase()] = value;
    }
    const templates = chosen.responseTemplates ?? {};
    const accept = (inv.params.header.accept ?? '').split(',').map((s) => (s.split(';')[0] ?? '').trim());
    const type = accept.find((a) => templates[a] !== undefined) ?? (templates['application/json'] !== undefined ? 'application/json' : Object.keys(templates)[0]);
    let body = answer.body;
    if (type !== undefined) {
      const template = templates[type] ?? '';
      body = template === '' ? '' : this.templates.render(template, this.scope(inv, answer.body));
    }
    headers['content-type'] ??= type ?? 'application/json';
    return { status: Number(chosen.statusCode ?? '200'), headers, body };
  }
}

function lower(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}
