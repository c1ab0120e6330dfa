// ImportRestApi, PutRestApi and GetExport with OpenAPI 3 and the x-amazon-apigateway-* extensions, over the wire,
// and the imported API serving traffic.
import {
  CreateDeploymentCommand,
  GetExportCommand,
  GetMethodCommand,
  GetModelsCommand,
  GetResourcesCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startApiGatewayHarness, type ApiGatewayHarness } from './harness.js';

let h: ApiGatewayHarness;
beforeAll(async () => {
  h = await startApiGatewayHarness();
});
afterAll(async () => {
  await h.close();
});

const mock = (body: string) => ({
  type: 'mock',
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  passthroughBehavior: 'when_no_match',
  responses: { default: { statusCode: '200', responseTemplates: { 'application/json': body } } },
});

const DOC = {
  openapi: '3.0.1',
  info: { title: 'pets-api', version: '1.0' },
  'x-amazon-apigateway-binary-media-types': ['image/png'],
  'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true, validateRequestParameters: false } },
  paths: {
    '/pets': {
      get: { operationId: 'listPets', responses: { '200': { description: 'ok' } }, 'x-amazon-apigateway-integration': mock('{"pets":[]}') },
      post: {
        'x-amazon-apigateway-request-validator': 'body',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
        responses: { '200': { description: 'ok' } },
        'x-amazon-apigateway-integration': mock('{"created":true}'),
      },
    },
    '/pets/{petId}': {
      get: {
        parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'string' } }, { name: 'X-Trace', in: 'header', required: false }],
        security: [{ api_key: [] }],
        responses: { '200': { description: 'ok', headers: { 'X-Pet': { schema: { type: 'string' } } } } },
        'x-amazon-apigateway-integration': {
          ...mock('{"pet":"$input.params(\'petId\')"}'),
          responses: { default: { statusCode: '200', responseParameters: { 'method.response.header.X-Pet': "'yes'" }, responseTemplates: { 'application/json': '{"pet":"$input.params(\'petId\')"}' } } },
        },
      },
    },
  },
  components: {
    schemas: { Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
    securitySchemes: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
  },
};

describe('OpenAPI import and export', () => {
  it('imports resources, methods, integrations, models, validators and security, and serves them', async () => {
    const api = await h.apigw.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(DOC)) }));
    expect(api).toMatchObject({ name: 'pets-api', version: '1.0', binaryMediaTypes: ['image/png'] });
    const id = api.id ?? '';
    const resources = (await h.apigw.send(new GetResourcesCommand({ restApiId: id }))).items ?? [];
    expect(resources.map((r) => r.path).sort()).toEqual(['/', '/pets', '/pets/{petId}']);
    const pet = resources.find((r) => r.path === '/pets/{petId}');
    const method = await h.apigw.send(new GetMethodCommand({ restApiId: id, resourceId: pet?.id, httpMethod: 'GET' }));
    expect(method).toMatchObject({
      apiKeyRequired: true,
      requestParameters: { 'method.request.path.petId': true, 'method.request.header.X-Trace': false },
      methodIntegration: { type: 'MOCK', passthroughBehavior: 'WHEN_NO_MATCH' },
    });
    expect((await h.apigw.send(new GetModelsCommand({ restApiId: id }))).items?.map((m) => m.name).sort()).toEqual(['Empty', 'Error', 'Pet']);

    await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'v1' }));
    expect(await (await h.invoke(id, '/v1/pets')).json()).toEqual({ pets: [] });
    const post = (body: string) => h.invoke(id, '/v1/pets', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect((await post('{"name":"rex"}')).status).toBe(200);
    expect(await (await post('{"age":3}')).json()).toEqual({ message: 'Invalid request body' });
    expect((await h.invoke(id, '/v1/pets/7')).status).toBe(403);
  });

  it('exports a stage as oas30 with the integrations, and PutRestApi overwrites or merges', async () => {
    const api = await h.apigw.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(DOC)) }));
    const id = api.id ?? '';
    await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'v1' }));
    const out = await h.apigw.send(new GetExportCommand({ restApiId: id, stageName: 'v1', exportType: 'oas30', parameters: { extensions: 'integrations' }, accepts: 'application/json' }));
    const doc = JSON.parse(Buffer.from(out.body ?? new Uint8Array()).toString('utf8')) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, { 'x-amazon-apigateway-integration'?: { type: string }; security?: unknown[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.0.1');
    expect(doc.info.title).toBe('pets-api');
    expect(Object.keys(doc.paths).sort()).toEqual(['/pets', '/pets/{petId}']);
    expect(doc.paths['/pets']?.get?.['x-amazon-apigateway-integration']?.type).toBe('mock');
    expect(doc.paths['/pets/{petId}']?.get?.security).toEqual([{ api_key: [] }]);
    expect(doc.components.schemas.Pet).toEqual({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } });

    // Re-importing the export into a new API gives the same routes.
    const again = await h.apigw.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(doc)) }));
    const paths = ((await h.apigw.send(new GetResourcesCommand({ restApiId: again.id }))).items ?? []).map((r) => r.path).sort();
    expect(paths).toEqual(['/', '/pets', '/pets/{petId}']);

    const small = { openapi: '3.0.1', info: { title: 'pets-api', version: '2' }, paths: { '/health': { get: { responses: { '200': { description: 'ok' } }, 'x-amazon-apigateway-integration': mock('{"ok":true}') } } } };
    await h.apigw.send(new PutRestApiCommand({ restApiId: id, mode: 'merge', body: Buffer.from(JSON.stringify(small)) }));
    let now = ((await h.apigw.send(new GetResourcesCommand({ restApiId: id }))).items ?? []).map((r) => r.path).sort();
    expect(now).toEqual(['/', '/health', '/pets', '/pets/{petId}']);
    await h.apigw.send(new PutRestApiCommand({ restApiId: id, mode: 'overwrite', body: Buffer.from(JSON.stringify(small)) }));
    now = ((await h.apigw.send(new GetResourcesCommand({ restApiId: id }))).items ?? []).map((r) => r.path).sort();
    expect(now).toEqual(['/', '/health']);
  });

  it('rejects bad documents with BadRequestException and leaves the API as it was', async () => {
    const bad = await h.apigw.send(new ImportRestApiCommand({ body: Buffer.from('openapi: 3.0.1') })).catch((e: Error) => e);
    expect(bad).toMatchObject({ name: 'BadRequestException' });
    expect((bad as Error).message).toMatch(/^Errors found during import:/);
    const api = await h.apigw.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(DOC)) }));
    const broken = { ...DOC, paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'http', uri: 'not a url', httpMethod: 'GET' } } } } };
    const failed = await h.apigw.send(new PutRestApiCommand({ restApiId: api.id, mode: 'overwrite', body: Buffer.from(JSON.stringify(broken)) })).catch((e: Error) => e);
    expect(failed).toMatchObject({ name: 'BadRequestException', message: 'Invalid HTTP endpoint specified for URI' });
    const paths = ((await h.apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items ?? []).map((r) => r.path).sort();
    expect(paths).toEqual(['/', '/pets', '/pets/{petId}']);
  });

  it('imports and puts YAML documents and exports YAML when asked for application/yaml', async () => {
    const api = await h.apigw.send(new ImportRestApiCommand({ body: Buffer.from(stringifyYaml(DOC)) }));
    expect(api).toMatchObject({ name: 'pets-api', version: '1.0', binaryMediaTypes: ['image/png'] });
    const id = api.id ?? '';
    await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'v1' }));
    expect(await (await h.invoke(id, '/v1/pets')).json()).toEqual({ pets: [] });

    const out = await h.apigw.send(new GetExportCommand({ restApiId: id, stageName: 'v1', exportType: 'oas30', parameters: { extensions: 'integrations' }, accepts: 'application/yaml' }));
    expect(out.contentDisposition).toMatch(/\.yaml"$/);
    const text = Buffer.from(out.body ?? new Uint8Array()).toString('utf8');
    expect(text.trimStart().startsWith('{')).toBe(false);
    const doc = parseYaml(text) as { openapi: string; paths: Record<string, Record<string, { 'x-amazon-apigateway-integration'?: { type: string } }>> };
    expect(doc.openapi).toBe('3.0.1');
    expect(doc.paths['/pets']?.get?.['x-amazon-apigateway-integration']?.type).toBe('mock');

    const yamlBody = [
      'openapi: 3.0.1',
      'info:',
      '  title: pets-api',
      '  version: "3"',
      'paths:',
      '  /health:',
      '    get:',
      '      responses:',
      "        '200': { description: ok }",
      '      x-amazon-apigateway-integration:',
      '        type: mock',
      '        requestTemplates: { application/json: \'{"statusCode": 200}\' }',
      '        responses:',
      "          default: { statusCode: '200', responseTemplates: { application/json: '{\"ok\":true}' } }",
      '',
    ].join('\n');
    await h.apigw.send(new PutRestApiCommand({ restApiId: id, mode: 'overwrite', body: Buffer.from(yamlBody) }));
    const paths = ((await h.apigw.send(new GetResourcesCommand({ restApiId: id }))).items ?? []).map((r) => r.path).sort();
    expect(paths).toEqual(['/', '/health']);
    await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'v1' }));
    expect(await (await h.invoke(id, '/v1/health')).json()).toEqual({ ok: true });

    const broken = await h.apigw.send(new ImportRestApiCommand({ body: Buffer.from('openapi: [3.0.1\npaths: {') })).catch((e: Error) => e);
    expect(broken).toMatchObject({ name: 'BadRequestException' });
    expect((broken as Error).message).toMatch(/^Errors found during import:/);
  });
});
