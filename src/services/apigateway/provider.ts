// API Gateway REST APIs (https://docs.aws.amazon.com/apigateway/latest/api/): the control plane (APIs, resources,
// methods, integrations and their responses, deployments, stages) and the invoke-URL data plane (./dataplane/),
// which serves each stage from its deployment's frozen snapshot, as AWS does.
import type {
  FlushStageCacheRequest,
  TestInvokeMethodRequest,
  TestInvokeMethodResponse,
  UpdateResourceRequest,
  UpdateUsagePlanRequest,
  FlushStageAuthorizersCacheRequest,
  GetTagsRequest,
  TagResourceRequest,
  Tags,
  UntagResourceRequest,
  UpdateAuthorizerRequest,
  UpdateDeploymentRequest,
  UpdateGatewayResponseRequest,
  UpdateIntegrationResponseRequest,
  UpdateMethodResponseRequest,
  UpdateModelRequest,
  UpdateRequestValidatorRequest,
  ExportResponse,
  GetExportRequest,
  ImportRestApiRequest,
  PutRestApiRequest,
  Authorizer,
  Authorizers,
  CreateAuthorizerRequest,
  DeleteAuthorizerRequest,
  GetAuthorizerRequest,
  GetAuthorizersRequest,
  ApiKey,
  ApiKeys,
  CreateApiKeyRequest,
  CreateUsagePlanKeyRequest,
  CreateUsagePlanRequest,
  DeleteApiKeyRequest,
  DeleteUsagePlanKeyRequest,
  DeleteUsagePlanRequest,
  GetApiKeyRequest,
  GetApiKeysRequest,
  GetUsagePlanKeysRequest,
  GetUsagePlanRequest,
  GetUsagePlansRequest,
  UpdateApiKeyRequest,
  UsagePlan,
  UsagePlanKey,
  UsagePlanKeys,
  UsagePlans,
  CreateModelRequest,
  CreateRequestValidatorRequest,
  DeleteGatewayResponseRequest,
  DeleteModelRequest,
  DeleteRequestValidatorRequest,
  GatewayResponse,
  GatewayResponses,
  GetGatewayResponseRequest,
  GetGatewayResponsesRequest,
  GetModelRequest,
  GetModelsRequest,
  GetRequestValidatorRequest,
  GetRequestValidatorsRequest,
  Model,
  Models,
  PutGatewayResponseRequest,
  RequestValidator,
  RequestValidators,
  CreateDeploymentRequest,
  CreateResourceRequest,
  CreateRestApiRequest,
  CreateStageRequest,
  DeleteDeploymentRequest,
  DeleteIntegrationRequest,
  DeleteIntegrationResponseRequest,
  DeleteMethodRequest,
  DeleteMethodResponseRequest,
  DeleteResourceRequest,
  DeleteRestApiRequest,
  DeleteStageRequest,
  Deployment,
  Deployments,
  GetDeploymentRequest,
  GetDeploymentsRequest,
  GetIntegrationRequest,
  GetIntegrationResponseRequest,
  GetMethodRequest,
  GetMethodResponseRequest,
  GetResourceRequest,
  GetResourcesRequest,
  GetRestApiRequest,
  GetRestApisRequest,
  GetStageRequest,
  GetStagesRequest,
  Integration,
  IntegrationResponse,
  Method,
  MethodResponse,
  PutIntegrationRequest,
  PutIntegrationResponseRequest,
  PutMethodRequest,
  PutMethodResponseRequest,
  Resource,
  Resources,
  RestApi,
  RestApis,
  Stage,
  Stages,
  UpdateIntegrationRequest,
  UpdateMethodRequest,
  UpdateRestApiRequest,
  UpdateStageRequest,
} from '@aws-sdk/client-api-gateway';
import type { IncomingHttpHeaders } from 'node:http';
import { stringify as stringifyYaml } from 'yaml';
import type { RequestContext } from '../../core/context.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import { InvokeDataPlane } from './dataplane/invoke.js';
import { RestDomainNames } from './domain-names.js';
import { DomainRegistry } from './domains.js';
import {
  checkHttpMethod,
  checkIntegration,
  checkIntegrationResponse,
  checkMethod,
} from './definitions.js';
import { badRequest, conflict, Errors, notFound } from './errors.js';
import { defaultGatewayResponse, RESPONSE_TYPES } from './gateway-responses.js';
import { SchemaCompiler } from './models.js';
import { checkAuthorizer } from './authorizers.js';
import { CACHE_SIZES, patchMethodSettings } from './stage-cache.js';
import { exportDocument, importError, parseDocument, readDocument, type ImportedApi } from './openapi.js';
import type { UsageStore } from './usage-plans.js';
import { applyPatch } from './patch.js';
import { newId, RestApiStore, type ApiRecord, type ResourceRecord } from './store.js';

const PATH_PART = /^([a-zA-Z0-9._-]+|\{[a-zA-Z0-9._-]+\+?\})$/;
const STAGE_NAME = /^[a-zA-Z0-9_-]+$/;
const VARIABLE_NAME = /^[A-Za-z0-9_]+$/;
const VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]+$/;
const MAX_STAGE_VARIABLE_VALUE = 512;

/** Where an API lives, for the data plane, which sees only the id. */
export interface ApiLocation {
  readonly account: string;
  readonly region: string;
}

const copy = <T>(v: T): T => structuredClone(v);

function page<T>(items: readonly T[], position: string | undefined, limit: number | undefined): { items: T[]; position?: string } {
  const size = limit ?? 25;
  if (!Number.isInteger(size) || size < 1 || size > 500) {
    throw badRequest('The value of limit must be between 1 and 500');
  }
  const start = position ? Number(position) : 0;
  if (!Number.isInteger(start) || start < 0) throw badRequest('Invalid position parameter');
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, position: String(start + size) } : { items: slice };
}

function checkVariables(variables: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(variables ?? {})) {
    if (!VARIABLE_NAME.test(k)) {
      throw badRequest(`Stage variable name ${k} is invalid. Stage variable names must only contain alphanumeric and underscore characters.`);
    }
    if (!VARIABLE_VALUE.test(v) || v.length > MAX_STAGE_VARIABLE_VALUE) {
      throw badRequest(
        `Stage variable value ${v} is invalid. Stage variable values must be less than 512 characters and only contain alphanumeric, hyphen, period, underscore, tilde, colon, forward slash, question mark, pound sign, ampersand, equals and comma characters.`,
      );
    }
  }
}

function checkCacheSize(size: string | undefined): void {
  if (size !== undefined && !CACHE_SIZES.includes(size)) {
    throw badRequest(`Invalid cache cluster size specified: ${size}. Valid options are ${CACHE_SIZES.join(',')}`);
  }
}

/** A new stage's cache fields. */
function cacheFields(enabled: boolean | undefined, size: string | undefined): Pick<Stage, 'cacheClusterEnabled' | 'cacheClusterSize' | 'cacheClusterStatus'> {
  return enabled
    ? { cacheClusterEnabled: true, cacheClusterSize: (size ?? '0.5') as Stage['cacheClusterSize'], cacheClusterStatus: 'AVAILABLE' }
    : { cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE' };
}

function setCache(stage: Stage, enabled: boolean, size: string | undefined): void {
  const fields = cacheFields(enabled, size);
  stage.cacheClusterEnabled = fields.cacheClusterEnabled;
  stage.cacheClusterStatus = fields.cacheClusterStatus;
  if (fields.cacheClusterSize) stage.cacheClusterSize = fields.cacheClusterSize;
  else delete stage.cacheClusterSize;
}

function checkCanary(percent: number | undefined, useStageCache: boolean | undefined): void {
  if (percent !== undefined && (!Number.isFinite(percent) || percent < 0 || percent > 100)) {
    throw badRequest('Canary traffic percentage must be between 0.0 and 100.0');
  }
  if (useStageCache) throw badRequest('Switchyard does not implement the stage cache yet');
}

class ApiGatewayService {
  readonly stores: RegionalStores<RestApiStore>;
  /** API id -> where it lives: invoke URLs name only the id. */
  readonly index = new Map<string, ApiLocation>();
  readonly dataPlane: InvokeDataPlane;
  readonly schemas = new SchemaCompiler();
  /** Custom domain names, shared with HTTP and WebSocket APIs (ApiGatewayInternal). */
  readonly domains = new DomainRegistry();
  readonly domainNames: RestDomainNames;

  constructor(readonly host: ServiceHost) {
    this.stores = new RegionalStores((account, region) => new RestApiStore(account, region));
    this.dataPlane = new InvokeDataPlane(host, (id) => this.locate(id), this.schemas, this.domains);
    this.domainNames = new RestDomainNames(this.domains, (ctx, id) => this.store(ctx).apis.get(id));
  }

  /** The API an invoke URL names, in whichever account and region holds it. */
  locate(id: string): { record: ApiRecord; account: string; region: string; usage: UsageStore } | undefined {
    const at = this.index.get(id);
    const store = at ? this.stores.peek(at.account, at.region) : undefined;
    const record = store?.apis.get(id);
    return at && store && record ? { record, ...at, usage: store.usage } : undefined;
  }

  private store(ctx: RequestContext): RestApiStore {
    return this.stores.get(ctx.account, ctx.region);
  }

  private api(ctx: RequestContext, id: string | undefined): ApiRecord {
    const record = this.store(ctx).apis.get(id ?? '');
    if (!record) throw Errors.api(ctx.account, id ?? '');
    return record;
  }

  private resource(api: ApiRecord, id: string | undefined): ResourceRecord {
    const r = api.resources.get(id ?? '');
    if (!r) throw Errors.resource();
    return r;
  }

  private method(api: ApiRecord, resourceId: string | undefined, httpMethod: string | undefined): { r: ResourceRecord; m: Method } {
    const r = this.resource(api, resourceId);
    const m = r.methods.get((httpMethod ?? '').toUpperCase());
    if (!m) throw Errors.method();
    return { r, m };
  }

  // ---- REST APIs ----

  createRestApi(ctx: RequestContext, input: CreateRestApiRequest): RestApi {
    if (!input.name) throw badRequest('Invalid REST API name specified');
    if (input.cloneFrom) throw badRequest('Switchyard does not implement cloneFrom yet');
    if (input.apiKeySource === 'AUTHORIZER') throw badRequest('Switchyard does not implement apiKeySource AUTHORIZER yet');
    if (input.apiKeySource !== undefined && input.apiKeySource !== 'HEADER') {
      throw badRequest(`Invalid API key source specified: ${input.apiKeySource}`);
    }
    let id = newId();
    while (this.index.has(id)) id = newId();
    const record = this.store(ctx).createApi(
      id,
      {
        name: input.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.version !== undefined ? { version: input.version } : {}),
        ...(input.binaryMediaTypes?.length ? { binaryMediaTypes: [...input.binaryMediaTypes] } : {}),
        apiKeySource: input.apiKeySource ?? 'HEADER',
        endpointConfiguration: input.endpointConfiguration ?? { types: ['EDGE'] },
        ...(input.policy !== undefined ? { policy: input.policy } : {}),
        ...(input.tags ? { tags: { ...input.tags } } : {}),
        disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
      },
      new Date(ctx.clock.now()),
    );
    this.index.set(id, { account: ctx.account, region: ctx.region });
    return copy(record.api);
  }

  getRestApi(ctx: RequestContext, input: GetRestApiRequest): RestApi {
    return copy(this.api(ctx, input.restApiId).api);
  }

  getRestApis(ctx: RequestContext, input: GetRestApisRequest): RestApis {
    const apis = [...this.store(ctx).apis.values()].map((r) => copy(r.api));
    return page(apis, input.position, input.limit);
  }

  updateRestApi(ctx: RequestContext, input: UpdateRestApiRequest): RestApi {
    const record = this.api(ctx, input.restApiId);
    const next = applyPatch(record.api, input.patchOperations, {
      name: 'string',
      description: 'string',
      version: 'string',
      binaryMediaTypes: 'stringList',
      disableExecuteApiEndpoint: 'boolean',
      policy: 'string',
    });
    if (!next.name) throw badRequest('Invalid REST API name specified');
    Object.assign(record.api, next);
    for (const key of Object.keys(record.api) as Array<keyof RestApi>) if (!(key in next)) delete record.api[key];
    return copy(record.api);
  }

  deleteRestApi(ctx: RequestContext, input: DeleteRestApiRequest): Record<string, never> {
    this.api(ctx, input.restApiId);
    this.store(ctx).apis.delete(input.restApiId ?? '');
    this.index.delete(input.restApiId ?? '');
    return {};
  }

  // ---- resources ----

  private resourceOut(r: ResourceRecord, embedMethods: boolean): Resource {
    const out: Resource = { id: r.id, path: r.path };
    if (r.parentId !== undefined) out.parentId = r.parentId;
    if (r.pathPart !== undefined) out.pathPart = r.pathPart;
    if (r.methods.size) {
      out.resourceMethods = Object.fromEntries(
        [...r.methods].map(([k, m]) => [k, embedMethods ? copy(m) : {}]),
      );
    }
    return out;
  }

  createResource(ctx: RequestContext, input: CreateResourceRequest): Resource {
    const api = this.api(ctx, input.restApiId);
    const parent = this.resource(api, input.parentId);
    const part = input.pathPart ?? '';
    if (!PATH_PART.test(part)) {
      throw badRequest(
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
      );
    }
    if (parent.pathPart?.endsWith('+}')) {
      throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
    }
    for (const sibling of api.resources.values()) {
      if (sibling.parentId !== parent.id) continue;
      if (sibling.pathPart === part) throw conflict(`Another resource with the same parent already has this name: ${part}`);
      if (part.startsWith('{') && sibling.pathPart?.startsWith('{')) {
        throw badRequest(`A sibling (${sibling.pathPart}) of this resource already has a variable path part -- only one is allowed`);
      }
    }
    const record: ResourceRecord = {
      id: newId(),
      parentId: parent.id,
      pathPart: part,
      path: parent.path === '/' ? `/${part}` : `${parent.path}/${part}`,
      methods: new Map(),
    };
    api.resources.set(record.id, record);
    return this.resourceOut(record, false);
  }

  getResource(ctx: RequestContext, input: GetResourceRequest): Resource {
    const api = this.api(ctx, input.restApiId);
    return this.resourceOut(this.resource(api, input.resourceId), (input.embed ?? []).includes('methods'));
  }

  getResources(ctx: RequestContext, input: GetResourcesRequest): Resources {
    const api = this.api(ctx, input.restApiId);
    const embed = (input.embed ?? []).includes('methods');
    const all = [...api.resources.values()].map((r) => this.resourceOut(r, embed));
    return page(all, input.position, input.limit);
  }

  updateResource(ctx: RequestContext, input: UpdateResourceRequest): Resource {
    const api = this.api(ctx, input.restApiId);
    const r = this.resource(api, input.resourceId);
    let parentId = r.parentId;
    let part = r.pathPart;
    for (const p of input.patchOperations ?? []) {
      if (p.op !== 'replace' || (p.path !== '/pathPart' && p.path !== '/parentId')) {
        throw badRequest(`Invalid patch path '${p.path ?? ''}' specified for op '${p.op ?? ''}'. Must be one of: [/pathPart, /parentId]`);
      }
      if (p.path === '/pathPart') part = p.value;
      else parentId = p.value;
    }
    if (r.id === api.api.rootResourceId) throw badRequest('Cannot update the root resource');
    if (!PATH_PART.test(part ?? '')) {
      throw badRequest(
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
      );
    }
    const parent = this.resource(api, parentId);
    // A resource cannot move under itself or its descendants.
    for (let at: ResourceRecord | undefined = parent; at; at = at.parentId ? api.resources.get(at.parentId) : undefined) {
      if (at.id === r.id) throw badRequest('Cannot move a resource under itself');
    }
    if (parent.pathPart?.endsWith('+}')) throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
    for (const sibling of api.resources.values()) {
      if (sibling.parentId !== parent.id || sibling.id === r.id) continue;
      if (sibling.pathPart === part) throw conflict(`Another resource with the same parent already has this name: ${part ?? ''}`);
      if (part?.startsWith('{') && sibling.pathPart?.startsWith('{')) {
        throw badRequest(`A sibling (${sibling.pathPart}) of this resource already has a variable path part -- only one is allowed`);
      }
    }
    const moved: ResourceRecord = { ...r, parentId: parent.id, pathPart: part, path: parent.path === '/' ? `/${part ?? ''}` : `${parent.path}/${part ?? ''}` };
    api.resources.set(r.id, moved);
    // Descendants' paths follow.
    const fix = (id: string, path: string): void => {
      for (const c of api.resources.values()) {
        if (c.parentId !== id) continue;
        c.path = `${path === '/' ? '' : path}/${c.pathPart ?? ''}`;
        fix(c.id, c.path);
      }
    };
    fix(moved.id, moved.path);
    return this.resourceOut(moved, false);
  }

  deleteResource(ctx: RequestContext, input: DeleteResourceRequest): Record<string, never> {
    const api = this.api(ctx, input.restApiId);
    const r = this.resource(api, input.resourceId);
    if (r.id === api.api.rootResourceId) throw badRequest('Cannot delete root resource');
    // The resource and everything under it.
    const doomed = new Set([r.id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of api.resources.values()) {
        if (c.parentId && doomed.has(c.parentId) && !doomed.has(c.id)) {
          doomed.add(c.id);
          grew = true;
        }
      }
    }
    for (const id of doomed) api.resources.delete(id);
    return {};
  }

  // ---- methods ----

  putMethod(ctx: RequestContext, input: PutMethodRequest): Method {
    const api = this.api(ctx, input.restApiId);
    const r = this.resource(api, input.resourceId);
    const httpMethod = checkHttpMethod(input.httpMethod);
    if (r.methods.has(httpMethod)) throw conflict('Method already exists for this resource');
    const m: Method = {
      httpMethod,
      authorizationType: input.authorizationType,
      apiKeyRequired: input.apiKeyRequired ?? false,
      ...(input.authorizerId ? { authorizerId: input.authorizerId } : {}),
      ...(input.operationName !== undefined ? { operationName: input.operationName } : {}),
      ...(input.requestParameters ? { requestParameters: { ...input.requestParameters } } : {}),
      ...(input.requestModels ? { requestModels: { ...input.requestModels } } : {}),
      ...(input.requestValidatorId ? { requestValidatorId: input.requestValidatorId } : {}),
    };
    checkMethod(m, api);
    r.methods.set(httpMethod, m);
    return copy(m);
  }

  getMethod(ctx: RequestContext, input: GetMethodRequest): Method {
    return copy(this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod).m);
  }

  updateMethod(ctx: RequestContext, input: UpdateMethodRequest): Method {
    const api = this.api(ctx, input.restApiId);
    const { r, m } = this.method(api, input.resourceId, input.httpMethod);
    const next = applyPatch(m, input.patchOperations, {
      authorizationType: 'string',
      authorizerId: 'string',
      apiKeyRequired: 'boolean',
      operationName: 'string',
      requestParameters: 'booleanMap',
      requestModels: 'stringMap',
      requestValidatorId: 'string',
    });
    checkMethod(next, api);
    r.methods.set(m.httpMethod ?? '', next);
    return copy(next);
  }

  deleteMethod(ctx: RequestContext, input: DeleteMethodRequest): Record<string, never> {
    const { r, m } = this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod);
    r.methods.delete(m.httpMethod ?? '');
    return {};
  }

  // ---- integrations ----

  putIntegration(ctx: RequestContext, input: PutIntegrationRequest): Integration {
    const { r, m } = this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod);
    const integration: Integration = {
      type: input.type,
      ...(input.integrationHttpMethod ? { httpMethod: input.integrationHttpMethod.toUpperCase() } : {}),
      ...(input.uri !== undefined ? { uri: input.uri } : {}),
      connectionType: input.connectionType ?? 'INTERNET',
      ...(input.credentials !== undefined ? { credentials: input.credentials } : {}),
      ...(input.requestParameters ? { requestParameters: { ...input.requestParameters } } : {}),
      ...(input.requestTemplates ? { requestTemplates: { ...input.requestTemplates } } : {}),
      passthroughBehavior: input.passthroughBehavior ?? 'WHEN_NO_MATCH',
      ...(input.contentHandling !== undefined ? { contentHandling: input.contentHandling } : {}),
      timeoutInMillis: input.timeoutInMillis ?? 29000,
      cacheNamespace: input.cacheNamespace ?? r.id,
      cacheKeyParameters: [...(input.cacheKeyParameters ?? [])],
    };
    checkIntegration(integration);
    if (input.type === 'MOCK') delete integration.httpMethod;
    m.methodIntegration = integration;
    return copy(integration);
  }

  private integration(ctx: RequestContext, input: GetIntegrationRequest): Integration {
    const { m } = this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod);
    if (!m.methodIntegration) throw Errors.integration();
    return m.methodIntegration;
  }

  getIntegration(ctx: RequestContext, input: GetIntegrationRequest): Integration {
    return copy(this.integration(ctx, input));
  }

  updateIntegration(ctx: RequestContext, input: UpdateIntegrationRequest): Integration {
    const { m } = this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod);
    if (!m.methodIntegration) throw Errors.integration();
    const next = applyPatch(m.methodIntegration, input.patchOperations, {
      uri: 'string',
      httpMethod: 'string',
      passthroughBehavior: 'string',
      contentHandling: 'string',
      timeoutInMillis: 'number',
      requestParameters: 'stringMap',
      requestTemplates: 'stringMap',
    });
    checkIntegration(next);
    m.methodIntegration = next;
    return copy(next);
  }

  deleteIntegration(ctx: RequestContext, input: DeleteIntegrationRequest): Record<string, never> {
    const { m } = this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod);
    if (!m.methodIntegration) throw Errors.integration();
    delete m.methodIntegration;
    return {};
  }

  // ---- method and integration responses ----

  putMethodResponse(ctx: RequestContext, input: PutMethodResponseRequest): MethodResponse {
    const api = this.api(ctx, input.restApiId);
    const { m } = this.method(api, input.resourceId, input.httpMethod);
    const status = input.statusCode ?? '';
    if (!/^[1-5]\d\d$/.test(status)) throw badRequest('Invalid status code specified');
    for (const key of Object.keys(input.responseParameters ?? {})) {
      if (!/^method\.response\.header\.[^.]+$/.test(key)) {
        throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${key}]`);
      }
    }
    for (const model of Object.values(input.responseModels ?? {})) {
      if (!api.models.has(model)) throw badRequest(`Invalid model identifier specified: ${model}`);
    }
    const response: MethodResponse = {
      statusCode: status,
      ...(input.responseParameters ? { responseParameters: { ...input.responseParameters } } : {}),
      ...(input.responseModels ? { responseModels: { ...input.responseModels } } : {}),
    };
    m.methodResponses = { ...m.methodResponses, [status]: response };
    return copy(response);
  }

  getMethodResponse(ctx: RequestContext, input: GetMethodResponseRequest): MethodResponse {
    const { m } = this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod);
    const response = m.methodResponses?.[input.statusCode ?? ''];
    if (!response) throw Errors.methodResponse();
    return copy(response);
  }

  deleteMethodResponse(ctx: RequestContext, input: DeleteMethodResponseRequest): Record<string, never> {
    const { m } = this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod);
    if (!m.methodResponses?.[input.statusCode ?? '']) throw Errors.methodResponse();
    delete m.methodResponses[input.statusCode ?? ''];
    return {};
  }

  putIntegrationResponse(ctx: RequestContext, input: PutIntegrationResponseRequest): IntegrationResponse {
    const { m } = this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod);
    if (!m.methodIntegration) throw Errors.integration();
    const status = input.statusCode ?? '';
    // AWS answers this when the method has no response of that status.
    if (!m.methodResponses?.[status]) throw Errors.methodResponse();
    const response: IntegrationResponse = {
      statusCode: status,
      ...(input.selectionPattern !== undefined ? { selectionPattern: input.selectionPattern } : {}),
      ...(input.responseParameters ? { responseParameters: { ...input.responseParameters } } : {}),
      ...(input.responseTemplates ? { responseTemplates: { ...input.responseTemplates } } : {}),
      ...(input.contentHandling !== undefined ? { contentHandling: input.contentHandling } : {}),
    };
    checkIntegrationResponse(response);
    m.methodIntegration.integrationResponses = { ...m.methodIntegration.integrationResponses, [status]: response };
    return copy(response);
  }

  getIntegrationResponse(ctx: RequestContext, input: GetIntegrationResponseRequest): IntegrationResponse {
    const response = this.integration(ctx, input).integrationResponses?.[input.statusCode ?? ''];
    if (!response) throw Errors.methodResponse();
    return copy(response);
  }

  deleteIntegrationResponse(ctx: RequestContext, input: DeleteIntegrationResponseRequest): Record<string, never> {
    const integration = this.integration(ctx, input);
    if (!integration.integrationResponses?.[input.statusCode ?? '']) throw Errors.methodResponse();
    delete integration.integrationResponses[input.statusCode ?? ''];
    return {};
  }

  // ---- deployments and stages ----

  createDeployment(ctx: RequestContext, input: CreateDeploymentRequest): Deployment {
    const api = this.api(ctx, input.restApiId);
    let methods = 0;
    for (const r of api.resources.values()) {
      for (const m of r.methods.values()) {
        methods++;
        if (!m.methodIntegration) throw badRequest('No integration defined for method');
      }
    }
    if (methods === 0) throw badRequest("The REST API doesn't contain any methods");
    if (input.stageName !== undefined && !STAGE_NAME.test(input.stageName)) {
      throw badRequest('Stage name only allows a-zA-Z0-9_');
    }
    checkCacheSize(input.cacheClusterSize);
    const canary = input.canarySettings;
    if (canary) {
      // A canary deployment goes to an existing stage, beside the stage's own deployment.
      if (!input.stageName || !api.stages.has(input.stageName)) throw badRequest('Canary deployments need an existing stage');
      checkCanary(canary.percentTraffic, canary.useStageCache);
      checkVariables(canary.stageVariableOverrides);
    }
    checkVariables(input.variables);
    let id = newId(6);
    while (api.deployments.has(id)) id = newId(6);
    const deployment: Deployment = {
      id,
      ...(input.description !== undefined ? { description: input.description } : {}),
      createdDate: new Date(ctx.clock.now()),
    };
    api.deployments.set(id, { deployment, snapshot: this.store(ctx).snapshot(api) });
    if (input.stageName && canary) {
      const stage = this.stage(api, input.stageName);
      stage.canarySettings = {
        deploymentId: id,
        percentTraffic: canary.percentTraffic ?? 0,
        ...(canary.stageVariableOverrides ? { stageVariableOverrides: { ...canary.stageVariableOverrides } } : {}),
        useStageCache: false,
      };
      stage.lastUpdatedDate = new Date(ctx.clock.now());
    } else if (input.stageName) {
      const now = new Date(ctx.clock.now());
      const existing = api.stages.get(input.stageName);
      if (existing) {
        existing.deploymentId = id;
        if (input.variables) existing.variables = { ...existing.variables, ...input.variables };
        if (input.cacheClusterEnabled !== undefined) setCache(existing, input.cacheClusterEnabled, input.cacheClusterSize);
        existing.lastUpdatedDate = now;
      } else {
        api.stages.set(input.stageName, {
          stageName: input.stageName,
          deploymentId: id,
          ...(input.stageDescription !== undefined ? { description: input.stageDescription } : {}),
          ...cacheFields(input.cacheClusterEnabled, input.cacheClusterSize),
          methodSettings: {},
          ...(input.variables ? { variables: { ...input.variables } } : {}),
          tracingEnabled: input.tracingEnabled ?? false,
          createdDate: now,
          lastUpdatedDate: now,
        });
      }
    }
    return copy(deployment);
  }

  getDeployment(ctx: RequestContext, input: GetDeploymentRequest): Deployment {
    const d = this.api(ctx, input.restApiId).deployments.get(input.deploymentId ?? '');
    if (!d) throw Errors.deployment();
    return copy(d.deployment);
  }

  getDeployments(ctx: RequestContext, input: GetDeploymentsRequest): Deployments {
    const all = [...this.api(ctx, input.restApiId).deployments.values()].map((d) => copy(d.deployment));
    return page(all, input.position, input.limit);
  }

  deleteDeployment(ctx: RequestContext, input: DeleteDeploymentRequest): Record<string, never> {
    const api = this.api(ctx, input.restApiId);
    if (!api.deployments.has(input.deploymentId ?? '')) throw Errors.deployment();
    for (const s of api.stages.values()) {
      if (s.deploymentId === input.deploymentId || s.canarySettings?.deploymentId === input.deploymentId) {
        throw badRequest('Active stages pointing to this deployment must be moved or deleted');
      }
    }
    api.deployments.delete(input.deploymentId ?? '');
    return {};
  }

  createStage(ctx: RequestContext, input: CreateStageRequest): Stage {
    const api = this.api(ctx, input.restApiId);
    const name = input.stageName ?? '';
    if (!STAGE_NAME.test(name)) throw badRequest('Stage name only allows a-zA-Z0-9_');
    if (!api.deployments.has(input.deploymentId ?? '')) throw Errors.deployment();
    if (api.stages.has(name)) throw conflict('Stage already exists');
    checkCacheSize(input.cacheClusterSize);
    if (input.canarySettings) {
      checkCanary(input.canarySettings.percentTraffic, input.canarySettings.useStageCache);
      if (!api.deployments.has(input.canarySettings.deploymentId ?? '')) throw Errors.deployment();
      checkVariables(input.canarySettings.stageVariableOverrides);
    }
    checkVariables(input.variables);
    const now = new Date(ctx.clock.now());
    const stage: Stage & { stageName: string } = {
      stageName: name,
      deploymentId: input.deploymentId,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...cacheFields(input.cacheClusterEnabled, input.cacheClusterSize),
      methodSettings: {},
      ...(input.variables ? { variables: { ...input.variables } } : {}),
      tracingEnabled: input.tracingEnabled ?? false,
      ...(input.tags ? { tags: { ...input.tags } } : {}),
      ...(input.canarySettings ? { canarySettings: { ...input.canarySettings, percentTraffic: input.canarySettings.percentTraffic ?? 0, useStageCache: false } } : {}),
      createdDate: now,
      lastUpdatedDate: now,
    };
    api.stages.set(name, stage);
    return copy(stage);
  }

  private stage(api: ApiRecord, name: string | undefined): Stage & { stageName: string } {
    const s = api.stages.get(name ?? '');
    if (!s) throw Errors.stage();
    return s;
  }

  getStage(ctx: RequestContext, input: GetStageRequest): Stage {
    return copy(this.stage(this.api(ctx, input.restApiId), input.stageName));
  }

  getStages(ctx: RequestContext, input: GetStagesRequest): Stages {
    const api = this.api(ctx, input.restApiId);
    const all = [...api.stages.values()].filter((s) => !input.deploymentId || s.deploymentId === input.deploymentId);
    return { item: all.map(copy) };
  }

  updateStage(ctx: RequestContext, input: UpdateStageRequest): Stage {
    const api = this.api(ctx, input.restApiId);
    const s = this.stage(api, input.stageName);
    // Canary paths (/canarySettings/percentTraffic, .../deploymentId, .../stageVariableOverrides/NAME) patch the
    // canary; the rest patch the stage.
    const staged = structuredClone(s);
    const stageOps = patchMethodSettings(staged, input.patchOperations);
    const own = stageOps.filter((p) => !(p.path ?? '').startsWith('/canarySettings'));
    const canaryOps = stageOps
      .filter((p) => (p.path ?? '').startsWith('/canarySettings'))
      .map((p) => ({ ...p, path: (p.path ?? '').slice('/canarySettings'.length) }));
    const next = applyPatch(staged, own, {
      deploymentId: 'string',
      description: 'string',
      variables: 'stringMap',
      tracingEnabled: 'boolean',
      cacheClusterEnabled: 'boolean',
      cacheClusterSize: 'string',
    });
    checkCacheSize(next.cacheClusterSize);
    setCache(next, next.cacheClusterEnabled ?? false, next.cacheClusterSize);
    if (!next.cacheClusterEnabled) this.dataPlane.flushCache(api.api.id, s.stageName);
    if (canaryOps.some((p) => p.path === '' && p.op === 'remove')) {
      delete next.canarySettings;
    } else if (canaryOps.length) {
      const c = applyPatch(next.canarySettings ?? { percentTraffic: 0, useStageCache: false }, canaryOps, {
        percentTraffic: 'number',
        deploymentId: 'string',
        stageVariableOverrides: 'stringMap',
        useStageCache: 'boolean',
      });
      checkCanary(c.percentTraffic, c.useStageCache);
      if (!api.deployments.has(c.deploymentId ?? '')) throw Errors.deployment();
      checkVariables(c.stageVariableOverrides);
      next.canarySettings = c;
    }
    if (!api.deployments.has(next.deploymentId ?? '')) throw Errors.deployment();
    checkVariables(next.variables);
    next.lastUpdatedDate = new Date(ctx.clock.now());
    api.stages.set(s.stageName, next);
    return copy(next);
  }

  deleteStage(ctx: RequestContext, input: DeleteStageRequest): Record<string, never> {
    const api = this.api(ctx, input.restApiId);
    this.stage(api, input.stageName);
    api.stages.delete(input.stageName ?? '');
    return {};
  }

  // ---- models and request validators ----

  createModel(ctx: RequestContext, input: CreateModelRequest): Model {
    const api = this.api(ctx, input.restApiId);
    const name = input.name ?? '';
    if (!/^[a-zA-Z0-9]+$/.test(name)) throw badRequest('Model name must be non-empty and alphanumeric');
    if (!input.contentType) throw badRequest('Content type must be non-empty');
    if (api.models.has(name)) throw conflict('Model name already exists for this REST API');
    this.schemas.check(input.schema);
    const model: Model = {
      id: newId(),
      name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.schema !== undefined ? { schema: input.schema } : {}),
      contentType: input.contentType,
    };
    api.models.set(name, model);
    return copy(model);
  }

  getModel(ctx: RequestContext, input: GetModelRequest): Model {
    const model = this.api(ctx, input.restApiId).models.get(input.modelName ?? '');
    if (!model) throw notFound(`Invalid model name specified: ${input.modelName ?? ''}`);
    return copy(model);
  }

  getModels(ctx: RequestContext, input: GetModelsRequest): Models {
    return page([...this.api(ctx, input.restApiId).models.values()].map(copy), input.position, input.limit);
  }

  deleteModel(ctx: RequestContext, input: DeleteModelRequest): Record<string, never> {
    const api = this.api(ctx, input.restApiId);
    const name = input.modelName ?? '';
    if (!api.models.has(name)) throw notFound(`Invalid model name specified: ${name}`);
    for (const r of api.resources.values()) {
      for (const m of r.methods.values()) {
        if (Object.values(m.requestModels ?? {}).includes(name)) {
          throw conflict(`Cannot delete model '${name}', is referenced in method request: ${r.path}/${m.httpMethod ?? ''}`);
        }
      }
    }
    api.models.delete(name);
    return {};
  }

  createRequestValidator(ctx: RequestContext, input: CreateRequestValidatorRequest): RequestValidator {
    const api = this.api(ctx, input.restApiId);
    const validator: RequestValidator = {
      id: newId(6),
      ...(input.name !== undefined ? { name: input.name } : {}),
      validateRequestBody: input.validateRequestBody ?? false,
      validateRequestParameters: input.validateRequestParameters ?? false,
    };
    api.validators.set(validator.id ?? '', validator);
    return copy(validator);
  }

  getRequestValidator(ctx: RequestContext, input: GetRequestValidatorRequest): RequestValidator {
    const v = this.api(ctx, input.restApiId).validators.get(input.requestValidatorId ?? '');
    if (!v) throw notFound('Invalid Request Validator identifier specified');
    return copy(v);
  }

  getRequestValidators(ctx: RequestContext, input: GetRequestValidatorsRequest): RequestValidators {
    return page([...this.api(ctx, input.restApiId).validators.values()].map(copy), input.position, input.limit);
  }

  deleteRequestValidator(ctx: RequestContext, input: DeleteRequestValidatorRequest): Record<string, never> {
    const api = this.api(ctx, input.restApiId);
    const id = input.requestValidatorId ?? '';
    if (!api.validators.has(id)) throw notFound('Invalid Request Validator identifier specified');
    for (const r of api.resources.values()) {
      for (const m of r.methods.values()) if (m.requestValidatorId === id) delete m.requestValidatorId;
    }
    api.validators.delete(id);
    return {};
  }

  // ---- OpenAPI import and export ----

  importRestApi(ctx: RequestContext, input: ImportRestApiRequest): RestApi {
    const imported = readDocument(parseDocument(input.body));
    if (!imported.title) throw importError('Invalid OpenAPI input: info.title, the API name, is required');
    const types = input.parameters?.endpointConfigurationTypes;
    const created = this.createRestApi(ctx, {
      name: imported.title,
      ...(imported.description !== undefined ? { description: imported.description } : {}),
      ...(imported.version !== undefined ? { version: imported.version } : {}),
      ...(imported.binaryMediaTypes.length ? { binaryMediaTypes: imported.binaryMediaTypes } : {}),
      ...(types ? { endpointConfiguration: { types: types.split(',') as Array<'EDGE' | 'REGIONAL' | 'PRIVATE'> } } : {}),
    });
    const id = created.id ?? '';
    try {
      this.define(ctx, this.api(ctx, id), imported);
    } catch (err) {
      this.store(ctx).apis.delete(id);
      this.index.delete(id);
      throw err;
    }
    return copy(this.api(ctx, id).api);
  }

  putRestApi(ctx: RequestContext, input: PutRestApiRequest): RestApi {
    const api = this.api(ctx, input.restApiId);
    const mode = input.mode ?? 'merge';
    if (mode !== 'merge' && mode !== 'overwrite') throw badRequest(`Invalid mode specified: ${mode}. Valid options are merge,overwrite`);
    const imported = readDocument(parseDocument(input.body));
    // Restored when the document fails half-way, so that a bad PutRestApi leaves the API as it was.
    const saved = {
      resources: new Map([...api.resources].map(([k, r]) => [k, { ...r, methods: new Map([...r.methods].map(([m, v]) => [m, structuredClone(v)])) }])),
      models: new Map(api.models),
      validators: new Map(api.validators),
      authorizers: new Map(api.authorizers),
      binaryMediaTypes: api.api.binaryMediaTypes,
    };
    try {
      if (mode === 'overwrite') {
        for (const [rid] of api.resources) if (rid !== api.api.rootResourceId) api.resources.delete(rid);
        api.resources.get(api.api.rootResourceId)?.methods.clear();
        for (const name of [...api.models.keys()]) if (name !== 'Empty' && name !== 'Error') api.models.delete(name);
        api.validators.clear();
        api.authorizers.clear();
        api.api.binaryMediaTypes = imported.binaryMediaTypes.length ? imported.binaryMediaTypes : undefined;
        if (imported.description !== undefined) api.api.description = imported.description;
      } else if (imported.binaryMediaTypes.length) {
        api.api.binaryMediaTypes = [...new Set([...(api.api.binaryMediaTypes ?? []), ...imported.binaryMediaTypes])];
      }
      this.define(ctx, api, imported);
    } catch (err) {
      for (const [target, source] of [
        [api.resources, saved.resources],
        [api.models, saved.models],
        [api.validators, saved.validators],
        [api.authorizers, saved.authorizers],
      ] as Array<[Map<string, unknown>, Map<string, unknown>]>) {
        target.clear();
        for (const [k, v] of source) target.set(k, v);
      }
      api.api.binaryMediaTypes = saved.binaryMediaTypes;
      throw err;
    }
    if (!api.api.binaryMediaTypes?.length) delete api.api.binaryMediaTypes;
    return copy(api.api);
  }

  /** Defines the document's models, validators, authorizers, resources and methods through the Put/Create checks. */
  private define(ctx: RequestContext, api: ApiRecord, imported: ImportedApi): void {
    const restApiId = api.api.id;
    for (const [name, schema] of imported.models) {
      if (!/^[a-zA-Z0-9]+$/.test(name)) throw importError(`Invalid model name ${name}: model names are alphanumeric`);
      this.schemas.check(schema);
      api.models.set(name, { id: api.models.get(name)?.id ?? newId(), name, schema, contentType: 'application/json' });
    }
    const validatorIds = new Map<string, string>();
    for (const [name, v] of imported.validators) {
      validatorIds.set(name, this.createRequestValidator(ctx, { restApiId, name, ...v }).id ?? '');
    }
    const authorizerIds = new Map<string, string>();
    for (const [scheme, a] of imported.authorizers) {
      authorizerIds.set(scheme, this.createAuthorizer(ctx, { restApiId, ...a, name: a.name ?? scheme, type: a.type ?? 'TOKEN' }).id ?? '');
    }
    for (const m of imported.methods) {
      let resourceId = api.api.rootResourceId;
      for (const part of m.path.split('/').filter(Boolean)) {
        const child = [...api.resources.values()].find((r) => r.parentId === resourceId && r.pathPart === part);
        resourceId = child?.id ?? this.createResource(ctx, { restApiId, parentId: resourceId, pathPart: part }).id ?? '';
      }
      this.resource(api, resourceId).methods.delete(m.httpMethod);
      const validatorId = m.validatorName ? validatorIds.get(m.validatorName) : undefined;
      if (m.validatorName && !validatorId) throw importError(`Unknown request validator ${m.validatorName} for ${m.httpMethod} ${m.path}`);
      this.putMethod(ctx, {
        restApiId,
        resourceId,
        httpMethod: m.httpMethod,
        authorizationType: m.method.authorizationType,
        apiKeyRequired: m.method.apiKeyRequired,
        ...(m.method.operationName ? { operationName: m.method.operationName } : {}),
        ...(m.method.requestParameters ? { requestParameters: m.method.requestParameters } : {}),
        ...(m.authorizerScheme ? { authorizerId: authorizerIds.get(m.authorizerScheme) } : {}),
        ...(validatorId ? { requestValidatorId: validatorId } : {}),
        ...(m.requestModel ? { requestModels: { 'application/json': m.requestModel } } : {}),
      });
      const target = { restApiId, resourceId, httpMethod: m.httpMethod };
      if (m.integration) {
        const { httpMethod: integrationHttpMethod, type, ...rest } = m.integration;
        if (!type) throw importError(`The x-amazon-apigateway-integration of ${m.httpMethod} ${m.path} has no type`);
        this.putIntegration(ctx, { ...target, ...rest, type, ...(integrationHttpMethod ? { integrationHttpMethod } : {}) });
      }
      const statuses = new Set(m.methodResponses.map((r) => r.statusCode));
      for (const r of m.methodResponses) this.putMethodResponse(ctx, { ...target, ...r, statusCode: r.statusCode ?? '' });
      for (const ir of m.integrationResponses) {
        if (!statuses.has(ir.statusCode)) {
          this.putMethodResponse(ctx, { ...target, statusCode: ir.statusCode });
          statuses.add(ir.statusCode);
        }
        if (m.integration) this.putIntegrationResponse(ctx, { ...target, ...ir, statusCode: ir.statusCode ?? '' });
      }
    }
  }

  getExport(ctx: RequestContext, input: GetExportRequest): ExportResponse {
    const api = this.api(ctx, input.restApiId);
    const stage = this.stage(api, input.stageName);
    if (input.exportType !== 'oas30') throw badRequest(`Switchyard exports oas30 only, not ${input.exportType ?? ''}`);
    const accepts = input.accepts ?? 'application/json';
    const yaml = accepts.includes('yaml');
    if (!yaml && !accepts.includes('json') && !accepts.includes('*/*')) {
      throw badRequest(`Unsupported Accept type ${accepts}: application/json or application/yaml`);
    }
    const deployment = api.deployments.get(stage.deploymentId ?? '');
    if (!deployment) throw Errors.deployment();
    const extensions = (input.parameters?.extensions ?? '').split(',');
    const withIntegrations = extensions.includes('integrations') || extensions.includes('apigateway') || extensions.includes('authorizers');
    const doc = exportDocument(deployment.snapshot, api.api, ctx.region, stage.stageName, withIntegrations);
    const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
    return {
      contentType: 'application/octet-stream',
      contentDisposition: `attachment; filename="oas30_${day}.${yaml ? 'yaml' : 'json'}"`,
      body: Buffer.from(yaml ? stringifyYaml(doc) : JSON.stringify(doc, null, 2)),
    };
  }

  // ---- authorizers ----

  createAuthorizer(ctx: RequestContext, input: CreateAuthorizerRequest): Authorizer {
    const api = this.api(ctx, input.restApiId);
    const authorizer: Authorizer = {
      id: newId(6),
      name: input.name,
      type: input.type,
      ...(input.authorizerUri !== undefined ? { authorizerUri: input.authorizerUri } : {}),
      ...(input.authorizerCredentials !== undefined ? { authorizerCredentials: input.authorizerCredentials } : {}),
      ...(input.identitySource !== undefined ? { identitySource: input.identitySource } : {}),
      ...(input.identityValidationExpression !== undefined ? { identityValidationExpression: input.identityValidationExpression } : {}),
      authorizerResultTtlInSeconds: input.authorizerResultTtlInSeconds ?? 300,
    };
    if (input.providerARNs?.length) throw badRequest('Switchyard does not implement Cognito user pool authorizers yet');
    checkAuthorizer(authorizer);
    api.authorizers.set(authorizer.id ?? '', authorizer);
    return copy(authorizer);
  }

  private authorizer(api: ApiRecord, id: string | undefined): Authorizer {
    const a = api.authorizers.get(id ?? '');
    if (!a) throw notFound('Invalid Authorizer identifier specified');
    return a;
  }

  getAuthorizer(ctx: RequestContext, input: GetAuthorizerRequest): Authorizer {
    return copy(this.authorizer(this.api(ctx, input.restApiId), input.authorizerId));
  }

  getAuthorizers(ctx: RequestContext, input: GetAuthorizersRequest): Authorizers {
    return page([...this.api(ctx, input.restApiId).authorizers.values()].map(copy), input.position, input.limit);
  }

  deleteAuthorizer(ctx: RequestContext, input: DeleteAuthorizerRequest): Record<string, never> {
    const api = this.api(ctx, input.restApiId);
    const a = this.authorizer(api, input.authorizerId);
    for (const r of api.resources.values()) {
      for (const m of r.methods.values()) {
        if (m.authorizerId === a.id) throw conflict('Cannot delete authorizer, is referenced in method: ' + `${r.path}/${m.httpMethod ?? ''}`);
      }
    }
    api.authorizers.delete(a.id ?? '');
    return {};
  }

  // ---- API keys and usage plans ----

  private keyOut(k: ApiKey, includeValue: boolean): ApiKey {
    const out = copy(k);
    if (!includeValue) delete out.value;
    return out;
  }

  createApiKey(ctx: RequestContext, input: CreateApiKeyRequest): ApiKey {
    const usage = this.store(ctx).usage;
    const value = input.value ?? newId(40);
    if (value.length < 20) throw badRequest('API Key value should be at least 20 characters');
    if (usage.keyByValue(value)) throw conflict('API Key already exists');
    if (input.stageKeys?.length) throw badRequest('Switchyard does not implement stageKeys: add the key to a usage plan');
    const now = new Date(ctx.clock.now());
    const key = {
      id: newId(),
      value,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.customerId !== undefined ? { customerId: input.customerId } : {}),
      enabled: input.enabled ?? false,
      createdDate: now,
      lastUpdatedDate: now,
      stageKeys: [],
      ...(input.tags ? { tags: { ...input.tags } } : {}),
    };
    usage.keys.set(key.id, key);
    return this.keyOut(key, true);
  }

  private apiKey(ctx: RequestContext, id: string | undefined): ApiKey & { id: string; value: string } {
    const k = this.store(ctx).usage.keys.get(id ?? '');
    if (!k) throw notFound('Invalid API Key identifier specified');
    return k;
  }

  getApiKey(ctx: RequestContext, input: GetApiKeyRequest): ApiKey {
    return this.keyOut(this.apiKey(ctx, input.apiKey), input.includeValue === true);
  }

  getApiKeys(ctx: RequestContext, input: GetApiKeysRequest): ApiKeys {
    const all = [...this.store(ctx).usage.keys.values()]
      .filter((k) => !input.nameQuery || (k.name ?? '').startsWith(input.nameQuery))
      .map((k) => this.keyOut(k, input.includeValues === true));
    return page(all, input.position, input.limit);
  }

  updateApiKey(ctx: RequestContext, input: UpdateApiKeyRequest): ApiKey {
    const k = this.apiKey(ctx, input.apiKey);
    const next = applyPatch(k, input.patchOperations, { name: 'string', description: 'string', enabled: 'boolean', customerId: 'string' });
    next.lastUpdatedDate = new Date(ctx.clock.now());
    this.store(ctx).usage.keys.set(k.id, next);
    return this.keyOut(next, false);
  }

  deleteApiKey(ctx: RequestContext, input: DeleteApiKeyRequest): Record<string, never> {
    const k = this.apiKey(ctx, input.apiKey);
    const usage = this.store(ctx).usage;
    for (const p of usage.plans.values()) {
      if (p.keys.delete(k.id)) usage.forget(p.plan.id, k.id);
    }
    usage.keys.delete(k.id);
    return {};
  }

  createUsagePlan(ctx: RequestContext, input: CreateUsagePlanRequest): UsagePlan {
    if (!input.name) throw badRequest('Invalid usage plan name specified');
    for (const s of input.apiStages ?? []) {
      const api = this.api(ctx, s.apiId);
      if (!api.stages.has(s.stage ?? '')) throw notFound('Invalid stage identifier specified');
      if (s.throttle && Object.keys(s.throttle).length) throw badRequest('Switchyard does not implement per-method throttling in usage plans yet');
    }
    const t = input.throttle;
    if (t && ((t.rateLimit !== undefined && t.rateLimit < 0) || (t.burstLimit !== undefined && t.burstLimit < 0))) {
      throw badRequest('Throttle rate and burst limits must not be negative');
    }
    const q = input.quota;
    if (q) {
      if (q.limit === undefined || q.limit < 0) throw badRequest('Quota limit must be a non-negative number');
      if (!['DAY', 'WEEK', 'MONTH'].includes(q.period ?? '')) throw badRequest(`Invalid quota period specified: ${q.period ?? ''}. Valid options are DAY,WEEK,MONTH`);
      if (q.offset) throw badRequest('Switchyard does not implement quota offsets yet: offset must be 0');
    }
    const plan = {
      id: newId(6),
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      apiStages: (input.apiStages ?? []).map((s) => ({ apiId: s.apiId, stage: s.stage })),
      ...(t ? { throttle: { ...t } } : {}),
      ...(q ? { quota: { ...q, offset: 0 } } : {}),
      ...(input.tags ? { tags: { ...input.tags } } : {}),
    };
    this.store(ctx).usage.plans.set(plan.id, { plan, keys: new Set() });
    return copy(plan);
  }

  private usagePlan(ctx: RequestContext, id: string | undefined) {
    const p = this.store(ctx).usage.plans.get(id ?? '');
    if (!p) throw notFound(`Invalid Usage Plan ID specified`);
    return p;
  }

  getUsagePlan(ctx: RequestContext, input: GetUsagePlanRequest): UsagePlan {
    return copy(this.usagePlan(ctx, input.usagePlanId).plan);
  }

  getUsagePlans(ctx: RequestContext, input: GetUsagePlansRequest): UsagePlans {
    const all = [...this.store(ctx).usage.plans.values()]
      .filter((p) => !input.keyId || p.keys.has(input.keyId))
      .map((p) => copy(p.plan));
    return page(all, input.position, input.limit);
  }

  updateUsagePlan(ctx: RequestContext, input: UpdateUsagePlanRequest): UsagePlan {
    const record = this.usagePlan(ctx, input.usagePlanId);
    const plan = copy(record.plan);
    const number = (v: string | undefined, path: string): number => {
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n) || n < 0) throw badRequest(`Invalid value '${v ?? ''}' for ${path}`);
      return n;
    };
    for (const p of input.patchOperations ?? []) {
      const path = p.path ?? '';
      const op = p.op ?? '';
      if (path === '/name' && op === 'replace' && p.value) plan.name = p.value;
      else if (path === '/description' && op === 'replace') plan.description = p.value;
      else if (path === '/productCode' && op === 'replace') plan.productCode = p.value;
      else if (path === '/throttle/rateLimit' && op === 'replace') plan.throttle = { ...plan.throttle, rateLimit: number(p.value, path) };
      else if (path === '/throttle/burstLimit' && op === 'replace') plan.throttle = { ...plan.throttle, burstLimit: number(p.value, path) };
      else if (path === '/throttle' && op === 'remove') delete plan.throttle;
      else if (path === '/quota/limit' && op === 'replace') plan.quota = { period: 'DAY', offset: 0, ...plan.quota, limit: number(p.value, path) };
      else if (path === '/quota/period' && op === 'replace' && ['DAY', 'WEEK', 'MONTH'].includes(p.value ?? '')) {
        plan.quota = { limit: 0, offset: 0, ...plan.quota, period: p.value as 'DAY' | 'WEEK' | 'MONTH' };
      } else if (path === '/quota' && op === 'remove') delete plan.quota;
      else if (path === '/apiStages' && (op === 'add' || op === 'remove')) {
        const [apiId, stage] = (p.value ?? '').split(':');
        if (op === 'add') {
          const api = this.api(ctx, apiId);
          if (!api.stages.has(stage ?? '')) throw notFound('Invalid stage identifier specified');
          plan.apiStages = [...(plan.apiStages ?? []), { apiId, stage }];
        } else {
          plan.apiStages = (plan.apiStages ?? []).filter((s) => s.apiId !== apiId || s.stage !== stage);
        }
      } else {
        throw badRequest(
          `Invalid patch path '${path}' specified for op '${op}'. Must be one of: [/name, /description, /productCode, /throttle/rateLimit, /throttle/burstLimit, /quota/limit, /quota/period, /apiStages]`,
        );
      }
    }
    record.plan = plan;
    this.store(ctx).usage.forget(plan.id);
    return copy(plan);
  }

  deleteUsagePlan(ctx: RequestContext, input: DeleteUsagePlanRequest): Record<string, never> {
    const p = this.usagePlan(ctx, input.usagePlanId);
    const usage = this.store(ctx).usage;
    usage.plans.delete(p.plan.id);
    usage.forget(p.plan.id);
    return {};
  }

  createUsagePlanKey(ctx: RequestContext, input: CreateUsagePlanKeyRequest): UsagePlanKey {
    const p = this.usagePlan(ctx, input.usagePlanId);
    if (input.keyType !== 'API_KEY') throw badRequest(`Invalid key type specified: ${input.keyType ?? ''}. Valid options are API_KEY`);
    const k = this.apiKey(ctx, input.keyId);
    if (p.keys.has(k.id)) throw conflict('Usage Plan Key already exists');
    p.keys.add(k.id);
    return { id: k.id, type: 'API_KEY', value: k.value, ...(k.name !== undefined ? { name: k.name } : {}) };
  }

  getUsagePlanKeys(ctx: RequestContext, input: GetUsagePlanKeysRequest): UsagePlanKeys {
    const p = this.usagePlan(ctx, input.usagePlanId);
    const usage = this.store(ctx).usage;
    const all: UsagePlanKey[] = [];
    for (const id of p.keys) {
      const k = usage.keys.get(id);
      if (k && (!input.nameQuery || (k.name ?? '').startsWith(input.nameQuery))) {
        all.push({ id, type: 'API_KEY', value: k.value, ...(k.name !== undefined ? { name: k.name } : {}) });
      }
    }
    return page(all, input.position, input.limit);
  }

  deleteUsagePlanKey(ctx: RequestContext, input: DeleteUsagePlanKeyRequest): Record<string, never> {
    const p = this.usagePlan(ctx, input.usagePlanId);
    if (!p.keys.delete(input.keyId ?? '')) throw notFound('Invalid Usage Plan Key identifier specified');
    this.store(ctx).usage.forget(p.plan.id, input.keyId);
    return {};
  }

  // ---- gateway responses ----

  private responseType(type: string | undefined): string {
    if (!type || !RESPONSE_TYPES.has(type)) {
      throw badRequest(`Invalid response type specified. Valid options are ${[...RESPONSE_TYPES.keys()].join(',')}`);
    }
    return type;
  }

  putGatewayResponse(ctx: RequestContext, input: PutGatewayResponseRequest): GatewayResponse {
    const api = this.api(ctx, input.restApiId);
    const type = this.responseType(input.responseType);
    if (input.statusCode !== undefined && !/^[1-5]\d\d$/.test(input.statusCode)) throw badRequest('Invalid status code specified');
    for (const [k, v] of Object.entries(input.responseParameters ?? {})) {
      if (!/^gatewayresponse\.header\.[^.]+$/.test(k) || !(/^'.*'$/s.test(v) || /^method\.request\.(path|querystring|header|multivalueheader|multivaluequerystring)\.[^.]+$/.test(v) || /^stageVariables\.[A-Za-z0-9_]+$/.test(v) || /^context\.[A-Za-z0-9_.]+$/.test(v))) {
        throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${k}]`);
      }
    }
    const response: GatewayResponse = {
      responseType: input.responseType,
      ...(input.statusCode !== undefined ? { statusCode: input.statusCode } : {}),
      responseParameters: { ...input.responseParameters },
      responseTemplates: { ...input.responseTemplates },
      defaultResponse: false,
    };
    api.gatewayResponses.set(type, response);
    return copy(response);
  }

  getGatewayResponse(ctx: RequestContext, input: GetGatewayResponseRequest): GatewayResponse {
    const api = this.api(ctx, input.restApiId);
    const type = this.responseType(input.responseType);
    return copy(api.gatewayResponses.get(type) ?? defaultGatewayResponse(type));
  }

  getGatewayResponses(ctx: RequestContext, input: GetGatewayResponsesRequest): GatewayResponses {
    const api = this.api(ctx, input.restApiId);
    const all = [...RESPONSE_TYPES.keys()].map((t) => copy(api.gatewayResponses.get(t) ?? defaultGatewayResponse(t)));
    return page(all, input.position, input.limit ?? 500);
  }

  deleteGatewayResponse(ctx: RequestContext, input: DeleteGatewayResponseRequest): Record<string, never> {
    const api = this.api(ctx, input.restApiId);
    const type = this.responseType(input.responseType);
    if (!api.gatewayResponses.has(type)) throw notFound('Invalid Gateway Response identifier specified');
    api.gatewayResponses.delete(type);
    return {};
  }

  // ---- updates of the remaining definitions ----

  updateMethodResponse(ctx: RequestContext, input: UpdateMethodResponseRequest): MethodResponse {
    const { m } = this.method(this.api(ctx, input.restApiId), input.resourceId, input.httpMethod);
    const current = m.methodResponses?.[input.statusCode ?? ''];
    if (!current || !m.methodResponses) throw Errors.methodResponse();
    const next = applyPatch(current, input.patchOperations, { responseParameters: 'booleanMap', responseModels: 'stringMap' });
    m.methodResponses[input.statusCode ?? ''] = next;
    return copy(next);
  }

  updateIntegrationResponse(ctx: RequestContext, input: UpdateIntegrationResponseRequest): IntegrationResponse {
    const integration = this.integration(ctx, input);
    const current = integration.integrationResponses?.[input.statusCode ?? ''];
    if (!current || !integration.integrationResponses) throw Errors.methodResponse();
    const next = applyPatch(current, input.patchOperations, {
      selectionPattern: 'string',
      contentHandling: 'string',
      responseParameters: 'stringMap',
      responseTemplates: 'stringMap',
    });
    checkIntegrationResponse(next);
    integration.integrationResponses[input.statusCode ?? ''] = next;
    return copy(next);
  }

  updateModel(ctx: RequestContext, input: UpdateModelRequest): Model {
    const api = this.api(ctx, input.restApiId);
    const model = api.models.get(input.modelName ?? '');
    if (!model) throw notFound(`Invalid model name specified: ${input.modelName ?? ''}`);
    const next = applyPatch(model, input.patchOperations, { schema: 'string', description: 'string' });
    this.schemas.check(next.schema);
    api.models.set(model.name ?? '', next);
    return copy(next);
  }

  updateRequestValidator(ctx: RequestContext, input: UpdateRequestValidatorRequest): RequestValidator {
    const api = this.api(ctx, input.restApiId);
    const v = api.validators.get(input.requestValidatorId ?? '');
    if (!v) throw notFound('Invalid Request Validator identifier specified');
    const next = applyPatch(v, input.patchOperations, { name: 'string', validateRequestBody: 'boolean', validateRequestParameters: 'boolean' });
    api.validators.set(v.id ?? '', next);
    return copy(next);
  }

  updateAuthorizer(ctx: RequestContext, input: UpdateAuthorizerRequest): Authorizer {
    const api = this.api(ctx, input.restApiId);
    const a = this.authorizer(api, input.authorizerId);
    const next = applyPatch(a, input.patchOperations, {
      name: 'string',
      authorizerUri: 'string',
      identitySource: 'string',
      identityValidationExpression: 'string',
      authorizerResultTtlInSeconds: 'number',
    });
    checkAuthorizer(next);
    api.authorizers.set(a.id ?? '', next);
    return copy(next);
  }

  updateGatewayResponse(ctx: RequestContext, input: UpdateGatewayResponseRequest): GatewayResponse {
    const api = this.api(ctx, input.restApiId);
    const type = this.responseType(input.responseType);
    const current = api.gatewayResponses.get(type) ?? { ...defaultGatewayResponse(type), defaultResponse: false };
    const next = applyPatch(current, input.patchOperations, { statusCode: 'string', responseParameters: 'stringMap', responseTemplates: 'stringMap' });
    this.putGatewayResponse(ctx, { restApiId: input.restApiId, responseType: next.responseType, statusCode: next.statusCode, responseParameters: next.responseParameters, responseTemplates: next.responseTemplates });
    return copy(api.gatewayResponses.get(type) ?? next);
  }

  updateDeployment(ctx: RequestContext, input: UpdateDeploymentRequest): Deployment {
    const d = this.api(ctx, input.restApiId).deployments.get(input.deploymentId ?? '');
    if (!d) throw Errors.deployment();
    const next = applyPatch(d.deployment, input.patchOperations, { description: 'string' });
    if (next.description === undefined) delete d.deployment.description;
    else d.deployment.description = next.description;
    return copy(d.deployment);
  }

  flushStageCache(ctx: RequestContext, input: FlushStageCacheRequest): Record<string, never> {
    const api = this.api(ctx, input.restApiId);
    this.stage(api, input.stageName);
    this.dataPlane.flushCache(api.api.id, input.stageName ?? '');
    return {};
  }

  flushStageAuthorizersCache(ctx: RequestContext, input: FlushStageAuthorizersCacheRequest): Record<string, never> {
    const api = this.api(ctx, input.restApiId);
    this.stage(api, input.stageName);
    this.dataPlane.flushAuthorizers(api.api.id, input.stageName ?? '');
    return {};
  }

  async testInvokeMethod(ctx: RequestContext, input: TestInvokeMethodRequest): Promise<TestInvokeMethodResponse> {
    const api = this.api(ctx, input.restApiId);
    const { r } = this.method(api, input.resourceId, input.httpMethod);
    const snapshot = this.store(ctx).snapshot(api);
    const resource = snapshot.resources.get(r.id);
    const method = resource?.methods.get((input.httpMethod ?? '').toUpperCase());
    if (!resource || !method) throw Errors.method();
    const target = input.pathWithQueryString ?? r.path;
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    // Path parameters: the resource's path template laid over the path given.
    const pathParameters: Record<string, string> = {};
    const template = r.path.split('/').filter(Boolean);
    const segments = path.split('/').filter(Boolean);
    template.forEach((part, i) => {
      if (part.endsWith('+}')) pathParameters[part.slice(1, -2)] = segments.slice(i).map(decodeURIComponent).join('/');
      else if (part.startsWith('{')) pathParameters[part.slice(1, -1)] = decodeURIComponent(segments[i] ?? '');
    });
    const headers: IncomingHttpHeaders = {};
    for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
    for (const [k, v] of Object.entries(input.multiValueHeaders ?? {})) headers[k.toLowerCase()] = v;
    const started = ctx.clock.now();
    const located = this.locate(api.api.id);
    if (!located) throw Errors.api(ctx.account, api.api.id);
    const res = await this.dataPlane.testInvoke(
      located,
      snapshot,
      { resource, method, pathParameters },
      {
        request: { method: (input.httpMethod ?? '').toUpperCase(), path, rawQuery: q < 0 ? '' : target.slice(q + 1), headers, body: Buffer.from(input.body ?? '', 'utf8') },
        id: api.api.id,
        host: ctx.host,
        region: ctx.region,
        sourceIp: 'test-invoke-source-ip',
        form: 'path',
        plane: 'execute-api',
      },
      { ...input.stageVariables },
    );
    const single: Record<string, string> = {};
    const multi: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      multi[k] = Array.isArray(v) ? v : [v];
      single[k] = Array.isArray(v) ? v.join(',') : v;
    }
    const body = typeof res.body === 'string' ? res.body : res.body.toString('utf8');
    return {
      status: res.status,
      body,
      headers: single,
      multiValueHeaders: multi,
      log: `Execution log for request ${single['x-amzn-requestid'] ?? ''}\nMethod completed with status: ${res.status}\n`,
      latency: ctx.clock.now() - started,
    };
  }

  // ---- tags (REST APIs and stages, by ARN) ----

  private taggable(ctx: RequestContext, arn: string | undefined): { tags?: Record<string, string> } {
    const m = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/restapis\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(arn ?? '');
    if (!m || m[1] !== ctx.region) throw notFound('Invalid resource ARN specified');
    const api = this.api(ctx, m[2]);
    return m[3] !== undefined ? this.stage(api, m[3]) : api.api;
  }

  tagResource(ctx: RequestContext, input: TagResourceRequest): Record<string, never> {
    const target = this.taggable(ctx, input.resourceArn);
    target.tags = { ...target.tags, ...input.tags };
    return {};
  }

  untagResource(ctx: RequestContext, input: UntagResourceRequest): Record<string, never> {
    const target = this.taggable(ctx, input.resourceArn);
    const tags = { ...target.tags };
    for (const k of input.tagKeys ?? []) delete tags[k];
    target.tags = tags;
    return {};
  }

  getTags(ctx: RequestContext, input: GetTagsRequest): Tags {
    return { tags: { ...this.taggable(ctx, input.resourceArn).tags } };
  }

  reset(): void {
    this.stores.clear();
    this.index.clear();
    this.domains.clear();
    this.dataPlane.reset();
  }
}

/** What HTTP and WebSocket APIs (apigatewayv2) reach in process: the domain names both kinds of API share. */
export interface ApiGatewayInternal {
  readonly domains: DomainRegistry;
  /** Whether a REST API of that id exists in the account and region, with its stage names. */
  restApiStages(account: string, region: string, apiId: string): ReadonlySet<string> | undefined;
}

export function createApiGatewayProvider(host: ServiceHost): ServiceProvider {
  const s = new ApiGatewayService(host);
  const d = s.domainNames;
  const internal: ApiGatewayInternal = {
    domains: s.domains,
    restApiStages: (account, region, apiId) => {
      const stages = s.stores.peek(account, region)?.apis.get(apiId)?.stages;
      return stages ? new Set(stages.keys()) : undefined;
    },
  };
  return {
    name: 'apigateway',
    internal,
    dataPlane: s.dataPlane,
    reset: () => s.reset(),
    stop: () => s.dataPlane.reset(),
    operations: {
      CreateRestApi: s.createRestApi.bind(s),
      GetRestApi: s.getRestApi.bind(s),
      GetRestApis: s.getRestApis.bind(s),
      UpdateRestApi: s.updateRestApi.bind(s),
      DeleteRestApi: s.deleteRestApi.bind(s),
      CreateResource: s.createResource.bind(s),
      GetResource: s.getResource.bind(s),
      GetResources: s.getResources.bind(s),
      UpdateResource: s.updateResource.bind(s),
      DeleteResource: s.deleteResource.bind(s),
      PutMethod: s.putMethod.bind(s),
      GetMethod: s.getMethod.bind(s),
      UpdateMethod: s.updateMethod.bind(s),
      DeleteMethod: s.deleteMethod.bind(s),
      PutIntegration: s.putIntegration.bind(s),
      GetIntegration: s.getIntegration.bind(s),
      UpdateIntegration: s.updateIntegration.bind(s),
      DeleteIntegration: s.deleteIntegration.bind(s),
      PutMethodResponse: s.putMethodResponse.bind(s),
      GetMethodResponse: s.getMethodResponse.bind(s),
      DeleteMethodResponse: s.deleteMethodResponse.bind(s),
      PutIntegrationResponse: s.putIntegrationResponse.bind(s),
      GetIntegrationResponse: s.getIntegrationResponse.bind(s),
      DeleteIntegrationResponse: s.deleteIntegrationResponse.bind(s),
      CreateDeployment: s.createDeployment.bind(s),
      GetDeployment: s.getDeployment.bind(s),
      GetDeployments: s.getDeployments.bind(s),
      DeleteDeployment: s.deleteDeployment.bind(s),
      CreateStage: s.createStage.bind(s),
      GetStage: s.getStage.bind(s),
      GetStages: s.getStages.bind(s),
      UpdateStage: s.updateStage.bind(s),
      DeleteStage: s.deleteStage.bind(s),
      CreateModel: s.createModel.bind(s),
      GetModel: s.getModel.bind(s),
      GetModels: s.getModels.bind(s),
      DeleteModel: s.deleteModel.bind(s),
      CreateRequestValidator: s.createRequestValidator.bind(s),
      GetRequestValidator: s.getRequestValidator.bind(s),
      GetRequestValidators: s.getRequestValidators.bind(s),
      DeleteRequestValidator: s.deleteRequestValidator.bind(s),
      UpdateMethodResponse: s.updateMethodResponse.bind(s),
      UpdateIntegrationResponse: s.updateIntegrationResponse.bind(s),
      UpdateModel: s.updateModel.bind(s),
      UpdateRequestValidator: s.updateRequestValidator.bind(s),
      UpdateAuthorizer: s.updateAuthorizer.bind(s),
      UpdateGatewayResponse: s.updateGatewayResponse.bind(s),
      UpdateDeployment: s.updateDeployment.bind(s),
      FlushStageAuthorizersCache: s.flushStageAuthorizersCache.bind(s),
      FlushStageCache: s.flushStageCache.bind(s),
      TestInvokeMethod: s.testInvokeMethod.bind(s),
      TagResource: s.tagResource.bind(s),
      UntagResource: s.untagResource.bind(s),
      GetTags: s.getTags.bind(s),
      ImportRestApi: s.importRestApi.bind(s),
      PutRestApi: s.putRestApi.bind(s),
      GetExport: s.getExport.bind(s),
      CreateAuthorizer: s.createAuthorizer.bind(s),
      GetAuthorizer: s.getAuthorizer.bind(s),
      GetAuthorizers: s.getAuthorizers.bind(s),
      DeleteAuthorizer: s.deleteAuthorizer.bind(s),
      CreateApiKey: s.createApiKey.bind(s),
      GetApiKey: s.getApiKey.bind(s),
      GetApiKeys: s.getApiKeys.bind(s),
      UpdateApiKey: s.updateApiKey.bind(s),
      DeleteApiKey: s.deleteApiKey.bind(s),
      CreateUsagePlan: s.createUsagePlan.bind(s),
      GetUsagePlan: s.getUsagePlan.bind(s),
      GetUsagePlans: s.getUsagePlans.bind(s),
      UpdateUsagePlan: s.updateUsagePlan.bind(s),
      DeleteUsagePlan: s.deleteUsagePlan.bind(s),
      CreateUsagePlanKey: s.createUsagePlanKey.bind(s),
      GetUsagePlanKeys: s.getUsagePlanKeys.bind(s),
      DeleteUsagePlanKey: s.deleteUsagePlanKey.bind(s),
      PutGatewayResponse: s.putGatewayResponse.bind(s),
      GetGatewayResponse: s.getGatewayResponse.bind(s),
      GetGatewayResponses: s.getGatewayResponses.bind(s),
      DeleteGatewayResponse: s.deleteGatewayResponse.bind(s),
      CreateDomainName: d.createDomainName.bind(d),
      GetDomainName: d.getDomainName.bind(d),
      GetDomainNames: d.getDomainNames.bind(d),
      UpdateDomainName: d.updateDomainName.bind(d),
      DeleteDomainName: d.deleteDomainName.bind(d),
      CreateBasePathMapping: d.createBasePathMapping.bind(d),
      GetBasePathMapping: d.getBasePathMapping.bind(d),
      GetBasePathMappings: d.getBasePathMappings.bind(d),
      UpdateBasePathMapping: d.updateBasePathMapping.bind(d),
      DeleteBasePathMapping: d.deleteBasePathMapping.bind(d),
    },
  };
}
