// The AWS CLI v2 from Debian (/usr/bin/aws, restJson1) against API Gateway v2 and the management API: quick create,
// routes and their validation, stages, export, and errors as the CLI reports them (exit 254).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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
});
