// OpenAPI 3 for HTTP APIs: reading a document (with the x-amazon-apigateway-integration, -authorizer and -cors
// extensions) into routes, integrations and authorizers, and writing an API's definition back out as JSON or YAML.
import type { Api, ConnectionType, CreateAuthorizerRequest, CreateIntegrationRequest, Cors, IntegrationType } from '@aws-sdk/client-apigatewayv2';
import { parseOpenApiText } from '../openapi.js';
import { V2Errors } from './errors.js';
import type { ApiDefinition } from './store.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const ANY_METHOD = 'x-amazon-apigateway-any-method';

export interface ImportPlan {
  readonly name: string;
  readonly version: string | undefined;
  readonly description: string | undefined;
  readonly cors: Cors | undefined;
  readonly authorizers: ReadonlyArray<{ readonly name: string; readonly input: Omit<CreateAuthorizerRequest, 'ApiId'> }>;
  readonly routes: ReadonlyArray<{
    readonly key: string;
    readonly integration: Omit<CreateIntegrationRequest, 'ApiId'> | undefined;
    readonly authorizer: string | undefined;
    readonly scopes: string[] | undefined;
  }>;
  readonly warnings: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

export function readOpenApi(body: string | undefined, basepath: string | undefined): ImportPlan {
  if (!body) throw V2Errors.badRequest('Body is required');
  let doc: unknown;
  try {
    doc = parseOpenApiText(body);
  } catch {
    throw V2Errors.badRequest('Invalid OpenAPI input: the document is neither valid JSON nor valid YAML.');
  }
  if (!isObj(doc)) throw V2Errors.badRequest('Invalid OpenAPI input: the document must be an object.');
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    throw V2Errors.badRequest('Invalid OpenAPI input: only OpenAPI 3.x documents (an "openapi": "3.x" field) are supported.');
  }
  const info = isObj(doc.info) ? doc.info : {};
  const name = str(info.title);
  if (!name) throw V2Errors.badRequest('Invalid OpenAPI input: info.title is required; it names the API.');
  if (!isObj(doc.paths)) throw V2Errors.badRequest('Invalid OpenAPI input: paths is required.');
  const mode = basepath ?? 'ignore';
  if (mode !== 'ignore' && mode !== 'prepend') {
    throw V2Errors.badRequest(`Unsupported basepath mode ${mode}: Switchyard supports ignore and prepend.`);
  }
  const prefix = mode === 'prepend' ? basePathOf(doc) : '';
  const warnings: string[] = [];

  const authorizers: Array<ImportPlan['authorizers'][number]> = [];
  const schemes = isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  for (const [schemeName, scheme] of Object.entries(schemes)) {
    const ext = isObj(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined;
    if (!isObj(ext)) {
      warnings.push(`Security scheme ${schemeName} has no x-amazon-apigateway-authorizer and was ignored.`);
      continue;
    }
    const type = str(ext.type)?.toLowerCase();
    if (type === 'jwt') {
      const jwt = isObj(ext.jwtConfiguration) ? ext.jwtConfiguration : {};
      authorizers.push({
        name: schemeName,
        input: { Name: schemeName, AuthorizerType: 'JWT', IdentitySource: strings(ext.identitySource), JwtConfiguration: { Issuer: str(jwt.issuer), Audience: strings(jwt.audience) } },
      });
    } else if (type === 'request') {
      authorizers.push({
        name: schemeName,
        input: {
          Name: schemeName,
          AuthorizerType: 'REQUEST',
          AuthorizerUri: str(ext.authorizerUri),
          AuthorizerPayloadFormatVersion: str(ext.authorizerPayloadFormatVersion),
          AuthorizerResultTtlInSeconds: num(ext.authorizerResultTtlInSeconds),
          EnableSimpleResponses: ext.enableSimpleResponses === true ? true : undefined,
          IdentitySource: strings(ext.identitySource),
          AuthorizerCredentialsArn: str(ext.authorizerCredentials),
        },
      });
    } else throw V2Errors.badRequest(`Invalid authorizer type ${String(ext.type)} in security scheme ${schemeName}; HTTP APIs support jwt and request.`);
  }

  const rootSecurity = doc.security;
  const routes: Array<ImportPlan['routes'][number]> = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObj(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      const lower = method.toLowerCase();
      if (lower !== ANY_METHOD && !METHODS.includes(lower)) continue;
      if (!isObj(op)) continue;
      const key = path === '/$default' && lower === ANY_METHOD ? '$default' : `${lower === ANY_METHOD ? 'ANY' : lower.toUpperCase()} ${prefix}${path}`;
      const ext = op['x-amazon-apigateway-integration'];
      const security = op.security ?? rootSecurity;
      let authorizer: string | undefined;
      let scopes: string[] | undefined;
      if (Array.isArray(security) && isObj(security[0])) {
        const [first] = Object.entries(security[0]);
        if (first) {
          authorizer = first[0];
          scopes = Array.isArray(first[1]) && first[1].length ? first[1].map(String) : undefined;
          if (!authorizers.some((a) => a.name === authorizer)) throw V2Errors.badRequest(`Route ${key} uses security scheme ${authorizer}, which has no x-amazon-apigateway-authorizer.`);
        }
      }
      routes.push({ key, integration: isObj(ext) ? integrationOf(ext, key) : undefined, authorizer, scopes });
    }
  }
  return {
    name,
    version: str(info.version),
    description: str(info.description),
    cors: isObj(doc['x-amazon-apigateway-cors']) ? corsOf(doc['x-amazon-apigateway-cors']) : undefined,
    authorizers,
    routes,
    warnings,
  };
}

function basePathOf(doc: Obj): string {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first: unknown = servers[0];
  const url = isObj(first) ? str(first.url) : undefined;
  if (!url) return '';
  const vars = isObj(first) && isObj(first.variables) ? first.variables : {};
  const resolved = url.replace(/\{([^}]+)\}/g, (_, n: string) => {
    const v = vars[n];
    return isObj(v) ? (str(v.default) ?? '') : '';
  });
  const path = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(resolved)?.[1] ?? (resolved.startsWith('/') ? resolved : '');
  return path.replace(/\/$/, '');
}

function integrationOf(ext: Obj, key: string): Omit<CreateIntegrationRequest, 'ApiId'> {
  const type = str(ext.type)?.toUpperCase();
  if (!type) throw V2Errors.badRequest(`The x-amazon-apigateway-integration of route ${key} has no type.`);
  const params = isObj(ext.requestParameters) ? Object.fromEntries(Object.entries(ext.requestParameters).map(([k, v]) => [k, String(v)])) : undefined;
  return {
    IntegrationType: type as IntegrationType,
    IntegrationUri: str(ext.uri),
    IntegrationMethod: str(ext.httpMethod),
    IntegrationSubtype: str(ext.integrationSubtype),
    PayloadFormatVersion: str(ext.payloadFormatVersion) ?? '1.0',
    TimeoutInMillis: num(ext.timeoutInMillis),
    ConnectionType: str(ext.connectionType) as ConnectionType | undefined,
    CredentialsArn: str(ext.credentials),
    RequestParameters: params,
  };
}

function corsOf(c: Obj): Cors {
  return {
    AllowOrigins: strings(c.allowOrigins),
    AllowMethods: strings(c.allowMethods),
    AllowHeaders: strings(c.allowHeaders),
    ExposeHeaders: strings(c.exposeHeaders),
    MaxAge: num(c.maxAge),
    AllowCredentials: c.allowCredentials === true ? true : undefined,
  };
}

function drop<T extends Obj>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** The OpenAPI 3.0 document of an API's definition. */
export function writeOpenApi(api: Api, def: ApiDefinition, extensions: boolean): Obj {
  const paths: Record<string, Obj> = {};
  const schemes: Obj = {};
  for (const a of def.authorizers.values()) {
    const ext =
      a.AuthorizerType === 'JWT'
        ? { type: 'jwt', identitySource: a.IdentitySource?.join(', '), jwtConfiguration: { issuer: a.JwtConfiguration?.Issuer, audience: a.JwtConfiguration?.Audience } }
        : drop({
            type: 'request',
            identitySource: a.IdentitySource?.join(', '),
            authorizerUri: a.AuthorizerUri,
            authorizerPayloadFormatVersion: a.AuthorizerPayloadFormatVersion,
            authorizerResultTtlInSeconds: a.AuthorizerResultTtlInSeconds,
            enableSimpleResponses: a.EnableSimpleResponses,
          });
    schemes[a.Name ?? ''] = drop({
      type: a.AuthorizerType === 'JWT' ? 'oauth2' : 'apiKey',
      ...(a.AuthorizerType === 'JWT' ? { flows: {} } : { name: 'Unused', in: 'header' }),
      'x-amazon-apigateway-authorizer': extensions ? ext : undefined,
    });
  }
  for (const route of def.routes.values()) {
    const key = route.RouteKey ?? '';
    const space = key.indexOf(' ');
    const method = key === '$default' ? ANY_METHOD : key.slice(0, space) === 'ANY' ? ANY_METHOD : key.slice(0, space).toLowerCase();
    const path = key === '$default' ? '/$default' : key.slice(space + 1);
    const op: Obj = { responses: { default: { description: `Default response for ${key}` } } };
    const params = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => ({ name: m[1], in: 'path', description: `Generated path parameter for ${m[1]}`, required: true, schema: { type: 'string' } }));
    if (params.length) op.parameters = params;
    const authorizer = route.AuthorizerId ? def.authorizers.get(route.AuthorizerId) : undefined;
    if (authorizer) op.security = [{ [authorizer.Name ?? '']: route.AuthorizationScopes ?? [] }];
    const integrationId = /^integrations\/(.+)$/.exec(route.Target ?? '')?.[1];
    const integration = integrationId ? def.integrations.get(integrationId) : undefined;
    if (integration && extensions) {
      op['x-amazon-apigateway-integration'] = drop({
        type: integration.IntegrationType?.toLowerCase(),
        integrationSubtype: integration.IntegrationSubtype,
        uri: integration.IntegrationUri,
        httpMethod: integration.IntegrationMethod,
        payloadFormatVersion: integration.PayloadFormatVersion,
        connectionType: integration.ConnectionType,
        credentials: integration.CredentialsArn,
        requestParameters: integration.RequestParameters,
        timeoutInMillis: integration.TimeoutInMillis,
      });
    }
    (paths[path] ??= {})[method] = op;
  }
  const doc: Obj = {
    openapi: '3.0.1',
    info: drop({ title: api.Name, description: api.Description, version: api.Version ?? api.CreatedDate?.toISOString() ?? '1.0' }),
    paths,
  };
  if (Object.keys(schemes).length) doc.components = { securitySchemes: schemes };
  if (extensions) {
    const cors = def.cors;
    if (cors) {
      doc['x-amazon-apigateway-cors'] = drop({
        allowOrigins: cors.AllowOrigins,
        allowMethods: cors.AllowMethods,
        allowHeaders: cors.AllowHeaders,
        exposeHeaders: cors.ExposeHeaders,
        maxAge: cors.MaxAge,
        allowCredentials: cors.AllowCredentials,
      });
    }
    doc['x-amazon-apigateway-importexport-version'] = '1.0';
  }
  return doc;
}

/** Block-style YAML for JSON data (strings always quoted, so no value is misread as another type). */
export function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value.map((v) => `\n${indent}- ${isObj(v) || Array.isArray(v) ? toYaml(v, `${indent}  `).replace(/^\n\s*/, '') : toYaml(v, indent)}`).join('');
  }
  if (isObj(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return entries
      .map(([k, v]) => {
        const inner = toYaml(v, `${indent}  `);
        const nested = (isObj(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0);
        return `\n${indent}${JSON.stringify(k)}:${nested ? inner : ` ${inner}`}`;
      })
      .join('');
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}
