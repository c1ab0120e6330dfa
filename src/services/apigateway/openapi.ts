// OpenAPI 3 with the x-amazon-apigateway-* extensions (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html):
// reading a document into the definitions the control plane builds (ImportRestApi, PutRestApi), and writing a
// stage's deployment back out (GetExport oas30). Documents are JSON or YAML, both ways.
import type { Authorizer, Integration, IntegrationResponse, Method, MethodResponse } from '@aws-sdk/client-api-gateway';
import { parse as parseYaml } from 'yaml';
import { badRequest } from './errors.js';
import type { ApiSnapshot } from './store.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

export function importError(detail: string): Error {
  return badRequest(`Errors found during import:\n\t${detail}`);
}

/** OpenAPI documents come as JSON or YAML (JSON first: most are JSON, and JSON.parse is the faster). */
export function parseOpenApiText(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return JSON.parse(text);
  return parseYaml(text, { maxAliasCount: 100 });
}

export function parseDocument(body: Uint8Array | string | undefined): Json {
  const text = typeof body === 'string' ? body : Buffer.from(body ?? new Uint8Array()).toString('utf8');
  let doc: unknown;
  try {
    doc = parseOpenApiText(text);
  } catch {
    throw importError('Unable to parse the OpenAPI document: it is neither valid JSON nor valid YAML');
  }
  if (!isObject(doc)) throw importError('The OpenAPI document must be an object');
  const version = typeof doc.openapi === 'string' ? doc.openapi : typeof doc.swagger === 'string' ? doc.swagger : '';
  if (!version.startsWith('3.') && version !== '2.0') throw importError('Unable to determine the OpenAPI version: openapi 3.x (or swagger 2.0) is required');
  if (!isObject(doc.paths)) throw importError('The OpenAPI document has no paths');
  return doc;
}

/** One operation of the document, as the control plane will define it. */
export interface ImportedMethod {
  readonly path: string;
  readonly httpMethod: string;
  readonly method: Method;
  readonly integration: Integration | undefined;
  readonly methodResponses: MethodResponse[];
  readonly integrationResponses: IntegrationResponse[];
  /** The name of the security scheme that is a Lambda authorizer, if any. */
  readonly authorizerScheme: string | undefined;
  readonly requestModel: string | undefined;
  readonly validatorName: string | undefined;
}

export interface ImportedApi {
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly version: string | undefined;
  readonly binaryMediaTypes: string[];
  readonly methods: ImportedMethod[];
  /** Scheme name -> authorizer definition. */
  readonly authorizers: Map<string, Authorizer>;
  /** Model name -> schema text. */
  readonly models: Map<string, string>;
  readonly validators: Map<string, { validateRequestBody: boolean; validateRequestParameters: boolean }>;
}

const lowerEnum = (v: unknown): string | undefined => (typeof v === 'string' ? v.toUpperCase() : undefined);
const stringMap = (v: unknown): Record<string, string> | undefined =>
  isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : undefined;

function refName(ref: unknown): string | undefined {
  return typeof ref === 'string' ? /^#\/(?:components\/schemas|definitions)\/(.+)$/.exec(ref)?.[1] : undefined;
}

export function readDocument(doc: Json): ImportedApi {
  const info = isObject(doc.info) ? doc.info : {};
  const components = isObject(doc.components) ? doc.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : isObject(doc.securityDefinitions) ? doc.securityDefinitions : {};
  const authorizers = new Map<string, Authorizer>();
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isObject(scheme) || !isObject(scheme['x-amazon-apigateway-authorizer'])) continue;
    const a = scheme['x-amazon-apigateway-authorizer'];
    const type = lowerEnum(a.type);
    const header = typeof scheme.name === 'string' ? scheme.name : 'Authorization';
    authorizers.set(name, {
      name,
      type: type === 'REQUEST' ? 'REQUEST' : type === 'TOKEN' ? 'TOKEN' : (type as 'TOKEN'),
      authorizerUri: typeof a.authorizerUri === 'string' ? a.authorizerUri : undefined,
      identitySource: typeof a.identitySource === 'string' ? a.identitySource : type === 'TOKEN' ? `method.request.header.${header}` : undefined,
      ...(typeof a.identityValidationExpression === 'string' ? { identityValidationExpression: a.identityValidationExpression } : {}),
      authorizerResultTtlInSeconds: typeof a.authorizerResultTtlInSeconds === 'number' ? a.authorizerResultTtlInSeconds : 300,
    });
  }
  const models = new Map<string, string>();
  const schemas = isObject(components.schemas) ? components.schemas : isObject(doc.definitions) ? doc.definitions : {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (isObject(schema)) models.set(name, JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', ...schema }));
  }
  const validators = new Map<string, { validateRequestBody: boolean; validateRequestParameters: boolean }>();
  const declared = doc['x-amazon-apigateway-request-validators'];
  if (isObject(declared)) {
    for (const [name, v] of Object.entries(declared)) {
      if (isObject(v)) validators.set(name, { validateRequestBody: v.validateRequestBody === true, validateRequestParameters: v.validateRequestParameters === true });
    }
  }
  const defaultValidator = typeof doc['x-amazon-apigateway-request-validator'] === 'string' ? doc['x-amazon-apigateway-request-validator'] : undefined;
  const topSecurity = Array.isArray(doc.security) ? doc.security : [];
  const methods: ImportedMethod[] = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    if (!path.startsWith('/')) throw importError(`Invalid path ${path}: paths start with /`);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const op of OPERATIONS) {
      const o = item[op];
      if (!isObject(o)) continue;
      const httpMethod = op === 'x-amazon-apigateway-any-method' ? 'ANY' : op.toUpperCase();
      const requestParameters: Record<string, boolean> = {};
      for (const p of [...shared, ...(Array.isArray(o.parameters) ? o.parameters : [])]) {
        if (!isObject(p) || typeof p.name !== 'string') continue;
        const where = p.in === 'query' ? 'querystring' : p.in === 'path' ? 'path' : p.in === 'header' ? 'header' : undefined;
        if (where) requestParameters[`method.request.${where}.${p.name}`] = p.required === true || p.in === 'path';
      }
      let apiKeyRequired = false;
      let authorizationType = 'NONE';
      let authorizerScheme: string | undefined;
      for (const requirement of Array.isArray(o.security) ? o.security : topSecurity) {
        if (!isObject(requirement)) continue;
        for (const name of Object.keys(requirement)) {
          const scheme = schemes[name];
          if (!isObject(scheme)) throw importError(`Unknown security scheme ${name}`);
          if (authorizers.has(name)) {
            authorizationType = 'CUSTOM';
            authorizerScheme = name;
          } else if (scheme['x-amazon-apigateway-authtype'] === 'awsSigv4') authorizationType = 'AWS_IAM';
          else if (scheme.type === 'apiKey' && String(scheme.name).toLowerCase() === 'x-api-key') apiKeyRequired = true;
        }
      }
      const content = isObject(o.requestBody) && isObject(o.requestBody.content) ? o.requestBody.content : {};
      const json = isObject(content['application/json']) ? content['application/json'] : undefined;
      const requestModel = json && isObject(json.schema) ? refName(json.schema.$ref) : undefined;
      const methodResponses: MethodResponse[] = [];
      if (isObject(o.responses)) {
        for (const [status, r] of Object.entries(o.responses)) {
          if (!/^[1-5]\d\d$/.test(status)) continue;
          const headers = isObject(r) && isObject(r.headers) ? Object.keys(r.headers) : [];
          methodResponses.push({
            statusCode: status,
            ...(headers.length ? { responseParameters: Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false])) } : {}),
          });
        }
      }
      const x = o['x-amazon-apigateway-integration'];
      let integration: Integration | undefined;
      const integrationResponses: IntegrationResponse[] = [];
      if (isObject(x)) {
        integration = {
          type: lowerEnum(x.type) as Integration['type'],
          ...(typeof x.httpMethod === 'string' ? { httpMethod: x.httpMethod.toUpperCase() } : {}),
          ...(typeof x.uri === 'string' ? { uri: x.uri } : {}),
          ...(stringMap(x.requestParameters) ? { requestParameters: stringMap(x.requestParameters) } : {}),
          ...(stringMap(x.requestTemplates) ? { requestTemplates: stringMap(x.requestTemplates) } : {}),
          ...(typeof x.passthroughBehavior === 'string' ? { passthroughBehavior: x.passthroughBehavior.toUpperCase() } : {}),
          ...(typeof x.contentHandling === 'string' ? { contentHandling: x.contentHandling as Integration['contentHandling'] } : {}),
          ...(typeof x.timeoutInMillis === 'number' ? { timeoutInMillis: x.timeoutInMillis } : {}),
        };
        if (isObject(x.responses)) {
          for (const [pattern, r] of Object.entries(x.responses)) {
            if (!isObject(r)) continue;
            integrationResponses.push({
              statusCode: String(r.statusCode ?? '200'),
              ...(pattern !== 'default' ? { selectionPattern: pattern } : {}),
              ...(stringMap(r.responseParameters) ? { responseParameters: stringMap(r.responseParameters) } : {}),
              ...(stringMap(r.responseTemplates) ? { responseTemplates: stringMap(r.responseTemplates) } : {}),
            });
          }
        }
      }
      const validatorName = typeof o['x-amazon-apigateway-request-validator'] === 'string' ? o['x-amazon-apigateway-request-validator'] : defaultValidator;
      methods.push({
        path,
        httpMethod,
        method: {
          httpMethod,
          authorizationType,
          apiKeyRequired,
          ...(typeof o.operationId === 'string' ? { operationName: o.operationId } : {}),
          ...(Object.keys(requestParameters).length ? { requestParameters } : {}),
        },
        integration,
        methodResponses,
        integrationResponses,
        authorizerScheme,
        requestModel,
        validatorName,
      });
    }
  }
  const binary = doc['x-amazon-apigateway-binary-media-types'];
  return {
    title: typeof info.title === 'string' ? info.title : undefined,
    description: typeof info.description === 'string' ? info.description : undefined,
    version: typeof info.version === 'string' ? info.version : undefined,
    binaryMediaTypes: Array.isArray(binary) ? binary.map(String) : [],
    methods,
    authorizers,
    models,
    validators,
  };
}

/** The oas30 export of a stage's deployment; integrations included when asked (`extensions=integrations|apigateway`). */
export function exportDocument(
  snapshot: ApiSnapshot,
  api: { id: string; name?: string; description?: string; version?: string; createdDate?: Date },
  region: string,
  stage: string,
  withIntegrations: boolean,
): Json {
  const paths: Json = {};
  const securitySchemes: Json = {};
  const resources = [...snapshot.resources.values()].sort((a, b) => a.path.localeCompare(b.path));
  for (const r of resources) {
    if (!r.methods.size) continue;
    const item: Json = {};
    for (const [verb, m] of r.methods) {
      const op: Json = {};
      if (m.operationName) op.operationId = m.operationName;
      const parameters = Object.entries(m.requestParameters ?? {}).flatMap(([k, required]) => {
        const p = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(k);
        if (!p) return [];
        return [{ name: p[2], in: p[1] === 'querystring' ? 'query' : p[1], required: p[1] === 'path' ? true : required, schema: { type: 'string' } }];
      });
      if (parameters.length) op.parameters = parameters;
      const responses: Json = {};
      for (const [status, mr] of Object.entries(m.methodResponses ?? {})) {
        const headers = Object.keys(mr.responseParameters ?? {}).map((k) => k.replace('method.response.header.', ''));
        responses[status] = {
          description: `${status} response`,
          ...(headers.length ? { headers: Object.fromEntries(headers.map((h) => [h, { schema: { type: 'string' } }])) } : {}),
        };
      }
      op.responses = responses;
      const security: Json[] = [];
      if (m.apiKeyRequired) {
        security.push({ api_key: [] });
        securitySchemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
      }
      if (m.authorizationType === 'AWS_IAM') {
        security.push({ sigv4: [] });
        securitySchemes.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
      }
      const authorizer = m.authorizerId ? snapshot.authorizers.get(m.authorizerId) : undefined;
      if (m.authorizationType === 'CUSTOM' && authorizer?.name) {
        security.push({ [authorizer.name]: [] });
        const header = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource ?? '')?.[1];
        securitySchemes[authorizer.name] = {
          type: 'apiKey',
          name: header ?? 'Unused',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          ...(withIntegrations
            ? {
                'x-amazon-apigateway-authorizer': {
                  type: (authorizer.type ?? 'TOKEN').toLowerCase(),
                  authorizerUri: authorizer.authorizerUri,
                  ...(authorizer.type === 'REQUEST' ? { identitySource: authorizer.identitySource } : {}),
                  authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
                },
              }
            : {}),
        };
      }
      if (security.length) op.security = security;
      const i = m.methodIntegration;
      if (withIntegrations && i) {
        const x: Json = { type: (i.type ?? '').toLowerCase() };
        if (i.httpMethod) x.httpMethod = i.httpMethod;
        if (i.uri) x.uri = i.uri;
        if (i.requestParameters) x.requestParameters = i.requestParameters;
        if (i.requestTemplates) x.requestTemplates = i.requestTemplates;
        x.passthroughBehavior = (i.passthroughBehavior ?? 'WHEN_NO_MATCH').toLowerCase();
        if (i.timeoutInMillis !== undefined && i.timeoutInMillis !== 29000) x.timeoutInMillis = i.timeoutInMillis;
        if (i.contentHandling) x.contentHandling = i.contentHandling;
        const irs: Json = {};
        for (const ir of Object.values(i.integrationResponses ?? {})) {
          irs[ir.selectionPattern ? ir.selectionPattern : 'default'] = {
            statusCode: ir.statusCode,
            ...(ir.responseParameters ? { responseParameters: ir.responseParameters } : {}),
            ...(ir.responseTemplates ? { responseTemplates: ir.responseTemplates } : {}),
          };
        }
        if (Object.keys(irs).length) x.responses = irs;
        op['x-amazon-apigateway-integration'] = x;
      }
      item[verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase()] = op;
    }
    paths[r.path] = item;
  }
  const schemas: Json = {};
  for (const [name, model] of snapshot.models) {
    try {
      const parsed = JSON.parse(model.schema ?? '{}') as Json;
      delete parsed.$schema;
      schemas[name] = parsed;
    } catch {
      // A model whose schema is not JSON is left out of the export.
    }
  }
  return {
    openapi: '3.0.1',
    info: {
      title: api.name,
      ...(api.description !== undefined ? { description: api.description } : {}),
      version: api.version ?? (api.createdDate ?? new Date(0)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    servers: [{ url: `https://${api.id}.execute-api.${region}.amazonaws.com/{basePath}`, variables: { basePath: { default: stage } } }],
    paths,
    components: { schemas, ...(Object.keys(securitySchemes).length ? { securitySchemes } : {}) },
    ...(snapshot.binaryMediaTypes.length ? { 'x-amazon-apigateway-binary-media-types': [...snapshot.binaryMediaTypes] } : {}),
  };
}
