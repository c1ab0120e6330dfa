// Lambda behind a REST API: the proxy integration's 1.0 event as AWS builds it and the mapping of the answer (502 for
// a malformed answer or a function error, 504 after the integration timeout on the clock), and the custom (AWS)
// integration with templates and selection patterns on errorMessage.
import { CreateDeploymentCommand, PutIntegrationResponseCommand, PutMethodResponseCommand, UpdateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { ROLE, zip } from '../lambda/harness.js';
import { startApiGatewayHarness, type ApiGatewayHarness } from './harness.js';

const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';
const uriOf = (fnArn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn}/invocations`;

let h: ApiGatewayHarness;
let clock: FakeClock;
beforeAll(async () => {
  clock = new FakeClock();
  h = await startApiGatewayHarness({ clock });
  const create = (name: string, code: string) =>
    h.lambda.send(
      new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 60, Code: { ZipFile: zip({ 'index.js': code }) } }),
    );
  await create(
    'apigw-proxy',
    `exports.handler = async (event) => {
      const mode = (event.queryStringParameters || {}).mode;
      if (mode === 'malformed') return { statusCode: 'abc', body: {} };
      if (mode === 'throw') throw new Error('boom');
      if (mode === 'slow') await new Promise((r) => setTimeout(r, 60000));
      if (mode === 'binary') return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true };
      return { statusCode: 201, headers: { 'x-one': 'a', 'x-num': 5 }, multiValueHeaders: { 'set-cookie': ['c=1', 'd=2'] }, body: JSON.stringify(event) };
    };`,
  );
  await create(
    'apigw-custom',
    `exports.handler = async (event) => {
      if (event.fail) throw new Error('NotFound: item ' + event.id);
      return { id: event.id, ok: true };
    };`,
  );
}, 60_000);
afterAll(async () => {
  await h.close();
});

describe('Lambda proxy integration (AWS_PROXY)', () => {
  let api: string;
  beforeAll(async () => {
    const { id, root } = await h.api('lambda-proxy');
    api = id;
    const r = await h.resource(id, root, 'items/{itemId}');
    await h.method(id, r, 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(`${FN_ARN}\${stageVariables.fn}`), timeoutInMillis: 5000 });
    await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'prod', variables: { fn: 'apigw-proxy' } }));
  });

  it('sends the 1.0 event as AWS builds it and maps statusCode, headers and multiValueHeaders', async () => {
    const res = await h.invoke(api, '/prod/items/42?x=1&x=2&y=3', {
      method: 'POST',
      body: '{"hello":"world"}',
      headers: { 'content-type': 'application/json', 'x-custom': 'v', 'user-agent': 'tester/1.0' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-one')).toBe('a');
    expect(res.headers.get('x-num')).toBe('5');
    expect(res.headers.getSetCookie()).toEqual(['c=1', 'd=2']);
    expect(res.headers.get('content-type')).toBe('application/json');
    const event = (await res.json()) as Record<string, unknown> & { requestContext: Record<string, unknown>; headers: Record<string, string> };
    expect(event).toMatchObject({
      resource: '/items/{itemId}',
      path: '/items/42',
      httpMethod: 'POST',
      queryStringParameters: { x: '2', y: '3' },
      multiValueQueryStringParameters: { x: ['1', '2'], y: ['3'] },
      pathParameters: { itemId: '42' },
      stageVariables: { fn: 'apigw-proxy' },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
    });
    expect(event.headers['x-custom']).toBe('v');
    expect((event.multiValueHeaders as Record<string, string[]>)['x-custom']).toEqual(['v']);
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: api,
      resourcePath: '/items/{itemId}',
      httpMethod: 'POST',
      path: '/prod/items/42',
      protocol: 'HTTP/1.1',
      stage: 'prod',
      requestTimeEpoch: clock.now(),
      requestId: res.headers.get('x-amzn-requestid'),
      identity: { sourceIp: expect.stringMatching(/127\.0\.0\.1/) as unknown, userAgent: 'tester/1.0', accountId: null, caller: null, user: null },
    });
    expect(event.requestContext.resourceId).toMatch(/^[a-z0-9]{10}$/);
    expect(event.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(event.requestContext.domainName).toMatch(/^(127\.0\.0\.1|localhost):\d+$/);
  }, 30_000);

  it('sends null for absent query string, body and path parameters, and decodes base64 answers', async () => {
    const res = await h.invoke(api, '/prod/items/1?mode=binary');
    expect(res.status).toBe(200);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const plain = await h.invoke(api, '/prod/items/7', { method: 'GET' });
    const event = (await plain.json()) as Record<string, unknown>;
    expect(event.body).toBeNull();
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
  }, 30_000);

  it('hands binary media types to the function base64-encoded', async () => {
    await h.apigw.send(new UpdateRestApiCommand({ restApiId: api, patchOperations: [{ op: 'add', path: '/binaryMediaTypes/application~1octet-stream' }] }));
    await h.apigw.send(new CreateDeploymentCommand({ restApiId: api, stageName: 'prod' }));
    const bytes = Buffer.from([0xff, 0x00, 0x10, 0x80]);
    const res = await h.invoke(api, '/prod/items/3', { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    const event = (await res.json()) as { body: string; isBase64Encoded: boolean };
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64')).toEqual(bytes);
    const text = (await (await h.invoke(api, '/prod/items/3', { method: 'PUT', body: 'plain', headers: { 'content-type': 'text/plain' } })).json()) as { body: string; isBase64Encoded: boolean };
    expect(text).toMatchObject({ body: 'plain', isBase64Encoded: false });
  }, 30_000);

  it('answers 502 for a malformed answer and for a function error', async () => {
    for (const mode of ['malformed', 'throw']) {
      const res = await h.invoke(api, `/prod/items/1?mode=${mode}`);
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({ message: 'Internal server error' });
    }
  }, 30_000);

  it('answers 504 once the integration timeout passes on the clock', async () => {
    const pending = h.invoke(api, '/prod/items/1?mode=slow');
    // Let the request reach the function before time moves.
    await new Promise((r) => setTimeout(r, 300));
    await clock.advance(5000);
    const res = await pending;
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ message: 'Endpoint request timed out' });
  }, 30_000);
});

describe('Lambda custom integration (AWS)', () => {
  it('maps the request with a template and selects error responses by errorMessage', async () => {
    const { id, root } = await h.api('lambda-custom');
    const r = await h.resource(id, root, 'things/{id}');
    await h.method(id, r, 'GET', {
      type: 'AWS',
      integrationHttpMethod: 'POST',
      uri: uriOf(`${FN_ARN}apigw-custom`),
      requestTemplates: { 'application/json': '{"id": "$input.params(\'id\')", "fail": $input.params(\'fail\').equals("yes")}' },
    });
    await h.apigw.send(new PutMethodResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', statusCode: '200' }));
    await h.apigw.send(new PutMethodResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', statusCode: '404' }));
    await h.apigw.send(
      new PutIntegrationResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"thing": $input.json(\'$.id\')}' } }),
    );
    await h.apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: id,
        resourceId: r,
        httpMethod: 'GET',
        statusCode: '404',
        selectionPattern: 'NotFound:.*',
        responseTemplates: { 'application/json': '{"error": $input.json(\'$.errorMessage\')}' },
      }),
    );
    await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    const ok = await h.invoke(id, '/dev/things/9');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ thing: '9' });
    const missing = await h.invoke(id, '/dev/things/9?fail=yes');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'NotFound: item 9' });
  }, 30_000);
});
