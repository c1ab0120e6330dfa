// Custom domain names and their mappings, through both SDK clients (one shared namespace), and traffic sent to
// Switchyard's port with the custom domain in the Host header (node:http, since fetch will not set Host).
import { request } from 'node:http';
import {
  APIGatewayClient,
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  DeleteBasePathMappingCommand,
  DeleteDomainNameCommand,
  GetBasePathMappingCommand,
  GetBasePathMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateBasePathMappingCommand,
  UpdateDomainNameCommand,
  CreateResourceCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateDomainNameCommand as CreateDomainNameV2Command,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteApiMappingCommand,
  GetIntegrationsCommand,
  GetApiMappingCommand,
  GetApiMappingsCommand,
  GetDomainNameCommand as GetDomainNameV2Command,
  GetDomainNamesCommand as GetDomainNamesV2Command,
  UpdateApiMappingCommand,
  UpdateDomainNameCommand as UpdateDomainNameV2Command,
  DeleteDomainNameCommand as DeleteDomainNameV2Command,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV2Harness, type V2Harness } from './v2/harness.js';

const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/12345678-1234-1234-1234-123456789012';

let h: V2Harness;
let rest: APIGatewayClient;
let restApiId: string;
let httpApiId: string;

/** A request to Switchyard's port as if DNS had sent `host` there. */
function viaHost(host: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(h.sy.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const err = (p: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> =>
  p.then(
    () => ({ name: 'none', message: '', $metadata: {} }),
    (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number } },
  );

beforeAll(async () => {
  h = await startV2Harness();
  rest = new APIGatewayClient({ endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

  // A REST API: GET /pets answers from a MOCK integration with the stage and path it saw.
  const api = await rest.send(new CreateRestApiCommand({ name: 'pets' }));
  restApiId = api.id ?? '';
  const pets = await rest.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'pets' }));
  const target = { restApiId, resourceId: pets.id, httpMethod: 'GET' };
  await rest.send(new PutMethodCommand({ ...target, authorizationType: 'NONE' }));
  await rest.send(new PutIntegrationCommand({ ...target, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await rest.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
  await rest.send(
    new PutIntegrationResponseCommand({ ...target, statusCode: '200', responseTemplates: { 'application/json': '{"api":"rest","stage":"$context.stage","resource":"$context.resourcePath","path":"$context.path"}' } }),
  );
  await rest.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));

  // An HTTP API: quick create to a Lambda function that echoes what it was sent.
  const fn = await h.fn(
    'domain-echo',
    `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ api: 'http', rawPath: event.rawPath, stage: event.requestContext.stage, route: event.routeKey, domainPrefix: event.requestContext.domainPrefix }) });`,
  );
  httpApiId = (await h.v2.send(new CreateApiCommand({ Name: 'orders', ProtocolType: 'HTTP', Target: fn }))).ApiId ?? '';
  const integrationId = (await h.v2.send(new GetIntegrationsCommand({ ApiId: httpApiId }))).Items?.[0]?.IntegrationId ?? '';
  await h.v2.send(new CreateRouteCommand({ ApiId: httpApiId, RouteKey: 'GET /items/{id}', Target: `integrations/${integrationId}` }));
  await h.v2.send(new CreateStageCommand({ ApiId: httpApiId, StageName: 'beta', AutoDeploy: true }));
}, 30_000);

afterAll(async () => {
  rest.destroy();
  await h.close();
});

describe('REST custom domain names and base path mappings', () => {
  it('creates, reads, updates and deletes domain names with AWS outputs and errors', async () => {
    const regional = await rest.send(
      new CreateDomainNameCommand({ domainName: 'API.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] }, tags: { team: 'a' } }),
    );
    expect(regional).toMatchObject({
      domainName: 'api.example.com',
      domainNameStatus: 'AVAILABLE',
      endpointConfiguration: { types: ['REGIONAL'] },
      regionalCertificateArn: CERT,
      regionalHostedZoneId: 'Z1UJRXOUMOOFQ8',
      securityPolicy: 'TLS_1_2',
      tags: { team: 'a' },
    });
    expect(regional.regionalDomainName).toMatch(/^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    const edge = await rest.send(new CreateDomainNameCommand({ domainName: 'edge.example.com', certificateArn: CERT }));
    expect(edge).toMatchObject({ endpointConfiguration: { types: ['EDGE'] }, certificateArn: CERT, distributionHostedZoneId: 'Z2FDTNDATAQYW2', domainNameStatus: 'AVAILABLE' });
    expect(edge.distributionDomainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);

    expect(await err(rest.send(new CreateDomainNameCommand({ domainName: 'api.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } })))).toMatchObject({
      name: 'ConflictException',
      message: 'The domain name you provided already exists.',
    });
    expect((await err(rest.send(new CreateDomainNameCommand({ domainName: 'nocert.example.com' })))).name).toBe('BadRequestException');
    expect((await err(rest.send(new CreateDomainNameCommand({ domainName: 'bad..name', certificateArn: CERT })))).name).toBe('BadRequestException');
    expect(await err(rest.send(new GetDomainNameCommand({ domainName: 'missing.example.com' })))).toMatchObject({
      name: 'NotFoundException',
      message: 'Invalid domain name identifier specified',
    });

    expect((await rest.send(new GetDomainNameCommand({ domainName: 'api.example.com' }))).regionalDomainName).toBe(regional.regionalDomainName);
    const names = (await rest.send(new GetDomainNamesCommand({}))).items?.map((d) => d.domainName);
    expect(names).toEqual(expect.arrayContaining(['api.example.com', 'edge.example.com']));

    const updated = await rest.send(new UpdateDomainNameCommand({ domainName: 'edge.example.com', patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' }] }));
    expect(updated.securityPolicy).toBe('TLS_1_0');
    await rest.send(new DeleteDomainNameCommand({ domainName: 'edge.example.com' }));
    expect((await err(rest.send(new GetDomainNameCommand({ domainName: 'edge.example.com' })))).name).toBe('NotFoundException');
  });

  it('maps base paths and serves the REST API on the custom domain', async () => {
    const domainName = 'api.example.com';
    const created = await rest.send(new CreateBasePathMappingCommand({ domainName, basePath: 'shop', restApiId, stage: 'prod' }));
    expect(created).toEqual({ basePath: 'shop', restApiId, stage: 'prod', $metadata: expect.anything() as unknown });
    expect(await err(rest.send(new CreateBasePathMappingCommand({ domainName, basePath: 'shop', restApiId, stage: 'prod' })))).toMatchObject({
      name: 'ConflictException',
      message: 'Base path already exists for this domain name',
    });
    expect(await err(rest.send(new CreateBasePathMappingCommand({ domainName, basePath: 'x', restApiId: 'nope', stage: 'prod' })))).toMatchObject({
      name: 'BadRequestException',
      message: 'Invalid REST API identifier specified',
    });
    expect(await err(rest.send(new CreateBasePathMappingCommand({ domainName, basePath: 'x', restApiId, stage: 'nope' })))).toMatchObject({
      name: 'BadRequestException',
      message: 'Invalid stage identifier specified',
    });
    expect(await err(rest.send(new GetBasePathMappingCommand({ domainName, basePath: 'nope' })))).toMatchObject({
      name: 'NotFoundException',
      message: 'Invalid base path mapping identifier specified',
    });

    // As in AWS, $context.path is the path the client sent: base path in, stage out.
    expect(await viaHost('api.example.com', '/shop/pets')).toEqual({ status: 200, body: '{"api":"rest","stage":"prod","resource":"/pets","path":"/shop/pets"}' });
    expect(await viaHost('API.example.com:443', '/shop/pets')).toMatchObject({ status: 200 });
    expect(await viaHost('api.example.com', '/elsewhere/pets')).toEqual({ status: 403, body: '{"message":"Forbidden"}' });

    await rest.send(new UpdateBasePathMappingCommand({ domainName, basePath: 'shop', patchOperations: [{ op: 'replace', path: '/basePath', value: 'store' }] }));
    expect((await rest.send(new GetBasePathMappingsCommand({ domainName }))).items).toEqual([{ basePath: 'store', restApiId, stage: 'prod' }]);
    expect((await viaHost('api.example.com', '/store/pets')).status).toBe(200);
    expect((await viaHost('api.example.com', '/shop/pets')).status).toBe(403);

    // The (none) base path takes every path; no other mapping may join it.
    await rest.send(new CreateDomainNameCommand({ domainName: 'root.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
    const none = await rest.send(new CreateBasePathMappingCommand({ domainName: 'root.example.com', restApiId, stage: 'prod' }));
    expect(none.basePath).toBe('(none)');
    expect(await viaHost('root.example.com', '/pets')).toEqual({ status: 200, body: '{"api":"rest","stage":"prod","resource":"/pets","path":"/pets"}' });
    expect(await err(rest.send(new CreateBasePathMappingCommand({ domainName: 'root.example.com', basePath: 'more', restApiId, stage: 'prod' })))).toMatchObject({
      name: 'ConflictException',
      message: 'Only one base path mapping is allowed if the base path is empty.',
    });

    // Without a stage, callers name the stage after the base path.
    await rest.send(new CreateDomainNameCommand({ domainName: 'stages.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
    await rest.send(new CreateBasePathMappingCommand({ domainName: 'stages.example.com', basePath: '(none)', restApiId }));
    expect((await viaHost('stages.example.com', '/prod/pets')).status).toBe(200);

    // A wildcard domain name serves every host one label below it.
    await rest.send(new CreateDomainNameCommand({ domainName: '*.wild.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
    await rest.send(new CreateBasePathMappingCommand({ domainName: '*.wild.example.com', basePath: 'w', restApiId, stage: 'prod' }));
    expect((await viaHost('tenant1.wild.example.com', '/w/pets')).status).toBe(200);

    await rest.send(new DeleteBasePathMappingCommand({ domainName: 'root.example.com', basePath: '(none)' }));
    expect((await viaHost('root.example.com', '/pets')).status).toBe(403);
  });
});

describe('HTTP API custom domain names and API mappings', () => {
  it('shares domain names with REST APIs and maps multi-level keys and (none)', async () => {
    const created = await h.v2.send(
      new CreateDomainNameV2Command({ DomainName: 'http.example.com', DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }], Tags: { k: 'v' } }),
    );
    expect(created).toMatchObject({
      DomainName: 'http.example.com',
      ApiMappingSelectionExpression: '$request.basepath',
      DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL', DomainNameStatus: 'AVAILABLE', HostedZoneId: 'Z1UJRXOUMOOFQ8', SecurityPolicy: 'TLS_1_2' }],
      Tags: { k: 'v' },
    });
    expect(created.DomainNameConfigurations?.[0]?.ApiGatewayDomainName).toMatch(/\.execute-api\.us-east-1\.amazonaws\.com$/);

    // One namespace: each API sees the other's domain names, and a name cannot be taken twice.
    expect((await rest.send(new GetDomainNameCommand({ domainName: 'http.example.com' }))).regionalCertificateArn).toBe(CERT);
    expect((await h.v2.send(new GetDomainNameV2Command({ DomainName: 'api.example.com' }))).DomainName).toBe('api.example.com');
    expect((await h.v2.send(new GetDomainNamesV2Command({}))).Items?.map((d) => d.DomainName)).toContain('http.example.com');
    expect(await err(h.v2.send(new CreateDomainNameV2Command({ DomainName: 'api.example.com', DomainNameConfigurations: [{ CertificateArn: CERT }] })))).toMatchObject({
      name: 'ConflictException',
    });
    expect((await err(h.v2.send(new GetDomainNameV2Command({ DomainName: 'nope.example.com' })))).name).toBe('NotFoundException');
    expect((await err(h.v2.send(new CreateDomainNameV2Command({ DomainName: 'nocert.example.com', DomainNameConfigurations: [{}] })))).name).toBe('BadRequestException');

    const DomainName = 'http.example.com';
    const deep = await h.v2.send(new CreateApiMappingCommand({ DomainName, ApiId: httpApiId, Stage: '$default', ApiMappingKey: 'v1/orders' }));
    expect(deep).toMatchObject({ ApiId: httpApiId, Stage: '$default', ApiMappingKey: 'v1/orders' });
    const beta = await h.v2.send(new CreateApiMappingCommand({ DomainName, ApiId: httpApiId, Stage: 'beta', ApiMappingKey: 'v1' }));
    // A v2 mapping may name a REST API too.
    const root = await h.v2.send(new CreateApiMappingCommand({ DomainName, ApiId: restApiId, Stage: 'prod' }));
    expect(root.ApiMappingKey).toBe('');
    expect(await err(h.v2.send(new CreateApiMappingCommand({ DomainName, ApiId: httpApiId, Stage: 'beta', ApiMappingKey: 'v1' })))).toMatchObject({ name: 'ConflictException' });
    expect((await err(h.v2.send(new CreateApiMappingCommand({ DomainName, ApiId: httpApiId, Stage: 'nope', ApiMappingKey: 'z' })))).name).toBe('BadRequestException');
    expect((await err(h.v2.send(new CreateApiMappingCommand({ DomainName, ApiId: 'nope', Stage: 'x', ApiMappingKey: 'z' })))).name).toBe('NotFoundException');
    expect((await err(h.v2.send(new CreateApiMappingCommand({ DomainName, ApiId: httpApiId, Stage: 'beta', ApiMappingKey: '/bad/' })))).name).toBe('BadRequestException');

    // The longest key wins; the rest of the path goes to the API's routes; (none) takes the others. As in AWS, the
    // event's rawPath is the path the client sent (mapping key in, no stage segment).
    expect(JSON.parse((await viaHost(DomainName, '/v1/orders/42')).body)).toEqual({ api: 'http', rawPath: '/v1/orders/42', stage: '$default', route: '$default', domainPrefix: 'http' });
    expect(JSON.parse((await viaHost(DomainName, '/v1/orders/items/7')).body)).toMatchObject({ rawPath: '/v1/orders/items/7', route: 'GET /items/{id}' });
    expect(JSON.parse((await viaHost(DomainName, '/v1/other')).body)).toEqual({ api: 'http', rawPath: '/v1/other', stage: 'beta', route: '$default', domainPrefix: 'http' });
    expect(await viaHost(DomainName, '/pets')).toEqual({ status: 200, body: '{"api":"rest","stage":"prod","resource":"/pets","path":"/pets"}' });

    expect((await rest.send(new GetBasePathMappingsCommand({ domainName: DomainName }))).items?.map((m) => m.basePath).sort()).toEqual(['(none)', 'v1', 'v1/orders']);
    expect((await h.v2.send(new GetApiMappingsCommand({ DomainName }))).Items).toHaveLength(3);
    expect((await h.v2.send(new GetApiMappingCommand({ DomainName, ApiMappingId: beta.ApiMappingId }))).Stage).toBe('beta');
    expect((await err(h.v2.send(new GetApiMappingCommand({ DomainName, ApiMappingId: 'nope' })))).name).toBe('NotFoundException');

    await h.v2.send(new UpdateApiMappingCommand({ DomainName, ApiMappingId: beta.ApiMappingId, ApiId: httpApiId, ApiMappingKey: 'beta' }));
    expect(JSON.parse((await viaHost(DomainName, '/beta/x')).body)).toMatchObject({ stage: 'beta' });
    await h.v2.send(new DeleteApiMappingCommand({ DomainName, ApiMappingId: root.ApiMappingId }));
    const gone = (await h.v2.send(new CreateApiCommand({ Name: 'gone', ProtocolType: 'HTTP', Target: 'https://example.com' }))).ApiId ?? '';
    await h.v2.send(new CreateApiMappingCommand({ DomainName, ApiId: gone, Stage: '$default', ApiMappingKey: 'gone' }));
    await h.v2.send(new DeleteApiCommand({ ApiId: gone }));
    expect(await viaHost(DomainName, '/gone/x')).toEqual({ status: 403, body: '{"message":"Forbidden"}' });
    expect(await viaHost(DomainName, '/pets')).toEqual({ status: 403, body: '{"message":"Forbidden"}' });

    const updated = await h.v2.send(new UpdateDomainNameV2Command({ DomainName, DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_0' }] }));
    expect(updated.DomainNameConfigurations?.[0]?.SecurityPolicy).toBe('TLS_1_0');
    await h.v2.send(new DeleteDomainNameV2Command({ DomainName }));
    expect((await err(rest.send(new GetDomainNameCommand({ domainName: DomainName })))).name).toBe('NotFoundException');
  });
});
