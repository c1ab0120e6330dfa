// ImportApi, ReimportApi and ExportApi with OpenAPI 3 documents and the x-amazon-apigateway extensions, over the
// wire, and an imported API serving traffic.
import {
  CreateStageCommand,
  ExportApiCommand,
  GetApiCommand,
  GetAuthorizersCommand,
  GetRoutesCommand,
  ImportApiCommand,
  ReimportApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { startV2Harness, type V2Harness } from './harness.js';

let h: V2Harness;
let echo: string;

beforeAll(async () => {
  h = await startV2Harness();
  echo = await h.fn('oas-echo', `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ routeKey: event.routeKey, params: event.pathParameters }) });`);
}, 30_000);
afterAll(async () => {
  await h.close();
});

function doc(extra: Record<string, unknown> = {}): string {
  const integration = { type: 'aws_proxy', uri: echo, httpMethod: 'POST', payloadFormatVersion: '2.0', timeoutInMillis: 5000 };
  return JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'imported', version: '2026-01-01', description: 'from OAS' },
    servers: [{ url: 'https://example.com/{base}', variables: { base: { default: 'v1' } } }],
    paths: {
      '/pets/{id}': {
        get: { 'x-amazon-apigateway-integration': integration, security: [{ auth0: ['pets:read'] }] },
        'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': integration },
      },
      '/open': { post: { 'x-amazon-apigateway-integration': integration } },
      '/$default': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': integration } },
    },
    components: {
      securitySchemes: {
        auth0: {
          type: 'oauth2',
          flows: {},
          'x-amazon-apigateway-authorizer': { type: 'jwt', identitySource: '$request.header.Authorization', jwtConfiguration: { issuer: 'https://issuer.example', audience: ['aud1'] } },
        },
      },
    },
    'x-amazon-apigateway-cors': { allowOrigins: ['*'], allowMethods: ['GET'], maxAge: 10 },
    ...extra,
  });
}

describe('OpenAPI', () => {
  it('imports routes, integrations, authorizers and CORS, and serves them', async () => {
    const api = await h.v2.send(new ImportApiCommand({ Body: doc() }));
    expect(api).toMatchObject({ Name: 'imported', Version: '2026-01-01', Description: 'from OAS', ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['*'], MaxAge: 10 } });
    const routes = (await h.v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items ?? [];
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['$default', 'ANY /pets/{id}', 'GET /pets/{id}', 'POST /open']);
    const secured = routes.find((r) => r.RouteKey === 'GET /pets/{id}');
    expect(secured).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: ['pets:read'] });
    const authorizers = (await h.v2.send(new GetAuthorizersCommand({ ApiId: api.ApiId }))).Items ?? [];
    expect(authorizers[0]).toMatchObject({ Name: 'auth0', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: 'https://issuer.example', Audience: ['aud1'] } });

    await h.v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const res = await h.invoke(api.ApiId ?? '', '/pets/7', { method: 'DELETE' });
    expect(await res.json()).toEqual({ routeKey: 'ANY /pets/{id}', params: { id: '7' } });
    expect((await h.invoke(api.ApiId ?? '', '/pets/7')).status).toBe(401);

    const prepended = await h.v2.send(new ImportApiCommand({ Body: doc(), Basepath: 'prepend' }));
    const keys = ((await h.v2.send(new GetRoutesCommand({ ApiId: prepended.ApiId }))).Items ?? []).map((r) => r.RouteKey);
    expect(keys).toContain('POST /v1/open');
  });

  it('reimports over an existing API and exports JSON and YAML', async () => {
    const api = await h.v2.send(new ImportApiCommand({ Body: doc() }));
    const replacement = JSON.parse(doc()) as { info: { title: string }; paths: Record<string, unknown>; components?: unknown };
    replacement.info.title = 'renamed';
    replacement.paths = { '/only': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://example.com/only', httpMethod: 'GET', payloadFormatVersion: '1.0' } } } };
    delete replacement.components;
    await h.v2.send(new ReimportApiCommand({ ApiId: api.ApiId, Body: JSON.stringify(replacement) }));
    expect((await h.v2.send(new GetApiCommand({ ApiId: api.ApiId }))).Name).toBe('renamed');
    expect(((await h.v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items ?? []).map((r) => r.RouteKey)).toEqual(['GET /only']);

    const exported = await h.v2.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON' }));
    const json = JSON.parse(new TextDecoder().decode(exported.body)) as Record<string, unknown>;
    expect(json).toMatchObject({
      openapi: '3.0.1',
      info: { title: 'renamed' },
      paths: { '/only': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://example.com/only', httpMethod: 'GET', payloadFormatVersion: '1.0' } } } },
      'x-amazon-apigateway-importexport-version': '1.0',
    });
    const bare = await h.v2.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON', IncludeExtensions: false }));
    expect(new TextDecoder().decode(bare.body)).not.toContain('x-amazon-apigateway');
    const yaml = new TextDecoder().decode((await h.v2.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'YAML' }))).body);
    expect(yaml).toContain('"openapi": "3.0.1"');
    expect(yaml).toContain('"/only":\n    "get":');

    // The exported document imports again into the same routes.
    const again = await h.v2.send(new ImportApiCommand({ Body: JSON.stringify(json) }));
    expect(((await h.v2.send(new GetRoutesCommand({ ApiId: again.ApiId }))).Items ?? []).map((r) => r.RouteKey)).toEqual(['GET /only']);
  });

  it('rejects documents it cannot import with BadRequestException', async () => {
    const bad = ['not json', JSON.stringify({ swagger: '2.0', info: { title: 'x' }, paths: {} }), JSON.stringify({ openapi: '3.0.1', info: {}, paths: {} }), doc({ paths: { 'no-slash': { get: {} } } })];
    for (const body of bad) {
      const err = await h.v2.send(new ImportApiCommand({ Body: body })).catch((e: unknown) => e as { name: string });
      expect(err).toMatchObject({ name: 'BadRequestException' });
    }
    const unknownScheme = JSON.parse(doc()) as { components: { securitySchemes: Record<string, unknown> } };
    unknownScheme.components.securitySchemes.plain = { type: 'http', scheme: 'basic' };
    const warned = await h.v2.send(new ImportApiCommand({ Body: JSON.stringify(unknownScheme) }));
    expect(warned.Warnings?.[0]).toContain('plain');
    const failed = await h.v2.send(new ImportApiCommand({ Body: JSON.stringify(unknownScheme), FailOnWarnings: true })).catch((e: unknown) => e as { name: string });
    expect(failed).toMatchObject({ name: 'BadRequestException' });
  });

  it('imports and reimports YAML documents', async () => {
    const api = await h.v2.send(new ImportApiCommand({ Body: stringifyYaml(JSON.parse(doc())) }));
    expect(api.Name).toBe('imported');
    const keys = ((await h.v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items ?? []).map((r) => r.RouteKey).sort();
    expect(keys).toEqual(['$default', 'ANY /pets/{id}', 'GET /pets/{id}', 'POST /open']);
    const yaml = [
      'openapi: "3.0.1"',
      'info:',
      '  title: yaml-renamed',
      '  version: "1"',
      'paths:',
      '  /only:',
      '    get:',
      '      x-amazon-apigateway-integration:',
      '        type: http_proxy',
      '        uri: https://example.com/only',
      '        httpMethod: GET',
      '        payloadFormatVersion: "1.0"',
      '',
    ].join('\n');
    await h.v2.send(new ReimportApiCommand({ ApiId: api.ApiId, Body: yaml }));
    expect((await h.v2.send(new GetApiCommand({ ApiId: api.ApiId }))).Name).toBe('yaml-renamed');
    expect(((await h.v2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items ?? []).map((r) => r.RouteKey)).toEqual(['GET /only']);
    const err = await h.v2.send(new ImportApiCommand({ Body: 'openapi: [3.0.1\npaths: {' })).catch((e: unknown) => e as { name: string });
    expect(err).toMatchObject({ name: 'BadRequestException' });
  });
});
