// The invoke URL with MOCK integrations: route matching as AWS does it, the stage's deployment snapshot, mapping
// templates with $input/$util/$context/$stageVariables, passthrough behaviours, integration responses, and the
// gateway's own answers; through fetch on `/_aws/execute-api/ID/STAGE/PATH`, plus once by Host header.
import { request } from 'node:http';
import {
  APIGatewayClient,
  GetStageCommand,
  CreateRestApiCommand,
  GetRestApiCommand,
  CreateDeploymentCommand,
  DeleteRestApiCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiGatewayHarness, type ApiGatewayHarness } from './harness.js';

let h: ApiGatewayHarness;
beforeAll(async () => {
  h = await startApiGatewayHarness();
});
afterAll(async () => {
  await h.close();
});

/** A MOCK method answering 200 with the given response template. */
async function mock(apiId: string, resourceId: string, httpMethod: string, responseTemplate: string, requestTemplate = '{"statusCode": 200}') {
  await h.method(apiId, resourceId, httpMethod, { type: 'MOCK', requestTemplates: { 'application/json': requestTemplate } });
  await h.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode: '200' }));
  await h.apigw.send(
    new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode: '200', responseTemplates: { 'application/json': responseTemplate } }),
  );
}

async function deploy(apiId: string, stageName = 'dev', variables?: Record<string, string>): Promise<string> {
  return (await h.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName, variables }))).id ?? '';
}

describe('routing', () => {
  let api: string;
  beforeAll(async () => {
    const { id, root } = await h.api('routing');
    api = id;
    await mock(id, root, 'GET', '{"route":"root"}');
    await mock(id, await h.resource(id, root, 'pets'), 'GET', '{"route":"pets"}');
    await mock(id, await h.resource(id, root, 'pets/mine'), 'GET', '{"route":"mine"}');
    await mock(id, await h.resource(id, root, 'pets/{petId}'), 'GET', '{"route":"pet","id":"$input.params(\'petId\')"}');
    await mock(id, await h.resource(id, root, 'pets/{petId}'), 'ANY', '{"route":"pet-any","method":"$context.httpMethod"}');
    await mock(id, await h.resource(id, root, 'pets/{petId}/toys'), 'GET', '{"route":"toys","id":"$input.params().path.petId"}');
    await mock(id, await h.resource(id, root, '{proxy+}'), 'ANY', '{"route":"greedy","proxy":"$input.params(\'proxy\')","resource":"$context.resourcePath"}');
    await deploy(id);
  });

  const get = async (path: string, method = 'GET') => {
    const res = await h.invoke(api, `/dev${path}`, { method });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  };

  it('prefers literal paths, then {param}, then {proxy+}, and the method before ANY', async () => {
    expect((await get('/')).body).toEqual({ route: 'root' });
    expect((await get('')).body).toEqual({ route: 'root' });
    expect((await get('/pets')).body).toEqual({ route: 'pets' });
    expect((await get('/pets/')).body).toEqual({ route: 'pets' });
    expect((await get('/pets/mine')).body).toEqual({ route: 'mine' });
    expect((await get('/pets/42')).body).toEqual({ route: 'pet', id: '42' });
    expect((await get('/pets/a%20b')).body).toEqual({ route: 'pet', id: 'a b' });
    expect((await get('/pets/42', 'DELETE')).body).toEqual({ route: 'pet-any', method: 'DELETE' });
    expect((await get('/pets/42/toys')).body).toEqual({ route: 'toys', id: '42' });
    expect((await get('/pets/42/toys/ball/red')).body).toEqual({ route: 'greedy', proxy: 'pets/42/toys/ball/red', resource: '/{proxy+}' });
    expect((await get('/other/x')).body).toEqual({ route: 'greedy', proxy: 'other/x', resource: '/{proxy+}' });
  });

  it('answers AWS headers, and 403 Missing Authentication Token without a route or for an unknown stage', async () => {
    const ok = await get('/pets');
    expect(ok.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers.get('x-amz-apigw-id')).toBeTruthy();
    expect(ok.headers.get('content-type')).toBe('application/json');
    const noRoute = await get('/pets', 'POST');
    expect(noRoute.status).toBe(403);
    expect(noRoute.body).toEqual({ message: 'Missing Authentication Token' });
    expect(noRoute.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const res = await h.invoke(api, '/nostage/pets');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('answers 404 for an id that is no API, and serves the Host header form and the legacy path form', async () => {
    const unknown = await h.invoke('abcdefghij', '/dev/pets');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Not Found' });
    const legacy = await fetch(`${h.sy.endpoint}/restapis/${api}/dev/_user_request_/pets/7`);
    expect(await legacy.json()).toEqual({ route: 'pet', id: '7' });
    const viaHost = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: h.sy.port, path: '/dev/pets/mine', headers: { host: `${api}.execute-api.localhost:${h.sy.port}` } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(viaHost).toEqual({ status: 200, body: '{"route":"mine"}' });
  });
});

describe('accounts and regions', () => {
  it('serves an API of another account and region by its id alone', async () => {
    const other = new APIGatewayClient({ endpoint: h.sy.endpoint, region: 'eu-west-1', credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      const api = await other.send(new CreateRestApiCommand({ name: 'elsewhere' }));
      await other.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
      const { PutIntegrationCommand } = await import('@aws-sdk/client-api-gateway');
      await other.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' } }));
      await other.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', statusCode: '200' }));
      await other.send(
        new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"account":"$context.accountId"}' } }),
      );
      await other.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'live' }));
      expect(await (await h.invoke(api.id ?? '', '/live')).json()).toEqual({ account: '111122223333' });
      // The default account does not see it on the control plane.
      await expect(h.apigw.send(new GetRestApiCommand({ restApiId: api.id }))).rejects.toThrow(/Invalid API identifier/);
    } finally {
      other.destroy();
    }
  });
});

describe('deployments', () => {
  it('serves the deployment snapshot, not the live definition, and stage variables live', async () => {
    const { id, root } = await h.api('snapshot');
    const r = await h.resource(id, root, 'v');
    await mock(id, r, 'GET', '{"version":1,"color":"$stageVariables.color"}');
    const first = await deploy(id, 'dev', { color: 'blue' });
    await h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: r, httpMethod: 'POST', authorizationType: 'NONE' }));
    await h.apigw.send(
      new PutIntegrationResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"version":2}' } }),
    );
    expect(await (await h.invoke(id, '/dev/v')).json()).toEqual({ version: 1, color: 'blue' });
    await h.method(id, r, 'PUT', { type: 'MOCK' }).catch(() => undefined);
    await h.apigw.send(new UpdateStageCommand({ restApiId: id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/variables/color', value: 'red' }] }));
    expect(await (await h.invoke(id, '/dev/v')).json()).toEqual({ version: 1, color: 'red' });
    // POST has no integration: redeploying is refused until it has one; PUT has.
    await h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' })).catch(() => undefined);
    await h.method(id, r, 'POST', { type: 'MOCK' }).catch(() => undefined);
    await expect(h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }))).rejects.toThrow('No integration defined for method');
    expect(first).toMatch(/^[a-z0-9]{6}$/);
  });

  it('sends a canary its percentage of traffic with its stage variable overrides, and promotes it', async () => {
    const { id, root } = await h.api('canary');
    const r = await h.resource(id, root, 'v');
    await mock(id, r, 'GET', '{"version":1,"color":"$stageVariables.color"}');
    await deploy(id, 'prod', { color: 'blue' });
    await h.apigw.send(
      new PutIntegrationResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"version":2,"color":"$stageVariables.color"}' } }),
    );
    const canary = await h.apigw.send(
      new CreateDeploymentCommand({ restApiId: id, stageName: 'prod', canarySettings: { percentTraffic: 100, stageVariableOverrides: { color: 'green' } } }),
    );
    const stage = await h.apigw.send(new GetStageCommand({ restApiId: id, stageName: 'prod' }));
    expect(stage.canarySettings).toEqual({ deploymentId: canary.id, percentTraffic: 100, stageVariableOverrides: { color: 'green' }, useStageCache: false });
    expect(await (await h.invoke(id, '/prod/v')).json()).toEqual({ version: 2, color: 'green' });
    await h.apigw.send(new UpdateStageCommand({ restApiId: id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '0' }] }));
    expect(await (await h.invoke(id, '/prod/v')).json()).toEqual({ version: 1, color: 'blue' });
    const bad = await h.apigw
      .send(new UpdateStageCommand({ restApiId: id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '150' }] }))
      .catch((e: Error) => e);
    expect(bad).toMatchObject({ name: 'BadRequestException', message: 'Canary traffic percentage must be between 0.0 and 100.0' });
    // Promotion: the canary's deployment becomes the stage's, and the canary goes.
    const promoted = await h.apigw.send(
      new UpdateStageCommand({
        restApiId: id,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/deploymentId', value: canary.id },
          { op: 'remove', path: '/canarySettings' },
        ],
      }),
    );
    expect(promoted.canarySettings).toBeUndefined();
    expect(await (await h.invoke(id, '/prod/v')).json()).toEqual({ version: 2, color: 'blue' });
  });

  it('refuses invocations when the execute-api endpoint is disabled, and forgets deleted APIs', async () => {
    const { id, root } = await h.api('disabled');
    await mock(id, root, 'GET', '{}');
    await deploy(id);
    expect((await h.invoke(id, '/dev/')).status).toBe(200);
    await h.apigw.send(new UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' }] }));
    expect((await h.invoke(id, '/dev/')).status).toBe(403);
    await h.apigw.send(new DeleteRestApiCommand({ restApiId: id }));
    expect((await h.invoke(id, '/dev/')).status).toBe(404);
  });
});

describe('MOCK integrations and mapping templates', () => {
  it('selects the integration response by the request template statusCode and maps headers', async () => {
    const { id, root } = await h.api('mock-status');
    const r = await h.resource(id, root, 'status');
    await h.method(id, r, 'GET', {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": $input.params(\'code\')}' },
    });
    for (const code of ['200', '404']) {
      await h.apigw.send(
        new PutMethodResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', statusCode: code, responseParameters: { 'method.response.header.X-Code': false } }),
      );
    }
    await h.apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: id,
        resourceId: r,
        httpMethod: 'GET',
        statusCode: '200',
        responseParameters: { 'method.response.header.X-Code': "'ok'" },
        responseTemplates: { 'application/json': '{"ok":true}' },
      }),
    );
    await h.apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: id,
        resourceId: r,
        httpMethod: 'GET',
        statusCode: '404',
        selectionPattern: '4\\d{2}',
        responseParameters: { 'method.response.header.X-Code': 'context.requestId' },
        responseTemplates: { 'application/json': '{"message":"nothing here"}' },
      }),
    );
    await deploy(id);
    const ok = await h.invoke(id, '/dev/status?code=200');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-code')).toBe('ok');
    expect(await ok.json()).toEqual({ ok: true });
    const missing = await h.invoke(id, '/dev/status?code=404');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-code')).toBe(missing.headers.get('x-amzn-requestid'));
    expect(await missing.json()).toEqual({ message: 'nothing here' });
  });

  it('honours passthroughBehavior: WHEN_NO_MATCH, WHEN_NO_TEMPLATES and NEVER (415)', async () => {
    const { id, root } = await h.api('passthrough');
    for (const [path, behaviour, templates] of [
      ['match', 'WHEN_NO_MATCH', { 'application/json': '{"statusCode":200}' }],
      ['templates', 'WHEN_NO_TEMPLATES', { 'application/json': '{"statusCode":200}' }],
      ['never', 'NEVER', { 'application/json': '{"statusCode":200}' }],
    ] as const) {
      const r = await h.resource(id, root, path);
      await h.method(id, r, 'POST', { type: 'MOCK', passthroughBehavior: behaviour, requestTemplates: templates });
      await h.apigw.send(new PutMethodResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'POST', statusCode: '200' }));
      await h.apigw.send(new PutIntegrationResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'POST', statusCode: '200', responseTemplates: { 'application/json': '{"done":true}' } }));
    }
    await deploy(id);
    const post = (path: string, type: string) => h.invoke(id, `/dev/${path}`, { method: 'POST', body: 'x', headers: { 'content-type': type } });
    expect((await post('match', 'text/plain')).status).toBe(200);
    expect((await post('never', 'application/json')).status).toBe(200);
    const never = await post('never', 'text/plain');
    expect(never.status).toBe(415);
    expect(await never.json()).toEqual({ message: 'Unsupported Media Type' });
    expect((await post('templates', 'text/plain')).status).toBe(415);
  });

  it('answers 500 when a template is broken or no integration response matches', async () => {
    const { id, root } = await h.api('broken');
    const r = await h.resource(id, root, 'bad');
    await h.method(id, r, 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '#if( broken' } });
    const n = await h.resource(id, root, 'none');
    await h.method(id, n, 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } });
    await deploy(id);
    for (const path of ['bad', 'none']) {
      const res = await h.invoke(id, `/dev/${path}`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ message: 'Internal server error' });
    }
  });

  it('answers CORS preflights with a MOCK OPTIONS method as the console builds it', async () => {
    const { id, root } = await h.api('cors');
    const r = await h.resource(id, root, 'items');
    await h.method(id, r, 'OPTIONS', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } });
    const names = ['Access-Control-Allow-Headers', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Origin'];
    await h.apigw.send(
      new PutMethodResponseCommand({
        restApiId: id,
        resourceId: r,
        httpMethod: 'OPTIONS',
        statusCode: '200',
        responseParameters: Object.fromEntries(names.map((n) => [`method.response.header.${n}`, false])),
        responseModels: { 'application/json': 'Empty' },
      }),
    );
    await h.apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: id,
        resourceId: r,
        httpMethod: 'OPTIONS',
        statusCode: '200',
        responseParameters: {
          'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Amz-Date,Authorization,X-Api-Key'",
          'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS,POST'",
          'method.response.header.Access-Control-Allow-Origin': "'*'",
        },
        responseTemplates: { 'application/json': '' },
      }),
    );
    await deploy(id);
    const res = await h.invoke(id, '/dev/items', { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS,POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type,X-Amz-Date,Authorization,X-Api-Key');
    expect(await res.text()).toBe('');
  });

  it('TestInvokeMethod runs the live definition without deploying', async () => {
    const { TestInvokeMethodCommand } = await import('@aws-sdk/client-api-gateway');
    const { id, root } = await h.api('test-invoke');
    const r = await h.resource(id, root, 'items/{itemId}');
    await mock(id, r, 'GET', '{"item":"$input.params(\'itemId\')","q":"$input.params(\'q\')","v":"$stageVariables.v"}');
    const out = await h.apigw.send(
      new TestInvokeMethodCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', pathWithQueryString: '/items/42?q=yes', stageVariables: { v: 'sv' }, headers: { Accept: 'application/json' } }),
    );
    expect(out.status).toBe(200);
    expect(JSON.parse(out.body ?? '{}')).toEqual({ item: '42', q: 'yes', v: 'sv' });
    expect(out.headers?.['content-type']).toBe('application/json');
    expect(out.log).toContain('Method completed with status: 200');
  });

  it('requires a signed request for AWS_IAM and a key for apiKeyRequired', async () => {
    const { id, root } = await h.api('auth');
    const iam = await h.resource(id, root, 'iam');
    await h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: iam, httpMethod: 'GET', authorizationType: 'AWS_IAM' }));
    await h.apigw.send(new PutMethodResponseCommand({ restApiId: id, resourceId: iam, httpMethod: 'GET', statusCode: '200' }));
    const key = await h.resource(id, root, 'key');
    await h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: key, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true }));
    for (const resourceId of [iam, key]) {
      const { PutIntegrationCommand } = await import('@aws-sdk/client-api-gateway');
      await h.apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' } }));
      await h.apigw.send(new PutMethodResponseCommand({ restApiId: id, resourceId, httpMethod: 'GET', statusCode: '200' })).catch(() => undefined);
      await h.apigw.send(new PutIntegrationResponseCommand({ restApiId: id, resourceId, httpMethod: 'GET', statusCode: '200' }));
    }
    await deploy(id);
    const unsigned = await h.invoke(id, '/dev/iam');
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
    const signed = await h.invoke(id, '/dev/iam', {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00' },
    });
    expect(signed.status).toBe(200);
    const keyed = await h.invoke(id, '/dev/key', { headers: { 'x-api-key': 'anything' } });
    expect(keyed.status).toBe(403);
    expect(await keyed.json()).toEqual({ message: 'Forbidden' });
  });
});
