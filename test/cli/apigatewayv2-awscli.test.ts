// The AWS CLI v2 from Debian (/usr/bin/aws, restJson1) against API Gateway v2 and the management API: quick create,
// routes and their validation, stages, export, custom domain names and API mappings, and errors as the CLI reports
// them (exit 254).
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianAwsCli, debianAwsCliMissing, tempHome, warnSkipped } from '../support/debian-clients.js';

const missing = debianAwsCliMissing();
if (missing) warnSkipped('apigatewayv2-awscli', missing);

const SLOW = 300_000;

describe.skipIf(missing !== undefined)('AWS CLI v2 from Debian against API Gateway v2', () => {
  let sy: RunningSwitchyard;
  let aws: DebianAwsCli;
  let home: ReturnType<typeof tempHome>;
  let backend: Server;
  let backendUrl: string;

  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
    aws = new DebianAwsCli(sy.endpoint, home.path);
    backend = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    backend.closeAllConnections();
    await new Promise<void>((r) => backend.close(() => r()));
    await sy.stop();
    home.dispose();
  });

  // 8 CLI calls
  test('create-api (quick create), get-apis, create-route, get-stage, export-api and errors', { timeout: SLOW }, async () => {
    const api = await aws.ok<{ ApiId: string; ProtocolType: string; ApiEndpoint: string }>([
      'apigatewayv2', 'create-api', '--name', 'cli-api', '--protocol-type', 'HTTP', '--target', `${backendUrl}/back`,
    ]);
    expect(api.ApiId).toMatch(/^[a-z0-9]{10}$/);
    expect(api.ProtocolType).toBe('HTTP');
    const res = await fetch(`${sy.endpoint}/_aws/execute-api/${api.ApiId}/anything`);
    expect(await res.json()).toEqual({ path: '/back' });

    const list = await aws.ok<{ Items: Array<{ ApiId: string }> }>(['apigatewayv2', 'get-apis']);
    expect(list.Items.map((a) => a.ApiId)).toContain(api.ApiId);

    const route = await aws.ok<{ RouteKey: string; RouteId: string }>(['apigatewayv2', 'create-route', '--api-id', api.ApiId, '--route-key', 'GET /pets/{id}']);
    expect(route.RouteKey).toBe('GET /pets/{id}');

    const bad = await aws.run(['apigatewayv2', 'create-route', '--api-id', api.ApiId, '--route-key', 'GET /a/{proxy+}/b']);
    expect(bad.code).toBe(254);
    expect(bad.stderr).toContain('BadRequestException');

    const stage = await aws.ok<{ StageName: string; AutoDeploy: boolean }>(['apigatewayv2', 'get-stage', '--api-id', api.ApiId, '--stage-name', '$default']);
    expect(stage).toMatchObject({ StageName: '$default', AutoDeploy: true });

    const out = join(home.path, 'export.json');
    await aws.ok(['apigatewayv2', 'export-api', '--api-id', api.ApiId, '--specification', 'OAS30', '--output-type', 'JSON', out]);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { paths: Record<string, unknown> };
    expect(Object.keys(exported.paths).sort()).toEqual(['/$default', '/pets/{id}']);

    const notFound = await aws.run(['apigatewayv2', 'get-api', '--api-id', 'zzzzzzzzzz']);
    expect(notFound.code).toBe(254);
    expect(notFound.stderr).toContain('NotFoundException');

    const gone = await aws.run(['apigatewaymanagementapi', 'get-connection', '--connection-id', 'AAAAAAAAAAAAAAA=']);
    expect(gone.code).toBe(254);
    expect(gone.stderr).toContain('GoneException');
  });

  // 5 CLI calls
  test('a custom domain name with a multi-level API mapping, seen from both CLIs and served by Host', { timeout: SLOW }, async () => {
    const cert = 'arn:aws:acm:us-east-1:000000000000:certificate/abcdef01-2345-6789-abcd-ef0123456789';
    const api = await aws.ok<{ ApiId: string }>(['apigatewayv2', 'create-api', '--name', 'cli-domain', '--protocol-type', 'HTTP', '--target', `${backendUrl}/mapped`]);
    const domain = await aws.ok<{ DomainName: string; DomainNameConfigurations: Array<{ DomainNameStatus: string; ApiGatewayDomainName: string }> }>([
      'apigatewayv2', 'create-domain-name', '--domain-name', 'cli.example.com', '--domain-name-configurations', `CertificateArn=${cert},EndpointType=REGIONAL`,
    ]);
    expect(domain.DomainNameConfigurations[0]?.DomainNameStatus).toBe('AVAILABLE');
    const mapping = await aws.ok<{ ApiMappingKey: string; Stage: string }>([
      'apigatewayv2', 'create-api-mapping', '--domain-name', 'cli.example.com', '--api-id', api.ApiId, '--stage', '$default', '--api-mapping-key', 'v1/shop',
    ]);
    expect(mapping).toMatchObject({ ApiMappingKey: 'v1/shop', Stage: '$default' });
    const rest = await aws.ok<{ domainName: string; regionalDomainName: string }>(['apigateway', 'get-domain-name', '--domain-name', 'cli.example.com']);
    expect(rest.regionalDomainName).toBe(domain.DomainNameConfigurations[0]?.ApiGatewayDomainName);
    const paths = await aws.ok<{ items: Array<{ basePath: string; restApiId: string }> }>(['apigateway', 'get-base-path-mappings', '--domain-name', 'cli.example.com']);
    expect(paths.items).toEqual([{ basePath: 'v1/shop', restApiId: api.ApiId, stage: '$default' }]);

    const url = new URL(sy.endpoint);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: '/v1/shop/anything', headers: { host: 'cli.example.com' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toEqual({ path: '/mapped' });
  });
});
