// The API Gateway v2 control plane: APIs, routes, route responses, integrations, authorizers, deployments, stages and
// tags, with AWS's validation. Every change to an API's definition redeploys the stages that have AutoDeploy.
import type {
  AccessLogSettings,
  Api,
  Authorizer,
  CreateApiRequest,
  CreateAuthorizerRequest,
  CreateDeploymentRequest,
  CreateIntegrationRequest,
  CreateRouteRequest,
  CreateRouteResponseRequest,
  CreateStageRequest,
  Deployment,
  ExportApiRequest,
  ImportApiRequest,
  Integration,
  IntegrationResponse,
  CreateIntegrationResponseRequest,
  UpdateIntegrationResponseRequest,
  ReimportApiRequest,
  Route,
  RouteResponse,
  RouteSettings,
  Stage,
  UpdateApiRequest,
  UpdateAuthorizerRequest,
  UpdateIntegrationRequest,
  UpdateRouteRequest,
  UpdateStageRequest,
} from '@aws-sdk/client-apigatewayv2';
import { parse as parseVelocity } from 'velocityjs';
import type { RequestContext } from '../../../core/context.js';
import { RegionalStores } from '../../../core/stores.js';
import { validateAccessLogSettings } from './access-logs.js';
import { V2Errors } from './errors.js';
import { functionArnOf, validateIntegration } from './integration-settings.js';
import { validateHttpRouteKey } from './route-keys.js';
import { readOpenApi, toYaml, writeOpenApi, type ImportPlan } from './openapi.js';
import { ApiStore, freeze, newId, type ApiRecord } from './store.js';

const HTTP_ROUTE_SELECTION = '$request.method $request.path';

export interface Page<T> {
  readonly Items: T[];
  readonly NextToken?: string;
}

export function page<T>(all: readonly T[], maxResults: string | undefined, nextToken: string | undefined): Page<T> {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw V2Errors.badRequest('Invalid pagination token specified.');
  const max = maxResults === undefined ? all.length : Number(maxResults);
  if (!Number.isInteger(max) || max < 1 || max > 500) {
    throw V2Errors.badRequest('Invalid MaxResults specified. MaxResults must be an integer between 1 and 500.');
  }
  const items = all.slice(start, start + max);
  const next = start + items.length;
  return next < all.length ? { Items: items, NextToken: Buffer.from(String(next)).toString('base64') } : { Items: items };
}

function required<T>(value: T | undefined | null, name: string): T {
  if (value === undefined || value === null || value === '') throw V2Errors.badRequest(`${name} is required`);
  return value;
}

function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

export class ControlPlane {
  readonly stores = new RegionalStores((account, region) => new ApiStore(account, region));

  /** The API behind an invoke URL, in whichever account and region owns the id. */
  findApi(apiId: string): ApiRecord | undefined {
    for (const store of this.stores.all()) {
      const record = store.apis.get(apiId);
      if (record) return record;
    }
    return undefined;
  }

  private store(ctx: RequestContext): ApiStore {
    return this.stores.get(ctx.account, ctx.region);
  }

  private api(ctx: RequestContext, apiId: string | undefined): ApiRecord {
    return this.store(ctx).get(apiId ?? '');
  }

  private isHttp(record: ApiRecord): boolean {
    return record.api.ProtocolType === 'HTTP';
  }

  // ---- APIs ----

  createApi(ctx: RequestContext, input: CreateApiRequest): Api {
    const name = required(input.Name, 'Name');
    const protocol = required(input.ProtocolType, 'ProtocolType');
    if (protocol !== 'HTTP' && protocol !== 'WEBSOCKET') {
      throw V2Errors.badRequest(`Invalid ProtocolType specified: ${protocol}. Valid values are HTTP and WEBSOCKET.`);
    }
    if (name.length > 128) throw V2Errors.badRequest('Name must be 128 characters or fewer.');
    if (protocol === 'WEBSOCKET') {
      if (!input.RouteSelectionExpression) throw V2Errors.badRequest('RouteSelectionExpression is required for WEBSOCKET APIs.');
      if (input.Target || input.RouteKey) throw V2Errors.badRequest('Quick create (Target, RouteKey) is supported only for HTTP APIs.');
      if (input.CorsConfiguration) throw V2Errors.badRequest('CorsConfiguration is supported only for HTTP APIs.');
    } else if (input.RouteSelectionExpression && input.RouteSelectionExpression !== HTTP_ROUTE_SELECTION) {
      throw V2Errors.badRequest(`The only supported RouteSelectionExpression for HTTP APIs is ${HTTP_ROUTE_SELECTION}.`);
    }
    if (input.RouteKey && !input.Target) throw V2Errors.badRequest('RouteKey is supported only with Target (quick create).');
    if (input.RouteKey) validateHttpRouteKey(input.RouteKey);
    if (input.CorsConfiguration) validateCors(input.CorsConfiguration);
    const apiId = newId(10);
    const port = /:(\d+)$/.exec(ctx.host)?.[1];
    const scheme = protocol === 'HTTP' ? 'http' : 'ws';
    const api: Api = defined({
      ApiId: apiId,
      Name: name,
      ProtocolType: protocol,
      ApiEndpoint: `${scheme}://${apiId}.execute-api.localhost${port ? `:${port}` : ''}`,
      ApiKeySelectionExpression: input.ApiKeySelectionExpression ?? '$request.header.x-api-key',
      RouteSelectionExpression: input.RouteSelectionExpression ?? HTTP_ROUTE_SELECTION,
      CorsConfiguration: input.CorsConfiguration,
      Description: input.Description,
      DisableSchemaValidation: input.DisableSchemaValidation,
      DisableExecuteApiEndpoint: input.DisableExecuteApiEndpoint ?? false,
      IpAddressType: input.IpAddressType ?? 'ipv4',
      Version: input.Version,
      CreatedDate: new Date(ctx.clock.now()),
      Tags: input.Tags ?? {},
    });
    const record = this.store(ctx).add(api);
    record.definition.cors = input.CorsConfiguration;
    record.definition.routeSelectionExpression = api.RouteSelectionExpression;
    if (input.Target) this.quickCreate(ctx, record, input.Target, input.RouteKey ?? '$default', input.CredentialsArn);
    return api;
  }

  private quickCreate(ctx: RequestContext, record: ApiRecord, target: string, routeKey: string, credentials: string | undefined): void {
    const isHttp = /^https?:\/\//.test(target);
    const integration = this.addIntegration(ctx, record, {
      IntegrationType: isHttp ? 'HTTP_PROXY' : 'AWS_PROXY',
      IntegrationUri: target,
      PayloadFormatVersion: isHttp ? '1.0' : '2.0',
      ...(isHttp ? { IntegrationMethod: 'ANY' } : {}),
      ...(credentials ? { CredentialsArn: credentials } : {}),
    }, true);
    this.addRoute(record, { RouteKey: routeKey, Target: `integrations/${integration.IntegrationId}` }, true);
    const now = new Date(ctx.clock.now());
    record.stages.set('$default', {
      StageName: '$default',
      AutoDeploy: true,
      ApiGatewayManaged: true,
      CreatedDate: now,
      LastUpdatedDate: now,
      DefaultRouteSettings: { DetailedMetricsEnabled: false },
      RouteSettings: {},
      StageVariables: {},
      Tags: {},
    });
    this.changed(ctx, record);
  }

  getApi(ctx: RequestContext, input: { ApiId?: string }): Api {
    return this.api(ctx, input.ApiId).api;
  }

  getApis(ctx: RequestContext, input: { MaxResults?: string; NextToken?: string }): Page<Api> {
    return page([...this.store(ctx).apis.values()].map((r) => r.api), input.MaxResults, input.NextToken);
  }

  updateApi(ctx: RequestContext, input: UpdateApiRequest): Api {
    const record = this.api(ctx, input.ApiId);
    const api = record.api;
    if (input.Target || input.RouteKey) throw V2Errors.badRequest('Target and RouteKey can be set only when an API is created.');
    if (input.CorsConfiguration) {
      if (!this.isHttp(record)) throw V2Errors.badRequest('CorsConfiguration is supported only for HTTP APIs.');
      validateCors(input.CorsConfiguration);
      api.CorsConfiguration = input.CorsConfiguration;
      record.definition.cors = input.CorsConfiguration;
    }
    if (input.RouteSelectionExpression !== undefined) {
      if (this.isHttp(record) && input.RouteSelectionExpression !== HTTP_ROUTE_SELECTION) {
        throw V2Errors.badRequest(`The only supported RouteSelectionExpression for HTTP APIs is ${HTTP_ROUTE_SELECTION}.`);
      }
      api.RouteSelectionExpression = input.RouteSelectionExpression;
      record.definition.routeSelectionExpression = input.RouteSelectionExpression;
    }
    if (input.Name !== undefined) api.Name = input.Name;
    if (input.Description !== undefined) api.Description = input.Description;
    if (input.Version !== undefined) api.Version = input.Version;
    if (input.ApiKeySelectionExpression !== undefined) api.ApiKeySelectionExpression = input.ApiKeySelectionExpression;
    if (input.DisableExecuteApiEndpoint !== undefined) api.DisableExecuteApiEndpoint = input.DisableExecuteApiEndpoint;
    if (input.DisableSchemaValidation !== undefined) api.DisableSchemaValidation = input.DisableSchemaValidation;
    if (input.IpAddressType !== undefined) api.IpAddressType = input.IpAddressType;
    this.changed(ctx, record);
    return api;
  }

  deleteApi(ctx: RequestContext, input: { ApiId?: string }): ApiRecord {
    return this.store(ctx).delete(input.ApiId ?? '');
  }

  deleteCorsConfiguration(ctx: RequestContext, input: { ApiId?: string }): void {
    const record = this.api(ctx, input.ApiId);
    delete record.api.CorsConfiguration;
    record.definition.cors = undefined;
    this.changed(ctx, record);
  }

  // ---- routes ----

  createRoute(ctx: RequestContext, input: CreateRouteRequest): Route {
    const record = this.api(ctx, input.ApiId);
    const route = this.addRoute(record, input, false);
    this.changed(ctx, record);
    return route;
  }

  private addRoute(record: ApiRecord, input: Omit<CreateRouteRequest, 'ApiId'>, managed: boolean): Route {
    if (!input.RouteKey) throw V2Errors.badRequest('Route key is required');
    const key = input.RouteKey;
    if (this.isHttp(record)) validateHttpRouteKey(key);
    for (const r of record.definition.routes.values()) {
      if (r.RouteKey === key) throw V2Errors.conflict(`Route with key ${key} already exists for this API`);
    }
    this.checkRouteSettings(record, input, key);
    const route: Route = defined({
      RouteId: newId(7),
      RouteKey: key,
      ApiKeyRequired: input.ApiKeyRequired ?? false,
      AuthorizationType: input.AuthorizationType ?? 'NONE',
      AuthorizationScopes: input.AuthorizationScopes,
      AuthorizerId: input.AuthorizerId,
      ModelSelectionExpression: input.ModelSelectionExpression,
      OperationName: input.OperationName,
      RequestModels: input.RequestModels,
      RequestParameters: input.RequestParameters,
      RouteResponseSelectionExpression: input.RouteResponseSelectionExpression,
      Target: input.Target,
      ApiGatewayManaged: managed || undefined,
    });
    record.definition.routes.set(route.RouteId ?? '', route);
    return route;
  }

  private checkRouteSettings(record: ApiRecord, route: Omit<CreateRouteRequest, 'ApiId' | 'RouteKey'>, routeKey: string | undefined): void {
    if (route.Target !== undefined) {
      const m = /^integrations\/([a-z0-9]+)$/.exec(route.Target);
      if (!m || !record.definition.integrations.has(m[1] ?? '')) {
        throw V2Errors.badRequest(`Invalid target ${route.Target}. A target must be integrations/INTEGRATION_ID of an integration of this API.`);
      }
    }
    const type = route.AuthorizationType;
    if (type !== undefined && !['NONE', 'JWT', 'CUSTOM', 'AWS_IAM'].includes(type)) {
      throw V2Errors.badRequest(`Invalid AuthorizationType specified: ${type}. Valid values are NONE, JWT, CUSTOM and AWS_IAM.`);
    }
    if (this.isHttp(record) && route.RouteResponseSelectionExpression !== undefined) {
      throw V2Errors.badRequest('RouteResponseSelectionExpression is supported only for WebSocket APIs.');
    }
    if (type === 'JWT' || type === 'CUSTOM') {
      const authorizer = record.definition.authorizers.get(route.AuthorizerId ?? '');
      if (!authorizer) throw V2Errors.badRequest(`AuthorizerId is required and must name an authorizer of this API when AuthorizationType is ${type}.`);
      const expected = type === 'JWT' ? 'JWT' : 'REQUEST';
      if (authorizer.AuthorizerType !== expected) {
        throw V2Errors.badRequest(`Authorizer ${authorizer.AuthorizerId} is of type ${authorizer.AuthorizerType}; AuthorizationType ${type} needs a ${expected} authorizer.`);
      }
    }
    if (!this.isHttp(record) && type !== undefined && type !== 'NONE' && routeKey !== '$connect') {
      throw V2Errors.badRequest('Only the $connect route of a WebSocket API supports authorization.');
    }
    if (route.ApiKeyRequired) throw V2Errors.badRequest('API keys (ApiKeyRequired) are not supported by Switchyard for API Gateway v2.');
    if (Object.keys(route.RequestParameters ?? {}).length || Object.keys(route.RequestModels ?? {}).length) {
      throw V2Errors.badRequest('Route RequestParameters and RequestModels are not supported by Switchyard.');
    }
    if (route.AuthorizationScopes?.length && type !== 'JWT') {
      throw V2Errors.badRequest('AuthorizationScopes are supported only with the JWT authorization type.');
    }
  }

  getRoute(ctx: RequestContext, input: { ApiId?: string; RouteId?: string }): Route {
    return this.route(this.api(ctx, input.ApiId), input.RouteId);
  }

  private route(record: ApiRecord, routeId: string | undefined): Route {
    const route = record.definition.routes.get(routeId ?? '');
    if (!route) throw V2Errors.resourceNotFound('Route', routeId ?? '');
    return route;
  }

  getRoutes(ctx: RequestContext, input: { ApiId?: string; MaxResults?: string; NextToken?: string }): Page<Route> {
    return page([...this.api(ctx, input.ApiId).definition.routes.values()], input.MaxResults, input.NextToken);
  }

  updateRoute(ctx: RequestContext, input: UpdateRouteRequest): Route {
    const record = this.api(ctx, input.ApiId);
    const route = this.route(record, input.RouteId);
    if (input.RouteKey !== undefined && input.RouteKey !== route.RouteKey) {
      if (route.ApiGatewayManaged) throw V2Errors.badRequest('The route key of a route managed by API Gateway cannot be changed.');
      if (this.isHttp(record)) validateHttpRouteKey(input.RouteKey);
      for (const r of record.definition.routes.values()) {
        if (r.RouteKey === input.RouteKey) throw V2Errors.conflict(`Route with key ${input.RouteKey} already exists for this API`);
      }
    }
    const merged = { ...route, ...defined({ ...input, ApiId: undefined, RouteId: undefined }) };
    this.checkRouteSettings(record, merged, merged.RouteKey);
    Object.assign(route, defined({ ...input, ApiId: undefined, RouteId: undefined }));
    if (route.AuthorizationType === 'NONE') {
      delete route.AuthorizerId;
      delete route.AuthorizationScopes;
    }
    this.changed(ctx, record);
    return route;
  }

  deleteRoute(ctx: RequestContext, input: { ApiId?: string; RouteId?: string }): void {
    const record = this.api(ctx, input.ApiId);
    this.route(record, input.RouteId);
    record.definition.routes.delete(input.RouteId ?? '');
    record.definition.routeResponses.delete(input.RouteId ?? '');
    this.changed(ctx, record);
  }

  // ---- route responses (WebSocket two-way routes) ----

  createRouteResponse(ctx: RequestContext, input: CreateRouteResponseRequest): RouteResponse {
    const record = this.api(ctx, input.ApiId);
    if (this.isHttp(record)) throw V2Errors.badRequest('Route responses are supported only for WebSocket APIs.');
    this.route(record, input.RouteId);
    const key = required(input.RouteResponseKey, 'RouteResponseKey');
    if (key !== '$default') throw V2Errors.badRequest('Only the $default route response key is supported for WebSocket APIs.');
    const responses = record.definition.routeResponses.get(input.RouteId ?? '') ?? new Map<string, RouteResponse>();
    for (const r of responses.values()) {
      if (r.RouteResponseKey === key) throw V2Errors.conflict(`Route response with key ${key} already exists for this route`);
    }
    const response: RouteResponse = defined({
      RouteResponseId: newId(6),
      RouteResponseKey: key,
      ModelSelectionExpression: input.ModelSelectionExpression,
      ResponseModels: input.ResponseModels,
      ResponseParameters: input.ResponseParameters,
    });
    responses.set(response.RouteResponseId ?? '', response);
    record.definition.routeResponses.set(input.RouteId ?? '', responses);
    this.changed(ctx, record);
    return response;
  }

  private routeResponse(record: ApiRecord, routeId: string | undefined, id: string | undefined): RouteResponse {
    this.route(record, routeId);
    const r = record.definition.routeResponses.get(routeId ?? '')?.get(id ?? '');
    if (!r) throw V2Errors.resourceNotFound('RouteResponse', id ?? '');
    return r;
  }

  getRouteResponse(ctx: RequestContext, input: { ApiId?: string; RouteId?: string; RouteResponseId?: string }): RouteResponse {
    return this.routeResponse(this.api(ctx, input.ApiId), input.RouteId, input.RouteResponseId);
  }

  getRouteResponses(ctx: RequestContext, input: { ApiId?: string; RouteId?: string; MaxResults?: string; NextToken?: string }): Page<RouteResponse> {
    const record = this.api(ctx, input.ApiId);
    this.route(record, input.RouteId);
    return page([...(record.definition.routeResponses.get(input.RouteId ?? '')?.values() ?? [])], input.MaxResults, input.NextToken);
  }

  deleteRouteResponse(ctx: RequestContext, input: { ApiId?: string; RouteId?: string; RouteResponseId?: string }): void {
    const record = this.api(ctx, input.ApiId);
    this.routeResponse(record, input.RouteId, input.RouteResponseId);
    record.definition.routeResponses.get(input.RouteId ?? '')?.delete(input.RouteResponseId ?? '');
    this.changed(ctx, record);
  }

  // ---- integrations ----

  createIntegration(ctx: RequestContext, input: CreateIntegrationRequest): Integration {
    const record = this.api(ctx, input.ApiId);
    const integration = this.addIntegration(ctx, record, input, false);
    this.changed(ctx, record);
    return integration;
  }

  private addIntegration(ctx: RequestContext, record: ApiRecord, input: Omit<CreateIntegrationRequest, 'ApiId'>, managed: boolean): Integration {
    const http = this.isHttp(record);
    const type = required(input.IntegrationType, 'IntegrationType');
    const integration: Integration = defined({
      IntegrationId: newId(7),
      IntegrationType: type,
      IntegrationSubtype: input.IntegrationSubtype,
      IntegrationUri: input.IntegrationUri,
      IntegrationMethod: input.IntegrationMethod ?? (type === 'AWS_PROXY' && !input.IntegrationSubtype ? 'POST' : undefined),
      PayloadFormatVersion: input.PayloadFormatVersion ?? (http ? undefined : '1.0'),
      ConnectionType: input.ConnectionType ?? 'INTERNET',
      ConnectionId: input.ConnectionId,
      CredentialsArn: input.CredentialsArn,
      Description: input.Description,
      PassthroughBehavior: http ? undefined : input.PassthroughBehavior ?? 'WHEN_NO_MATCH',
      RequestParameters: input.RequestParameters,
      RequestTemplates: input.RequestTemplates,
      ResponseParameters: input.ResponseParameters,
      TemplateSelectionExpression: input.TemplateSelectionExpression,
      ContentHandlingStrategy: input.ContentHandlingStrategy,
      TimeoutInMillis: input.TimeoutInMillis ?? (http ? 30000 : 29000),
      TlsConfig: input.TlsConfig,
      ApiGatewayManaged: managed || undefined,
    });
    validateIntegration(integration, http);
    record.definition.integrations.set(integration.IntegrationId ?? '', integration);
    return integration;
  }

  private integration(record: ApiRecord, id: string | undefined): Integration {
    const integration = record.definition.integrations.get(id ?? '');
    if (!integration) throw V2Errors.resourceNotFound('Integration', id ?? '');
    return integration;
  }

  getIntegration(ctx: RequestContext, input: { ApiId?: string; IntegrationId?: string }): Integration {
    return this.integration(this.api(ctx, input.ApiId), input.IntegrationId);
  }

  getIntegrations(ctx: RequestContext, input: { ApiId?: string; MaxResults?: string; NextToken?: string }): Page<Integration> {
    return page([...this.api(ctx, input.ApiId).definition.integrations.values()], input.MaxResults, input.NextToken);
  }

  updateIntegration(ctx: RequestContext, input: UpdateIntegrationRequest): Integration {
    const record = this.api(ctx, input.ApiId);
    const integration = this.integration(record, input.IntegrationId);
    const changes = defined({ ...input, ApiId: undefined, IntegrationId: undefined });
    const merged: Integration = { ...integration, ...changes };
    validateIntegration(merged, this.isHttp(record));
    Object.assign(integration, changes);
    this.changed(ctx, record);
    return integration;
  }

  deleteIntegration(ctx: RequestContext, input: { ApiId?: string; IntegrationId?: string }): void {
    const record = this.api(ctx, input.ApiId);
    const integration = this.integration(record, input.IntegrationId);
    if (integration.ApiGatewayManaged) throw V2Errors.badRequest('An integration managed by API Gateway cannot be deleted.');
    for (const r of record.definition.routes.values()) {
      if (r.Target === `integrations/${integration.IntegrationId}`) {
        throw V2Errors.conflict(`Integration ${integration.IntegrationId} is in use by route ${r.RouteId}. Remove the route's target first.`);
      }
    }
    record.definition.integrations.delete(integration.IntegrationId ?? '');
    this.changed(ctx, record);
  }

  // ---- integration responses (WebSocket MOCK integrations) ----

  createIntegrationResponse(ctx: RequestContext, input: CreateIntegrationResponseRequest): IntegrationResponse {
    const record = this.api(ctx, input.ApiId);
    if (this.isHttp(record)) throw V2Errors.badRequest('Integration responses are supported only for WebSocket APIs.');
    const integration = this.integration(record, input.IntegrationId);
    const key = required(input.IntegrationResponseKey, 'IntegrationResponseKey');
    const responses = record.definition.integrationResponses.get(integration.IntegrationId ?? '') ?? new Map<string, IntegrationResponse>();
    for (const r of responses.values()) {
      if (r.IntegrationResponseKey === key) throw V2Errors.conflict(`Integration response with key ${key} already exists for this integration`);
    }
    const response: IntegrationResponse = defined({
      IntegrationResponseId: newId(6),
      IntegrationResponseKey: key,
      ResponseTemplates: input.ResponseTemplates,
      TemplateSelectionExpression: input.TemplateSelectionExpression,
      ContentHandlingStrategy: input.ContentHandlingStrategy,
      ResponseParameters: input.ResponseParameters,
    });
    validateIntegrationResponse(response);
    responses.set(response.IntegrationResponseId ?? '', response);
    record.definition.integrationResponses.set(integration.IntegrationId ?? '', responses);
    this.changed(ctx, record);
    return response;
  }

  private integrationResponse(record: ApiRecord, integrationId: string | undefined, id: string | undefined): IntegrationResponse {
    this.integration(record, integrationId);
    const r = record.definition.integrationResponses.get(integrationId ?? '')?.get(id ?? '');
    if (!r) throw V2Errors.resourceNotFound('IntegrationResponse', id ?? '');
    return r;
  }

  getIntegrationResponse(ctx: RequestContext, input: { ApiId?: string; IntegrationId?: string; IntegrationResponseId?: string }): IntegrationResponse {
    return this.integrationResponse(this.api(ctx, input.ApiId), input.IntegrationId, input.IntegrationResponseId);
  }

  getIntegrationResponses(ctx: RequestContext, input: { ApiId?: string; IntegrationId?: string; MaxResults?: string; NextToken?: string }): Page<IntegrationResponse> {
    const record = this.api(ctx, input.ApiId);
    this.integration(record, input.IntegrationId);
    return page([...(record.definition.integrationResponses.get(input.IntegrationId ?? '')?.values() ?? [])], input.MaxResults, input.NextToken);
  }

  updateIntegrationResponse(ctx: RequestContext, input: UpdateIntegrationResponseRequest): IntegrationResponse {
    const record = this.api(ctx, input.ApiId);
    const response = this.integrationResponse(record, input.IntegrationId, input.IntegrationResponseId);
    const changes = defined({ ...input, ApiId: undefined, IntegrationId: undefined, IntegrationResponseId: undefined });
    validateIntegrationResponse({ ...response, ...changes });
    Object.assign(response, changes);
    this.changed(ctx, record);
    return response;
  }

  deleteIntegrationResponse(ctx: RequestContext, input: { ApiId?: string; IntegrationId?: string; IntegrationResponseId?: string }): void {
    const record = this.api(ctx, input.ApiId);
    this.integrationResponse(record, input.IntegrationId, input.IntegrationResponseId);
    record.definition.integrationResponses.get(input.IntegrationId ?? '')?.delete(input.IntegrationResponseId ?? '');
    this.changed(ctx, record);
  }

  // ---- authorizers ----

  createAuthorizer(ctx: RequestContext, input: CreateAuthorizerRequest): Authorizer {
    const record = this.api(ctx, input.ApiId);
    const authorizer = this.addAuthorizer(record, input);
    this.changed(ctx, record);
    return authorizer;
  }

  private addAuthorizer(record: ApiRecord, input: Omit<CreateAuthorizerRequest, 'ApiId'>): Authorizer {
    const authorizer: Authorizer = defined({
      AuthorizerId: newId(6),
      Name: required(input.Name, 'Name'),
      AuthorizerType: required(input.AuthorizerType, 'AuthorizerType'),
      IdentitySource: input.IdentitySource,
      JwtConfiguration: input.JwtConfiguration,
      AuthorizerUri: input.AuthorizerUri,
      AuthorizerCredentialsArn: input.AuthorizerCredentialsArn,
      AuthorizerPayloadFormatVersion: input.AuthorizerPayloadFormatVersion,
      AuthorizerResultTtlInSeconds: input.AuthorizerResultTtlInSeconds,
      EnableSimpleResponses: input.EnableSimpleResponses,
      IdentityValidationExpression: input.IdentityValidationExpression,
    });
    validateAuthorizer(authorizer, this.isHttp(record));
    record.definition.authorizers.set(authorizer.AuthorizerId ?? '', authorizer);
    return authorizer;
  }

  private authorizer(record: ApiRecord, id: string | undefined): Authorizer {
    const a = record.definition.authorizers.get(id ?? '');
    if (!a) throw V2Errors.resourceNotFound('Authorizer', id ?? '');
    return a;
  }

  getAuthorizer(ctx: RequestContext, input: { ApiId?: string; AuthorizerId?: string }): Authorizer {
    return this.authorizer(this.api(ctx, input.ApiId), input.AuthorizerId);
  }

  getAuthorizers(ctx: RequestContext, input: { ApiId?: string; MaxResults?: string; NextToken?: string }): Page<Authorizer> {
    return page([...this.api(ctx, input.ApiId).definition.authorizers.values()], input.MaxResults, input.NextToken);
  }

  updateAuthorizer(ctx: RequestContext, input: UpdateAuthorizerRequest): Authorizer {
    const record = this.api(ctx, input.ApiId);
    const authorizer = this.authorizer(record, input.AuthorizerId);
    const changes = defined({ ...input, ApiId: undefined, AuthorizerId: undefined });
    validateAuthorizer({ ...authorizer, ...changes }, this.isHttp(record));
    Object.assign(authorizer, changes);
    this.changed(ctx, record);
    return authorizer;
  }

  deleteAuthorizer(ctx: RequestContext, input: { ApiId?: string; AuthorizerId?: string }): void {
    const record = this.api(ctx, input.ApiId);
    const authorizer = this.authorizer(record, input.AuthorizerId);
    for (const r of record.definition.routes.values()) {
      if (r.AuthorizerId === authorizer.AuthorizerId) {
        throw V2Errors.conflict(`Authorizer ${authorizer.AuthorizerId} is in use by route ${r.RouteId}.`);
      }
    }
    record.definition.authorizers.delete(authorizer.AuthorizerId ?? '');
    this.changed(ctx, record);
  }

  // ---- deployments and stages ----

  createDeployment(ctx: RequestContext, input: CreateDeploymentRequest): Deployment {
    const record = this.api(ctx, input.ApiId);
    let stage: Stage | undefined;
    if (input.StageName !== undefined) {
      stage = record.stages.get(input.StageName);
      if (!stage) throw V2Errors.resourceNotFound('Stage', input.StageName);
      if (stage.AutoDeploy) throw V2Errors.badRequest(`Stage ${input.StageName} has AutoDeploy enabled; it cannot be deployed manually.`);
    }
    const deployment = this.deploy(ctx, record, false, input.Description);
    if (stage) {
      stage.DeploymentId = deployment.DeploymentId;
      stage.LastUpdatedDate = new Date(ctx.clock.now());
    }
    return deployment;
  }

  private deploy(ctx: RequestContext, record: ApiRecord, auto: boolean, description?: string): Deployment {
    if (record.definition.routes.size === 0) throw V2Errors.badRequest('At least one route is required before deploying the Api.');
    for (const r of record.definition.routes.values()) {
      if (!this.isHttp(record) && !r.Target) {
        throw V2Errors.badRequest(`Route ${r.RouteKey} has no integration. Every route of a WebSocket API needs a target to deploy.`);
      }
    }
    const deployment: Deployment = defined({
      DeploymentId: newId(6),
      AutoDeployed: auto,
      CreatedDate: new Date(ctx.clock.now()),
      DeploymentStatus: 'DEPLOYED',
      Description: description,
    });
    record.deployments.set(deployment.DeploymentId ?? '', { deployment, definition: freeze(record.definition) });
    return deployment;
  }

  /** Redeploys the stages with AutoDeploy after a change (quietly skipped while the API cannot be deployed yet). */
  private changed(ctx: RequestContext, record: ApiRecord): void {
    const auto = [...record.stages.values()].filter((s) => s.AutoDeploy);
    if (auto.length === 0) return;
    let deployment: Deployment;
    try {
      deployment = this.deploy(ctx, record, true);
    } catch {
      return;
    }
    for (const stage of auto) {
      stage.DeploymentId = deployment.DeploymentId;
      stage.LastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deployment.DeploymentId}'`;
      stage.LastUpdatedDate = new Date(ctx.clock.now());
    }
  }

  private deployment(record: ApiRecord, id: string | undefined): Deployment {
    const d = record.deployments.get(id ?? '');
    if (!d) throw V2Errors.resourceNotFound('Deployment', id ?? '');
    return d.deployment;
  }

  getDeployment(ctx: RequestContext, input: { ApiId?: string; DeploymentId?: string }): Deployment {
    return this.deployment(this.api(ctx, input.ApiId), input.DeploymentId);
  }

  getDeployments(ctx: RequestContext, input: { ApiId?: string; MaxResults?: string; NextToken?: string }): Page<Deployment> {
    return page([...this.api(ctx, input.ApiId).deployments.values()].map((d) => d.deployment), input.MaxResults, input.NextToken);
  }

  updateDeployment(ctx: RequestContext, input: { ApiId?: string; DeploymentId?: string; Description?: string }): Deployment {
    const d = this.deployment(this.api(ctx, input.ApiId), input.DeploymentId);
    if (input.Description !== undefined) d.Description = input.Description;
    return d;
  }

  deleteDeployment(ctx: RequestContext, input: { ApiId?: string; DeploymentId?: string }): void {
    const record = this.api(ctx, input.ApiId);
    const d = this.deployment(record, input.DeploymentId);
    for (const s of record.stages.values()) {
      if (s.DeploymentId === d.DeploymentId) {
        throw V2Errors.badRequest(`Active stages pointing to this deployment must be moved or deleted: ${s.StageName}`);
      }
    }
    record.deployments.delete(d.DeploymentId ?? '');
  }

  createStage(ctx: RequestContext, input: CreateStageRequest): Stage {
    const record = this.api(ctx, input.ApiId);
    const name = required(input.StageName, 'StageName');
    if (name !== '$default' && !/^[A-Za-z0-9_-]{1,128}$/.test(name)) {
      throw V2Errors.badRequest(`Invalid stage name ${name}. Stage names may contain only alphanumerics, hyphens and underscores, or be $default.`);
    }
    if (name === '$default' && !this.isHttp(record)) throw V2Errors.badRequest('The $default stage is supported only for HTTP APIs.');
    if (record.stages.has(name)) throw V2Errors.conflict(`Stage ${name} already exists`);
    if (input.DeploymentId !== undefined) this.deployment(record, input.DeploymentId);
    this.checkStageSettings(record, input);
    const now = new Date(ctx.clock.now());
    const stage: Stage = defined({
      StageName: name,
      AutoDeploy: input.AutoDeploy ?? false,
      DeploymentId: input.DeploymentId,
      Description: input.Description,
      DefaultRouteSettings: { DetailedMetricsEnabled: false, ...input.DefaultRouteSettings },
      RouteSettings: input.RouteSettings ?? {},
      StageVariables: input.StageVariables ?? {},
      AccessLogSettings: input.AccessLogSettings,
      ClientCertificateId: input.ClientCertificateId,
      CreatedDate: now,
      LastUpdatedDate: now,
      Tags: input.Tags ?? {},
    });
    record.stages.set(name, stage);
    if (stage.AutoDeploy) this.changed(ctx, record);
    return stage;
  }

  private checkStageSettings(
    record: ApiRecord,
    input: { DefaultRouteSettings?: RouteSettings; RouteSettings?: Record<string, RouteSettings>; StageVariables?: Record<string, string>; AccessLogSettings?: AccessLogSettings },
  ): void {
    validateAccessLogSettings(input.AccessLogSettings);
    if (input.AccessLogSettings?.DestinationArn && !this.isHttp(record)) {
      throw V2Errors.badRequest('Access logging of WebSocket APIs is not supported by Switchyard.');
    }
    const check = (s: RouteSettings | undefined): void => {
      if (!s) return;
      const executionLogs = s.DataTraceEnabled === true || (s.LoggingLevel !== undefined && s.LoggingLevel !== 'OFF');
      if (executionLogs && this.isHttp(record)) throw V2Errors.badRequest('Execution logs are not supported on protocolType HTTP');
      if (executionLogs) throw V2Errors.badRequest('Execution logs (LoggingLevel, DataTraceEnabled) of WebSocket APIs are not supported by Switchyard.');
      if (s.ThrottlingBurstLimit !== undefined && (!Number.isInteger(s.ThrottlingBurstLimit) || s.ThrottlingBurstLimit < 0)) {
        throw V2Errors.badRequest('ThrottlingBurstLimit must be a non-negative integer.');
      }
      if (s.ThrottlingRateLimit !== undefined && !(s.ThrottlingRateLimit >= 0)) {
        throw V2Errors.badRequest('ThrottlingRateLimit must be a non-negative number.');
      }
    };
    check(input.DefaultRouteSettings);
    for (const [key, s] of Object.entries(input.RouteSettings ?? {})) {
      if (![...record.definition.routes.values()].some((r) => r.RouteKey === key)) {
        throw V2Errors.notFound(`Unable to find Route by key ${key} within the provided RouteSettings`);
      }
      check(s);
    }
    for (const [k, v] of Object.entries(input.StageVariables ?? {})) {
      if (!/^[A-Za-z0-9_]{1,64}$/.test(k)) throw V2Errors.badRequest(`Invalid stage variable name ${k}. Names may contain only alphanumerics and underscores.`);
      if (v.length > 2048) throw V2Errors.badRequest(`Stage variable ${k} is longer than 2048 characters.`);
    }
  }

  private stage(record: ApiRecord, name: string | undefined): Stage {
    const s = record.stages.get(name ?? '');
    if (!s) throw V2Errors.resourceNotFound('Stage', name ?? '');
    return s;
  }

  getStage(ctx: RequestContext, input: { ApiId?: string; StageName?: string }): Stage {
    return this.stage(this.api(ctx, input.ApiId), input.StageName);
  }

  getStages(ctx: RequestContext, input: { ApiId?: string; MaxResults?: string; NextToken?: string }): Page<Stage> {
    return page([...this.api(ctx, input.ApiId).stages.values()], input.MaxResults, input.NextToken);
  }

  updateStage(ctx: RequestContext, input: UpdateStageRequest): Stage {
    const record = this.api(ctx, input.ApiId);
    const stage = this.stage(record, input.StageName);
    if (input.DeploymentId !== undefined) this.deployment(record, input.DeploymentId);
    this.checkStageSettings(record, input);
    const changes = defined({ ...input, ApiId: undefined, StageName: undefined });
    if (changes.DefaultRouteSettings) changes.DefaultRouteSettings = { ...stage.DefaultRouteSettings, ...changes.DefaultRouteSettings };
    if (changes.RouteSettings) changes.RouteSettings = { ...stage.RouteSettings, ...changes.RouteSettings };
    if (changes.StageVariables) changes.StageVariables = { ...stage.StageVariables, ...changes.StageVariables };
    Object.assign(stage, changes);
    stage.LastUpdatedDate = new Date(ctx.clock.now());
    if (input.AutoDeploy) this.changed(ctx, record);
    return stage;
  }

  deleteStage(ctx: RequestContext, input: { ApiId?: string; StageName?: string }): void {
    const record = this.api(ctx, input.ApiId);
    this.stage(record, input.StageName);
    record.stages.delete(input.StageName ?? '');
  }

  deleteRouteSettings(ctx: RequestContext, input: { ApiId?: string; StageName?: string; RouteKey?: string }): void {
    const stage = this.stage(this.api(ctx, input.ApiId), input.StageName);
    if (!stage.RouteSettings?.[input.RouteKey ?? '']) throw V2Errors.notFound(`Unable to find route settings for route key ${input.RouteKey}`);
    delete stage.RouteSettings[input.RouteKey ?? ''];
  }

  // ---- OpenAPI ----

  importApi(ctx: RequestContext, input: ImportApiRequest): Api {
    const plan = readOpenApi(input.Body, input.Basepath);
    if (input.FailOnWarnings && plan.warnings.length) throw V2Errors.badRequest(`Warnings found during import:\n\t${plan.warnings.join('\n\t')}`);
    const apiId = newId(10);
    const port = /:(\d+)$/.exec(ctx.host)?.[1];
    const api: Api = defined({
      ApiId: apiId,
      Name: plan.name,
      ProtocolType: 'HTTP',
      ApiEndpoint: `http://${apiId}.execute-api.localhost${port ? `:${port}` : ''}`,
      ApiKeySelectionExpression: '$request.header.x-api-key',
      RouteSelectionExpression: HTTP_ROUTE_SELECTION,
      DisableExecuteApiEndpoint: false,
      IpAddressType: 'ipv4',
      CreatedDate: new Date(ctx.clock.now()),
      Tags: {},
    });
    const store = this.store(ctx);
    const record = store.add(api);
    try {
      this.applyPlan(ctx, record, plan);
    } catch (err) {
      store.apis.delete(apiId);
      throw err;
    }
    return plan.warnings.length ? { ...api, Warnings: plan.warnings } : api;
  }

  reimportApi(ctx: RequestContext, input: ReimportApiRequest): Api {
    const record = this.api(ctx, input.ApiId);
    if (!this.isHttp(record)) throw V2Errors.badRequest('Import is supported only for HTTP APIs.');
    const plan = readOpenApi(input.Body, input.Basepath);
    if (input.FailOnWarnings && plan.warnings.length) throw V2Errors.badRequest(`Warnings found during import:\n\t${plan.warnings.join('\n\t')}`);
    const previous = freeze(record.definition);
    const api = { ...record.api };
    const def = record.definition;
    def.routes.clear();
    def.integrations.clear();
    def.authorizers.clear();
    def.routeResponses.clear();
    def.integrationResponses.clear();
    try {
      this.applyPlan(ctx, record, plan);
    } catch (err) {
      Object.assign(record.api, api);
      for (const k of ['routes', 'integrations', 'authorizers', 'routeResponses', 'integrationResponses'] as const) {
        const target = def[k] as Map<string, unknown>;
        target.clear();
        for (const [id, v] of previous[k] as Map<string, unknown>) target.set(id, v);
      }
      def.cors = previous.cors;
      throw err;
    }
    return plan.warnings.length ? { ...record.api, Warnings: plan.warnings } : record.api;
  }

  private applyPlan(ctx: RequestContext, record: ApiRecord, plan: ImportPlan): void {
    const api = record.api;
    api.Name = plan.name;
    if (plan.version !== undefined) api.Version = plan.version;
    if (plan.description !== undefined) api.Description = plan.description;
    if (plan.cors) validateCors(plan.cors);
    api.CorsConfiguration = plan.cors;
    if (!plan.cors) delete api.CorsConfiguration;
    record.definition.cors = plan.cors;
    record.definition.routeSelectionExpression = HTTP_ROUTE_SELECTION;
    const authorizerIds = new Map<string, string>();
    for (const a of plan.authorizers) authorizerIds.set(a.name, this.addAuthorizer(record, a.input).AuthorizerId ?? '');
    for (const r of plan.routes) {
      const integration = r.integration ? this.addIntegration(ctx, record, r.integration, false) : undefined;
      const authorizerId = r.authorizer ? authorizerIds.get(r.authorizer) : undefined;
      const type = authorizerId ? (record.definition.authorizers.get(authorizerId)?.AuthorizerType === 'JWT' ? 'JWT' : 'CUSTOM') : undefined;
      this.addRoute(
        record,
        defined({
          RouteKey: r.key,
          Target: integration ? `integrations/${integration.IntegrationId}` : undefined,
          AuthorizationType: type,
          AuthorizerId: authorizerId,
          AuthorizationScopes: type === 'JWT' ? r.scopes : undefined,
        }),
        false,
      );
    }
    this.changed(ctx, record);
  }

  exportApi(ctx: RequestContext, input: ExportApiRequest): { body: Buffer } {
    const record = this.api(ctx, input.ApiId);
    if (!this.isHttp(record)) throw V2Errors.badRequest('Export is supported only for HTTP APIs.');
    if (input.Specification !== 'OAS30') throw V2Errors.badRequest(`Invalid Specification ${input.Specification}. The only supported value is OAS30.`);
    const output = input.OutputType;
    if (output !== 'JSON' && output !== 'YAML') throw V2Errors.badRequest(`Invalid OutputType ${output}. Valid values are JSON and YAML.`);
    if (input.ExportVersion !== undefined && input.ExportVersion !== '1.0') throw V2Errors.badRequest(`Invalid ExportVersion ${input.ExportVersion}. The only supported value is 1.0.`);
    let def = record.definition;
    if (input.StageName !== undefined) {
      const stage = this.stage(record, input.StageName);
      const deployed = stage.DeploymentId ? record.deployments.get(stage.DeploymentId) : undefined;
      if (!deployed) throw V2Errors.badRequest(`Stage ${input.StageName} has no deployment to export.`);
      def = deployed.definition;
    }
    const doc = writeOpenApi(record.api, def, input.IncludeExtensions ?? true);
    const text = output === 'JSON' ? JSON.stringify(doc, null, 2) : `${toYaml(doc).replace(/^\n/, '')}\n`;
    return { body: Buffer.from(text) };
  }

  // ---- tags ----

  private tagged(ctx: RequestContext, arn: string | undefined): { Tags?: Record<string, string> } {
    const m = /^arn:aws:apigateway:([^:]+)::\/apis\/([a-z0-9]+)(?:\/stages\/([^/]+))?$/.exec(arn ?? '');
    if (!m) throw V2Errors.badRequest(`Invalid resource ARN ${arn}`);
    const record = this.stores.get(ctx.account, m[1] ?? '').get(m[2] ?? '');
    return m[3] ? this.stage(record, m[3]) : record.api;
  }

  tagResource(ctx: RequestContext, input: { ResourceArn?: string; Tags?: Record<string, string> }): Record<string, never> {
    const target = this.tagged(ctx, input.ResourceArn);
    const tags = { ...target.Tags, ...input.Tags };
    if (Object.keys(tags).length > 50) throw V2Errors.badRequest('A resource can have at most 50 tags.');
    target.Tags = tags;
    return {};
  }

  untagResource(ctx: RequestContext, input: { ResourceArn?: string; TagKeys?: string[] }): void {
    const target = this.tagged(ctx, input.ResourceArn);
    const tags = { ...target.Tags };
    for (const k of input.TagKeys ?? []) delete tags[k];
    target.Tags = tags;
  }

  getTags(ctx: RequestContext, input: { ResourceArn?: string }): { Tags: Record<string, string> } {
    return { Tags: this.tagged(ctx, input.ResourceArn).Tags ?? {} };
  }
}

function validateCors(cors: NonNullable<CreateApiRequest['CorsConfiguration']>): void {
  if (cors.MaxAge !== undefined && (cors.MaxAge < -1 || cors.MaxAge > 86400)) {
    throw V2Errors.badRequest('MaxAge must be between -1 and 86400 seconds.');
  }
  if (cors.AllowCredentials && cors.AllowOrigins?.includes('*')) {
    throw V2Errors.badRequest('allow-credentials is not supported when allow-origins contains "*".');
  }
  for (const m of cors.AllowMethods ?? []) {
    if (!['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(m.toUpperCase())) {
      throw V2Errors.badRequest(`Invalid method ${m} in CORS AllowMethods.`);
    }
  }
}

function validateIntegrationResponse(r: IntegrationResponse): void {
  const key = r.IntegrationResponseKey ?? '';
  if (key !== '$default') {
    const m = /^\/(.+)\/$/.exec(key);
    let ok = m !== null;
    try {
      RegExp(m?.[1] ?? '');
    } catch {
      ok = false;
    }
    if (!ok) throw V2Errors.badRequest(`Invalid integration response key ${key}. Keys are $default or a status code pattern between slashes, such as /2\\d{2}/.`);
  }
  if (Object.keys(r.ResponseParameters ?? {}).length) throw V2Errors.badRequest('ResponseParameters are not supported by Switchyard.');
  if (r.ContentHandlingStrategy !== undefined) throw V2Errors.badRequest('ContentHandlingStrategy is not supported by Switchyard.');
  for (const [name, template] of Object.entries(r.ResponseTemplates ?? {})) {
    try {
      parseVelocity(template);
    } catch (err) {
      throw V2Errors.badRequest(`Invalid mapping expression specified: template ${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
}

function validateAuthorizer(a: Authorizer, http: boolean): void {
  if (a.AuthorizerType === 'JWT') {
    if (!http) throw V2Errors.badRequest('JWT authorizers are supported only for HTTP APIs.');
    if (!a.JwtConfiguration?.Issuer) throw V2Errors.badRequest('JwtConfiguration.Issuer is required for JWT authorizers.');
    if (!a.JwtConfiguration.Audience?.length) throw V2Errors.badRequest('JwtConfiguration.Audience is required for JWT authorizers.');
    if (!a.IdentitySource?.length) throw V2Errors.badRequest('IdentitySource is required for JWT authorizers.');
    if (a.AuthorizerUri || a.EnableSimpleResponses || a.AuthorizerResultTtlInSeconds) {
      throw V2Errors.badRequest('AuthorizerUri, EnableSimpleResponses and AuthorizerResultTtlInSeconds are supported only for REQUEST authorizers.');
    }
  } else if (a.AuthorizerType === 'REQUEST') {
    if (!a.AuthorizerUri) throw V2Errors.badRequest('AuthorizerUri is required for REQUEST authorizers.');
    if (!http && (a.EnableSimpleResponses || a.AuthorizerResultTtlInSeconds || a.AuthorizerPayloadFormatVersion)) {
      throw V2Errors.badRequest('EnableSimpleResponses, AuthorizerResultTtlInSeconds and AuthorizerPayloadFormatVersion are supported only for HTTP APIs.');
    }
    if (!functionArnOf(a.AuthorizerUri)) throw V2Errors.badRequest(`Invalid authorizer URI ${a.AuthorizerUri}. It must be a Lambda function invocation URI.`);
    if (http) {
      const version = a.AuthorizerPayloadFormatVersion;
      if (version !== '1.0' && version !== '2.0') throw V2Errors.badRequest('AuthorizerPayloadFormatVersion is required for HTTP API REQUEST authorizers; valid values are 1.0 and 2.0.');
      if (a.EnableSimpleResponses && version !== '2.0') throw V2Errors.badRequest('EnableSimpleResponses is supported only with AuthorizerPayloadFormatVersion 2.0.');
    }
    const ttl = a.AuthorizerResultTtlInSeconds ?? 0;
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw V2Errors.badRequest('AuthorizerResultTtlInSeconds must be between 0 and 3600.');
    if (ttl > 0 && !a.IdentitySource?.length) throw V2Errors.badRequest('IdentitySource is required when authorizer caching is enabled.');
    if (a.JwtConfiguration) throw V2Errors.badRequest('JwtConfiguration is supported only for JWT authorizers.');
  } else {
    throw V2Errors.badRequest(`Invalid AuthorizerType specified: ${a.AuthorizerType}. Valid values are JWT and REQUEST.`);
  }
  for (const s of a.IdentitySource ?? []) {
    if (http && !/^\$(request\.(header|querystring)\.[^.]+|context\.[A-Za-z0-9_.]+|stageVariables\.[A-Za-z0-9_]+)$/.test(s)) {
      throw V2Errors.badRequest(`Invalid identity source ${s}. Identity sources are $request.header.NAME, $request.querystring.NAME, $context.NAME or $stageVariables.NAME.`);
    }
    if (!http && !/^(route\.request\.(header|querystring)\.[^.]+|stageVariables\.[A-Za-z0-9_]+)$/.test(s)) {
      throw V2Errors.badRequest(`Invalid identity source ${s}. WebSocket identity sources are route.request.header.NAME, route.request.querystring.NAME or stageVariables.NAME.`);
    }
  }
}

